"""Imports in the browser: upload, a dry-run preview (counts and the first rejected rows with row and field),
the import as a background task with a progress bar polled by htmx, the rejects downloaded; the same Importer
as `samhandling import`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from test_imports_rules import art49_row, write_art49

from samhandling.imports.models import ImportRun, ImportUpload
from samhandling.projects.models import Project


@pytest.fixture
def secretariat(client, make_user, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(make_user("sekr", "secretariat"))
    return client


def _upload(client, tmp_path, rows, name="lista.csv", fmt="art49-csv"):
    data = write_art49(tmp_path / "source.csv", rows).read_bytes()
    return client.post(reverse("imports:upload"), {"format": fmt, "file": SimpleUploadedFile(name, data)})


def test_upload_preview_start_progress_and_rejects(secretariat, tmp_path, run_tasks):
    rows = [art49_row(n) for n in range(1, 6)] + [art49_row(6, fund="XYZ"), art49_row(7, end_date="2020-01-01")]
    response = _upload(secretariat, tmp_path, rows)
    assert response.status_code == 302
    upload = ImportUpload.objects.get()
    detail = reverse("imports:upload-detail", args=[upload.pk])
    status = reverse("imports:upload-status", args=[upload.pk])
    page = secretariat.get(detail).content.decode()
    assert "kontrolleras" in page and f'hx-get="{status}"' in page  # polls until the check is done

    run_tasks()  # the dry run
    assert not Project.objects.exists() and not ImportRun.objects.exists()  # nothing kept by the check
    page = secretariat.get(status).content.decode()
    assert "hx-get" not in page  # nothing to wait for
    assert '<td class="num">7</td><td class="num">5</td>' in page  # 7 rows, 5 new
    assert "Starta importen" in page
    assert "fund" in page and "okänd fond" in page and "end_date" in page  # first rejects: row, field, reason
    preview_rejects = secretariat.get(reverse("imports:upload-rejects", args=[upload.pk]))
    assert preview_rejects.status_code == 200 and b"XYZ" in b"".join(preview_rejects.streaming_content)

    response = secretariat.post(reverse("imports:upload-start", args=[upload.pk]), follow=True)
    page = response.content.decode()
    assert "Importen är startad" in page and "<progress" in page and 'hx-trigger="every 2s"' in page
    assert secretariat.post(reverse("imports:upload-start", args=[upload.pk]), follow=True).status_code == 200
    run_tasks()  # the import
    assert Project.objects.count() == 5
    run = ImportRun.objects.get()
    assert run.created == 5 and run.rejected == 2 and run.by.username == "sekr"
    page = secretariat.get(detail).content.decode()
    assert "Importen är klar" in page and "7 rader: 5 nya, 0 ändrade, 0 oförändrade, 2 avvisade." in page
    rejects = secretariat.get(reverse("imports:upload-rejects", args=[upload.pk]))
    content = b"".join(rejects.streaming_content).decode()
    assert rejects["Content-Disposition"].startswith("attachment") and "op-6" in content and "op-7" in content

    # Started once only; a second start is refused with a message and imports nothing more.
    response = secretariat.post(reverse("imports:upload-start", args=[upload.pk]), follow=True)
    assert "bara startas en gång" in response.content.decode()
    run_tasks()
    assert ImportRun.objects.count() == 1


def test_progress_bar_shows_rows_done(secretariat, tmp_path, run_tasks):
    _upload(secretariat, tmp_path, [art49_row(n) for n in range(1, 4)])
    run_tasks()
    upload = ImportUpload.objects.get()
    secretariat.post(reverse("imports:upload-start", args=[upload.pk]))
    (tmp_path / "imports" / f"{upload.pk}.progress").write_text("2")  # as the worker writes it mid-run
    page = secretariat.get(reverse("imports:upload-status", args=[upload.pk])).content.decode()
    assert 'max="3" value="2"' in page and "2 av 3 rader (67 %)" in page


def test_wrong_extension_and_unreadable_file(secretariat, tmp_path, run_tasks):
    response = _upload(secretariat, tmp_path, [art49_row(1)], name="lista.json")
    assert response.status_code == 400 and "läses från en .csv-fil" in response.content.decode()
    assert not ImportUpload.objects.exists()
    broken = secretariat.post(
        reverse("imports:upload"),
        {"format": "tillvaxtverket-json", "file": SimpleUploadedFile("lista.json", b"{not json")},
    )
    assert broken.status_code == 302
    run_tasks()
    upload = ImportUpload.objects.get()
    page = secretariat.get(reverse("imports:upload-detail", args=[upload.pk])).content.decode()
    assert "inga giltiga rader" in page and "Traceback" not in page and "Starta importen" not in page
    response = secretariat.post(reverse("imports:upload-start", args=[upload.pk]), follow=True)
    assert "inga giltiga rader" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == "checked" and not Project.objects.exists()


def test_a_file_the_importer_cannot_read_ends_as_a_message(secretariat, tmp_path, run_tasks, monkeypatch):
    from samhandling.imports import services

    def broken(self, rejects):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    monkeypatch.setattr(services.Importer, "_read", broken)
    _upload(secretariat, tmp_path, [art49_row(1)])
    run_tasks()
    upload = ImportUpload.objects.get()
    page = secretariat.get(reverse("imports:upload-detail", args=[upload.pk])).content.decode()
    assert upload.status == "failed" and "Inget sparades" in page and "Traceback" not in page


def test_only_the_secretariat(client, make_user, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    assert client.get(reverse("imports:upload")).status_code == 302
    client.force_login(make_user("ledamot", "member"))
    assert client.get(reverse("imports:upload")).status_code == 403
    data = write_art49(tmp_path / "x.csv", [art49_row(1)]).read_bytes()
    response = client.post(
        reverse("imports:upload"), {"format": "art49-csv", "file": SimpleUploadedFile("x.csv", data)}
    )
    assert response.status_code == 403 and not ImportUpload.objects.exists()

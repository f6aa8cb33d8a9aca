"""The portfolio report downloaded from the dashboard: built by the background worker, then linked."""

import io

from django.urls import reverse
from pypdf import PdfReader


def _request(client, fmt, **years):
    return client.post(reverse("portfolio:report-new"), {"format": fmt, **years})


def test_insider_builds_and_downloads_the_report(demo, client, make_user, settings, tmp_path, run_tasks):
    settings.VAR_DIR = tmp_path
    client.force_login(make_user("sekr", "secretariat"))
    dashboard = client.get(reverse("portfolio:dashboard")).content.decode()
    assert reverse("portfolio:report-new") in dashboard and "Skapa rapport" in dashboard

    response = _request(client, "pdf", fran="2021", till="2026")
    assert response.status_code == 302
    page_url = response.url
    waiting = client.get(page_url).content.decode()
    assert "skapas i bakgrunden" in waiting and "hx-trigger" in waiting
    run_tasks()
    ready = client.get(page_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Rapporten är klar" in ready and "hx-trigger" not in ready
    download = client.get(page_url + "fil/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "portfoljrapport-2021-2026.pdf" in download["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "2021" in pdf.pages[0].extract_text()

    response = _request(client, "docx", fran="2021", till="2026")
    run_tasks()
    download = client.get(response.url + "fil/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_bad_requests_and_outsiders(demo, client, make_user, settings, tmp_path, run_tasks):
    settings.VAR_DIR = tmp_path
    client.force_login(make_user("sekr", "secretariat"))
    response = _request(client, "exe", fran="2021", till="2026")
    assert response.url == reverse("portfolio:dashboard")
    assert "giltigt intervall" in client.get(response.url).content.decode()
    assert _request(client, "pdf", fran="2026", till="2021").url == reverse("portfolio:dashboard")
    made = _request(client, "pdf", fran="2021", till="2026").url
    assert client.get(made + "fil/").status_code == 404  # not built yet
    assert client.get("/portfoljen/rapport/00000000-0000-0000-0000-000000000000/").status_code == 404
    run_tasks()

    client.force_login(make_user("sokande", "applicant"))  # the report holds unpublished targets
    assert client.get(made + "fil/").status_code == 403
    assert _request(client, "pdf").status_code == 403
    assert "Skapa rapport" not in client.get(reverse("portfolio:dashboard")).content.decode()
    client.logout()
    assert client.get(made + "fil/").status_code == 302

"""Minutes 1/2026 rendered from the demo meeting: PDF and DOCX against the seed's structure, and verification."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from docx import Document
from pypdf import PdfReader

from samhandling.partnership.models import Item

SEED = "seeds/001_928d7a53fbaf2f8a.txt"
GROUPS = ["Närvarande ledamöter", "Frånvarande ledamöter", "Närvarande ersättare", "Frånvarande ersättare"]


def seed_text():
    return (settings.SHARED_DIR / SEED).read_text(encoding="utf-8")


def seed_attendees():
    """(name, organisation, serves, until) for every line of the seed's four attendance groups."""
    text = seed_text()
    block = text[text.index("Närvarande ledamöter") : text.index("Närvarande tjänstepersoner")]
    rows = []
    for line in block.splitlines():
        if "\t" not in line:
            continue
        left, org = line.split("\t", 1)
        name = re.split(r" \(|,| tom", left)[0].strip()
        until = re.search(r"tom\.? § (\d+)", left)
        rows.append((name, org.split(" (")[0].strip(), "tjänstgör" in left, until and until.group(1)))
    return rows


def seed_titles():
    """The table of contents: '§ 8. Title<TAB>page'."""
    return [
        line.split("\t")[0].rstrip(". ") for line in seed_text().splitlines() if re.match(r"^§ \d+\. .*\t\d+$", line)
    ]


def squash(text):
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def pdf_text(demo, tmp_path):
    out = tmp_path / "p.pdf"
    call_command("minutes", "render", "1/2026", "--format", "pdf", "--output", str(out))
    return "\n".join(page.extract_text() for page in PdfReader(out).pages)


def test_seed_parsing_sanity():
    assert len(seed_attendees()) == 42 and len(seed_titles()) == 12


def test_pdf_has_the_seed_structure(pdf_text):
    flat = squash(pdf_text)
    low = flat.lower()
    for marker in [
        "Strategiska partnerskapet Stockholm",
        "PROTOKOLL 1/2026",
        "2026-02-19",
        "10:00 – 12:00",
        "RS 2026–0070",
        "§§ 1–12",
        *GROUPS,
        "Innehållsförteckning",
        "Datum för justering: 2026-02-26",
        "Ordförande: Michaela Haga",
        "Justerare: Daniel Forslund",
        "Sekreterare: Evert Kroes",
        "Justerare / Vid protokollet",
        "Ordförande: Michaela Haga Justerare: Daniel Forslund",
        "KTH, Teknikringen 1, 114 28 Stockholm",
        "Gradängsalen",
    ]:
        assert marker in flat, marker
    assert [flat.index(g) for g in GROUPS] == sorted(flat.index(g) for g in GROUPS)
    for title in seed_titles():
        assert title in flat, title
        # the table of contents gives the page of every §
        assert re.search(re.escape(title) + r" \.+ \d+", flat), title
    for name, org, _serves, _until in seed_attendees():
        assert name.lower() in low and org.lower() in low, (name, org)
    lines = pdf_text.splitlines()
    serving_pdf = {n for n, *_ in seed_attendees() if any(line.startswith(n) and "tjänstgör" in line for line in lines)}
    assert serving_pdf == {n for n, _o, serves, _u in seed_attendees() if serves}
    for name, _org, _serves, until in seed_attendees():
        if until:
            assert any(line.startswith(name) and f"tom § {until}" in line for line in lines), name
    for official in [
        "Evert Kroes",
        "Lisa Kareliusson",
        "Louise Andersson",
        "Angelica Gabrielsson",
        "Johan Weigelt",
        "Frida Lindberg (Health Data Sweden)",
    ]:
        assert official in flat
    assert "Svante Holm antecknar till protokollet" in flat
    assert "Ärende" in flat and "Beslut" in flat


def test_docx_has_the_same_structure(demo, tmp_path):
    out = tmp_path / "p.docx"
    call_command("minutes", "render", "1/2026", "--format", "docx", "--output", str(out))
    doc = Document(io.BytesIO(out.read_bytes()))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join(paragraphs + cells)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(seed_titles())
    for marker in [
        "PROTOKOLL 1/2026",
        "RS 2026–0070",
        "§§ 1–12",
        *GROUPS,
        "Justerare: Daniel Forslund",
        "Andrea Irving (mp), tjänstgör för Viktor Morawski",
        "Karin Åkersten, tom § 9, tjänstgör",
        "Storsthlm (Solna stad)",
    ]:
        assert marker in text, marker


def test_verify_passes_on_intact_minutes(demo, capsys):
    call_command("minutes", "verify", "1/2026")
    assert "oförändrat" in capsys.readouterr().out


def test_verify_catches_one_changed_character(demo, capsys):
    item = Item.objects.get(meeting__number=1, meeting__year=2026, number=9)
    changed = item.matter.replace("134 mnkr", "135 mnkr", 1)
    assert changed != item.matter
    with connection.cursor() as cursor:  # raw SQL: bypasses every guard, as a tampering database user would
        cursor.execute("UPDATE partnership_item SET matter = %s WHERE id = %s", [changed, item.pk])
    with pytest.raises(SystemExit) as exc:
        call_command("minutes", "verify", "1/2026")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "items[§ 9].matter" in err


def test_verify_catches_tampered_signed_pdf(demo, capsys):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partnership_signedminutes SET pdf_sha256 = %s", ["0" * 64])
    with pytest.raises(SystemExit):
        call_command("minutes", "verify", "1/2026")
    assert "PDF" in capsys.readouterr().err


def test_cli_rejects_bad_number(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="NUMMER/ÅR"):
        call_command("minutes", "verify", "2026")
    with pytest.raises(CommandError, match="inget sammanträde 7/2026"):
        call_command("minutes", "verify", "7/2026")

"""The English UI is complete: key pages read in English once a visitor picks it, and every catalogue is whole.

Pages are checked the way a visitor reaches them: the language switch Django provides (POST /i18n/setlang/),
then an ordinary GET. Each page must carry its English headings and none of the Swedish words of the UI chrome
(navigation, headings, table headers, labels). The Swedish words are chosen so that they do not occur in the
demo data (names of objectives, projects, organisations and agenda items stay Swedish in both languages).
"""

import gettext
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from samhandling.partnership.models import Meeting

APPS = Path(__file__).resolve().parent.parent / "samhandling"

# Swedish words of the chrome shared by every page (base template and main navigation).
CHROME_SV = [
    "Hoppa till innehållet",
    "Logga in",
    "Logga ut",
    "Utlysningar",
    "Sammanträden",
    "Portföljen",
    "Projektidéer",
    "Bedömning",
    "Öppet API",
    "plattform för det regionala partnerskapet",
]


def visible_text(response) -> str:
    """What a reader meets: the text between tags plus the labels assistive technology reads out."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    labels = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape("\n".join([text, *labels]))


def untranslated(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


def in_english(client, url: str) -> str:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(url)
    assert response.status_code == 200, url
    assert 'lang="en"' in response.content.decode(), url
    return visible_text(response)


def published_minutes_url() -> str:
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("-date").first()
    assert meeting is not None, "the demo has published minutes"
    return reverse("partnership:meeting", args=[meeting.year, meeting.number])


# (name, url or callable giving it, roles or None for anonymous, English expected, Swedish that must be gone)
PAGES = [
    (
        "start",
        "/",
        None,
        ["Home", "Funds and specific objectives", "Remaining to call", "Log in", "Skip to content"],
        [
            "Start",
            "Fonder och specifika mål",
            "Kvar att utlysa",
            "Reserverat",
            "Beviljat",
            "Summa",
            "förvaltande myndighet",
        ],
    ),
    (
        "calls",
        "/utlysningar/",
        None,
        ["Calls", "Status", "Amount", "Opens", "Closes"],
        ["Utlysning", "Belopp", "Öppnar", "Stänger", "hålls inte"],
    ),
    (
        "meetings",
        "/sammantraden/",
        None,
        ["Meetings and minutes", "Registry number", "Minutes"],
        ["Sammanträden och protokoll", "Diarienummer", "Protokoll", "Datum", "allmänna handlingar"],
    ),
    (
        "meetings as secretariat",
        "/sammantraden/",
        ("secretariat",),
        ["Meetings and minutes", "New meeting", "Log out"],
        ["Nytt sammanträde", "Diarienummer", "Logga ut"],
    ),
    (
        "public minutes",
        published_minutes_url,
        None,
        [
            "Minutes",
            "Members present",
            "Substitutes present",
            "Members absent",
            "Registry number",
            "Adjuster",
            "serving",
        ],
        [
            "Närvarande ledamöter",
            "Frånvarande ledamöter",
            "Närvarande ersättare",
            "Frånvarande ersättare",
            "Diarienummer",
            "Justerare",
            "Föredragande",
            "Datum för justering",
            "tjänstgör",
            "Protokollet som PDF",
            "Gäster",
            "Paragrafer",
        ],
    ),
    (
        "portfolio",
        "/portfoljen/",
        None,
        ["Portfolio: granted projects", "Budget per objective", "From decision year", "To decision year"],
        [
            "Portföljen: beviljade projekt",
            "Budget per mål",
            "Från beslutsår",
            "Till beslutsår",
            "Kvar att utlysa",
            "Samverkansnätverket",
            "Andel mot partnerskapets mål",
            "mnkr",
        ],
    ),
    (
        "portfolio as secretariat",
        "/portfoljen/",
        ("secretariat",),
        ["Portfolio: granted projects", "Under preparation (not published)", "Amount applied for"],
        ["Under beredning (ej publicerat)", "Sökt belopp", "Samverkansmognad", "Inga ansökningar under beredning"],
    ),
    (
        "project ideas",
        "/ideer/",
        None,
        ["Project ideas", "Filter"],
        ["Filtrera", "Registrerade projektidéer", "Registrera en projektidé", "Teman", "Transnationellt"],
    ),
    (
        "project ideas as secretariat",
        "/ideer/",
        ("secretariat",),
        ["Project ideas", "Filter", "Log out"],
        ["Filtrera", "Registrerade projektidéer", "Registrera en projektidé", "Min organisation", "Teman"],
    ),
]


@pytest.mark.parametrize("name,url,roles,english,swedish", PAGES, ids=[p[0] for p in PAGES])
def test_key_page_reads_in_english(client, demo, make_user, name, url, roles, english, swedish):
    if roles:
        client.force_login(make_user("kansli", *roles))
    text = in_english(client, url() if callable(url) else url)
    missing = [e for e in english if e not in text]
    assert not missing, f"{name}: English text missing: {missing}"
    left = untranslated(text, CHROME_SV + swedish)
    assert not left, f"{name}: Swedish UI words left on the English page: {left}"


def test_the_same_page_is_swedish_by_default(client, demo):
    """The check above would pass on a page without text; the Swedish page shows the words it looks for."""
    text = visible_text(client.get("/portfoljen/"))
    assert untranslated(text, ["Portföljen: beviljade projekt", "Från beslutsår", "Logga in"]) == [
        "Portföljen: beviljade projekt",
        "Från beslutsår",
        "Logga in",
    ]


def test_form_errors_from_services_follow_the_language(client, demo, make_user):
    """Messages raised by services (here the application checks) are translated when raised."""
    from samhandling.calls.models import Call

    call = Call.objects.order_by("pk").first()
    Call.objects.filter(pk=call.pk).update(status=Call.Status.OPEN)  # the demo's calls are not open today
    client.force_login(make_user("sokande", "applicant"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(reverse("calls:apply", args=[call.pk]), {"name": "", "action": "save"})
    text = visible_text(response)
    assert "Project name: enter a name for the project." in text
    assert "ange ett namn" not in text


# --- the catalogues ------------------------------------------------------------------------------------------


def catalogues() -> list[Path]:
    return sorted(APPS.glob("*/locale/en/LC_MESSAGES/django.po"))


def test_every_app_with_templates_has_an_english_catalogue():
    apps = {p.parent.name for p in APPS.glob("*/templates")}
    have = {p.parts[-5] for p in catalogues()}
    assert apps <= have, f"apps without locale/en/LC_MESSAGES/django.po: {sorted(apps - have)}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po, tmp_path):
    """msgfmt counts untranslated and fuzzy entries and checks placeholders; the committed .mo matches the .po."""
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", str(compiled), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, f"{po}: {result.stderr.strip()}"
    with compiled.open("rb") as fresh, po.with_suffix(".mo").open("rb") as committed:
        fresh, committed = gettext.GNUTranslations(fresh), gettext.GNUTranslations(committed)
    assert fresh.info().get("content-type", "").lower() == "text/plain; charset=utf-8", f"{po}: header is fuzzy"
    assert committed._catalog == fresh._catalog, f"{po.with_suffix('.mo')} is stale: run compilemessages"


@pytest.mark.skipif(shutil.which("msgcmp") is None, reason="gettext is not installed")
@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.parts[-5])
def test_catalogue_holds_every_message_its_app_has_now(po, tmp_path):
    """The catalogue is extracted afresh from a copy of the app (as `makemessages` would) and every message
    must be in the committed one: a string added without `makemessages` would be Swedish in English."""
    import sys

    app = po.parents[3]
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    admin = Path(sys.executable).with_name("django-admin")
    subprocess.run([admin, "makemessages", "-l", "en"], cwd=copy, check=True, capture_output=True)
    fresh = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgcmp", "--use-untranslated", str(po), str(fresh)], capture_output=True, text=True)
    assert result.returncode == 0, f"{po}: messages not in the catalogue (run makemessages):\n{result.stderr[:2000]}"

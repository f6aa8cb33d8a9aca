"""The demo partnership, the public start page and the first API endpoints."""

import os
import subprocess
import sys
from decimal import Decimal

from django.apps import apps
from django.core.management import call_command

from samhandling.partnership.models import Membership


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def test_demo_is_idempotent(demo):
    before = _counts()
    call_command("demo")
    assert _counts() == before
    assert before["projects.Municipality"] == 290 and before["projects.County"] == 21


def test_demo_members_as_in_minutes_1_2026(demo):
    ms = Membership.objects.select_related("person", "organisation")
    chair = ms.get(role=Membership.Role.CHAIR)
    assert (chair.person.name, chair.party, chair.organisation.name) == ("Michaela Haga", "c", "Region Stockholm")
    assert ms.filter(role__in=["chair", "member"]).count() == 23
    assert ms.filter(role="substitute").count() == 18
    lindvall = ms.get(person__name="Christopher Lindvall")
    assert (lindvall.organisation.name, lindvall.organisation_detail, lindvall.party) == (
        "Storsthlm",
        "Järfälla kommun",
        "s",
    )


def test_objectives_api_shows_remaining_to_call(client, demo):
    """Minutes 1/2026: 116.8 mnkr left in ERUF (34.5 of it in 1.7), 134 in A.1, 181 in A.2. The demo has
    since opened ERUF 2026:2 (all of 1.7) and ESF+ 2026:2 (15 mnkr per area), which reserved their amounts."""
    rows = {r["code"]: r for r in client.get("/api/v1/objectives").json() if r["programme_region"] == "SE11"}
    assert rows["1.7"]["remaining_to_call"] == 0
    assert rows["A.1"]["remaining_to_call"] == 134_000_000 - 15_000_000
    assert rows["A.2"]["remaining_to_call"] == 181_000_000 - 15_000_000
    assert rows["1.2"]["remaining_to_call"] == 0 and rows["1.4"]["remaining_to_call"] == 0
    eruf = sum(Decimal(str(r["remaining_to_call"])) for r in rows.values() if r["fund"] == "ERUF")
    assert eruf == Decimal("116800000") - Decimal("34500000")
    assert rows["1.1"]["period"] == "2021–2027" and rows["1.1"]["fund"] == "ERUF"
    assert isinstance(rows["1.1"]["budget"], (int, float))


def test_openapi_schema_lists_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/objectives" in schema["paths"] and "/api/v1/organisations" in schema["paths"]
    objective = schema["components"]["schemas"]["ObjectiveOut"]["properties"]
    assert {"code", "name", "fund", "period", "budget", "granted", "remaining_to_call"} <= set(objective)


def test_start_page_in_swedish_and_english(client, demo):
    html = client.get("/").content.decode()
    assert "Strategiska partnerskapet Stockholm" in html and 'lang="sv"' in html
    assert "Kvar att utlysa" in html and "34\u00a0500\u00a0000\u00a0kr" in html
    assert "Förbättra industriell kapacitet" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Remaining to call" in html


def test_admin_lists_every_model_in_swedish(admin_client, db):
    html = admin_client.get("/admin/").content.decode()
    for label in [
        "Specifika mål",
        "Budgetposter",
        "Organisationer",
        "Kommuner",
        "Uppdrag",
        "Bedömningskriterier",
        "Smarta specialiseringsområden",
        "Utlysningar",
    ]:
        assert label in html


def test_cli_migrates_and_loads_demo(tmp_path, migrated_sqlite):
    """On a database that `samhandling migrate` migrated (the `migrated_sqlite` fixture runs it)."""
    db = migrated_sqlite(tmp_path / "cli.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SAMHANDLING_VAR": str(tmp_path)}
    exe = os.path.join(os.path.dirname(sys.executable), "samhandling")
    migrated = subprocess.run([exe, "migrate", "--noinput"], env=env, check=True, capture_output=True, text=True)
    assert "No migrations to apply" in migrated.stdout
    out = subprocess.run([exe, "demo"], env=env, check=True, capture_output=True, text=True).stdout
    assert "Demodata" in out
    again = subprocess.run([exe, "demo", "--if-empty"], env=env, check=True, capture_output=True, text=True).stdout
    assert "redan data" in again


def test_admin_in_english(admin_client, db):
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    html = admin_client.get("/admin/").content.decode()
    assert "Specific objectives" in html and "Budget movements" in html and "Municipalities" in html

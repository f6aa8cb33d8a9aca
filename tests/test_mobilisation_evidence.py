"""Imported partner lists as evidence in idea matching: a suggested partner's projects, programmes, roles and
countries, and organisations with (Interreg) experience in the idea's specific objective."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samhandling.calls.models import Call, CallObjective
from samhandling.mobilisation.models import ProjectIdea
from samhandling.programmes.models import Fund, Programme, ProgrammePeriod, SpecificObjective
from samhandling.projects.models import Organisation, ProgrammeRegion

from test_imports_mapping import SAMPLES

MAPPING = """
[source]
format = "json"
fund = "ERUF"
programme_period = "2021-2027"
name = "interreg-nord"
unknown_objectives = "keep-code"

[project]
id = "id"
name = "namn"
summary = "sammanfattning"
programme = "program"
specific_objective = "mal"

[partner]
name = "partner"
role = "roll"
lead_when = ["LP"]
country = "land"
"""


@pytest.fixture
def hydrogen_call(db):
    """An open ERUF call in objective 1.1 (RSO1.1) about hydrogen for heavy transport."""
    eruf = Fund.objects.create(code="ERUF", name="Europeiska regionala utvecklingsfonden", managing_authority="TVV")
    period = ProgrammePeriod.objects.create(start_year=2021, end_year=2027)
    programme = Programme.objects.create(
        name="Regionalfondsprogram Övre Norrland",
        kind=Programme.Kind.REGIONAL_ERDF,
        fund=eruf,
        period=period,
        programme_region=ProgrammeRegion.objects.get(code="SE33"),
    )
    objective = SpecificObjective.objects.create(
        code="1.1", name="Forskning och innovation", fund=eruf, programme=programme
    )
    today = timezone.localdate()
    call = Call.objects.create(
        fund=eruf,
        year=today.year,
        number=7,
        status=Call.Status.OPEN,
        title="Vätgas i tunga transporter",
        orientation="Forskning och innovation om vätgas för tunga transporter i kallt klimat.",
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=30),
    )
    CallObjective.objects.create(call=call, objective=objective, amount=10_000_000)
    return call


def test_suggested_partners_show_their_imported_projects_and_experienced_ones_are_found_by_objective(
    client, hydrogen_call, tmp_path
):
    call_command("import", "keep-xlsx", str(SAMPLES / "keep-interreg.xlsx"))
    rows = [
        {"id": "N-1", "namn": "Vätgasdrivna lastbilar i kyla", "program": "Interreg Nord", "mal": "RSO2.8",
         "sammanfattning": "Vätgas för tunga transporter i kallt klimat prövas på E4.",
         "partner": "Region Norrbotten", "roll": "LP", "land": "SE"},
        {"id": "N-1", "namn": "Vätgasdrivna lastbilar i kyla", "program": "Interreg Nord", "mal": "RSO2.8",
         "sammanfattning": "Vätgas för tunga transporter i kallt klimat prövas på E4.",
         "partner": "Lapin liitto", "roll": "PP", "land": "FI"},
    ]  # fmt: skip
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "nord.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    call_command("import", "mapping", str(tmp_path / "m.toml"), str(tmp_path / "nord.json"))

    idea = ProjectIdea.objects.create(
        organisation=Organisation.objects.create(name="Idébolaget AB"),
        title="Vätgas för tunga transporter",
        description="Forskning och innovation om vätgas i tunga transporter i kallt klimat.",
        is_public=True,
    )
    response = client.get(reverse("mobilisation:idea-matches", args=[idea.pk]))
    assert response.status_code == 200
    assert response.context["objective_codes"] == ["RSO1.1", "RSO2.8"]  # the call's, then the similar project's

    # Region Norrbotten's project is like the idea: suggested, with its Interreg project as evidence.
    rows = {s.organisation.name: e for s, e in response.context["partner_rows"]}
    norrbotten = rows["Region Norrbotten"]
    assert (norrbotten.programmes, norrbotten.roles, norrbotten.countries) == (["Interreg Nord"], ["Huvudpart"], ["SE"])
    assert rows["Lapin liitto"].countries == ["FI"] and rows["Lapin liitto"].roles == ["Partner"]

    # Luleå tekniska universitet's Interreg Aurora project (in English) is not like the idea's text, but it is
    # in the idea's objective RSO1.1: found, Swedish first, with its programme, role and country.
    experienced = response.context["experienced"]
    names = [e.organisation.name for e in experienced]
    assert set(names[:2]) == {"Luleå tekniska universitet", "Region Norrbotten"}  # Swedish first
    assert set(names[2:]) == {"Oulun yliopisto", "Troms og Finnmark fylkeskommune", "Lapin liitto"}
    lulea = experienced[names.index("Luleå tekniska universitet")]
    assert (lulea.in_objective, lulea.programmes, lulea.roles, lulea.objectives) == (
        1,
        ["Interreg Aurora"],
        ["Huvudpart"],
        ["RSO1.1"],
    )
    page = response.content.decode()
    assert "Organisationer med erfarenhet inom idéns specifika mål" in page
    assert "Arctic hydrogen valleys (Interreg Aurora, RSO1.1, huvudpart, SE)" in page
    assert "Region Stockholm" not in names  # its Interreg project is in another objective (RSO4.5)


def test_without_an_objective_the_page_says_so(client, db):
    idea = ProjectIdea.objects.create(
        organisation=Organisation.objects.create(name="Idébolaget AB"),
        title="Något helt annat",
        description="Ingenting som liknar något.",
        is_public=True,
    )
    response = client.get(reverse("mobilisation:idea-matches", args=[idea.pk]))
    assert response.status_code == 200 and response.context["experienced"] == []
    assert "Idén kunde inte knytas till något specifikt mål ännu." in response.content.decode()


def test_a_partner_search_notice_shows_the_organisations_imported_projects(client, db):
    from samhandling.mobilisation.models import PartnerSearchNotice
    from samhandling.portfolio.models import Theme

    call_command("import", "keep-xlsx", str(SAMPLES / "keep-interreg.xlsx"))
    notice = PartnerSearchNotice.objects.create(
        organisation=Organisation.objects.get(name="Region Stockholm"),
        title="Partner sökes för digital omsorg",
        description="Vi söker kommuner i Finland.",
        theme=Theme.objects.create(name="Digital omsorg"),
        country="FI",
        role_sought=PartnerSearchNotice.Role.values[0],
        deadline=timezone.localdate() + timedelta(days=20),
        contact_email="kontakt@example.se",
    )
    page = client.get(reverse("mobilisation:notice", args=[notice.pk])).content.decode()
    assert "Organisationens erfarenhet enligt partnerförteckningar" in page
    assert "Digital care across the Baltic Sea (Interreg Central Baltic, RSO4.5, partner, SE)" in page
    other = PartnerSearchNotice.objects.create(
        **{f: getattr(notice, f) for f in ("title", "description", "theme", "country", "role_sought", "deadline")},
        organisation=Organisation.objects.create(name="Utan projekt AB"),
        contact_email="x@example.se",
    )
    page = client.get(reverse("mobilisation:notice", args=[other.pk])).content.decode()
    assert "Organisationens erfarenhet enligt partnerförteckningar" not in page

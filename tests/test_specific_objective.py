"""2021–2027 specific objectives suggested from a project's text (with a confidence), a person's choice that
overrides the suggestion (audited), and the orientation support on specific objectives and intervention fields."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.portfolio import specific
from samhandling.portfolio.models import ProjectLabel, SmartSpecialisationArea, Theme
from samhandling.programmes import demo as programmes_demo
from samhandling.programmes.models import Fund, InterventionField, SpecificObjective
from samhandling.projects.models import Project

RESEARCH = (
    "Forskning och innovation i testbädd",
    "Universitetet och företagen bygger en forskningsmiljö för innovation, teknikutveckling och "
    "forskningssamarbete kring nya material; forskare och doktorander i innovationsprojekt.",
)


def _granted(name, summary, **extra):
    return Project.objects.create(
        name=name,
        summary=summary,
        fund=Fund.objects.get(code="ERUF"),
        status=Project.Status.GRANTED,
        amount_granted=Decimal(1_000_000),
        start_date=date(2024, 1, 1),
        **extra,
    )


@pytest.fixture
def programmes(db):
    programmes_demo.load()


def test_suggestion_from_text_with_confidence_through_the_classify_command(programmes):
    project = _granted(*RESEARCH)
    named = _granted(
        "Cirkulärt byggande", "Återbruk.", objective=SpecificObjective.objects.get(fund__code="ERUF", code="2.6")
    )
    call_command("classify", "--projects")
    label = ProjectLabel.objects.get(project=project, kind=ProjectLabel.Kind.SPECIFIC)
    assert (label.value, label.status) == ("RSO1.1", ProjectLabel.Status.SUGGESTED)
    assert 0.3 < label.confidence <= 1 and label.terms
    # The programme objective already names RSO2.6: nothing to suggest.
    assert not ProjectLabel.objects.filter(project=named, kind=ProjectLabel.Kind.SPECIFIC).exists()
    # The suggestion is not anyone's change: not in the audit trail.
    assert not LogEntry.objects.get_for_object(label).exists()


def test_a_recorded_choice_overrides_the_suggestion_is_audited_and_kept(client, make_user, programmes):
    project = _granted(*RESEARCH)
    call_command("classify", "--projects")
    user = make_user("sekr", Role.SECRETARIAT)
    client.force_login(user)
    page = client.get(reverse("portfolio:labels")).content.decode()
    assert "Specifikt mål 2021–2027" in page and 'value="RSO2.6"' in page
    response = client.post(
        reverse("portfolio:labels"), {"action": "specific", "project": project.pk, "value": "RSO2.6"}
    )
    assert response.status_code == 302
    label = ProjectLabel.objects.get(project=project, kind=ProjectLabel.Kind.SPECIFIC)
    assert (label.value, label.status, label.decided_by) == ("RSO2.6", ProjectLabel.Status.OVERRIDDEN, user)
    assert LogEntry.objects.get_for_object(label).filter(actor=user).exists()
    call_command("classify", "--projects")  # a new run never replaces a person's decision
    label.refresh_from_db()
    assert (label.value, label.status) == ("RSO2.6", ProjectLabel.Status.OVERRIDDEN)
    # Decisions train the suggestions: RSO2.6 had no 2014–2020 example and can be suggested after two.
    assert "RSO2.6" not in specific.get_model().classes_
    other = _granted("Återbruk av byggmaterial", "Cirkulär ekonomi: återbruk och återvinning av byggmaterial.")
    client.post(reverse("portfolio:labels"), {"action": "specific", "project": other.pk, "value": "RSO2.6"})
    assert "RSO2.6" in specific.get_model().classes_
    # ... and counts in the portfolio under its objective.
    by_key = client.get(reverse("portfolio:dashboard")).context["by_key"]
    assert [r.count for r in by_key["rso"].rows if r.label.startswith("RSO2.6")] == [2]


def test_unknown_specific_objective_is_refused_naming_the_field(client, make_user, programmes):
    project = _granted(*RESEARCH)
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    response = client.post(
        reverse("portfolio:labels"), {"action": "specific", "project": project.pk, "value": "RSO9.9"}, follow=True
    )
    assert "Specifikt mål: välj ett av målen" in response.content.decode()
    assert not ProjectLabel.objects.filter(project=project, kind=ProjectLabel.Kind.SPECIFIC).exists()


def test_orientation_on_a_specific_objective_and_an_intervention_field(client, make_user, programmes):
    area = SmartSpecialisationArea.objects.create(strategy="RIS", name="Life science", keywords="läkemedel")
    SmartSpecialisationArea.objects.create(strategy="RIS", name="Hållbar stad", keywords="stadsbyggnad")
    Theme.objects.create(name="Jämställdhet", keywords="jämställdhet")
    so = SpecificObjective.objects.get(fund__code="ERUF", code="1.1")
    field = InterventionField.objects.get(code="012")
    for n in range(3):
        p = _granted(f"Läkemedel {n}", "Läkemedel.", objective=so, intervention_field=field)
        ProjectLabel.objects.create(project=p, kind=ProjectLabel.Kind.AREA, area=area, confidence=0.9)
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    page = client.get(reverse("portfolio:orientation")).content.decode()
    assert 'value="rso:RSO1.1"' in page and 'value="if:012"' in page
    for key in ("rso:RSO1.1", "if:012"):
        response = client.get(reverse("portfolio:orientation"), {"mal": key})
        names = [s.name for s in response.context["suggestions"]]
        assert "Hållbar stad (RIS)" in names and "Jämställdhet" in names
        assert not any(n.startswith("Life science") for n in names)  # all three projects are in it

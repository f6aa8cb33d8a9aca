"""Changes that used to leave no trace: portfolio labels, targets and evaluations, agenda reordering, and the
projects an import creates. Each is in the audit trail with its actor."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from samhandling.access.roles import Role
from samhandling.core.audit import is_audited, trail
from samhandling.partnership import services
from samhandling.partnership.models import Meeting
from samhandling.portfolio.models import MaturityEvaluation, ProjectLabel, SmartSpecialisationArea, Target
from samhandling.projects.models import Project

from test_conflict_of_interest_rules import make_application
from test_imports_rules import art49_row, write_art49


def test_a_label_decision_is_audited_with_its_actor_and_a_suggestion_is_not(client, db, make_user):
    application, _orgs = make_application()
    label = ProjectLabel.objects.create(project=application, kind=ProjectLabel.Kind.OBJECTIVE, value="1", terms=[])
    assert not trail("portfolio.projectlabel", label.pk).exists()  # the classifier's suggestion
    user = make_user("sekr", Role.SECRETARIAT)
    client.force_login(user)
    client.post("/portfoljen/etiketter/", {"action": "confirm", "label": label.pk})
    entry = trail("portfolio.projectlabel", label.pk).first()
    assert entry.actor == user and entry.changes["status"][1] == "confirmed"
    assert trail("projects.project", application.pk).filter(pk=entry.pk).exists()  # filed under the project


def test_a_target_is_audited_with_its_actor(client, demo, make_user):
    user = make_user("sekr", Role.SECRETARIAT)
    client.force_login(user)
    area = SmartSpecialisationArea.objects.filter(target__isnull=True).first()
    form = {"area": area.pk, "share_percent": "12.5", "decided_in": "Protokoll 2026:1 § 5", "published": "on"}
    response = client.post("/portfoljen/mal/", form)
    assert response.status_code == 302
    target = Target.objects.get(area=area)
    assert trail("portfolio.target", target.pk).first().actor == user
    assert is_audited(MaturityEvaluation)


def test_reordering_the_agenda_is_audited_with_its_actor(client, demo, make_user):
    partnership = Meeting.objects.get(year=2026, number=1).partnership
    meeting = services.create_meeting(partnership, date=date(2026, 6, 11))
    first = services.add_item(meeting, title="Budget")
    second = services.add_item(meeting, title="Utlysning")
    user = make_user("sekr", Role.SECRETARIAT)
    client.force_login(user)
    client.post(f"/sammantraden/{meeting.year}/{meeting.number}/paragrafer/{second.pk}/flytta/", {"direction": "up"})
    entry = trail("partnership.meeting", meeting.pk).filter(changes__has_key="agenda").first()
    assert entry is not None and entry.actor == user
    before, after = entry.changes["agenda"]
    assert before.index("Budget") < before.index("Utlysning") and after.index("Utlysning") < after.index("Budget")
    assert first.pk != second.pk


@pytest.mark.django_db
def test_an_import_records_each_project_it_creates_with_its_actor(tmp_path, make_user):
    make_user("handlaggare")
    path = write_art49(tmp_path / "lista.csv", [art49_row(n) for n in range(3)])
    call_command("import", "art49-csv", str(path), "--actor", "handlaggare")
    for project in Project.objects.all():
        entries = list(trail("projects.project", project.pk))
        assert len(entries) == 1
        entry = entries[0]
        assert entry.action == LogEntry.Action.CREATE and entry.actor.username == "handlaggare"
        assert entry.changes == {"source_id": ["None", project.source_id], "name": ["None", project.name]}
        assert entry.additional_data["source"] == "import:art49-csv"

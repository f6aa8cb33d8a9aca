"""The audit trail: every change on the domain records who, when, before and after; the secretariat reads
and exports it per case."""

import csv
import datetime
import io

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.core.audit import AUDITED_APPS, EXCLUDED_MODELS


def test_every_model_of_the_domain_apps_is_audited():
    models = [m for m in apps.get_models() if m._meta.app_label in AUDITED_APPS and not m._meta.auto_created]
    assert models
    missing = [m._meta.label for m in models if m._meta.label_lower not in EXCLUDED_MODELS and not auditlog.contains(m)]
    assert not missing, f"Modeller utan granskningslogg: {missing}"


def test_a_project_write_is_audited_once_not_with_the_search_state_it_moves(db):
    """The write moves the search's data version, change log and facet rows; those are derived, and an entry
    for each would bury the project's own (and an import's million bumps cost minutes)."""
    from samhandling.programmes.models import Fund
    from samhandling.projects.models import Project

    fund = Fund.objects.create(code="ERUF", name="Europeiska regionala utvecklingsfonden")
    LogEntry.objects.all().delete()
    Project.objects.create(name="Vätgasfärjor", status=Project.Status.GRANTED, fund=fund)
    logged = {e.content_type.model_class()._meta.label_lower for e in LogEntry.objects.all()}
    assert "projects.project" in logged and not {m for m in logged if m.startswith("projectbank.")}


@pytest.fixture
def meeting_with_history(demo, make_user):
    from samhandling.partnership.models import Item, Meeting
    from samhandling.partnership.selectors import current_partnership

    sara = make_user("sara", Role.SECRETARIAT)
    with set_actor(sara):
        meeting = Meeting.objects.create(
            partnership=current_partnership(), year=2026, number=9, date=datetime.date(2026, 5, 20)
        )
        item = Item.objects.create(meeting=meeting, number=1, title="Val av justerare")
        item.title = "Val av justerare och tid för justering"
        item.save()
    return meeting, item, sara


def test_changes_are_filed_under_their_case_with_actor_before_and_after(meeting_with_history, client, admin_client):
    meeting, item, sara = meeting_with_history
    response = admin_client.post(reverse("admin:partnership_item_delete", args=[item.pk]), {"post": "yes"})
    assert response.status_code == 302
    deleted = LogEntry.objects.get(object_pk=str(item.pk), action=LogEntry.Action.DELETE, content_type__model="item")
    assert deleted.actor.username == "admin"

    client.force_login(sara)
    page = client.get(reverse("core:audit-trail", args=["partnership.meeting", meeting.pk])).content.decode()
    for text in ("Val av justerare", "Val av justerare och tid för justering", "sara", "admin"):
        assert text in page

    export = client.get(reverse("core:audit-trail-csv", args=["partnership.meeting", meeting.pk]))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    update = [r for r in rows if r["fält"] == "title" and r["efter"] == "Val av justerare och tid för justering"]
    assert update and update[0]["före"] == "Val av justerare" and update[0]["vem"] == "sara"
    assert {r["vem"] for r in rows} >= {"sara", "admin"}
    assert any(r["post"] == "partnership.meeting" and r["handling"] for r in rows)


def test_an_entry_written_in_a_request_carries_its_actor_and_address_and_nothing_outlives_the_request(
    meeting_with_history, admin_client
):
    """The request's values reach the entries written in it through one receiver connected once
    (core.audit.AuditlogMiddleware): no request leaves a receiver behind, and an entry written after the
    request takes none of its values."""
    from django.db.models.signals import pre_save

    from samhandling.partnership.models import Item

    meeting, item, _sara = meeting_with_history
    receivers = len(pre_save.receivers)
    response = admin_client.post(
        reverse("admin:partnership_item_delete", args=[item.pk]),
        {"post": "yes"},
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_FORWARDED_PORT="4431",
    )
    assert response.status_code == 302
    deleted = LogEntry.objects.get(object_pk=str(item.pk), action=LogEntry.Action.DELETE, content_type__model="item")
    assert (deleted.actor.username, deleted.remote_addr, deleted.remote_port) == ("admin", "192.0.2.7", 4431)
    assert len(pre_save.receivers) == receivers

    later = Item.objects.create(meeting=meeting, number=2, title="Övriga frågor")
    created = LogEntry.objects.get(object_pk=str(later.pk), action=LogEntry.Action.CREATE, content_type__model="item")
    assert (created.actor, created.remote_addr, created.remote_port) == (None, None, None)


def test_only_the_secretariat_reads_the_trail(meeting_with_history, client, make_user):
    meeting, _, _ = meeting_with_history
    url = reverse("core:audit-trail", args=["partnership.meeting", meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user("ledamot", Role.MEMBER))
    assert client.get(url).status_code == 403
    assert client.get(url + "csv/").status_code == 403


def test_unknown_case_types_are_not_found(client, make_user):
    client.force_login(make_user("sara", Role.SECRETARIAT))
    assert client.get(reverse("core:audit-trail", args=["auth.user", 1])).status_code == 404
    assert client.get(reverse("core:audit-trail", args=["nope", "x"])).status_code == 404


def test_csv_export_neutralises_spreadsheet_formulas(meeting_with_history, client):
    meeting, item, sara = meeting_with_history
    with set_actor(sara):
        item.title = '=HYPERLINK("http://evil.example","klicka")'
        item.save()
    client.force_login(sara)
    body = client.get(reverse("core:audit-trail-csv", args=["partnership.meeting", meeting.pk])).content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body


def test_command_line_changes_carry_the_actor(db, make_user):
    make_user("importör", Role.SECRETARIAT)
    call_command("demo", actor="importör", verbosity=0)
    entries = LogEntry.objects.filter(content_type__app_label="partnership")
    assert entries.exists()
    assert set(entries.values_list("actor__username", flat=True)) == {"importör"}
    assert entries.first().additional_data["source"] == "cli:demo"

"""Two tabs editing the same record: the second save is refused with a message instead of wiping the first;
parallel saves against a file database never answer 500."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from samhandling.access.roles import Role
from samhandling.calls import applications
from samhandling.partnership import services
from samhandling.partnership.models import Meeting

STALE = "har ändrats av någon annan sedan du öppnade den"


@pytest.fixture
def item(demo):
    partnership = Meeting.objects.get(year=2026, number=1).partnership
    meeting = services.create_meeting(partnership, date=date(2026, 6, 11))
    return services.add_item(meeting, title="Budget", matter="Första texten.")


def item_form(item, **changes):
    fields = {"title": item.title, "presenter": "", "matter": item.matter, "proposal": "", "decision_intro": ""}
    return {f"item-{name}": value for name, value in (fields | changes).items()}  # the item form's prefix


def test_second_tab_saving_a_minutes_item_is_refused(client, item, make_user):
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    url = f"/sammantraden/{item.meeting.year}/{item.meeting.number}/paragrafer/{item.pk}/"
    assert f'name="item-version" value="{item.version}"' in client.get(url).content.decode()
    first = client.post(url, item_form(item, matter="Tab ett", version=item.version))
    assert first.status_code == 302
    second = client.post(url, item_form(item, proposal="Tab två", version=item.version))
    assert second.status_code == 400 and STALE in second.content.decode()
    item.refresh_from_db()
    assert item.matter == "Tab ett" and item.proposal == ""


def test_second_tab_saving_an_application_draft_is_refused(client, demo, open_call, make_user):
    from test_calls_applications import application_data

    owner = make_user("sokande", Role.APPLICANT)
    draft = applications.save_draft(call=open_call(), owner=owner, data=application_data(name="Utkastet"))
    client.force_login(owner)
    url = f"/ansokningar/{draft.pk}/"
    page = client.get(url)
    assert page.status_code == 200, url
    token = applications.edit_token(draft)
    assert token in page.content.decode()
    form = {
        "name": "Tab ett",
        "applicant_name": "Stockholms stad",
        "applicant_org_number": "212000-0142",
        "objective": "A.1",
        "edited_from": token,
    }
    assert client.post(url, form).status_code == 302
    second = client.post(url, form | {"name": "Tab två"})
    assert second.status_code == 400 and STALE in second.content.decode()
    draft.refresh_from_db()
    assert draft.name == "Tab ett"


def test_an_unhandled_concurrent_edit_is_a_409_with_a_message_not_a_500(rf):
    from samhandling.core.middleware import ConcurrentEditMiddleware
    from samhandling.core.models import ConcurrentEditError

    middleware = ConcurrentEditMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/api/v1/x"), ConcurrentEditError("Paragrafen"))
    assert response.status_code == 409 and STALE in json.loads(response.content)["detail"]


SCRIPT = Path(__file__).with_name("concurrent_saves.py")


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite", reason="SQLite file test")
def test_forty_parallel_saves_against_a_file_database_give_no_500(tmp_path, migrated_sqlite):
    db = migrated_sqlite(tmp_path / "parallel.sqlite3")  # the child's own `migrate` then finds nothing to do
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SAMHANDLING_VAR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    statuses = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(statuses) == 40 and 500 not in statuses and 503 not in statuses, statuses
    assert statuses.count(302) >= 1 and set(statuses) <= {302, 400}, statuses

"""Mina uppgifter: each demo role signs in and finds what waits for it, or a plain empty state."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from samhandling.calls import applications
from samhandling.calls.models import Call
from samhandling.partnership import services as meetings
from samhandling.partnership.models import Person
from samhandling.partnership.selectors import current_partnership

from test_calls_applications import application_data, open_call


def sections(client, username) -> dict[str, str]:
    """Heading → text of each section of the user's start page."""
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("core:tasks"))
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r'<h2 id="tasks-[a-z]+">(.*?)</h2>(.*?)</section>', html, re.S)
    return {re.sub(r" \(\d+\)$", "", title): re.sub(r"<[^>]+>|\s+", " ", body) for title, body in found}


@pytest.fixture
def work(demo):
    """Work for each role: an application to assess, a meeting to give notice for, minutes to adjust."""
    today = timezone.localdate()
    call = open_call()
    call.assessors.add(User.objects.get(username="demo-bedomare"))
    applications.create_and_submit(
        call=call, owner=User.objects.get(username="demo-sokande"), data=application_data(name="Unga i arbete")
    )
    partnership = current_partnership()
    meetings.create_meeting(partnership, date=today + timedelta(days=40))
    drafted = meetings.create_meeting(
        partnership, date=today - timedelta(days=2), chair=Person.objects.get(name="Michaela Haga")
    )
    drafted.adjusters.add(Person.objects.get(name="Daniel Forslund"))
    meetings.set_status(drafted, "held")
    meetings.set_status(drafted, "minutes_drafted")
    return {"call": call, "planned": today + timedelta(days=40), "drafted": drafted}


def test_each_role_finds_its_work(client, work):
    planned, drafted, call = work["planned"], work["drafted"], work["call"]

    secretariat = sections(client, "demo-sekretariat")
    assert f"den {planned:%Y-%m-%d}" in secretariat["Kallelser att skicka"]
    assert "Kallelsen ska gå ut senast" in secretariat["Kallelser att skicka"]
    assert str(call) in secretariat["Utlysningar som stänger snart"]

    member = sections(client, "demo-ledamot")
    assert f"Protokoll {drafted.code}" in member["Protokoll att justera och signera"]
    assert "Kallelser att skicka" not in member and "Ansökningar att bedöma" not in member

    assessor = sections(client, "demo-bedomare")
    assert (
        "Unga i arbete" in assessor["Ansökningar att bedöma"] and "Inte påbörjad" in assessor["Ansökningar att bedöma"]
    )

    applicant = sections(client, "demo-sokande")
    assert "Unga i arbete" in applicant["Mina ansökningar"] and "Inlämnad" in applicant["Mina ansökningar"]
    assert "Protokoll att justera och signera" not in applicant

    officer = sections(client, "demo-handlaggare")
    assert "Utlysningar under beredning" in officer

    # the chair adjusts: the minutes leave the member's list only once he has adjusted them too
    meetings.approve_minutes(drafted, Person.objects.get(name="Daniel Forslund"))
    assert "Inga protokoll väntar på dig." in sections(client, "demo-ledamot")["Protokoll att justera och signera"]


def test_empty_states_and_sign_in_required(client, demo):
    client.logout()
    response = client.get(reverse("core:tasks"))
    assert response.status_code == 200 and "Logga in för att se vad som väntar på dig." in response.content.decode()
    client.force_login(User.objects.create_user("utan-roll"))  # signed in, no role yet: calls closing soon only
    assert list(sections(client, "utan-roll")) == ["Utlysningar som stänger snart"]

    Call.objects.filter(status=Call.Status.OPEN).update(closes_on=timezone.localdate() + timedelta(days=31))
    substitute = sections(client, "demo-ersattare")
    assert substitute["Protokoll att justera och signera"].strip() == "Inga protokoll väntar på dig."
    assert "Inga sammanträden är utlysta." in substitute["Kommande sammanträden"]
    assert "Ingen öppen utlysning stänger inom 30 dagar." in substitute["Utlysningar som stänger snart"]
    assessor = sections(client, "demo-bedomare")
    assert "Inga ansökningar väntar på din bedömning." in assessor["Ansökningar att bedöma"]
    applicant = sections(client, "demo-sokande")
    assert "Du har inga ansökningar ännu." in applicant["Mina ansökningar"]


def test_signing_in_leads_to_my_tasks(client, demo):
    from samhandling.access.demo import password

    response = client.post(reverse("login"), {"username": "demo-ledamot", "password": password("demo-ledamot")})
    assert response.status_code == 302 and response["Location"] == reverse("core:tasks")


def test_work_in_another_partnership_is_listed_under_its_name_with_its_own_links(client, work, make_user):
    """An assessor in Stockholm who is also secretariat in Östra Mellansverige sees both partnerships' work,
    each under its name, the other's links under its prefix; nothing of the other shows without a role there."""
    from samhandling.partnership.models import Partnership, PartnershipRole

    oms = Partnership.objects.get(slug="oms")
    user = User.objects.get(username="demo-bedomare")
    PartnershipRole.objects.create(user=user, partnership=oms, role="secretariat")
    meetings.create_meeting(oms, date=timezone.localdate() + timedelta(days=30))
    client.force_login(user)
    html = client.get(reverse("core:tasks")).content.decode()
    assert f"<h2>{oms.name}</h2>" in html and f"<h2>{current_partnership().name}</h2>" in html
    theirs = html.split(f"<h2>{oms.name}</h2>")[1]
    assert "Kallelser att skicka" in theirs and 'href="/oms/sammantraden/' in theirs
    assert "Kallelser att skicka" not in html.split(f"<h2>{oms.name}</h2>")[0]  # no secretariat role at home
    assert "Unga i arbete" in html.split(f"<h2>{oms.name}</h2>")[0]  # the assessment waits at home

    PartnershipRole.objects.filter(user=user).delete()
    client.force_login(User.objects.get(username="demo-bedomare"))
    assert oms.name not in client.get(reverse("core:tasks")).content.decode()


def test_a_secretariat_never_reaches_another_partnerships_draft_call(client, work, make_user):
    from samhandling.partnership.models import Partnership

    oms = Partnership.objects.get(slug="oms")
    draft = Call.objects.create(partnership=oms, fund=work["call"].fund, year=2027, number=77, title="ÖMS-utkast")
    client.force_login(User.objects.get(username="demo-sekretariat"))
    assert client.get(reverse("calls:detail", args=[draft.pk])).status_code == 404
    assert "ÖMS-utkast" not in client.get(reverse("calls:list")).content.decode()
    assert "ÖMS-utkast" not in client.get(reverse("core:tasks")).content.decode()
    response = client.post(reverse("calls:status", args=[draft.pk]), {"status": "approved"})
    assert response.status_code == 404
    assert client.get(f"/oms/utlysningar/{draft.pk}/").status_code in (403, 404)  # no role in ÖMS


def test_a_secretariat_never_reads_another_partnerships_application_or_plan(client, work):
    from samhandling.calls.models import CallPlan
    from samhandling.partnership.models import Partnership
    from samhandling.projects.models import Project

    oms = Partnership.objects.get(slug="oms")
    theirs = Call.objects.create(partnership=oms, fund=work["call"].fund, year=2027, number=78, title="ÖMS-utlysning")
    submitted = Project.objects.filter(call=work["call"]).get()
    Project.objects.filter(pk=submitted.pk).update(call=theirs)
    plan = CallPlan.objects.create(partnership=oms, fund=work["call"].fund, year=2027)
    client.force_login(User.objects.get(username="demo-sekretariat"))
    assert client.get(reverse("calls:application", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("calls:plan", args=[plan.pk])).status_code == 404
    assert client.post(reverse("calls:plan-agree", args=[plan.pk]), {}).status_code == 404

"""Issue 14 and 20 gaps, through HTTP as a user reaches them: the call plan agreed at a § picked from a list, the
call's assessors assigned on its page, an application's page linking to its grant (and back), the standard
agenda items' English names and Swedish names marked lang="sv" in English pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.assessment import services as assessment
from samhandling.calls import applications, services
from samhandling.calls.models import CallPlan
from samhandling.core.audit import trail
from samhandling.partnership import services as meetings
from samhandling.partnership.models import Meeting, Person, PersonTie
from samhandling.partnership.selectors import current_partnership
from samhandling.programmes.models import Fund

from test_calls_applications import application_data, open_call
from test_calls_lifecycle import S, TODAY, calls_demo, objective, open_item  # noqa: F401 (fixture)


@pytest.fixture
def plan(calls_demo):  # noqa: F811 (fixture)
    made = services.create_call_plan(partnership=current_partnership(), fund=Fund.objects.get(code="ESF+"), year=2027)
    services.add_plan_entry(made, number=1, objective=objective("A.1"), amount=Decimal("1500000"))
    return made


def test_call_plan_is_agreed_at_an_item_picked_from_open_meetings(client, plan, make_user):
    client.force_login(make_user("ma", Role.MA_OFFICER))
    item = open_item(5)
    signed = open_item(3, meeting_number=8, status=Meeting.Status.SIGNED)
    page = client.get(reverse("calls:plan", args=[plan.pk])).content.decode()
    picker = page[page.index('name="agreement-item"') :]
    picker = picker[: picker.index("</select>")]
    assert f'value="{item.pk}"' in picker and f'value="{signed.pk}"' not in picker  # only open meetings
    url = reverse("calls:plan-agree", args=[plan.pk])

    refused = client.post(url, {"agreement-item": str(signed.pk)})
    assert refused.status_code == 400 and "agreement-item" in refused.content.decode()
    refused = client.post(url, {"agreement-item": "12; DROP"})
    assert refused.status_code == 400
    plan.refresh_from_db()
    assert plan.agreed_at is None  # a refusal stores nothing

    assert client.post(url, {"agreement-item": str(item.pk)}).status_code == 302
    plan.refresh_from_db()
    assert plan.agreed_at == item
    page = client.get(reverse("calls:plan", args=[plan.pk])).content.decode()
    assert f"Överenskommen i protokoll {item.meeting.code}, § 5." in page and "Registrera överenskommelsen" not in page
    assert any("agreed_at" in str(e.changes) for e in trail("calls.callplan", plan.pk))  # audited

    # agreed is final: a change is a new version, and the old agreement is not moved
    again = client.post(url, {"agreement-item": str(open_item(6).pk)})
    assert again.status_code == 400 and "ny version" in again.content.decode()
    plan.refresh_from_db()
    assert plan.agreed_at == item


def test_an_empty_plan_is_not_agreed_and_members_cannot_agree(client, calls_demo, make_user):  # noqa: F811 (fixture)
    empty = services.create_call_plan(partnership=current_partnership(), fund=Fund.objects.get(code="ERUF"), year=2027)
    item = open_item()
    client.force_login(make_user("ledamot", Role.MEMBER))
    assert client.post(reverse("calls:plan-agree", args=[empty.pk]), {"agreement-item": item.pk}).status_code == 403
    client.force_login(make_user("sek", Role.SECRETARIAT))
    refused = client.post(reverse("calls:plan-agree", args=[empty.pk]), {"agreement-item": item.pk})
    assert refused.status_code == 400 and "inga rader" in refused.content.decode()
    assert CallPlan.objects.get(pk=empty.pk).agreed_at is None


def test_secretariat_assigns_assessors_on_the_calls_page(client, calls_demo, make_user):  # noqa: F811 (fixture)
    made = open_call(number=21, amounts=(("A.1", 1_000_000),))
    assessor = make_user("bedomare", Role.ASSESSOR)
    member = make_user("ledamot", Role.MEMBER)
    client.force_login(make_user("sek", Role.SECRETARIAT))
    page = client.get(reverse("calls:detail", args=[made.pk])).content.decode()
    assert f'value="{assessor.pk}"' in page and f'value="{member.pk}"' not in page
    url = reverse("calls:assessors", args=[made.pk])

    refused = client.post(url, {"assessors": [assessor.pk, member.pk]}, follow=True)
    assert "Bedömare:" in refused.content.decode()
    assert not made.assessors.exists()  # nothing half stored

    client.post(url, {"assessors": [assessor.pk]})
    assert list(made.assessors.all()) == [assessor]
    assert any("assessors" in str(e.changes) for e in trail("calls.call", made.pk))
    client.post(url, {})
    assert not made.assessors.exists()

    client.force_login(assessor)
    assert client.post(url, {"assessors": [assessor.pk]}).status_code == 403


def _decided(make_user, number):
    ma = make_user("ma", Role.MA_OFFICER)
    made = open_call(number=number, amounts=(("A.1", 2_000_000),))
    app = applications.create_and_submit(call=made, owner=make_user("sokande", Role.APPLICANT), data=application_data())
    made = services.change_status(made, S.CLOSED, by=ma, reason="Test")
    prioritisation = assessment.propose_prioritisation(made, by=ma)
    assessment.move(prioritisation.entries.get(), prioritised=True, reason="Enda ansökan", by=ma)
    assessment.write_decision(prioritisation, open_item(), by=ma)
    return ma, made, app


def test_application_page_leads_to_its_grant_and_back(client, calls_demo, make_user):  # noqa: F811 (fixture)
    ma, made, app = _decided(make_user, 22)
    page_url = reverse("calls:application", args=[app.pk])
    grant_url = reverse("assessment:grant", args=[app.pk])
    client.force_login(ma)
    listing = client.get(reverse("assessment:call", args=[made.pk])).content.decode()
    assert f'href="{page_url}"' in listing  # the prioritised list names each application with a link
    page = client.get(page_url).content.decode()
    assert app.name in page and f'href="{grant_url}"' in page and "Registrera beslut om stöd" in page
    assert f'href="{page_url}"' in client.get(grant_url).content.decode()  # and back

    assert client.post(grant_url, {"amount": "800000", "decided_on": str(TODAY())}).status_code == 302
    page = client.get(page_url).content.decode()
    assert "Beviljad 800\u00a0000\u00a0kr" in page and f'href="{grant_url}"' in page
    assert reverse("projectbank:project", args=[app.pk]) in page
    # the applicant sees the decision too, without the managing authority's grant page
    client.force_login(app.owner)
    page = client.get(page_url).content.decode()
    assert "Beviljad 800\u00a0000\u00a0kr" in page and grant_url not in page


def test_application_page_is_closed_to_other_applicants_members_and_the_javiga(client, calls_demo, make_user):  # noqa: F811 (fixture)
    _ma, _made, app = _decided(make_user, 23)
    url = reverse("calls:application", args=[app.pk])
    client.force_login(make_user("annan", Role.APPLICANT))
    assert client.get(url).status_code == 404
    client.force_login(make_user("ledamot", Role.MEMBER))
    assert client.get(url).status_code == 403
    officer = make_user("jav", Role.SECRETARIAT)
    person = Person.objects.create(name="Jävig Handläggare", user=officer)
    PersonTie.objects.create(person=person, organisation=app.applicant, kind=PersonTie.Kind.EMPLOYMENT)
    client.force_login(officer)
    refused = client.get(url)
    assert refused.status_code == 403 and app.name not in refused.content.decode()
    client.force_login(make_user("sek", Role.SECRETARIAT))
    assert client.post(url, application_data()).status_code in (403, 404)  # reading is all another may do


def test_standard_agenda_items_have_english_names(client, calls_demo, make_user):  # noqa: F811 (fixture)
    meeting = meetings.create_meeting(current_partnership(), date=TODAY())
    meetings.add_item(meeting, title="Utlysningsplan ESF+ 2027")
    client.force_login(make_user("sek", Role.SECRETARIAT))
    url = reverse("partnership:manage", args=[meeting.year, meeting.number])
    swedish = client.get(url).content.decode()
    assert "Val av justerare av protokoll" in swedish and "Election of persons to check the minutes" not in swedish
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    for name in ("Opening of the meeting", "Election of persons to check the minutes", "Closing of the meeting"):
        assert name in english
    assert '<span lang="sv">Utlysningsplan ESF+ 2027</span>' in english  # the partnership's own title stays Swedish

"""Who sees assessments: only people assigned to the call, never on an application they are jävig on,
never another person's private note, never an unsubmitted draft (pages, CSV, API and audit views)."""

import re

import pytest
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.assessment import services
from samhandling.calls import applications
from samhandling.partnership.models import ConflictOfInterest, Person

from test_assessment_flow import score_all, setup  # noqa: F401 (fixture)
from test_calls_applications import application_data

SECRET = "Min hemliga tanke"


def overview(client, user, call):
    client.force_login(user)
    response = client.get(reverse("assessment:call", args=[call.pk]))
    assert response.status_code == 200
    return response.content.decode()


def conflicted(user, application, stage=ConflictOfInterest.Stage.ASSESSMENT):
    person = Person.objects.create(name=f"Person {user.username}", user=user)
    return ConflictOfInterest.objects.create(person=person, application=application, stage=stage, reason="Jäv")


@pytest.fixture
def scored(setup):  # noqa: F811
    (alfa, beta, gamma), (a1, a2) = setup["apps"], setup["assessors"]
    for app, values in [(alfa, [5, 4, 4, 3, 2]), (beta, [4] * 5), (gamma, [3] * 5)]:
        score_all(app, a1, values)
        score_all(app, a2, values)
    return setup


def test_only_those_assigned_to_the_call_see_scores(client, scored, make_user):
    call = scored["call"]
    assert "Sammanställda poäng" in overview(client, scored["assessors"][0], call)
    assert "Sammanställda poäng" in overview(client, scored["secretariat"], call)  # prioritises in binding mode
    for outsider in (make_user("annan-bedomare", Role.ASSESSOR), make_user("ledamot", Role.MEMBER)):
        html = overview(client, outsider, call)
        assert "Sammanställda poäng" not in html and "18.00" not in html
        assert "Poängen visas bara för dem som är tilldelade utlysningen." in html


def test_a_jav_assessor_sees_no_scores_of_that_application(client, scored):
    call, (alfa, beta, _gamma), (a1, _a2) = scored["call"], scored["apps"], scored["assessors"]
    conflicted(a1, alfa)
    html = overview(client, a1, call)
    assert f'<th scope="row">{beta.name}</th>' in html
    assert f'<th scope="row">{alfa.name}</th>' not in html
    assert "1 ansökan visas inte eftersom du är jävig." in html


def test_a_jav_prioritiser_sees_the_list_but_not_the_quality_of_that_application(client, scored):
    call, (alfa, _beta, _gamma) = scored["call"], scored["apps"]
    services.propose_prioritisation(call)
    conflicted(scored["secretariat"], alfa, ConflictOfInterest.Stage.DECISION)
    html = overview(client, scored["secretariat"], call)
    at = re.search(rf"{re.escape(alfa.name)}(</a>)?</th><td>", html).start()  # the name may link to the application
    row = html[at:].split("</tr>")[0]
    assert "Jävig" in row and "18.000" not in row


def test_audit_trail_hides_scores_from_the_jav_and_private_notes_from_everyone(client, scored, make_user):
    alfa, secretariat = scored["apps"][0], scored["secretariat"]
    url = reverse("core:audit-trail", args=["projects.project", alfa.pk])
    csv_url = reverse("core:audit-trail-csv", args=["projects.project", alfa.pk])
    client.force_login(secretariat)
    html, csv = client.get(url).content.decode(), client.get(csv_url).content.decode()
    assert "private_note" in html and "[privat]" in html and "assessment.score" in csv
    assert SECRET not in html and SECRET not in csv
    conflicted(secretariat, alfa)
    html, csv = client.get(url).content.decode(), client.get(csv_url).content.decode()
    assert "private_note" not in html and "assessment.score" not in csv and "assessment.assessment" not in csv
    client.force_login(make_user("sek2", Role.SECRETARIAT))  # the secretariat is not assigned under the new law
    assert "assessment.score" in client.get(csv_url).content.decode()  # binding mode: the secretariat prioritises


@pytest.fixture
def draft(setup):  # noqa: F811
    """A draft saved while the call was open and never submitted (the setup has closed the call since)."""
    from samhandling.calls.models import Call

    call, owner = setup["call"], setup["apps"][0].owner
    closed = call.status
    Call.objects.filter(pk=call.pk).update(status=Call.Status.OPEN)
    call.refresh_from_db()
    saved = applications.save_draft(call=call, owner=owner, data=application_data(name="Hemligt utkast"))
    Call.objects.filter(pk=call.pk).update(status=closed)
    call.refresh_from_db()
    return saved


def test_an_unsubmitted_draft_is_not_readable_by_assessors(client, setup, draft):  # noqa: F811
    client.force_login(setup["assessors"][0])
    response = client.get(reverse("assessment:score", args=[draft.pk]))
    assert response.status_code == 403 and "Hemligt utkast" not in response.content.decode()
    assert "Hemligt utkast" not in client.get(reverse("assessment:mine")).content.decode()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MA_OFFICER])
def test_an_unsubmitted_draft_is_not_listed_to_staff_in_the_api(client, setup, draft, make_user, role):  # noqa: F811
    client.force_login(make_user("tjansteperson", role))
    names = [a["name"] for a in client.get("/api/v1/applications").json()]
    assert "Alfa" in names and "Hemligt utkast" not in names
    assert client.get(f"/api/v1/applications/{draft.pk}").status_code == 404
    trail = client.get(reverse("core:audit-trail-csv", args=["projects.project", draft.pk])).content.decode()
    assert "Hemligt utkast" not in trail
    client.force_login(draft.owner)
    assert "Hemligt utkast" in [a["name"] for a in client.get("/api/v1/applications").json()]


def test_an_unsubmitted_draft_is_not_offered_to_the_secretariat_on_an_idea_page(client, setup, draft, make_user):  # noqa: F811
    from samhandling.mobilisation.models import ProjectIdea

    idea = ProjectIdea.objects.create(organisation=draft.applicant, title="Idé", description="Beskrivning")
    client.force_login(make_user("sek-ide", Role.SECRETARIAT))
    html = client.get(f"/ideer/{idea.pk}/").content.decode()
    assert "Alfa" in html and "Hemligt utkast" not in html


def test_the_private_note_is_not_in_the_admin(admin_client, scored):
    from samhandling.assessment.models import Assessment

    assessment = Assessment.objects.filter(application=scored["apps"][0]).first()
    page = admin_client.get(f"/admin/assessment/assessment/{assessment.pk}/change/")
    assert page.status_code == 200 and SECRET not in page.content.decode()

"""Partner search and information meetings through HTTP: filters, interest by e-mail, registration, attendees."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samhandling.access.roles import Role
from samhandling.calls.models import Call
from samhandling.mobilisation import services as mobilisation_services
from samhandling.mobilisation.models import (
    InformationMeeting,
    Interest,
    OrganisationUser,
    PartnerSearchNotice,
    Registration,
)
from samhandling.portfolio.models import Theme
from samhandling.programmes.models import Fund
from samhandling.projects.models import Organisation


def org_user(make_user, username, org_name, email=""):
    user = make_user(username, Role.APPLICANT)
    user.email = email
    user.save()
    organisation = Organisation.objects.create(name=org_name)
    OrganisationUser.objects.create(user=user, organisation=organisation)
    return user, organisation


def notice_data(theme, **overrides):
    data = {
        "title": "Partner i Estland",
        "description": "Vi söker en högskola.",
        "theme": theme.pk,
        "country": "EE",
        "role_sought": "partner",
        "contact_email": "kontakt@agare.invalid",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_publish_notice_validation_and_filters(client, make_user, demo):
    owner, organisation = org_user(make_user, "agare", "Ägare AB")
    cyber = Theme.objects.get(name="Beredskap och dubbla användningsområden")
    circular = Theme.objects.get(name="Industriell symbios")
    client.force_login(owner)
    before = PartnerSearchNotice.objects.count()
    response = client.post(
        reverse("mobilisation:notice-new"),
        notice_data(cyber, deadline=(timezone.localdate() - timedelta(days=1)).isoformat(), country="XX"),
    )
    assert response.status_code == 400
    assert "Sista dag för intresseanmälan kan inte ha passerat." in response.content.decode()
    assert "country" in response.context["form"].errors
    assert PartnerSearchNotice.objects.count() == before

    assert client.post(reverse("mobilisation:notice-new"), notice_data(cyber)).status_code == 302
    assert (
        client.post(
            reverse("mobilisation:notice-new"), notice_data(circular, title="Symbiospartner i Danmark", country="DK")
        ).status_code
        == 302
    )
    notice = PartnerSearchNotice.objects.get(title="Partner i Estland")
    assert notice.organisation == organisation and notice.created_by == owner

    client.logout()
    listing = client.get(reverse("mobilisation:notices"), {"theme": cyber.pk}).content.decode()
    assert "Partner i Estland" in listing and "Symbiospartner i Danmark" not in listing
    listing = client.get(reverse("mobilisation:notices"), {"country": "DK"}).content.decode()
    assert "Symbiospartner i Danmark" in listing and "Partner i Estland" not in listing
    public = client.get(reverse("mobilisation:notice", args=[notice.pk])).content.decode()
    assert "kontakt@agare.invalid" not in public, "the contact address is not shown"


def test_interest_is_stored_and_mailed_to_the_owner(client, make_user, demo, run_tasks):
    run_tasks()
    mail.outbox.clear()
    owner, organisation = org_user(make_user, "agare", "Ägare AB")
    notice = PartnerSearchNotice.objects.create(
        organisation=organisation,
        created_by=owner,
        title="Partner i Lettland",
        description="x",
        theme=Theme.objects.first(),
        country="LV",
        role_sought="partner",
        deadline=timezone.localdate() + timedelta(days=10),
        contact_email="kontakt@agare.invalid",
    )
    url = reverse("mobilisation:notice", args=[notice.pk])

    response = client.post(url, {"message": "Hej"})
    assert response.status_code == 302 and reverse("login") in response["Location"]

    interested, other_org = org_user(make_user, "intresserad", "Riga Tech", email="person@riga.invalid")
    client.force_login(interested)
    response = client.post(url, {"message": ""})
    assert response.status_code == 400 and not Interest.objects.exists() and not mail.outbox

    response = client.post(url, {"message": "Vi har en testbädd och vill vara med."})
    assert response.status_code == 302
    run_tasks()  # the e-mail goes from the background worker after the commit
    interest = Interest.objects.get()
    assert interest.organisation == other_org and interest.user == interested
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kontakt@agare.invalid"] and message.reply_to == ["person@riga.invalid"]
    assert "Riga Tech" in message.body and "Partner i Lettland" in message.subject

    response = client.post(url, {"message": "Igen"})
    run_tasks()
    assert response.status_code == 400 and Interest.objects.count() == 1 and len(mail.outbox) == 1
    assert "redan anmält intresse" in response.content.decode()

    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "Riga Tech" in page and "person@riga.invalid" in page
    client.logout()
    assert "person@riga.invalid" not in client.get(url).content.decode()


def test_information_meeting_registration_and_attendees_for_secretariat_only(client, make_user, demo):
    secretariat = make_user("sekr", Role.SECRETARIAT)
    call = Call.objects.create(
        fund=Fund.objects.get(code="ESF+"),
        year=2027,
        number=1,
        status=Call.Status.APPROVED,
        title="Kompetensutveckling",
    )
    client.force_login(secretariat)
    starts = (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mobilisation:meeting-new"),
        {
            "kind": "information",
            "title": "Informationsmöte inför ESF+ 2027:1",
            "starts_at": starts,
            "place": "Regionens hus",
            "call": call.pk,
            "capacity": 2,
        },
    )
    assert response.status_code == 302
    meeting = InformationMeeting.objects.get(title="Informationsmöte inför ESF+ 2027:1")
    assert meeting.call == call

    client.logout()
    assert client.post(reverse("mobilisation:meeting-new"), {}).status_code == 302  # to login, nothing created
    listing = client.get(reverse("mobilisation:meetings")).content.decode()
    assert "Informationsmöte inför ESF+ 2027:1" in listing
    url = reverse("mobilisation:meeting", args=[meeting.pk])
    response = client.post(url, {"name": "", "email": "fel"})
    assert response.status_code == 400 and not Registration.objects.exists()
    assert (
        client.post(url, {"name": "Eva Ek", "email": "eva@ek.invalid", "organisation_name": "Ek AB"}).status_code == 302
    )
    confirm = mobilisation_services.confirm_registration  # a seat is taken once confirmed (tests/test_mail_signup.py)
    confirm(mobilisation_services.confirmation_token(Registration.objects.get(email="eva@ek.invalid")))
    response = client.post(url, {"name": "Eva Ek", "email": "EVA@ek.invalid"})
    assert response.status_code == 400 and "redan anmäld" in response.content.decode()
    assert client.post(url, {"name": "Olle", "email": "olle@ek.invalid"}).status_code == 302
    confirm(mobilisation_services.confirmation_token(Registration.objects.get(email="olle@ek.invalid")))
    response = client.post(url, {"name": "Tredje", "email": "tredje@ek.invalid"})
    assert response.status_code == 400 and "fullbokat" in response.content.decode()
    assert "eva@ek.invalid" not in client.get(url).content.decode()

    attendees = reverse("mobilisation:attendees", args=[meeting.pk])
    assert client.get(attendees).status_code == 302
    applicant, _ = org_user(make_user, "sokande", "Sökande AB")
    client.force_login(applicant)
    assert client.get(attendees).status_code == 403
    client.force_login(secretariat)
    page = client.get(attendees).content.decode()
    assert "Eva Ek" in page and "eva@ek.invalid" in page and "Olle" in page


def test_pages_in_english(client, demo):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    expected = {
        "mobilisation:ideas": "Register your idea",
        "mobilisation:notices": "Current partner-search notices",
        "mobilisation:meetings": "Upcoming meetings",
    }
    for name, text in expected.items():
        response = client.get(reverse(name))
        assert response.status_code == 200 and text in response.content.decode()


def test_public_api_shows_public_ideas_notices_and_matches_without_contact_data(client, make_user, demo):
    from samhandling.mobilisation.models import ProjectIdea

    _, organisation = org_user(make_user, "api", "API-organisationen")
    public = ProjectIdea.objects.create(
        organisation=organisation,
        title="Publik idé om cybersäkerhet",
        description="Cybersäkerhet för små företag.",
        is_public=True,
    )
    private = ProjectIdea.objects.create(organisation=organisation, title="Hemlig idé", description="x")
    PartnerSearchNotice.objects.create(
        organisation=organisation,
        title="Partner i Polen",
        description="x",
        theme=Theme.objects.first(),
        country="PL",
        role_sought="expert",
        deadline=timezone.localdate() + timedelta(days=5),
        contact_email="dold@api.invalid",
    )

    ideas = client.get("/api/v1/ideas").json()["items"]
    titles = {i["title"] for i in ideas}
    assert public.title in titles and private.title not in titles
    assert client.get(f"/api/v1/ideas/{private.pk}/matches").status_code == 404
    matches = client.get(f"/api/v1/ideas/{public.pk}/matches").json()
    assert set(matches) == {"calls", "projects", "partners"}

    response = client.get("/api/v1/partner-notices", {"country": "pl"})
    assert [n["title"] for n in response.json()["items"]] == ["Partner i Polen"]
    assert "dold@api.invalid" not in response.content.decode()
    estonia = client.get("/api/v1/partner-notices", {"country": "EE"}).json()["items"]
    assert estonia and all(n["country"] == "EE" for n in estonia)

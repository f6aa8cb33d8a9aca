"""Sign-ups to information meetings: a confirmation e-mail with .ics, a seat only once confirmed through its
link, and anonymous sign-ups rate-limited."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samhandling.mail.models import OutgoingMail
from samhandling.mobilisation.models import InformationMeeting, Registration


@pytest.fixture
def meeting(db):
    return InformationMeeting.objects.create(
        title="Informationsmöte inför ERUF 2027:1",
        starts_at=timezone.now() + timedelta(days=10),
        place="Regionens hus, Stockholm",
        capacity=1,
    )


def _sign_up(client, meeting, name, email):
    return client.post(reverse("mobilisation:meeting", args=[meeting.pk]), {"name": name, "email": email})


def _link(message) -> str:
    return re.search(r"http://testserver(/informationsmoten/bekrafta/[^/\s]+/)", message.body).group(1)


def test_sign_up_takes_a_seat_only_once_confirmed_via_the_e_mail_link(meeting, client, run_tasks):
    response = _sign_up(client, meeting, "Eva Ek", "Eva@Ek.example.org")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "bekräftat anmälan via länken" in page
    registration = Registration.objects.get()
    assert registration.confirmed_at is None and registration.email == "eva@ek.example.org"
    assert mail.outbox == []  # sent by the worker, not the web request
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["eva@ek.example.org"] and "Informationsmöte inför ERUF 2027:1" in message.subject
    ics = next(a for a in message.attachments if a[0].endswith(".ics"))
    assert "BEGIN:VEVENT" in ics[1] and "Regionens hus" in ics[1]
    assert OutgoingMail.objects.get().status == "sent"

    # Unconfirmed sign-ups hold no seat: a second person can still sign up for the one seat.
    assert _sign_up(client, meeting, "Olle", "olle@example.org").status_code == 302
    run_tasks()
    olle_link = _link(mail.outbox[1])

    link = _link(message)
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200 and "Bekräfta anmälan" in confirm_page.content.decode()
    assert Registration.objects.get(email="eva@ek.example.org").confirmed_at is None  # opening the link is not enough
    response = client.post(link, follow=True)
    assert "är bekräftad" in response.content.decode()
    assert Registration.objects.get(email="eva@ek.example.org").confirmed_at is not None
    assert "1 av 1 platser" in response.content.decode()

    # The seat is taken now: Olle's confirmation and new sign-ups are refused.
    refused = client.post(olle_link)
    assert refused.status_code == 400 and "fullbokat" in refused.content.decode()
    response = _sign_up(client, meeting, "Tredje", "tredje@example.org")
    assert response.status_code == 400 and "fullbokat" in response.content.decode()
    again = _sign_up(client, meeting, "Eva Ek", "eva@ek.example.org")
    assert again.status_code == 400


def test_forged_or_altered_link_confirms_nothing(meeting, client, run_tasks):
    _sign_up(client, meeting, "Eva Ek", "eva@example.org")
    run_tasks()
    link = _link(mail.outbox[0])
    response = client.post(link[:-3] + "xx/")
    assert response.status_code == 400 and "ogiltig" in response.content.decode()
    assert client.post("/informationsmoten/bekrafta/nonsense/").status_code == 400
    assert Registration.objects.get().confirmed_at is None


def test_attendee_list_counts_only_confirmed(meeting, client, make_user, run_tasks):
    _sign_up(client, meeting, "Eva Ek", "eva@example.org")
    client.get(reverse("mobilisation:meeting", args=[meeting.pk]))  # shows (and uses up) the confirmation message
    client.force_login(make_user("sekr", "secretariat"))
    page = client.get(reverse("mobilisation:attendees", args=[meeting.pk])).content.decode()
    assert "eva@example.org" not in page and "1 anmälan väntar på bekräftelse" in page


def test_anonymous_sign_ups_are_rate_limited(meeting, client, settings, run_tasks):
    settings.SIGNUP_RATE_LIMIT = "3/h"
    InformationMeeting.objects.filter(pk=meeting.pk).update(capacity=None)
    for n in range(3):
        assert _sign_up(client, meeting, f"Person {n}", f"p{n}@example.org").status_code == 302
    response = _sign_up(client, meeting, "Fjärde", "p4@example.org")
    assert response.status_code == 429 and "För många anmälningar" in response.content.decode()
    assert Registration.objects.count() == 3
    run_tasks()
    assert len(mail.outbox) == 3


def test_signed_in_users_are_not_rate_limited_as_anonymous(meeting, client, settings, make_user):
    settings.SIGNUP_RATE_LIMIT = "1/h"
    InformationMeeting.objects.filter(pk=meeting.pk).update(capacity=None)
    client.force_login(make_user("sokande", "applicant"))
    assert _sign_up(client, meeting, "A", "a@example.org").status_code == 302
    assert _sign_up(client, meeting, "B", "b@example.org").status_code == 302

"""Notices (kallelse) by e-mail: one message per member with an address, with the agenda, documents and .ics;
the page says truthfully what was sent and names those without an address; nothing goes from a refused notice."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from samhandling.mail.models import OutgoingMail
from samhandling.partnership import services
from samhandling.partnership.models import Meeting, Person
from samhandling.partnership.selectors import memberships_at


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """A mail server that drops the first connection attempt of each message, then accepts it."""

    tried: set = set()

    def send_messages(self, messages):
        key = messages[0].to[0]
        if key not in FlakyBackend.tried:
            FlakyBackend.tried.add(key)
            raise SMTPServerDisconnected("try again")
        return super().send_messages(messages)


@pytest.fixture
def planned(demo, run_tasks):
    run_tasks()  # the demo's own notice of meeting 1/2026 goes out first
    mail.outbox.clear()
    OutgoingMail.objects.all().delete()
    partnership = Meeting.objects.get(year=2026, number=1).partnership
    meeting = services.create_meeting(partnership, date=timezone.localdate() + timedelta(days=40))
    services.add_item(meeting, title="Prioritering av ansökningar", matter="Underlag bifogas.")
    return meeting


@pytest.fixture
def secretariat(client, make_user):
    client.force_login(make_user("sekr", "secretariat"))
    return client


def _url(meeting, tail=""):
    return f"/sammantraden/{meeting.year}/{meeting.number}/{tail}"


def _people(meeting):
    people = [m.person for m in memberships_at(meeting)]
    return [p for p in people if p.email], [p for p in people if not p.email]


def test_nobody_with_an_address_gets_no_claim_of_sending(planned, secretariat, run_tasks):
    """The reported bug: "Kallelsen är skickad" to 42 recipients when none had an address."""
    Person.objects.update(email="")
    response = secretariat.post(_url(planned, "kallelse/"), follow=True)
    run_tasks()
    page = response.content.decode()
    assert "Kallelsen är skickad" not in page
    assert "ingen mottagare har en e-postadress" in page
    assert mail.outbox == []
    manage = secretariat.get(_url(planned, "hantera/")).content.decode()
    assert "0 av 42 mottagare har fått kallelsen med e-post" in manage


def test_notice_goes_to_each_member_with_address_with_agenda_documents_and_ics(
    planned, secretariat, run_tasks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # a fresh folder: the stored file keeps its own name (no clash suffix)
    with_address, without = _people(planned)
    assert len(with_address) >= 10 and len(without) >= 1  # the demo leaves a couple without an address
    item = planned.items.get(title="Prioritering av ansökningar")
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.add_attachment(
        item, title="Underlag", upload=SimpleUploadedFile("underlag.pdf", b"%PDF-1.4 test\n%%EOF\n")
    )

    response = secretariat.post(_url(planned, "kallelse/"), follow=True)
    page = response.content.decode()
    assert f"{len(with_address)} e-postmeddelanden skickas nu" in page
    for person in without:
        assert person.name in page  # named on the page: they get nothing
    assert mail.outbox == []  # nothing is sent in the web request

    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in with_address)
    message = mail.outbox[0]
    assert "Prioritering av ansökningar" in message.body
    names = [a[0] for a in message.attachments]
    assert "underlag.pdf" in names
    ics = next(a for a in message.attachments if a[0].endswith(".ics"))
    assert "BEGIN:VEVENT" in ics[1] and ics[2] == "text/calendar"

    manage = secretariat.get(_url(planned, "hantera/")).content.decode()
    total = len(with_address) + len(without)
    assert f"{len(with_address)} av {total} mottagare har fått kallelsen med e-post" in manage
    assert "Saknar e-postadress och har inte fått kallelsen" in manage
    rows = OutgoingMail.objects.filter(kind="notice")
    assert rows.filter(status="sent").count() == len(with_address)
    assert rows.filter(status="no_address").count() == len(without)
    assert all(r.sent_at for r in rows.filter(status="sent"))


def test_refused_notice_sends_nothing(planned, secretariat, run_tasks):
    services.set_status(planned, Meeting.Status.HELD)
    response = secretariat.post(_url(planned, "kallelse/"))
    run_tasks()
    assert response.status_code == 400
    assert "planerat sammanträde" in response.content.decode()
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_late_notice_unconfirmed_sends_nothing(planned, secretariat, run_tasks):
    Meeting.objects.filter(pk=planned.pk).update(date=timezone.localdate() + timedelta(days=2))
    response = secretariat.post(_url(planned, "kallelse/"))
    run_tasks()
    assert response.status_code == 400 and "för sent" in response.content.decode()
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_failing_mail_server_is_recorded_per_recipient_and_shown(planned, secretariat, run_tasks, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    secretariat.post(_url(planned, "kallelse/"))
    with_address, _ = _people(planned)
    polled = secretariat.get(_url(planned, "hantera/")).content.decode()
    assert "väntar på att skickas" in polled and "hx-trigger" in polled
    run_tasks()
    failed = OutgoingMail.objects.filter(status="failed")
    assert failed.count() == len(with_address)
    assert all(m.attempts == 3 and "Connection unexpectedly closed" in m.error for m in failed)
    page = secretariat.get(_url(planned, "hantera/")).content.decode()
    assert f"0 av {len(memberships_at(planned))} mottagare har fått kallelsen" in page
    assert "Kunde inte skickas" in page and "Connection unexpectedly closed" in page
    assert with_address[0].name in page


def test_mail_server_failure_is_retried(planned, secretariat, run_tasks, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.tried = set()
    secretariat.post(_url(planned, "kallelse/"))
    run_tasks()
    with_address, _ = _people(planned)
    assert len(mail.outbox) == len(with_address)
    sent = OutgoingMail.objects.filter(status="sent")
    assert sent.count() == len(with_address) and all(m.attempts == 2 for m in sent)


def test_delivery_status_is_for_the_secretariat_only(planned, client, make_user):
    notice = services.send_notice(planned)
    url = _url(planned, f"kallelse/{notice.pk}/utskick/")
    assert client.get(url).status_code in (302, 403, 404)
    client.force_login(make_user("sokande", "applicant"))
    assert client.get(url).status_code in (403, 404)
    client.force_login(make_user("sekr", "secretariat"))
    assert client.get(url).status_code == 200

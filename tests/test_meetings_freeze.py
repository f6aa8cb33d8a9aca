"""Signed minutes freeze: every write path to the meeting and its records is refused with a Swedish message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from samhandling.partnership import services
from samhandling.partnership.models import (
    Attendance,
    ConflictOfInterest,
    DecisionPoint,
    Item,
    Meeting,
    MeetingParticipant,
    Note,
    Person,
    SignedMinutes,
)

FROZEN = "justerat och signerat"


@pytest.fixture
def signed(demo):
    return Meeting.objects.get(year=2026, number=1)


def refused(fn):
    with pytest.raises(ValidationError) as exc:
        fn()
    assert any(FROZEN in m or "Signerade" in m for m in exc.value.messages), exc.value.messages


def test_model_save_and_delete_refused(signed):
    item = signed.items.get(number=9)
    item.matter = "Ändrad text"
    refused(item.save)
    refused(item.delete)
    signed.place = "Någon annanstans"
    refused(signed.save)
    refused(signed.delete)
    point = DecisionPoint.objects.filter(item__meeting=signed).first()
    point.text = "x"
    refused(point.save)
    att = Attendance.objects.filter(meeting=signed).first()
    att.present = not att.present
    refused(att.save)
    refused(Note.objects.get(item=item).delete)
    refused(MeetingParticipant.objects.filter(meeting=signed).first().delete)


def test_queryset_and_related_writes_refused(signed):
    refused(lambda: Item.objects.filter(meeting=signed).update(title="x"))
    refused(lambda: signed.items.all().delete())
    refused(lambda: Attendance.objects.filter(meeting=signed).update(until_item=3))
    refused(lambda: DecisionPoint.objects.filter(item__meeting=signed).delete())
    refused(lambda: Meeting.objects.filter(pk=signed.pk).update(place="x"))
    refused(lambda: Item.objects.bulk_create([Item(meeting=signed, number=40, title="Smuggelparagraf")]))
    refused(lambda: Note.objects.create(item=signed.items.get(number=9), person=Person.objects.first(), text="x"))
    with transaction.atomic():  # m2m changes are refused from inside Django's own transaction: give it a savepoint
        refused(lambda: signed.adjusters.clear())
    refused(lambda: SignedMinutes.objects.filter(meeting=signed).delete())
    person = Person.objects.get(name="Svante Holm")
    refused(lambda: ConflictOfInterest.objects.create(item=signed.items.get(number=8), person=person, reason="x"))


def test_services_refused(signed):
    item = signed.items.get(number=9)
    holm = Person.objects.get(name="Svante Holm")
    refused(lambda: services.add_note(item, holm, "En sen anteckning"))
    refused(lambda: services.set_decision(item, ["Nytt beslut"]))
    refused(lambda: services.declare_conflict(item, holm, "Styrelseledamot"))
    m = signed.partnership.memberships.get(person__name="Farzana Khan")
    refused(lambda: services.record_attendance(signed, m, present=False))
    with pytest.raises(ValidationError):
        services.add_item(signed, title="Ny")
    call_command("minutes", "verify", "1/2026")


def test_forms_and_web_refused(signed, make_user, client):
    client.force_login(make_user("sekr", "secretariat"))
    base = f"/sammantraden/{signed.year}/{signed.number}/"
    item = signed.items.get(number=9)
    r = client.post(f"{base}paragrafer/{item.pk}/", {"item-title": "Ny rubrik", "item-matter": "x"})
    assert r.status_code == 400 and FROZEN in r.content.decode()
    r = client.post(f"{base}uppgifter/", {"date": "2026-02-20", "place": "x"})
    assert r.status_code == 400 and FROZEN in r.content.decode()
    holm = Person.objects.get(name="Svante Holm")
    r = client.post(f"{base}paragrafer/{item.pk}/note/", {"note-person": holm.pk, "note-text": "sent"})
    assert r.status_code == 400 and FROZEN in r.content.decode()
    call_command("minutes", "verify", "1/2026")


def test_admin_shows_read_only_and_refuses_posts(signed, admin_client):
    item = signed.items.get(number=9)
    r = admin_client.post(
        f"/admin/partnership/item/{item.pk}/change/", {"title": "x", "meeting": signed.pk, "number": 9}
    )
    assert r.status_code == 403
    r = admin_client.post(f"/admin/partnership/meeting/{signed.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    page = admin_client.get(f"/admin/partnership/meeting/{signed.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert Item.objects.get(pk=item.pk).title == item.title


def test_publication_and_corrections_still_possible(signed, client):
    assert signed.status == Meeting.Status.PUBLISHED  # the demo publishes after signing
    item = signed.items.get(number=9)
    chair = Person.objects.get(name="Michaela Haga")
    correction = services.add_correction(item, text="Beloppet för A.2 ska läsas som 181 mnkr.", signed_by=chair)
    refused(correction.delete)
    html = client.get(f"/sammantraden/{signed.year}/{signed.number}/").content.decode()
    assert "Rättelse" in html and "ska läsas som 181 mnkr" in html
    call_command("minutes", "verify", "1/2026")  # corrections are new records; the signed minutes stay intact

"""Attachments of minutes items: served through an access-checked route (never from /media/), checked on the
way in by the one upload validator (samhandling.core.uploads)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samhandling.partnership import services
from samhandling.partnership.models import Meeting, Person

PDF = b"%PDF-1.4\n% test document\n%%EOF\n"


@pytest.fixture
def documents(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    published = Meeting.objects.get(year=2026, number=1)
    draft = services.create_meeting(published.partnership, date=date(2026, 4, 23))
    draft_item = services.add_item(draft, title="Utkastparagraf")
    secret = services.add_attachment(draft_item, title="Underlag", upload=SimpleUploadedFile("underlag.pdf", PDF))
    # A meeting whose minutes are public (published); the status is set directly, as signing is not the point.
    published = services.create_meeting(published.partnership, date=date(2026, 3, 19))
    published_item = services.add_item(published, title="Beslutsparagraf")
    public = services.add_attachment(published_item, title="Bilaga", upload=SimpleUploadedFile("bilaga.pdf", PDF))
    Meeting.objects.filter(pk=published.pk).update(status=Meeting.Status.PUBLISHED)
    published.refresh_from_db()
    return {"draft": (draft, draft_item, secret), "published": (published, published_item, public)}


def _url(meeting, item, attachment):
    return f"/sammantraden/{meeting.year}/{meeting.number}/paragrafer/{item.pk}/bilagor/{attachment.pk}/"


def test_published_minutes_documents_are_public_downloads(documents, client):
    response = client.get(_url(*documents["published"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"


def test_draft_documents_only_for_those_who_may_see_the_draft(documents, client, make_user):
    url = _url(*documents["draft"])
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(make_user("sokande", "applicant"))
    assert client.get(url).status_code == 404
    client.force_login(make_user("bedomare", "assessor"))
    assert client.get(url).status_code == 404
    client.force_login(make_user("annan", "member"))  # a member role without a membership here
    assert client.get(url).status_code == 404
    member = make_user("ledamot", "member")
    Person.objects.filter(name="Svante Holm").update(user=member)
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(make_user("sekr", "secretariat"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_public_notice_lists_documents_without_links_and_item_page_links_the_route(documents, client, make_user):
    draft, item, secret = documents["draft"]
    services.send_notice(draft, confirm_late=True)
    page = client.get(f"/sammantraden/{draft.year}/{draft.number}/").content.decode()
    assert "Underlag" in page and "/media/" not in page and "/bilagor/" not in page
    client.force_login(make_user("sekr", "secretariat"))
    page = client.get(f"/sammantraden/{draft.year}/{draft.number}/paragrafer/{item.pk}/").content.decode()
    assert _url(draft, item, secret) in page and "/media/" not in page


def test_an_attachment_of_another_meeting_or_item_is_not_found(documents, client, make_user):
    draft, draft_item, secret = documents["draft"]
    published, published_item, public = documents["published"]
    client.force_login(make_user("sekr", "secretariat"))
    assert client.get(_url(published, published_item, secret)).status_code == 404
    assert client.get(_url(draft, published_item, public)).status_code == 404
    client.logout()
    assert client.get(_url(published, draft_item, secret)).status_code == 404


def test_uploads_use_the_one_validator(documents, client, make_user):
    draft, item, _ = documents["draft"]
    client.force_login(make_user("sekr", "secretariat"))
    url = f"/sammantraden/{draft.year}/{draft.number}/paragrafer/{item.pk}/attachment/"
    r = client.post(
        url, {"attachment-title": "Text", "attachment-file": SimpleUploadedFile("x.txt", b"\x00\x01binary")}
    )
    assert r.status_code == 400 and "stämmer inte med filtypen .txt" in r.content.decode()
    assert item.attachments.count() == 1

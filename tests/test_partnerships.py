"""Many partnerships in one installation: URLs carry the partnership, roles are held per partnership, and
nobody sees another partnership's non-public data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.partnership.models import Meeting, Membership, Partnership, PartnershipRole, Person
from samhandling.projects.models import Organisation, ProgrammeRegion

DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def two(db, settings):
    """Stockholm (the installation's default) and Östra Mellansverige, each with a planned meeting 1/2026."""
    stockholm = Partnership.objects.create(
        name=settings.PARTNERSHIP_NAME, programme_region=ProgrammeRegion.objects.get(code="SE11")
    )
    oms = Partnership.objects.create(
        name="Strategiska partnerskapet Östra Mellansverige",
        slug="oms",
        programme_region=ProgrammeRegion.objects.get(code="SE12"),
    )
    for p, place in ((stockholm, "Stadshuset i Stockholm"), (oms, "Slottet i Uppsala")):
        Meeting.objects.create(partnership=p, year=2026, number=1, date=DAY, place=place)
    return stockholm, oms


def member_of(partnership, user, role=Membership.Role.MEMBER):
    org = Organisation.objects.create(name=f"Region {partnership.slug}")
    person = Person.objects.create(name=user.username, user=user)
    return Membership.objects.create(partnership=partnership, person=person, role=role, organisation=org)


def test_slugs_come_from_the_name_and_never_take_a_page_address(two):
    stockholm, oms = two
    assert stockholm.slug == "stockholm"
    assert oms.slug == "oms"
    clash = Partnership(name="Projekt", slug="projekt", programme_region=stockholm.programme_region)
    with pytest.raises(ValidationError) as raised:
        clash.full_clean()
    assert "slug" in raised.value.message_dict


def test_prefixed_urls_serve_their_partnership_and_links_keep_the_prefix(two, client, make_user):
    secretariat = make_user("sekr-oms")
    PartnershipRole.objects.create(user=secretariat, partnership=two[1], role=Role.SECRETARIAT)
    client.force_login(secretariat)

    response = client.get("/oms/sammantraden/")
    assert response.status_code == 200
    assert response.wsgi_request.partnership == two[1]
    page = response.content.decode()
    assert 'href="/oms/sammantraden/2026/1/' in page  # {% url %} added the prefix by itself
    assert "Stockholm" not in response.context["partnership"].name

    detail = client.get("/oms/sammantraden/2026/1/hantera/")
    assert detail.status_code == 200
    assert "Slottet i Uppsala" in detail.content.decode()


def test_unprefixed_urls_serve_the_default_partnership(two, client, make_user):
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    response = client.get("/sammantraden/2026/1/hantera/")
    assert response.status_code == 200
    assert response.wsgi_request.partnership == two[0]
    assert "Stadshuset i Stockholm" in response.content.decode()
    assert 'href="/sammantraden/' in client.get("/sammantraden/").content.decode()
    assert reverse("partnership:meetings") == "/sammantraden/"  # outside a request: the default, unprefixed
    # the default partnership answers under its own prefix as well
    assert client.get("/stockholm/sammantraden/2026/1/hantera/").status_code == 200


def test_shared_pages_stay_unprefixed_and_an_unknown_prefix_is_not_found(two, client):
    response = client.get("/projekt/")
    assert response.status_code == 200
    assert response.wsgi_request.partnership == two[0]
    assert client.get("/okand/sammantraden/").status_code == 404
    assert client.get("/oms/projekt/").status_code == 404  # the project bank is shared, never under a prefix


def test_a_member_of_one_partnership_sees_no_drafts_of_another(two, client, make_user):
    stockholm, oms = two
    user = make_user("ledamot", Role.MEMBER)
    member_of(stockholm, user)
    client.force_login(user)
    assert client.get("/sammantraden/2026/1/").status_code == 200  # own partnership's draft
    assert client.get("/oms/sammantraden/2026/1/").status_code == 404
    assert "2026/1" not in client.get("/oms/sammantraden/").content.decode()


def test_roles_are_held_per_partnership(two, client, make_user):
    stockholm, oms = two
    user = make_user("dubbel", Role.MEMBER)  # groups: roles in the default partnership
    member_of(stockholm, user)
    PartnershipRole.objects.create(user=user, partnership=oms, role=Role.ASSESSOR)
    client.force_login(user)
    assert client.get("/oms/bedomning/").status_code == 200  # assessor in ÖMS
    assert client.get("/bedomning/").status_code == 403  # not in Stockholm
    assert client.get("/oms/sammantraden/2026/1/").status_code == 404  # no member of ÖMS

    secretariat = make_user("sekr", Role.SECRETARIAT)  # Stockholm's secretariat
    client.force_login(secretariat)
    assert client.get("/sammantraden/nytt/").status_code == 200
    assert client.get("/oms/sammantraden/nytt/").status_code == 403
    assert client.get("/oms/sammantraden/2026/1/hantera/").status_code == 403

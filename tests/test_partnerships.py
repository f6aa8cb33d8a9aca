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


def test_the_default_partnership_follows_every_change_to_its_row_or_region(two, client, settings):
    """Each process keeps the default partnership it last built and rebuilds it when its row or its programme
    region's row differ; each request gets its own copy."""
    from samhandling.partnership.scope import default_partnership

    stockholm, oms = two
    first, again = default_partnership(), default_partnership()
    assert first == stockholm and first is not again
    first.name = "changed on a copy only"
    assert default_partnership().name == settings.PARTNERSHIP_NAME

    Partnership.objects.filter(pk=stockholm.pk).update(name="Västra partnerskapet")
    assert default_partnership() == oms  # the named one is gone: the first by name
    Partnership.objects.filter(pk=stockholm.pk).update(name=settings.PARTNERSHIP_NAME)
    ProgrammeRegion.objects.filter(pk=stockholm.programme_region_id).update(name="Stockholm (nytt)")
    assert default_partnership().programme_region.name == "Stockholm (nytt)"
    assert client.get("/sammantraden/").wsgi_request.partnership == stockholm
    Meeting.objects.all().delete()
    Partnership.objects.all().delete()
    assert default_partnership() is None


def test_shared_pages_stay_unprefixed_and_an_unknown_prefix_is_not_found(two, client):
    response = client.get("/projekt/")
    assert response.status_code == 200
    assert response.wsgi_request.partnership == two[0]
    assert client.get("/okand/sammantraden/").status_code == 404
    assert client.get("/oms/projekt/").status_code == 404  # the project bank is shared, never under a prefix


def test_the_default_partnership_is_read_only_when_a_request_asks_for_it(two, client, settings):
    """A public page kept in the cache never asks which partnership it is in: serving it reads no partnership
    row. The request still answers when asked, and an installation without any partnership answers None."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get("/projekt/?q=vatten")
    assert settings.PARTNERSHIP_NAME in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/projekt/?q=vatten")
    assert settings.PARTNERSHIP_NAME in again.content.decode()
    assert not [q["sql"] for q in queries if "partnership_partnership" in q["sql"]]
    assert again.wsgi_request.partnership == two[0]  # read now, when asked

    Meeting.objects.all().delete()
    Partnership.objects.all().delete()
    nobody = client.get("/projekt/?q=skog")
    assert nobody.status_code == 200
    assert not nobody.wsgi_request.partnership
    assert getattr(nobody.wsgi_request.partnership, "name", "none") == "none"


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


# --- working data belongs to one partnership ------------------------------------------------------------


def test_new_working_data_belongs_to_the_partnership_it_was_made_in(two, client, make_user):
    from samhandling.portfolio.models import SmartSpecialisationArea, Target

    stockholm, oms = two
    area = SmartSpecialisationArea.objects.create(strategy="ÖMS", name="Life science", partnership=oms)
    SmartSpecialisationArea.objects.create(strategy="Stockholm", name="Life science")
    secretariat = make_user("sekr-oms")
    PartnershipRole.objects.create(user=secretariat, partnership=oms, role=Role.SECRETARIAT)
    client.force_login(secretariat)
    response = client.post("/oms/portfoljen/mal/", {"area": area.pk, "share_percent": "20", "decided_in": "§ 8"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Target.objects.get().partnership == oms
    page = client.get("/oms/portfoljen/mal/").content.decode()
    assert "Life science (ÖMS)" in page and "Life science (Stockholm)" not in page  # only its own areas

    client.force_login(make_user("sekr", Role.SECRETARIAT))
    assert "20,0" not in client.get("/portfoljen/mal/").content.decode()  # Stockholm sees no ÖMS target


def test_call_plans_ideas_and_assessments_of_another_partnership_are_not_found(two, client, make_user):
    from factories import CallFactory, FundFactory, ProjectFactory

    from samhandling.calls.models import CallPlan
    from samhandling.mobilisation.models import ProjectIdea
    from samhandling.projects.models import Project

    stockholm, oms = two
    fund = FundFactory()
    plan = CallPlan.objects.create(partnership=oms, fund=fund, year=2027)
    call = CallFactory(fund=fund, partnership=oms)
    application = ProjectFactory(fund=fund, call=call, status=Project.Status.SUBMITTED)
    idea = ProjectIdea.objects.create(
        partnership=oms, organisation=application.applicant, title="Idé i Uppsala", description="x", is_public=True
    )

    user = make_user("stockholm", Role.SECRETARIAT, Role.ASSESSOR)
    call.assessors.add(user)  # even named an assessor of B's call, A's roles give nothing there
    client.force_login(user)
    assert client.get(f"/utlysningsplaner/{plan.pk}/").status_code == 404
    assert client.get(f"/bedomning/ansokan/{application.pk}/").status_code == 404
    assert client.get(f"/bedomning/utlysning/{call.pk}/").status_code == 404
    assert client.get(f"/ideer/{idea.pk}/").status_code == 404
    assert "Idé i Uppsala" not in client.get("/ideer/").content.decode()
    assert client.get(f"/oms/bedomning/ansokan/{application.pk}/").status_code == 403
    assert client.get(f"/oms/utlysningsplaner/{plan.pk}/").status_code == 403
    # the public idea is public in its own partnership
    assert "Idé i Uppsala" in client.get("/oms/ideer/").content.decode()


def test_the_migration_gives_earlier_rows_the_default_partnership(two):
    from django.apps import apps

    from samhandling.partnership.scope import assign_existing_rows
    from samhandling.portfolio.models import SmartSpecialisationArea

    area = SmartSpecialisationArea.objects.create(strategy="Stockholm", name="Fintech", partnership=None)
    assign_existing_rows(("portfolio", "SmartSpecialisationArea"))(apps, None)
    area.refresh_from_db()
    assert area.partnership == two[0]


def test_the_cli_works_in_the_partnership_its_option_names(two, tmp_path):
    """`--partnership SLUG` runs a partnership-bound command as that partnership's pages would; an unknown
    slug is refused naming the known ones; without it the default partnership's meeting is meant."""

    from django.core.management import CommandError, call_command
    from pypdf import PdfReader

    def render(*options):
        out = tmp_path / f"minutes-{len(options)}.pdf"
        call_command("minutes", *options, "render", "1/2026", "--output", str(out))
        return " ".join(page.extract_text() for page in PdfReader(out).pages)

    assert "Slottet i Uppsala" in render("--partnership", "oms")
    assert "Stadshuset i Stockholm" in render()
    with pytest.raises(CommandError, match="inget partnerskap har adressen nowhere.*oms"):
        call_command("minutes", "--partnership", "nowhere", "render", "1/2026")

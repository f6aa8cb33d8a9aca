"""A person's right of access and erasure, and contact persons kept off every public surface."""

import json
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from samhandling.access.matrix import allowed_roles, api_rules, rules
from samhandling.access.roles import Role

EMAIL = "anna.testsson@kommun.invalid"
PHONE = "070-000 00 00"


@pytest.fixture
def member(demo, make_user):
    from samhandling.partnership.models import Membership, PersonTie
    from samhandling.projects.models import ContactPerson, Project

    membership = Membership.objects.select_related("person", "organisation").first()
    person = membership.person
    with set_actor(make_user("sara", Role.SECRETARIAT)):
        person.email, person.phone = EMAIL, PHONE
        person.save()
        PersonTie.objects.create(person=person, organisation=membership.organisation, kind=PersonTie.Kind.BOARD)
        ContactPerson.objects.create(project=Project.objects.first(), name=person.name, email=EMAIL, phone=PHONE)
    return person


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("person", *map(str, args), stdout=out)
    return out.getvalue()


def test_export_contains_everything_stored_about_the_person(member):
    data = json.loads(run("export", member.pk))
    assert data["person"]["email"] == EMAIL and data["person"]["phone"] == PHONE
    assert data["related"]["partnership.membership"]
    assert data["related"]["partnership.persontie"]
    assert data["contact_persons"][0]["email"] == EMAIL
    assert any("email" in (e["changes"] or {}) for e in data["audit_trail"])


def test_erase_removes_contact_data_and_keeps_public_records(member):
    from samhandling.partnership.models import Membership, Person, PersonTie
    from samhandling.projects.models import ContactPerson

    memberships = Membership.objects.filter(person=member).count()
    run("erase", member.pk)
    person = Person.objects.get(pk=member.pk)
    assert person.email == "" and person.phone == "" and person.name == member.name
    assert Membership.objects.filter(person=person).count() == memberships  # public record stays
    assert not PersonTie.objects.filter(person=person).exists()
    assert not ContactPerson.objects.filter(email=EMAIL).exists()
    for entry in LogEntry.objects.all():
        text = json.dumps([entry.changes, entry.changes_text, entry.object_repr], ensure_ascii=False)
        assert EMAIL not in text and PHONE not in text
    assert EMAIL not in run("export", member.pk)


def test_person_without_public_records_is_deleted(db):
    from samhandling.partnership.models import Person

    person = Person.objects.create(name="Ny Person", email=EMAIL)
    run("erase", person.pk)
    assert not Person.objects.filter(pk=person.pk).exists()


def test_unknown_person_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ingen person med id 999999"):
        run("export", 999999)


def test_contact_persons_never_reach_public_pages_or_the_public_api(demo, client):
    from samhandling.projects.models import ContactPerson, Project

    project = Project.objects.first()
    ContactPerson.objects.create(project=project, name="Kontakta Hemligsson", email=EMAIL, phone=PHONE)
    checked = 0
    for name in rules():
        allowed = allowed_roles(name, "GET")
        if not allowed or Role.PUBLIC not in allowed:
            continue
        for kwargs in ({}, {"pk": project.pk}, {"project_id": project.pk}, {"id": project.pk}, {"slug": project.pk}):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            body = client.get(url).content.decode()
            checked += 1
            for secret in ("Hemligsson", EMAIL, PHONE):
                assert secret not in body, f"{url} visar kontaktpersonen"
    for key, roles in api_rules().items():
        method, path = key.split(" ", 1)
        if method != "GET" or Role.PUBLIC not in roles:
            continue
        url = "/api/v1" + re.sub(r"\{[^}]+\}", str(project.pk), path)
        body = client.get(url, {"page_size": 1000}).content.decode()
        checked += 1
        for secret in ("Hemligsson", EMAIL, PHONE):
            assert secret not in body, f"{url} visar kontaktpersonen"
    assert checked


def test_export_includes_conflicts_of_interest_and_erase_keeps_those_on_decided_cases(db):
    from samhandling.partnership.models import ConflictOfInterest, Person
    from test_conflict_of_interest_rules import make_application, make_person

    person = make_person("javig")
    decided, _orgs = make_application("Beslutad ansökan")
    decided.status = decided.Status.PRIORITISED
    decided.save()
    pending, _orgs = make_application("Pågående bedömning")
    for application in (decided, pending):
        ConflictOfInterest.objects.create(
            person=person, application=application, stage="assessment", reason=f"Styrelseuppdrag ({application.name})"
        )
    exported = json.loads(run("export", person.pk))["related"]["partnership.conflictofinterest"]
    assert {c["application"] for c in exported} == {decided.pk, pending.pk}
    out = run("erase", person.pk)
    report = json.loads(out.splitlines()[0])
    assert report["kept"]["partnership.conflictofinterest"] == 1
    assert report["deleted"]["partnership.conflictofinterest"] == 1
    assert "beslutat ärende" in report["why_kept"]["partnership.conflictofinterest"]
    assert list(ConflictOfInterest.objects.values_list("application", flat=True)) == [decided.pk]
    assert Person.objects.filter(pk=person.pk).exists()  # kept: the name makes the record readable

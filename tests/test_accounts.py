"""Accounts and roles as people reach them: demo accounts, invitations, sign-up, password reset, the role page."""

import io
import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from samhandling.access import demo as demo_accounts
from samhandling.access.roles import Role, roles_of
from samhandling.access.selectors import role_history

PASSWORD = "Ett-langt-och-ovanligt-losen-77"
LINK = re.compile(r"https?://testserver(/\S+)")


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def login(client, username, password):
    """Through the login page, as a person signs in (django-axes included)."""
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- demo accounts -------------------------------------------------------------------------------------------


def test_demo_prints_one_line_per_role_and_each_account_signs_in(db, client):
    out = io.StringIO()
    call_command("demo", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("demo account: ")]
    parsed = [line.removeprefix("demo account: ").split(" ") for line in lines]
    assert all(len(p) == 3 for p in parsed), lines
    assert [p[0] for p in parsed] == [
        "secretariat",
        "member",
        "substitute",
        "assessor",
        "ma_officer",
        "applicant",
        "administrator",
    ]
    for role, username, password in parsed:
        user = User.objects.get(username=username)
        assert Role(role) in roles_of(user)
        client.logout()
        login(client, username, password)
        assert signed_in(client), username
    # linked to the demo's people, so their work finds them
    assert User.objects.get(username="demo-ledamot").person.name == "Daniel Forslund"
    assert User.objects.get(username="demo-bedomare").assigned_calls.exists()
    assert User.objects.get(username="demo-sokande").organisation_link.organisation.name == "SOS Barnbyar"

    again = io.StringIO()
    call_command("demo", "--if-empty", stdout=again)  # `make run` on a loaded database prints them again
    assert [line for line in again.getvalue().splitlines() if line.startswith("demo account: ")] == lines


def test_login_page_lists_demo_accounts_only_in_demo_mode(db, client, settings):
    demo_accounts.load()
    settings.DEMO_MODE = True
    page = client.get(reverse("login")).content.decode()
    assert "<title>Logga in – Samhandling</title>" in page
    for _role, username, password in demo_accounts.accounts():
        assert username in page and password in page
    settings.DEMO_MODE = False
    page = client.get(reverse("login")).content.decode()
    assert "demo-sekretariat" not in page and "Demokonton" not in page


def test_production_refuses_to_start_with_demo_accounts(db, settings):
    settings.PRODUCTION = True
    call_command("check")  # no demo accounts: starts
    demo_accounts.load()
    with pytest.raises(SystemCheckError, match="samhandling.E001"):
        call_command("check")
    settings.PRODUCTION = False
    call_command("check")


# --- invitations and roles -----------------------------------------------------------------------------------


def test_secretariat_invites_a_person_who_sets_a_password(client, make_user):
    secretariat = make_user("sek", Role.SECRETARIAT)
    client.force_login(secretariat)
    r = client.post(
        reverse("access:invite"),
        {"first_name": "Bodil", "last_name": "Bedömare", "email": "bodil@example.se", "roles": ["assessor"]},
    )
    invited = User.objects.get(email="bodil@example.se")
    assert r.status_code == 302 and r["Location"] == reverse("access:user", args=[invited.pk])
    assert not invited.has_usable_password() and roles_of(invited) == {Role.PUBLIC, Role.ASSESSOR}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bodil@example.se"]
    assert "Inbjudan till Samhandling" in mail.outbox[0].subject

    client.logout()
    r = client.get(link_in(mail.outbox[0]), follow=True)
    assert "Välj ditt lösenord" in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("access:password-reset-complete")
    login(client, "bodil@example.se", PASSWORD)
    assert signed_in(client)
    # the link works once
    client.logout()
    assert "ogiltig" in client.get(link_in(mail.outbox[0]), follow=True).content.decode()
    # the grant is audited with its actor
    assert role_history(invited)[0]["actor"] == "sek" and role_history(invited)[0]["granted"]


def test_invitation_refuses_an_address_that_has_an_account(client, make_user):
    client.force_login(make_user("sek", Role.SECRETARIAT))
    User.objects.create_user("finns", email="finns@example.se")
    r = client.post(reverse("access:invite"), {"first_name": "A", "last_name": "B", "email": "finns@example.se"})
    assert r.status_code == 400 and "Det finns redan ett konto med den e-postadressen" in r.content.decode()
    assert not mail.outbox


def test_role_page_only_for_the_secretariat_and_every_change_audited(client, make_user):
    member = make_user("ledamot", Role.MEMBER)
    secretariat = make_user("sek", Role.SECRETARIAT)
    for user in (member, make_user("sokande", Role.APPLICANT), make_user("bed", Role.ASSESSOR)):
        client.force_login(user)
        assert client.get(reverse("access:roles")).status_code == 403
        assert client.post(reverse("access:user", args=[member.pk]), {"roles": ["secretariat"]}).status_code == 403
    assert roles_of(User.objects.get(pk=member.pk)) == {Role.PUBLIC, Role.MEMBER}
    client.logout()
    assert client.get(reverse("access:roles")).status_code == 302  # to the login page

    client.force_login(secretariat)
    page = client.get(reverse("access:roles") + "?roll=member").content.decode()
    assert "<td>ledamot</td>" in page and "Ledamot" in page and "<td>sek</td>" not in page
    r = client.post(reverse("access:user", args=[member.pk]), {"roles": ["substitute"]})
    assert r.status_code == 302
    member = User.objects.get(pk=member.pk)
    assert roles_of(member) == {Role.PUBLIC, Role.SUBSTITUTE}
    entries = LogEntry.objects.get_for_object(member).filter(actor=secretariat)
    operations = {(e.changes_dict["groups"]["operation"], tuple(e.changes_dict["groups"]["objects"])) for e in entries}
    assert operations == {("add", ("substitute",)), ("delete", ("member",))}
    page = client.get(reverse("access:user", args=[member.pk])).content.decode()
    assert "Gavs" in page and "Togs bort" in page and "Ersättare" in page

    # the secretariat may not make administrators
    r = client.post(reverse("access:user", args=[member.pk]), {"roles": ["administrator"]})
    assert r.status_code == 400 and "administratör" in r.content.decode()
    assert roles_of(User.objects.get(pk=member.pk)) == {Role.PUBLIC, Role.SUBSTITUTE}  # nothing stored


# --- self-registration and password reset -------------------------------------------------------------------


def register(client, email="sara@example.se", password=PASSWORD):
    return client.post(
        reverse("access:register"),
        {"first_name": "Sara", "last_name": "Sökande", "email": email, "password1": password, "password2": password},
    )


def test_applicant_registers_and_verifies_the_address(db, client):
    r = register(client)
    assert r.status_code == 200 and "sara@example.se" in r.content.decode()
    user = User.objects.get(email="sara@example.se")
    assert not user.is_active  # cannot sign in until the address is verified
    login(client, "sara@example.se", PASSWORD)
    assert not signed_in(client)

    assert len(mail.outbox) == 1
    r = client.get(link_in(mail.outbox[0]))
    assert r.status_code == 302 and r["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.is_active and Role.APPLICANT in roles_of(user)
    login(client, "sara@example.se", PASSWORD)
    assert signed_in(client)
    client.logout()
    assert client.get(link_in(mail.outbox[0])).status_code == 400  # used once


def test_registration_refuses_weak_or_mismatched_passwords_and_never_duplicates(db, client):
    r = register(client, password="12345678")
    assert r.status_code == 400 and not User.objects.exists() and not mail.outbox
    r = client.post(
        reverse("access:register"),
        {"first_name": "S", "last_name": "S", "email": "s@example.se", "password1": PASSWORD, "password2": "annat"},
    )
    assert r.status_code == 400 and "Lösenorden är inte likadana" in r.content.decode()
    register(client)
    register(client)  # not yet verified: a new link, no second account
    assert User.objects.filter(email="sara@example.se").count() == 1
    assert len(mail.outbox) == 2 and "Bekräfta" in mail.outbox[1].subject
    client.get(link_in(mail.outbox[1]))
    r = register(client)  # verified: an e-mail says so; the page does not
    assert r.status_code == 200 and User.objects.filter(email="sara@example.se").count() == 1
    assert len(mail.outbox) == 3 and "redan ett konto" in mail.outbox[2].subject


def test_password_reset_by_email(client, make_user):
    user = make_user("karin")
    user.email = "karin@example.se"
    user.save()
    r = client.post(reverse("access:password-reset"), {"email": "karin@example.se"})
    assert r.status_code == 302 and r["Location"] == reverse("access:password-reset-done")
    assert len(mail.outbox) == 1 and "karin" in mail.outbox[0].body
    r = client.get(link_in(mail.outbox[0]), follow=True)
    r = client.post(r.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert r.status_code == 302
    login(client, "karin", PASSWORD)
    assert signed_in(client)
    # an unknown address gets the same answer and no e-mail
    client.post(reverse("access:password-reset"), {"email": "okand@example.se"})
    assert len(mail.outbox) == 1


# --- times -----------------------------------------------------------------------------------------------------


def test_audit_csv_and_role_history_in_swedish_time(client, make_user):
    secretariat = make_user("sek", Role.SECRETARIAT)
    user = make_user("ny")
    client.force_login(secretariat)
    client.post(reverse("access:user", args=[user.pk]), {"roles": ["member"]})
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    local = timezone.localtime(entry.timestamp)
    assert local.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    page = client.get(reverse("access:user", args=[user.pk])).content.decode()
    assert f"{local:%Y-%m-%d %H:%M}" in page

    from samhandling.core.audit import trail_csv

    assert local.isoformat() in trail_csv([entry])

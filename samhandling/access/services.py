"""Writes for accounts and roles: invitations, self-registration, role grants. Each one atomic and audited.

Roles are Django groups (see roles.py); django-auditlog records every change of a user's groups with its
actor (User is registered with its `groups` in AccessConfig.ready), so the services only change the groups.
Links in e-mails carry Django's own tokens (django.contrib.auth.tokens): the invitation uses the password
reset token (valid until the password is set), the sign-up verification a generator of its own salt that
also hashes `is_active`, so a link works once.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from samhandling.core.context_processors import SITE_NAME

from .roles import Role, has_role

User = get_user_model()
GRANTABLE = [r for r in Role if r is not Role.PUBLIC]


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's token generator with its own salt; activation changes the hash, so a link is used once."""

    key_salt = "samhandling.access.services.VerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


verification_token = VerificationTokenGenerator()


def link(request, route: str, user, token_generator) -> str:
    """Absolute URL of a one-time link (uid + token) for the user."""
    path = reverse(
        route, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token_generator.make_token(user)}
    )
    return request.build_absolute_uri(path)


def _send(template: str, user, context: dict) -> None:
    """Sends one e-mail through Django's e-mail framework; an error reaches the caller, nothing is claimed."""
    context = {**context, "user": user, "site_name": SITE_NAME, "partnership_name": settings.PARTNERSHIP_NAME}
    subject = " ".join(render_to_string(f"access/email/{template}_subject.txt", context).split())
    body = render_to_string(f"access/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _check_secretariat(actor) -> None:
    if not has_role(actor, Role.SECRETARIAT, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Bara sekretariatet kan ändra roller."))


def _check_grantable(actor, roles) -> None:
    if Role.ADMINISTRATOR in roles and not has_role(actor, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Bara en administratör kan ge eller ta bort rollen administratör."))


def role_group(role: Role) -> Group:
    """The Django group that stands for the role."""
    return Group.objects.get_or_create(name=role.value)[0]


@transaction.atomic
def set_roles(user, roles, *, by) -> tuple[set[Role], set[Role]]:
    """Gives the user exactly these roles; returns (granted, revoked). Each change is audited with `by`."""
    _check_secretariat(by)
    wanted = {Role(r) for r in roles} - {Role.PUBLIC}
    current = {Role(name) for name in user.groups.values_list("name", flat=True) if name in set(Role)}
    granted, revoked = wanted - current, current - wanted
    _check_grantable(by, granted | revoked)
    if user.pk == by.pk and Role.SECRETARIAT in revoked | granted and not user.is_superuser:
        raise ValidationError(_("Du kan inte ändra din egen roll som sekretariat."))
    if granted:
        user.groups.add(*[role_group(r) for r in granted])
    if revoked:
        user.groups.remove(*Group.objects.filter(name__in=[r.value for r in revoked]))
    user._samhandling_roles = None
    return granted, revoked


@transaction.atomic
def invite(*, email: str, first_name: str, last_name: str, roles, by):
    """Creates an account without a password holding `roles`, and e-mails a link to choose a password.

    The e-mail goes after the account is committed; if it cannot be handed to the mail server the caller is
    told (the account stays, and the invitation can be sent again).
    """
    _check_secretariat(by)
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Det finns redan ett konto med den e-postadressen.")})
    user = User(username=email.lower(), email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    set_roles(user, roles, by=by)
    return user


def send_invitation(request, user, *, by) -> None:
    """E-mails the set-password link (again). Raises what the mail backend raises."""
    _check_secretariat(by)
    if user.has_usable_password():
        raise ValidationError(_("%(u)s har redan valt ett lösenord.") % {"u": user.email})
    url = link(request, "access:set-password", user, default_token_generator)
    _send("invitation", user, {"url": url, "inviter": by.get_full_name() or by.get_username()})


def register_applicant(request, *, email: str, first_name: str, last_name: str, password: str):
    """An applicant's own sign-up: an inactive account with the applicant role until the e-mail is verified.

    The e-mail goes once the account is stored; if it cannot be handed to the mail server the error reaches
    the caller, and signing up again with the same address sends a new link. An address whose account is
    already verified gets an e-mail saying so instead, so the form never tells a stranger which addresses
    have accounts.
    """
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.is_active:
        _send("already_registered", user, {"url": request.build_absolute_uri(reverse("access:password-reset"))})
        return None
    if user is None:
        with transaction.atomic():
            user = User(
                username=email.lower(),
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                is_active=False,
            )
            user.set_password(password)
            user.save()
            user.groups.add(role_group(Role.APPLICANT))
    _send("verification", user, {"url": link(request, "access:verify", user, verification_token)})
    return user


@transaction.atomic
def verify(user, token: str) -> bool:
    """Activates the account if the token is valid for it; True when it was."""
    if user.is_active or not verification_token.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True

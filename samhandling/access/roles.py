"""The roles of the platform. A user's roles are the Django groups of the same names (superusers hold all)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    PUBLIC = "public"
    APPLICANT = "applicant"
    MEMBER = "member"
    SUBSTITUTE = "substitute"
    ASSESSOR = "assessor"
    SECRETARIAT = "secretariat"
    MA_OFFICER = "ma_officer"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.PUBLIC: _("Allmänheten"),
    Role.APPLICANT: _("Sökande"),
    Role.MEMBER: _("Ledamot"),
    Role.SUBSTITUTE: _("Ersättare"),
    Role.ASSESSOR: _("Bedömare (beredningsgrupp)"),
    Role.SECRETARIAT: _("Sekretariat"),
    Role.MA_OFFICER: _("Handläggare vid förvaltande myndighet"),
    Role.ADMINISTRATOR: _("Administratör"),
}

ALL = frozenset(Role)
AUTHENTICATED = frozenset(Role) - {Role.PUBLIC}
STAFF = frozenset({Role.SECRETARIAT, Role.ADMINISTRATOR})


def roles_of(user) -> frozenset[Role]:
    """Every user is at least PUBLIC; group membership adds roles; superusers hold every role."""
    if user is None or not user.is_authenticated:
        return frozenset({Role.PUBLIC})
    if user.is_superuser:
        return ALL
    cached = getattr(user, "_samhandling_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset({Role.PUBLIC} | {r for r in Role if r.value in names})
        user._samhandling_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))

"""The roles of the platform. A user's roles are the Django groups of the same names (superusers hold all)."""

from enum import StrEnum


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
    Role.PUBLIC: "Allmänheten",
    Role.APPLICANT: "Sökande",
    Role.MEMBER: "Ledamot",
    Role.SUBSTITUTE: "Ersättare",
    Role.ASSESSOR: "Bedömare (beredningsgrupp)",
    Role.SECRETARIAT: "Sekretariat",
    Role.MA_OFFICER: "Handläggare vid förvaltande myndighet",
    Role.ADMINISTRATOR: "Administratör",
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

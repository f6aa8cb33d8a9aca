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
# Held per partnership: as groups in the default partnership, as PartnershipRole rows in any (partnership.scope).
PARTNERSHIP_ROLES = frozenset({Role.MEMBER, Role.SUBSTITUTE, Role.ASSESSOR, Role.SECRETARIAT})


def roles_of(user) -> frozenset[Role]:
    """The user's roles in the current partnership (partnership.scope): every user is at least PUBLIC, groups
    add roles (the partnership-bound ones only in the default partnership), PartnershipRole rows add roles in
    their own partnership; superusers hold every role."""
    if user is None or not user.is_authenticated:
        return frozenset({Role.PUBLIC})
    if user.is_superuser:
        return ALL
    from samhandling.partnership import scope

    partnership = scope.active()
    cache = getattr(user, "_samhandling_roles", None) or {}
    key = partnership.pk if partnership is not None else None
    if key not in cache:
        names = set(user.groups.values_list("name", flat=True))
        if partnership is not None and not scope.is_default(partnership):
            names -= PARTNERSHIP_ROLES
        if partnership is not None:
            names |= set(user.partnership_roles.filter(partnership=partnership).values_list("role", flat=True))
        cache[key] = frozenset({Role.PUBLIC} | {r for r in Role if r.value in names})
        user._samhandling_roles = cache
    return cache[key]


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))

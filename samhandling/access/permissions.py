"""Object-level predicates shared by selectors, services, views and the API.

The access matrix answers "may this role open this route at all"; these answer "may this user act on this
record". Keep them small and side-effect free so every surface (web, API, CLI) asks the same question.
"""

from .roles import Role, has_role


def is_secretariat(user) -> bool:
    return has_role(user, Role.SECRETARIAT, Role.ADMINISTRATOR)


def is_partnership_member(user, partnership) -> bool:
    """The user is linked to a person holding a current seat (member, substitute…) in the partnership."""
    if not getattr(user, "is_authenticated", False):
        return False
    from django.core.exceptions import ObjectDoesNotExist
    from django.db.models import Q
    from django.utils import timezone

    try:
        person = user.person
    except ObjectDoesNotExist:
        return False

    today = timezone.localdate()
    return person.memberships.filter(
        Q(term_start__isnull=True) | Q(term_start__lte=today),
        Q(term_end__isnull=True) | Q(term_end__gte=today),
        partnership=partnership,
    ).exists()


def can_view_meeting_drafts(user, partnership) -> bool:
    """Members and substitutes see the drafts of their own partnership's meetings; the secretariat sees all."""
    return is_secretariat(user) or is_partnership_member(user, partnership)


def can_edit_meeting(user, meeting) -> bool:
    """Only the secretariat edits meetings, and nobody edits adjusted or signed minutes."""
    return is_secretariat(user) and not is_signed(meeting)


def is_signed(meeting) -> bool:
    from samhandling.partnership.models import Meeting

    return meeting.status in (Meeting.Status.ADJUSTED, Meeting.Status.SIGNED, Meeting.Status.PUBLISHED)

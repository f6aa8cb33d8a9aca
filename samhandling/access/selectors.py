"""Reads for accounts and roles: who holds which role, and the audited history of a user's roles."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .roles import ROLE_LABELS, Role


def users(*, role: str = "", query: str = "") -> QuerySet:
    """Accounts with their groups, filtered by a role and by name, user name or e-mail."""
    qs = get_user_model().objects.prefetch_related("groups").order_by("last_name", "first_name", "username")
    if role in {r.value for r in Role}:
        qs = qs.filter(groups__name=role)
    if query:
        qs = qs.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return qs.distinct()


def role_labels(user) -> list[str]:
    """The user's roles in Swedish, from the prefetched groups."""
    names = {g.name for g in user.groups.all()}
    return [str(ROLE_LABELS[r]) for r in Role if r.value in names]


def role_history(user) -> list[dict]:
    """Every audited grant and revocation of the user's roles, newest first: when, who, what."""
    entries = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_pk=str(user.pk))
        .select_related("actor")
        .order_by("-timestamp")
    )
    labels = {r.value: str(ROLE_LABELS[r]) for r in Role}
    rows = []
    for entry in entries:
        change = (entry.changes_dict or {}).get("groups")
        if not isinstance(change, dict) or change.get("type") != "m2m":
            continue
        rows.append(
            {
                "at": entry.timestamp,
                "actor": entry.actor.get_full_name() or entry.actor.get_username() if entry.actor else "",
                "source": (entry.additional_data or {}).get("source", ""),
                "granted": change.get("operation") == "add",
                "roles": [labels.get(name, name) for name in change.get("objects", [])],
            }
        )
    return rows

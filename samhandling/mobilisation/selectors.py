"""Reads for mobilisation, with the object-level rules on top of the access matrix.

Ideas: everyone sees public ideas; users acting for an organisation, and the partnership's own roles, see
every idea. Attendee lists and interested users' contact details are for the secretariat and owners only.
"""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samhandling.partnership.scope import scoped
from samhandling.access.permissions import is_secretariat
from samhandling.access.roles import Role, roles_of
from samhandling.calls.models import Call
from samhandling.projects.models import Organisation, Project

from .models import InformationMeeting, OrganisationLinkRequest, OrganisationUser, PartnerSearchNotice, ProjectIdea

INTERNAL_ROLES = frozenset(Role) - {Role.PUBLIC, Role.APPLICANT}
CLOSED_CALL_STATUSES = (Call.Status.CLOSED, Call.Status.ASSESSED, Call.Status.DECIDED)


def organisation_of(user) -> Organisation | None:
    if not user.is_authenticated:
        return None
    link = OrganisationUser.objects.filter(user=user).select_related("organisation").first()
    return link.organisation if link else None


def may_decide_link_request(user, link_request: OrganisationLinkRequest) -> bool:
    """The secretariat, or a user already acting for the organisation asked for (who thereby invites)."""
    if not user.is_authenticated or user.pk == link_request.user_id:
        return False
    return (
        is_secretariat(user)
        or OrganisationUser.objects.filter(user=user, organisation_id=link_request.organisation_id).exists()
    )


def link_requests_to_decide(user) -> QuerySet:
    """Pending requests this user may decide: all for the secretariat, their own organisation's otherwise."""
    qs = OrganisationLinkRequest.objects.filter(status=OrganisationLinkRequest.Status.PENDING).select_related(
        "user", "organisation"
    )
    if is_secretariat(user):
        return qs
    own = organisation_of(user)
    return qs.filter(organisation=own).exclude(user=user) if own else qs.none()


def pending_link_requests_of(user) -> QuerySet:
    return OrganisationLinkRequest.objects.filter(
        user=user, status=OrganisationLinkRequest.Status.PENDING
    ).select_related("organisation")


def sees_all_ideas(user) -> bool:
    return user.is_authenticated and (bool(roles_of(user) & INTERNAL_ROLES) or organisation_of(user) is not None)


def visible_ideas(user) -> QuerySet:
    qs = scoped(ProjectIdea.objects).select_related("organisation").prefetch_related("themes", "areas", "counties")
    return qs if sees_all_ideas(user) else qs.filter(is_public=True)


def filter_ideas(qs: QuerySet, *, theme=None, county=None, transnational: bool = False, q: str = "") -> QuerySet:
    """Narrows the visible ideas by the list page's filters."""
    if theme:
        qs = qs.filter(themes=theme)
    if county:
        qs = qs.filter(counties=county)
    if transnational:
        qs = qs.filter(seeks_transnational=True)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs.distinct()


def can_manage_idea(user, idea: ProjectIdea, *, secretariat: bool = False) -> bool:
    """The idea's own organisation may change it; with `secretariat`, the secretariat may as well."""
    if secretariat and is_secretariat(user):
        return True
    organisation = organisation_of(user)
    return organisation is not None and organisation.pk == idea.organisation_id


def candidate_applications(idea: ProjectIdea) -> QuerySet:
    """Applications the idea can have become: those its own organisation submitted to a call."""
    return (
        Project.objects.filter(applicant=idea.organisation, call__isnull=False)
        .exclude(status=Project.Status.DRAFT)
        .select_related("call__fund")
    )


def current_notices(*, theme=None, country: str = "", today=None) -> QuerySet:
    """Partner-search notices still open for interest, soonest deadline first."""
    qs = PartnerSearchNotice.objects.filter(deadline__gte=today or timezone.localdate()).select_related(
        "organisation", "theme"
    )
    if theme:
        qs = qs.filter(theme=theme)
    if country:
        qs = qs.filter(country=country)
    return qs


def is_notice_owner(user, notice: PartnerSearchNotice) -> bool:
    organisation = organisation_of(user)
    return organisation is not None and organisation.pk == notice.organisation_id


def meetings(*, upcoming: bool) -> QuerySet:
    """Meetings still to come (soonest first) or already held (latest first), with their registration counts."""
    now = timezone.now()
    qs = InformationMeeting.objects.select_related("call__fund").annotate(
        registered=Count("registrations", filter=Q(registrations__confirmed_at__isnull=False))
    )
    if upcoming:
        return qs.filter(starts_at__gte=now).order_by("starts_at")
    return qs.filter(starts_at__lt=now).order_by("-starts_at")


def closed_calls_with_ideas() -> list[dict]:
    """For each closed call: the ideas that became applications in it, and applications from organisations
    with an idea not yet linked (likely the same work), for the secretariat's follow-up."""
    today = timezone.localdate()
    calls = Call.objects.filter(Q(status__in=CLOSED_CALL_STATUSES) | Q(closes_on__lt=today)).select_related("fund")
    result = []
    for call in calls:
        linked = list(ProjectIdea.objects.filter(application__call=call).select_related("organisation", "application"))
        unlinked = list(
            ProjectIdea.objects.filter(application__isnull=True, organisation__projects_as_applicant__call=call)
            .select_related("organisation")
            .distinct()
        )
        result.append({"call": call, "linked": linked, "unlinked": unlinked, "applications": call.projects.count()})
    return result

"""Reads for mobilisation, with the object-level rules on top of the access matrix.

Ideas: everyone sees public ideas; users acting for an organisation, and the partnership's own roles, see
every idea. Attendee lists and interested users' contact details are for the secretariat and owners only.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samhandling.partnership.scope import scoped
from samhandling.access.permissions import is_secretariat
from samhandling.access.roles import Role, roles_of
from samhandling.calls.models import Call
from samhandling.projects.models import Organisation, Participation, Project
from samhandling.projects.selectors import regulation_objective_code

from .models import (
    InformationMeeting,
    OrganisationLinkRequest,
    OrganisationUser,
    PartnerSearchNotice,
    ProjectIdea,
    ProjectPlatform,
)

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


def platforms() -> QuerySet:
    """The current partnership's project platforms, with the earmark each may work for."""
    return scoped(ProjectPlatform.objects).select_related("earmark")


def open_platforms(day=None) -> QuerySet:
    """The platforms that take ideas on `day` (today): those whose window holds it, or that have none."""
    day = day or timezone.localdate()
    return platforms().filter(
        Q(open_from__isnull=True) | Q(open_from__lte=day), Q(open_until__isnull=True) | Q(open_until__gte=day)
    )


def filter_ideas(
    qs: QuerySet, *, theme=None, county=None, platform=None, transnational: bool = False, q: str = ""
) -> QuerySet:
    """Narrows the visible ideas by the list page's filters."""
    if platform:
        qs = qs.filter(platform=platform)
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


EVIDENCE_PROJECTS = 5


@dataclass
class Evidence:
    """What imported partner lists say about an organisation: its projects, and in them its programmes,
    roles (lead partner or partner), countries and objectives, shown when it is suggested as a partner."""

    organisation: Organisation
    projects: list[Participation] = field(default_factory=list)
    total: int = 0
    programmes: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    in_objective: int = 0  # projects in the idea's objectives


def partner_evidence(organisation_ids, objective_codes=()) -> dict[int, Evidence]:
    """{organisation id: Evidence} from the imported participations of granted projects; organisations
    without any are left out. Projects in `objective_codes` come first."""
    codes = set(objective_codes)
    rows = (
        Participation.objects.filter(
            organisation_id__in=list(organisation_ids), project__status__in=Project.GRANTED_STATES
        )
        .select_related("project", "organisation")
        .order_by("-project__start_date", "project_id")
    )
    found: dict[int, Evidence] = {}
    programmes: dict[int, Counter] = {}
    for row in rows:
        evidence = found.setdefault(row.organisation_id, Evidence(row.organisation))
        evidence.total += 1
        evidence.in_objective += row.project.objective_code in codes
        programmes.setdefault(row.organisation_id, Counter())[row.project.programme_name or row.project.source] += 1
        role = row.get_role_display()
        if role not in evidence.roles:
            evidence.roles.append(role)
        if row.country not in evidence.countries:
            evidence.countries.append(row.country)
        if row.project.objective_code and row.project.objective_code not in evidence.objectives:
            evidence.objectives.append(row.project.objective_code)
        evidence.projects.append(row)
    for pk, evidence in found.items():
        evidence.programmes = [name for name, _count in programmes[pk].most_common()]
        evidence.projects.sort(key=lambda p: p.project.objective_code not in codes)  # stable: latest first within
        evidence.projects = evidence.projects[:EVIDENCE_PROJECTS]
        evidence.objectives.sort()
    return found


def experienced_partners(objective_codes, *, exclude=(), limit: int = 10) -> list[Evidence]:
    """Organisations that took part in granted projects of these specific objectives (any programme, Interreg
    included), Swedish ones first, then by how many such projects; with their evidence."""
    codes = sorted(set(objective_codes))
    if not codes:
        return []
    counts = (
        Participation.objects.filter(project__objective_code__in=codes, project__status__in=Project.GRANTED_STATES)
        .exclude(organisation_id__in=[pk for pk in exclude if pk])
        .values("organisation_id", "organisation__country")
        .annotate(n=Count("project", distinct=True))
        .order_by("-n", "organisation_id")
    )
    ranked = sorted(counts[: limit * 5], key=lambda r: (r["organisation__country"] != "SE", -r["n"]))[:limit]
    evidence = partner_evidence([r["organisation_id"] for r in ranked], codes)
    return [evidence[r["organisation_id"]] for r in ranked if r["organisation_id"] in evidence]


def idea_objective_codes(matches, calls: int = 3, projects: int = 3) -> list[str]:
    """The specific objectives an idea is in: those of the calls it matches best, and of its most similar
    granted projects, as the regulations number them (RSO1.1…)."""
    codes: list[str] = []
    for match in [m for m in matches.calls if m.score > 0][:calls]:
        for co in match.call.call_objectives.all():
            codes.append(regulation_objective_code(co.objective.code, match.call.fund.code))
    codes += [m.project.objective_code for m in matches.projects[:projects] if m.project.objective_code]
    return list(dict.fromkeys(codes))

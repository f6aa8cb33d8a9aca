"""Reads for assessment: work lists, who may see scores, and the aggregation of scores per application.

Scores are for the people assigned to the call (its assessors and those who prioritise it), and never for
anyone conflicted on the application (see `partnership.conflict_of_interest`). Every page, export and audit
view that shows scores goes through `visible_results` or `score_readable_application_ids`.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from samhandling.partnership.scope import scoped
from samhandling.access.roles import Role, has_role
from samhandling.calls.models import Call, PartnershipMode
from samhandling.calls.selectors import partnership_mode
from samhandling.partnership import conflict_of_interest
from samhandling.projects.models import Project

from .models import Assessment, Score, SelectionCriterion

ASSESSABLE = [Project.Status.SUBMITTED, Project.Status.ASSESSED]
SCORE_MODELS = ("assessment.assessment", "assessment.score", "assessment.prioritisationentry")


def prioritising_roles(call: Call) -> tuple[Role, ...]:
    """Under the old law the partnership's secretariat prepares the binding list; now the managing authority does."""
    if partnership_mode(call) == PartnershipMode.Mode.BINDING_PRIORITISATION:
        return (Role.SECRETARIAT, Role.ADMINISTRATOR)
    return (Role.MA_OFFICER, Role.ADMINISTRATOR)


def can_prioritise(user, call: Call) -> bool:
    """The roles of the call's mode; within an earmark (an ITI) also its intermediate body's own people."""
    return has_role(user, *prioritising_roles(call)) or is_intermediate_body(user, call)


def is_intermediate_body(user, call: Call) -> bool:
    body = call.earmark.intermediate_body_id if call.earmark is not None else None
    if body is None or not user.is_authenticated:
        return False
    from samhandling.mobilisation.selectors import organisation_of

    organisation = organisation_of(user)
    return organisation is not None and organisation.pk == body


def can_register_grant(user) -> bool:
    """The grant is the managing authority's decision; its officer or the secretariat registers it in either mode."""
    return has_role(user, Role.SECRETARIAT, Role.MA_OFFICER, Role.ADMINISTRATOR)


def assigned_to(user, call: Call) -> bool:
    """Assigned to the call: one of its assessors, or one of those who prioritise it."""
    if not user.is_authenticated:
        return False
    return call.assessors.filter(pk=user.pk).exists() or can_prioritise(user, call)


def score_readable_application_ids(user) -> set[int]:
    """Applications whose assessments the user may see: in calls assigned to them, less those they are jävig on."""
    calls = [c for c in scoped(Call.objects) if assigned_to(user, c)]
    applications = Project.objects.filter(call__in=calls)
    readable = set(applications.values_list("pk", flat=True))
    return readable - conflicted_ids(user, applications)


def conflicted_ids(user, applications) -> set[int]:
    return conflict_of_interest.conflicted_application_ids(user, applications)


def work_list(user) -> list[dict]:
    """The applications of the calls the user assesses, with their own assessment and any jäv."""
    rows = []
    applications = (
        scoped(Project.objects, "call__partnership")
        .filter(call__assessors=user, status__in=ASSESSABLE)
        .select_related("call__fund", "objective", "applicant")
        .order_by("call_id", "name")
    )
    mine = {a.application_id: a for a in Assessment.objects.filter(assessor=user)}
    for application in applications:
        rows.append(
            {
                "application": application,
                "assessment": mine.get(application.pk),
                "conflicts": conflict_of_interest.user_grounds(user, application),
            }
        )
    return rows


@dataclass
class CriterionResult:
    criterion: SelectionCriterion
    scores: list[int] = field(default_factory=list)

    @property
    def mean(self) -> Decimal | None:
        return Decimal(str(round(mean(self.scores), 2))) if self.scores else None

    @property
    def spread(self) -> int | None:
        """Largest minus smallest score: what the assessors disagree on."""
        return max(self.scores) - min(self.scores) if self.scores else None


@dataclass
class ApplicationResult:
    application: Project
    criteria: list[CriterionResult]
    assessors: int
    threshold: Decimal
    min_quality: Decimal | None

    @property
    def total(self) -> Decimal:
        return sum((c.mean for c in self.criteria if c.mean is not None), Decimal(0))

    @property
    def flagged(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.spread is not None and c.spread > self.threshold]

    @property
    def eligible(self) -> bool:
        """Fully assessed, and every criterion's mean at or above the call's minimum quality."""
        if not self.assessors or any(c.mean is None for c in self.criteria):
            return False
        return self.min_quality is None or all(c.mean is not None and c.mean >= self.min_quality for c in self.criteria)


def aggregate(call) -> list[ApplicationResult]:
    """Per application in the call: mean and spread per criterion over completed assessments, and the total."""
    criteria = list(SelectionCriterion.objects.filter(partnership=call.partnership_id).order_by("number"))
    applications = list(
        Project.objects.filter(call=call, submitted_at__isnull=False)
        .select_related("applicant", "objective")
        .order_by("name")
    )
    scores = Score.objects.filter(
        assessment__application__in=applications,
        assessment__completed_at__isnull=False,
    ).values_list("assessment__application_id", "assessment_id", "criterion_id", "score")
    by_app: dict[int, dict[int, list[int]]] = {}
    assessors: dict[int, set[int]] = {}
    for app_id, assessment_id, criterion_id, score in scores:
        by_app.setdefault(app_id, {}).setdefault(criterion_id, []).append(score)
        assessors.setdefault(app_id, set()).add(assessment_id)
    return [
        ApplicationResult(
            application=a,
            criteria=[CriterionResult(c, by_app.get(a.pk, {}).get(c.pk, [])) for c in criteria],
            assessors=len(assessors.get(a.pk, ())),
            threshold=call.disagreement_threshold,
            min_quality=call.min_quality,
        )
        for a in applications
    ]


def visible_results(user, call) -> tuple[list[ApplicationResult] | None, set[int]]:
    """The aggregated scores the user may see (None: no scores at all), and the applications hidden for jäv.

    Nobody outside the call's assignment sees scores; nobody sees those of an application they are jävig on.
    """
    if not assigned_to(user, call):
        return None, set()
    hidden = conflicted_ids(user, Project.objects.filter(call=call))
    return [r for r in aggregate(call) if r.application.pk not in hidden], hidden


def latest_prioritisation(call):
    return call.prioritisations.prefetch_related("entries__application__objective").first()


def unallocated(prioritisation) -> list[dict]:
    """Per objective of the call: the amount available, what the list prioritises and what remains."""
    rows = []
    entries = list(prioritisation.entries.select_related("application__objective"))
    for co in prioritisation.call.call_objectives.filter(held=True).select_related("objective"):
        used = sum(
            (e.amount for e in entries if e.prioritised and e.application.objective_id == co.objective_id), Decimal(0)
        )
        rows.append(
            {"objective": co.objective, "available": co.amount, "prioritised": used, "remaining": co.amount - used}
        )
    return rows

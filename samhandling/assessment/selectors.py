"""Reads for assessment: jäv ties, assessors' work lists and the aggregation of scores per application."""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from django.db.models import Q, QuerySet
from django.utils import timezone

from samhandling.partnership.models import PersonTie
from samhandling.projects.models import Project

from .models import Assessment, Score, SelectionCriterion

ASSESSABLE = [Project.Status.SUBMITTED, Project.Status.ASSESSED]


def organisation_ids(application: Project) -> set[int]:
    ids = set(application.partners.values_list("pk", flat=True))
    if application.applicant_id:
        ids.add(application.applicant_id)
    return ids


def ties(application: Project, persons=None) -> QuerySet:
    """Ties in force today between persons and the applicant or a partner: each one is a ground for jäv."""
    today = timezone.localdate()
    qs = (
        PersonTie.objects.filter(organisation_id__in=organisation_ids(application))
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        )
        .select_related("person", "organisation")
    )
    return qs.filter(person__in=persons) if persons is not None else qs


def tie_reason(tie: PersonTie, application: Project) -> str:
    return f"{tie.get_kind_display()} – {tie.organisation} (ansökan ”{application.name}”)"[:300]


def user_ties(user, application: Project) -> list[PersonTie]:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return list(ties(application, persons=[person])) if person else []


def work_list(user) -> list[dict]:
    """The applications of the calls the user assesses, with their own assessment and any jäv."""
    rows = []
    applications = (
        Project.objects.filter(call__assessors=user, status__in=ASSESSABLE)
        .select_related("call__fund", "objective", "applicant")
        .order_by("call_id", "name")
    )
    mine = {a.application_id: a for a in Assessment.objects.filter(assessor=user)}
    for application in applications:
        rows.append(
            {
                "application": application,
                "assessment": mine.get(application.pk),
                "conflicts": user_ties(user, application),
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
    criteria = list(SelectionCriterion.objects.order_by("number"))
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

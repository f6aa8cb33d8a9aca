"""Writes of the portfolio app: classifier suggestions, the secretariat's decisions, targets, evaluations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.projects.models import Project

from samhandling.programmes.models import RegulationObjective

from . import classification, labelling, specific
from .models import MaturityEvaluation, ProjectLabel, SmartSpecialisationArea, Target, Theme

_S = ProjectLabel.Status
_K = ProjectLabel.Kind


def _suggest(project, kind, confidence, terms, **key):
    """Stores a suggestion unless a person has already decided this label."""
    label, created = ProjectLabel.objects.get_or_create(
        project=project, kind=kind, **key, defaults={"confidence": confidence, "terms": terms}
    )
    if not created and label.status == _S.SUGGESTED:
        label.confidence, label.terms = confidence, terms
        label.save(update_fields=["confidence", "terms"])
    return label


@transaction.atomic
def classify_projects(projects, objective: bool = True) -> int:
    """Suggests areas, themes and (optionally) the thematic objective for each project; returns how many."""
    projects = list(projects)
    areas = labelling._compile(SmartSpecialisationArea.objects.all())
    themes = labelling._compile(Theme.objects.all())
    area_examples = labelling.learned_examples(_K.AREA)
    theme_examples = labelling.learned_examples(_K.THEME)
    texts = [classification.project_text(p) for p in projects]
    predictions = classification.predict(texts) if objective and projects else [None] * len(projects)
    for project, text, prediction in zip(projects, texts, predictions):
        for match in labelling.match_text(text, areas, area_examples):
            _suggest(project, _K.AREA, match.confidence, match.terms, area=match.target)
        for match in labelling.match_text(text, themes, theme_examples):
            _suggest(project, _K.THEME, match.confidence, match.terms, theme=match.target)
        if prediction is not None:
            label = ProjectLabel.objects.filter(project=project, kind=_K.OBJECTIVE).first()
            if label is None:
                ProjectLabel.objects.create(
                    project=project,
                    kind=_K.OBJECTIVE,
                    value=prediction.label,
                    confidence=prediction.confidence,
                    terms=prediction.terms,
                )
            elif label.status == _S.SUGGESTED:
                label.value, label.confidence, label.terms = prediction.label, prediction.confidence, prediction.terms
                label.save(update_fields=["value", "confidence", "terms"])
    if objective:
        suggest_specific_objectives(projects)
    return len(projects)


def suggest_specific_objectives(projects) -> int:
    """A suggested 2021–2027 specific objective for each project whose programme objective does not name one;
    a person's decision is never replaced. Returns how many suggestions were written."""
    open_projects = [
        p for p in projects if not (p.objective_id and p.objective.regulation_objective_id)
    ]  # the programme's objective already says it
    if not open_projects:
        return 0
    decided = set(
        ProjectLabel.objects.decided()
        .filter(kind=_K.SPECIFIC, project__in=open_projects)
        .values_list("project_id", flat=True)
    )
    open_projects = [p for p in open_projects if p.pk not in decided]
    suggestions = specific.suggest([classification.project_text(p) for p in open_projects]) if open_projects else []
    for project, suggestion in zip(open_projects, suggestions):
        ProjectLabel.objects.update_or_create(
            project=project,
            kind=_K.SPECIFIC,
            defaults={"value": suggestion.code, "confidence": suggestion.confidence, "terms": suggestion.terms},
        )
    return len(open_projects)


def _decide(label, status, user):
    label.status, label.decided_by, label.decided_at = status, user, timezone.now()
    label.save()
    return label


def confirm_label(label: ProjectLabel, user) -> ProjectLabel:
    return _decide(label, _S.CONFIRMED, user)


def reject_label(label: ProjectLabel, user) -> ProjectLabel:
    return _decide(label, _S.REJECTED, user)


@transaction.atomic
def set_objective(project: Project, value: str, user) -> ProjectLabel:
    """The secretariat's thematic objective for a project; kept and used when the classifier is retrained."""
    allowed = classification.labels_in_training_file()
    if value not in allowed:
        raise ValidationError({"value": _("Tematiskt mål: välj ett av målen i listan.")})
    return _human_choice(project, _K.OBJECTIVE, value, user)


@transaction.atomic
def set_specific_objective(project: Project, code: str, user) -> ProjectLabel:
    """The secretariat's 2021–2027 specific objective for a project (the regulation's code): it overrides the
    suggestion, is audited with its actor, counts in the portfolio and trains the suggestions."""
    if not RegulationObjective.objects.filter(code=code).exists():
        raise ValidationError({"value": _("Specifikt mål: välj ett av målen i listan.")})
    return _human_choice(project, _K.SPECIFIC, code, user)


def _human_choice(project: Project, kind: str, value: str, user) -> ProjectLabel:
    """The secretariat's value for the project's one label of `kind`: a confirmation when it is what was
    suggested, an override otherwise (which drops the suggestion's evidence)."""
    label = ProjectLabel.objects.filter(project=project, kind=kind).first() or ProjectLabel(project=project, kind=kind)
    confirms = label.pk and label.value == value and label.status in (_S.SUGGESTED, _S.CONFIRMED)
    status = _S.CONFIRMED if confirms else _S.OVERRIDDEN
    label.value, label.confidence, label.terms = value, 1.0, label.terms if status == _S.CONFIRMED else []
    return _decide(label, status, user)


@transaction.atomic
def add_label(project: Project, user, area=None, theme=None) -> ProjectLabel:
    """An area or theme the classifier missed, set by the secretariat."""
    if (area is None) == (theme is None):
        raise ValidationError(_("Välj antingen ett område eller ett tema."))
    kind = _K.AREA if area else _K.THEME
    label, _created = ProjectLabel.objects.get_or_create(project=project, kind=kind, area=area, theme=theme)
    label.confidence, label.terms = 1.0, []
    return _decide(label, _S.OVERRIDDEN, user)


def record_evaluation(form, user) -> MaturityEvaluation:
    """Saves a validated questionnaire answer."""
    evaluation = form.save(commit=False)
    evaluation.created_by = user if getattr(user, "is_authenticated", False) else None
    evaluation.save()
    return evaluation


@transaction.atomic
def set_target(*, area=None, theme=None, share_percent, decided_in: str = "", published: bool = False) -> Target:
    """The decided target share for one area or theme; a new decision replaces the earlier one."""
    target, _created = Target.objects.update_or_create(
        area=area,
        theme=theme,
        defaults={"share_percent": share_percent, "decided_in": decided_in, "published": published},
    )
    return target

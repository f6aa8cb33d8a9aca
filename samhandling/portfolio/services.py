"""Writes of the portfolio app: classifier suggestions, the secretariat's decisions, targets, evaluations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.projects.models import Project

from . import classification, labelling
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
    return len(projects)


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
    label = ProjectLabel.objects.filter(project=project, kind=_K.OBJECTIVE).first()
    if label is None:
        label = ProjectLabel(project=project, kind=_K.OBJECTIVE)
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


@transaction.atomic
def save_target(*, area, theme, share_percent, decided_in, published) -> Target:
    """The partnership's target share for an area or theme (one per area and theme), audited like any change."""
    target, _created = Target.objects.update_or_create(
        area=area,
        theme=theme,
        defaults={"share_percent": share_percent, "decided_in": decided_in, "published": published},
    )
    return target


def record_evaluation(form, user) -> MaturityEvaluation:
    """Saves a validated questionnaire answer."""
    evaluation = form.save(commit=False)
    evaluation.created_by = user if getattr(user, "is_authenticated", False) else None
    evaluation.save()
    return evaluation

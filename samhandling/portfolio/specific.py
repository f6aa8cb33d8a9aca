"""A project's suggested 2021–2027 specific objective (the regulation's code, e.g. RSO1.1), read from its text.

No published list labels Swedish project texts with 2021–2027 objectives yet, so the model starts from the
2014–2020 ground truth: Tillväxtverket's projects with the thematic objective the managing authority gave
them, relabelled with the specific objective that carries the same content in 2021–2027 (TO_SPECIFIC; the
technical-assistance objective has none and is left out). The secretariat's decisions on specific-objective
labels are added with the weight of decisions, so objectives the 2014–2020 data never had (circular economy,
ESF+ objectives) become possible suggestions once people have decided MIN_DECISIONS projects in them. Same model as the
thematic classifier (classifier.ObjectiveClassifier); the confidence is its calibrated probability.

A project whose programme objective already names the regulation's objective needs no suggestion.
"""

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import classification
from .objective_descriptions import DESCRIPTIONS

if TYPE_CHECKING:
    from .classifier import ObjectiveClassifier

MIN_DECISIONS = 2  # projects a new objective needs before it can be suggested
# Thematic objective 2014–2020 → the specific objective 2021–2027 with the same content.
TO_SPECIFIC = {
    "Att stärka forskning, teknisk utveckling och innovation": "RSO1.1",
    "Att öka tillgången till, användningen av och kvaliteten på IKT": "RSO1.2",
    "Att öka konkurrenskraften hos SMF, inom jordbruket (för Ejflu) samt inom fiske och vattenbruk (för EHFF)": (
        "RSO1.3"
    ),
    "Att stödja övergången till en koldioxidsnål ekonomi inom alla sektorer": "RSO2.1",
    "Att främja hållbara transporter och få bort flaskhalsar i viktig nätinfrastruktur": "RSO3.2",
}


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float
    terms: list[str]


def training_set() -> classification.TrainingSet:
    from .models import ProjectLabel

    ids, texts, labels = classification.load_training_file()
    rows = [(i, t, TO_SPECIFIC[label]) for i, t, label in zip(ids, texts, labels) if label in TO_SPECIFIC]
    ids, texts, labels = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    weights = [1.0] * len(texts)
    index = {source_id: i for i, source_id in enumerate(ids)}
    decided = ProjectLabel.objects.decided().filter(kind=ProjectLabel.Kind.SPECIFIC).select_related("project")
    for label in decided.order_by("pk"):
        project = label.project
        i = index.get(project.source_id) if project.source == "tillvaxtverket" else None
        if i is not None:
            labels[i], weights[i] = label.value, classification.OVERRIDE_WEIGHT
        else:
            texts.append(classification.project_text(project))
            labels.append(label.value)
            weights.append(classification.OVERRIDE_WEIGHT)
    # The calibration's three folds need three rows per objective: its description and MIN_DECISIONS projects.
    counts = Counter(labels)
    kept = [i for i, label in enumerate(labels) if counts[label] >= MIN_DECISIONS]
    return classification.TrainingSet([texts[i] for i in kept], [labels[i] for i in kept], [weights[i] for i in kept])


def descriptions() -> dict[str, str]:
    """What each specific objective means: the regulation's wording, and the 2014–2020 objective's description
    where one carries over."""
    from samhandling.programmes.models import RegulationObjective

    carried = {code: DESCRIPTIONS.get(to, "") for to, code in TO_SPECIFIC.items()}
    return {o.code: f"{o.name}. {carried.get(o.code, '')}".strip() for o in RegulationObjective.objects.all()}


_models: dict[str, "ObjectiveClassifier"] = {}  # by training-set fingerprint


def get_model():
    """Trained once per training set (the secretariat's decisions change it) and kept in the process."""
    data = training_set()
    key = data.fingerprint
    if key not in _models:
        from .classifier import ObjectiveClassifier  # scikit-learn: imported when a model is fitted

        model = ObjectiveClassifier(descriptions=descriptions())
        model.fit(data.texts, data.labels, sample_weight=np.asarray(data.weights))
        _models.clear()
        _models[key] = model
    return _models[key]


def suggest(texts: list[str], model=None) -> list[Suggestion]:
    model = model or get_model()
    return [
        Suggestion(p.label, p.confidence, p.terms) for p in classification.predict(texts, model=model, with_terms=True)
    ]

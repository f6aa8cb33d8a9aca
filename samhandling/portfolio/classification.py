"""Classification of project texts into the thematic objective (2014–2020), trained with scikit-learn.

Training data: Tillväxtverket's labelled project bank (`tematiskt_mål`) under settings.SHARED_DIR, plus the
secretariat's overrides stored as ProjectLabel rows (weighted higher: they are decisions, not guesses).
Only the project name and description are features; `insatsområde` is never read because it leaks the label.

Model: see build_model(); `confidence` is the calibrated probability of the chosen label, and the terms
shown with a label are the words of the text whose character n-grams weigh most towards it.
"""

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

from . import textanalysis
from .objective_descriptions import DESCRIPTIONS

TRAINING_FILE = "data/open/se-tillvaxtverket-eruf-2014-2020.json"
LABEL_FIELD = "tematiskt_mål"
OVERRIDE_WEIGHT = 5.0
MAX_CHARS = 3000  # the longest descriptions are cut; tuning found nothing gained beyond this
TOP_TERMS = 6


def record_text(record: dict) -> str:
    """Name and description of a record in the Tillväxtverket format (and nothing that leaks the label)."""
    return f"{record.get('projektnamn') or ''}. {record.get('projektbeskrivning') or ''}"[:MAX_CHARS]


def build_model():
    """The tuned model: settings chosen on mean CV over shuffle seeds 0–4, checked on seeds 5–9 and by nested CV
    (docs/portfolio.md)."""
    from .classifier import ObjectiveClassifier  # scikit-learn takes half a second to import: only when fitting

    return ObjectiveClassifier()


def build_baseline():
    """A plain TF-IDF baseline: default word TF-IDF on the raw text, default logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("features", TfidfVectorizer()), ("clf", LogisticRegression(max_iter=1000))])


LOCKED_SALT = "samhandling-locked-test-v1"  # changing it is a new split: the figures start over
LOCKED_SHARE = 5  # one project in five


def in_locked_test(source_id: str) -> bool:
    """Whether a labelled project belongs to the locked test split: fixed by a hash of its case id, so the
    split never depends on the file's order, on a random seed or on anything a tuning run could choose."""
    digest = hashlib.sha256(f"{LOCKED_SALT}:{source_id}".encode()).hexdigest()
    return int(digest, 16) % LOCKED_SHARE == 0


def load_training_file(path: Path | None = None, split: str = "all") -> tuple[list[str], list[str], list[str]]:
    """(ids, texts, labels) of the labelled file; rows without a label are skipped.

    split: "all" (what the shipped model learns from), "tuning" (everything cross-validation and any tuning
    decision may look at) or "locked" (the locked test split: only `locked_test` reads it)."""
    path = path or Path(settings.SHARED_DIR) / TRAINING_FILE
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = [r for r in rows if (r.get(LABEL_FIELD) or "").strip() and r.get(LABEL_FIELD) != "UPPGIFT SAKNAS"]
    if split != "all":
        rows = [r for r in rows if in_locked_test(str(r.get("ärende-id", ""))) == (split == "locked")]
    return [str(r.get("ärende-id", "")) for r in rows], [record_text(r) for r in rows], [r[LABEL_FIELD] for r in rows]


def labels_in_training_file() -> list[str]:
    return sorted(set(load_training_file()[2]))


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[str]
    weights: list[float]

    @property
    def fingerprint(self) -> str:
        """Of the rows and the model's settings: a saved model trained otherwise is retrained."""
        digest = hashlib.sha256(repr(build_model()).encode())
        digest.update(repr(sorted(DESCRIPTIONS.items())).encode())
        for text, label, weight in zip(self.texts, self.labels, self.weights):
            digest.update(f"{label}\x1f{weight}\x1f{text}\x1e".encode())
        return digest.hexdigest()[:16]


def training_set() -> TrainingSet:
    """The labelled file, with the secretariat's decisions on objective labels replacing or adding rows."""
    from .models import ProjectLabel

    ids, texts, labels = load_training_file()
    weights = [1.0] * len(texts)
    index = {source_id: i for i, source_id in enumerate(ids)}
    for label in ProjectLabel.objects.decided().filter(kind=ProjectLabel.Kind.OBJECTIVE).select_related("project"):
        project = label.project
        i = index.get(project.source_id) if project.source == "tillvaxtverket" else None
        if i is not None:
            labels[i], weights[i] = label.value, OVERRIDE_WEIGHT
        else:
            texts.append(project_text(project))
            labels.append(label.value)
            weights.append(OVERRIDE_WEIGHT)
    return TrainingSet(texts, labels, weights)


def project_text(project) -> str:
    return f"{project.name}. {project.summary}"[:MAX_CHARS]


def cross_validate(builder=build_model, folds: int = 5, seed: int = 0) -> dict:
    """Stratified k-fold accuracy and macro-F1 on the tuning split of the labelled file (no overrides: a fixed
    benchmark; the locked test split is never part of it)."""
    import warnings

    from sklearn.model_selection import StratifiedKFold, cross_validate as sk_cross_validate

    _, texts, labels = load_training_file(split="tuning")
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the smallest class has fewer members than folds
        scores = sk_cross_validate(builder(), texts, labels, cv=cv, scoring=("accuracy", "f1_macro"))
    return {
        "accuracy": float(np.mean(scores["test_accuracy"])),
        "f1_macro": float(np.mean(scores["test_f1_macro"])),
        "folds": folds,
        "n": len(texts),
    }


def locked_test(builder=build_model) -> dict:
    """Accuracy and macro-F1 on the locked test split of a model fitted on the tuning split: the figure for
    projects the model has never seen. Reported (docs/classification.md), never used to choose anything."""
    from sklearn.metrics import accuracy_score, f1_score

    _, texts, labels = load_training_file(split="tuning")
    _, test_texts, test_labels = load_training_file(split="locked")
    predicted = list(builder().fit(texts, labels).predict(test_texts))
    return {
        "accuracy": float(accuracy_score(test_labels, predicted)),
        "f1_macro": float(f1_score(test_labels, predicted, average="macro")),
        "n": len(test_texts),
        "errors": sum(a != b for a, b in zip(test_labels, predicted)),
    }


def model_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "portfolio" / "objective-model.joblib"


def train(data: TrainingSet | None = None):
    data = data or training_set()
    model = build_model()
    model.fit(data.texts, data.labels, sample_weight=np.asarray(data.weights))
    model.fingerprint = data.fingerprint
    return model


@lru_cache(maxsize=4)
def _cached(fingerprint: str):
    import joblib

    path = model_path()
    if path.exists():
        try:
            model = joblib.load(path)
            if getattr(model, "fingerprint", None) == fingerprint:
                return model
        except Exception:  # a stale or unreadable file is simply retrained
            pass
    model = train()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    joblib.dump(model, partial)
    os.replace(partial, path)  # atomic: a server or test worker reading at the same time never sees half a file
    return model


def get_model():
    """The model for the current training set: loaded from var/ when it matches, else retrained and saved."""
    return _cached(training_set().fingerprint)


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    terms: list[str]


def explain(text: str, label: str, model=None, top: int = TOP_TERMS) -> list[str]:
    """The words of a text whose character n-grams pushed most towards the label (most first)."""
    model = model or get_model()
    candidates = sorted(set(textanalysis.words(text[:MAX_CHARS])))
    if not candidates:
        return []
    weights = model.coefficients()[list(model.classes_).index(label)]
    scores = model.features_.transform(candidates) @ weights
    order = np.argsort(-scores)[:top]
    return [candidates[i] for i in order if scores[i] > 0]


def predict(texts: list[str], model=None, with_terms: bool = True) -> list[Prediction]:
    """Label, calibrated probability and (optionally) the words that drove the label, per text."""
    model = model or get_model()
    proba = model.predict_proba([t[:MAX_CHARS] for t in texts])
    classes = model.classes_
    out = []
    for text, row in zip(texts, proba):
        best = int(row.argmax())
        label = str(classes[best])
        out.append(Prediction(label, float(row[best]), explain(text, label, model) if with_terms else []))
    return out


def predict_records(records: list[dict], model=None) -> list[dict]:
    """Predictions for records in the Tillväxtverket format, as the `classify` command writes them."""
    preds = predict([record_text(r) for r in records], model=model, with_terms=False)
    return [
        {"ärende-id": r.get("ärende-id"), LABEL_FIELD: p.label, "confidence": round(p.confidence, 4)}
        for r, p in zip(records, preds)
    ]

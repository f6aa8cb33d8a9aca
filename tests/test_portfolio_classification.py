"""Thematic-objective classification: cross-validated quality, the classify command, overrides and retraining."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from factories import ProjectFactory
from samhandling.access.roles import Role
from samhandling.portfolio import classification, classifier
from samhandling.portfolio.models import ProjectLabel
from samhandling.portfolio.objective_descriptions import DESCRIPTIONS
from samhandling.programmes.models import Fund
from samhandling.projects.models import Project

TRAINING = settings.SHARED_DIR / classification.TRAINING_FILE


def test_cross_validated_figures_beat_floor_and_baseline():
    model = classification.cross_validate(classification.build_model)
    baseline = classification.cross_validate(classification.build_baseline)
    assert model["n"] == 197 and model["folds"] == 5  # the tuning split only
    # measured 0.893 / 0.876 on the tuning split (docs/classification.md); the floors sit just below
    assert model["accuracy"] >= 0.885 and model["f1_macro"] >= 0.865
    assert model["accuracy"] > baseline["accuracy"] and model["f1_macro"] > baseline["f1_macro"]


def test_locked_test_split_is_fixed_disjoint_and_meets_the_goal():
    """The locked split is chosen by a hash of the case id: the same 47 projects on every machine and in every
    order of the file, none of them in the tuning split. A change to the split changes the digest below."""
    import hashlib

    all_ids, _, _ = classification.load_training_file()
    tuning, _, _ = classification.load_training_file(split="tuning")
    locked, _, _ = classification.load_training_file(split="locked")
    assert not set(tuning) & set(locked) and sorted(tuning + locked) == sorted(all_ids)
    assert hashlib.sha256(",".join(sorted(locked)).encode()).hexdigest()[:16] == "c0d467b2ac8a9bab"
    figures = classification.locked_test(classification.build_model)
    # measured 0.979 / 0.982 (46 of 47 right); the goal is 0.90 / 0.80
    assert figures["n"] == 47 and figures["accuracy"] >= 0.90 and figures["f1_macro"] >= 0.80


def test_every_objective_in_training_file_has_its_description():
    """The descriptions are keyed by the labels as the file spells them: a respelt label would silently lose one."""
    assert set(classification.labels_in_training_file()) == set(DESCRIPTIONS)


def test_objective_descriptions_are_training_rows_of_their_objective():
    """An objective with two projects (and its description) is recognised from the regulation's wording."""
    _ids, texts, labels = classification.load_training_file()
    transport = "Att främja hållbara transporter och få bort flaskhalsar i viktig nätinfrastruktur"
    two = [i for i, label in enumerate(labels) if label == transport][:2]
    kept = [i for i, label in enumerate(labels) if label != transport or i in two]
    text = "Utbyggnad av järnvägssystem och multimodala knutpunkter i det transeuropeiska transportnätet, hamnar."
    confidence = {}
    for weight in (0.0, classification.build_model().description_weight):
        model = classifier.ObjectiveClassifier(description_weight=weight)
        model.fit([texts[i] for i in kept], [labels[i] for i in kept])
        prediction = classification.predict([text], model=model, with_terms=False)[0]
        confidence[weight] = prediction.confidence if prediction.label == transport else 0.0
    assert confidence[0.0] < confidence[classification.build_model().description_weight]


@pytest.mark.django_db
def test_classify_command_writes_labels_as_spelled_in_training_file(tmp_path):
    records = json.loads(TRAINING.read_text(encoding="utf-8"))[:6]
    for r in records:
        r.pop("tematiskt_mål")
        r["insatsområde"] = "Tekniskt stöd"  # must be ignored: it leaks the label
    source, target = tmp_path / "in.json", tmp_path / "pred.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    call_command("classify", "--input", str(source), "--output", str(target))
    predictions = json.loads(target.read_text(encoding="utf-8"))
    labels = set(classification.labels_in_training_file())
    assert [p["ärende-id"] for p in predictions] == [r["ärende-id"] for r in records]
    for p in predictions:
        assert set(p) == {"ärende-id", "tematiskt_mål", "confidence"}
        assert p["tematiskt_mål"] in labels and 0 < p["confidence"] <= 1
    assert sum(p["tematiskt_mål"] != "Tekniskt stöd" for p in predictions) >= 4


@pytest.mark.django_db
def test_secretariat_override_persists_and_is_used_in_retraining(client, make_user, demo):
    text = "Kvantsensorer för bagerier i skärgården"
    project = Project.objects.create(
        name=text,
        summary="Kvantsensorer bagerier skärgården kvantsensorer.",
        fund=Fund.objects.get(code="ERUF"),
        status=Project.Status.GRANTED,
    )
    before = classification.predict([classification.project_text(project)])[0]
    assert before.terms  # every suggestion carries the words that drove it
    chosen = next(label for label in classification.labels_in_training_file() if label != before.label)
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    response = client.post(reverse("portfolio:labels"), {"action": "objective", "project": project.pk, "value": chosen})
    assert response.status_code == 302
    label = ProjectLabel.objects.get(project=project, kind=ProjectLabel.Kind.OBJECTIVE)
    assert (label.value, label.status) == (chosen, ProjectLabel.Status.OVERRIDDEN)
    data = classification.training_set()
    assert data.texts[-1] == classification.project_text(project) and data.labels[-1] == chosen
    after = classification.predict([classification.project_text(project)])[0]
    assert after.label == chosen


@pytest.mark.django_db
def test_override_with_unknown_objective_is_refused(client, make_user):
    project = ProjectFactory()
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    response = client.post(
        reverse("portfolio:labels"), {"action": "objective", "project": project.pk, "value": "Påhittat"}, follow=True
    )
    assert "Tematiskt mål: välj ett av målen" in response.content.decode()
    assert not ProjectLabel.objects.filter(project=project, kind=ProjectLabel.Kind.OBJECTIVE).exists()

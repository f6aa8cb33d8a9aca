"""The thematic objective classifier itself (classification.build_model): kept apart from classification.py,
whose reading of files and texts the web pages need, so that importing those does not import scikit-learn."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .ngrams import WordCharTfidf
from .objective_descriptions import DESCRIPTIONS


class ObjectiveClassifier(ClassifierMixin, BaseEstimator):
    """Character n-gram TF-IDF into a ridge classifier that also learns from each objective's description.

    Character 3–6-grams within word boundaries (sublinear tf, n-grams in more than half the texts dropped)
    carry Swedish compounds and inflections that word stems split apart; tuning within cross-validation on
    the labelled file (docs/portfolio.md) found them better than stems, stems plus characters, SVMs,
    logistic regression, naive Bayes or soft voting with a word model. The n-gram vocabulary comes from the
    projects only; the regulation's description of each objective (objective_descriptions.py) is then added
    as one training row of weight `description_weight`: what an objective means, which 244 projects state
    only implicitly (it moved the mean CV accuracy over five shuffles from 0.885 to about 0.90). Strong
    regularisation and balanced class weights help the small objectives. One ridge model is fitted on all
    rows; temperature scaling fitted on three folds turns its scores into probabilities without changing
    which label scores highest.
    """

    def __init__(self, alpha=5.0, description_weight=10.0, descriptions=None):
        self.alpha = alpha
        self.description_weight = description_weight
        self.descriptions = descriptions  # {label: text}; None: the thematic objectives' (DESCRIPTIONS)

    def fit(self, texts, labels, sample_weight=None):
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import RidgeClassifier

        texts, labels = list(texts), list(labels)
        weights = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        descriptions = DESCRIPTIONS if self.descriptions is None else self.descriptions
        described = [label for label in descriptions if label in set(labels)]  # objectives seen in training
        self.features_ = WordCharTfidf(ngram_range=(3, 6), min_df=2, max_df=0.5).fit(texts)
        X = self.features_.transform(texts + [descriptions[label] for label in described])
        ridge = RidgeClassifier(alpha=self.alpha, class_weight="balanced")
        self.clf_ = CalibratedClassifierCV(ridge, method="temperature", cv=3, ensemble=False)
        self.clf_.fit(
            X,
            labels + described,
            sample_weight=np.concatenate([weights, np.full(len(described), self.description_weight)]),
        )
        self.classes_ = self.clf_.classes_
        return self

    def predict_proba(self, texts):
        return self.clf_.predict_proba(self.features_.transform(list(texts)))

    def predict(self, texts):
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def coefficients(self):
        """Per-class weights of the ridge model behind the calibration (rows in the order of classes_)."""
        return np.mean([c.estimator.coef_ for c in self.clf_.calibrated_classifiers_], axis=0)

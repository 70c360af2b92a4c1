"""A TF-IDF weighted linear SVM over bag-of-n-gram counts, with calibrated confidences (no Rasa imports).

Why not Rasa's LogisticRegressionClassifier on raw counts: on our data a linear
SVM over TF-IDF weighted, per-featurizer l2-normalised counts makes fewer
mistakes (eval/eval_nlu.py measures both; facts.md found the same on PhoATIS).
An SVM gives margins, not probabilities, so the margins are turned into
confidences by a softmax whose temperature is fitted on out-of-fold margins:
the ranking is the SVM's, and a confidence threshold (FallbackClassifier) means
what it says on examples the model has not seen.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

Blocks = Mapping[str, scipy.sparse.spmatrix]  # featurizer name -> (n_examples, n_features) counts


def idf_weights(counts: scipy.sparse.spmatrix) -> np.ndarray:
    """Smoothed inverse document frequency, as sklearn's TfidfTransformer computes it."""
    counts = scipy.sparse.csr_matrix(counts, copy=True)
    counts.sum_duplicates()
    counts.eliminate_zeros()
    documents = counts.shape[0]
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])  # documents holding each feature
    return np.log((1 + documents) / (1 + frequency)) + 1.0


def weigh(blocks: Blocks, order: Sequence[str], idf: Sequence[np.ndarray]) -> scipy.sparse.csr_matrix:
    """Each featurizer's counts TF-IDF weighted and l2-normalised on its own, then side by side,
    so that the thousands of character n-grams do not drown the few words."""
    parts = [normalize(scipy.sparse.csr_matrix(blocks[name]).multiply(weights).tocsr())
             for name, weights in zip(order, idf, strict=True)]
    return scipy.sparse.hstack(parts).tocsr()


@dataclass
class LinearIntentModel:
    classes: list[str]
    order: list[str]
    idf: list[np.ndarray]
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float

    @classmethod
    def fit(cls, blocks: Blocks, labels: Sequence[str], groups: Sequence[str], c: float = 1.0,
            folds: int = 5, random_state: int = 7) -> LinearIntentModel:
        """`groups` keeps variants of one example (e.g. its accent-free copy) in the same fold."""
        order = sorted(blocks)
        labels = np.asarray(labels)
        model = cls._fit_svm(blocks, order, labels, c, random_state)
        model.temperature = _fit_temperature(blocks, order, labels, np.asarray(groups), c, folds, random_state)
        return model

    @classmethod
    def _fit_svm(cls, blocks: Blocks, order: list[str], labels: np.ndarray, c: float,
                 random_state: int, rows: np.ndarray | None = None) -> LinearIntentModel:
        chosen = {name: scipy.sparse.csr_matrix(matrix)[rows] if rows is not None else matrix
                  for name, matrix in blocks.items()}
        idf = [idf_weights(chosen[name]) for name in order]
        y = labels if rows is None else labels[rows]
        svm = LinearSVC(C=c, random_state=random_state, dual=True, max_iter=5000)
        svm.fit(weigh(chosen, order, idf), y)
        coef, intercept = svm.coef_, svm.intercept_
        if len(svm.classes_) == 2:  # sklearn keeps one hyperplane for two classes
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        return cls(list(svm.classes_), order, idf, coef, intercept, 1.0)

    def margins(self, blocks: Blocks) -> np.ndarray:
        features = weigh(blocks, self.order, self.idf)
        return np.asarray(features @ self.coef.T) + self.intercept

    def confidences(self, blocks: Blocks) -> np.ndarray:
        return softmax(self.margins(blocks) / self.temperature, axis=1)

    def save(self, directory: Path) -> None:
        arrays = {f"idf_{i}": weights for i, weights in enumerate(self.idf)}
        np.savez(directory / "linear_intent_model.npz", coef=self.coef, intercept=self.intercept, **arrays)
        meta = {"classes": self.classes, "order": self.order, "temperature": self.temperature}
        (directory / "linear_intent_model.json").write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> LinearIntentModel:
        meta = json.loads((directory / "linear_intent_model.json").read_text())
        with np.load(directory / "linear_intent_model.npz", allow_pickle=False) as arrays:
            idf = [arrays[f"idf_{i}"] for i in range(len(meta["order"]))]
            return cls(meta["classes"], meta["order"], idf, arrays["coef"], arrays["intercept"], meta["temperature"])


def _fit_temperature(blocks: Blocks, order: list[str], labels: np.ndarray, groups: np.ndarray, c: float,
                     folds: int, random_state: int) -> float:
    """The softmax temperature that best predicts out-of-fold labels (lowest log loss)."""
    folds = min(folds, len(set(groups)))
    if folds < 2:
        return 1.0
    margins, truth = [], []
    for train, test in GroupKFold(folds).split(labels, labels, groups):
        if len(set(labels[train])) < 2:
            continue
        model = LinearIntentModel._fit_svm(blocks, order, labels, c, random_state, rows=train)
        index = {name: i for i, name in enumerate(model.classes)}
        known = np.array([label in index for label in labels[test]])
        if not known.any():
            continue
        held = {name: scipy.sparse.csr_matrix(matrix)[test[known]] for name, matrix in blocks.items()}
        scores = model.margins(held)
        # Columns in the full model's class order (a fold may miss a rare class: margin -inf).
        full = np.full((scores.shape[0], len(set(labels))), -1e9)
        everything = sorted(set(labels))
        for name, column in index.items():
            full[:, everything.index(name)] = scores[:, column]
        margins.append(full)
        truth.extend(everything.index(label) for label in labels[test[known]])
    if not margins:
        return 1.0
    stacked, truth = np.vstack(margins), np.asarray(truth)

    def loss(temperature: float) -> float:
        return -float(np.mean(log_softmax(stacked / temperature, axis=1)[np.arange(len(truth)), truth]))

    return float(minimize_scalar(loss, bounds=(0.01, 10.0), method="bounded").x)

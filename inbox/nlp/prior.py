"""Prior correction of textcat scores: per-label weights fitted on a dev split, applied by a spaCy component.

A classifier's scores carry the label priors of its training data. Macro-recall rewards each label equally, so
we multiply each score by a weight and renormalise; the weights are fitted to maximise macro-recall on the
dev split carved from the train file (never on a validation split) and stored in the pipeline's config.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "prior_correction"
GRID = tuple(math.exp(x / 20) for x in range(-50, 51))  # weights e^-2.5 .. e^2.5, 101 steps per label


def reweight(scores: Mapping[str, float], weights: Mapping[str, float]) -> dict[str, float]:
    """``scores`` times ``weights`` (missing weight = 1), renormalised to the original total."""
    raw = {k: v * weights.get(k, 1.0) for k, v in scores.items()}
    total, new_total = sum(scores.values()), sum(raw.values())
    if new_total <= 0:
        return dict(scores)
    return {k: v * total / new_total for k, v in raw.items()}


def _macro_recall(probs: np.ndarray, gold: np.ndarray, n_labels: int) -> float:
    pred = probs.argmax(axis=1)
    recalls = [float((pred[gold == k] == k).mean()) for k in range(n_labels) if (gold == k).any()]
    return sum(recalls) / len(recalls)


def fit_weights(
    scores: Sequence[Mapping[str, float]], gold: Sequence[str], labels: Sequence[str]
) -> dict[str, float]:
    """Weights maximising macro-recall of ``scores`` against ``gold``; the first label keeps weight 1.

    Exhaustive search over a log-spaced grid for the other labels (two free weights for three labels). Ties
    go to the weights closest to 1, so that an already balanced model is left as it is.
    """
    if len(scores) != len(gold) or not scores:
        raise ValueError("need as many gold labels as score rows, and at least one")
    probs = np.array([[s[lab] for lab in labels] for s in scores], dtype=np.float64)
    index = {lab: k for k, lab in enumerate(labels)}
    y = np.array([index[g] for g in gold])
    grids = np.array(np.meshgrid(*[GRID] * (len(labels) - 1), indexing="ij")).reshape(len(labels) - 1, -1).T
    best: tuple[float, float, tuple[float, ...]] = (-1.0, 0.0, ())
    for row in grids:
        w = np.concatenate([[1.0], row])
        score = _macro_recall(probs * w, y, len(labels))
        key = (round(score, 9), -float(np.abs(np.log(w)).sum()))
        if key > best[:2]:
            best = (key[0], key[1], tuple(float(v) for v in w))
    return {lab: round(w, 6) for lab, w in zip(labels, best[2], strict=True)}


class PriorCorrection:
    """Rescales ``doc.cats`` for the weighted labels; other labels (another textcat's) are untouched."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.weights = dict(weights)

    def __call__(self, doc: Doc) -> Doc:
        if self.weights:
            mine = {k: v for k, v in doc.cats.items() if k in self.weights}
            doc.cats.update(reweight(mine, self.weights))
        return doc


@Language.factory(FACTORY, default_config={"weights": {}})
def make_prior_correction(nlp: Language, name: str, weights: dict[str, float]) -> PriorCorrection:
    """The ``prior_correction`` component; its ``weights`` live in the pipeline's config.cfg."""
    return PriorCorrection(weights)

"""Training data and training of the English urgency model (inbox/nlp/urgency_model.py); `inbox train` and
`python -m inbox.nlp.urgency_cv` both use it.

Gold: urgency-twcs (high or critical = urgent). Silver (weak supervision): the customer tweets of
twcs-customer-support that are not in urgency-twcs (nor its disagreements file); a first model trained on the
gold rows scores them, and the ``SILVER`` highest-scored are added as urgent with weight ``SILVER_WEIGHT``
before the final fit. Features need the negative-sentiment and complaint scores of the English pipeline the
model will ship in (``scorer``), so retrain urgency_en after sentiment_en or complaint_en.
Since 2026-12-05 the second annotation's fresh tweets whose annotators agree on urgent or not are gold rows
too (weight 1): with its fourth round, ``python -m inbox.nlp.urgency_cv_pooled`` measured a gain on
urgency-twcs and on the corpus' own mix (docs/classification.md).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import spacy
from spacy.language import Language

from inbox.nlp import corrections, datasets
from inbox.nlp.annotations import read_annotated
from inbox.nlp.normalise import normalise
from inbox.nlp.urgency_model import FACTORY, UrgencyLinear, features, fit, predict

URGENT_LEVELS = ("high", "critical")
SUPPORT = Path("twcs-customer-support") / "train.csv"
DISAGREEMENTS = Path("urgency-twcs") / "disagreements.csv"
# Chosen by 5-fold CV on urgency-twcs (docs/classification.md), not on the folds they are reported on
POSITIVE_WEIGHT = 3.0  # an urgent gold tweet weighs this many others (82 urgent of 1,116)
L2 = 3e-3
STEPS = 200
SILVER = 1000
SILVER_WEIGHT = 0.3
CHARS = False  # character n-grams added nothing in CV and cost time


@dataclass(frozen=True, slots=True)
class Rows:
    texts: list[str]
    features: list[dict[int, float]]


def unlabelled_support(data_dir: Path, exclude: Sequence[str]) -> list[str]:
    """Customer tweets of twcs-customer-support that urgency-twcs did not label (ids and texts excluded)."""
    path = data_dir / SUPPORT
    if not path.is_file():
        raise datasets.DataMissing(f"missing data file: {path}")
    ids: set[str] = set()
    for name in (datasets.URGENCY, DISAGREEMENTS):
        with (data_dir / name).open(encoding="utf-8", newline="") as fh:
            ids |= {row["tweet_id"] for row in csv.DictReader(fh)}
    skip = set(exclude)
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            r["text"]
            for r in csv.DictReader(fh)
            if r["inbound"] == "True" and r["tweet_id"] not in ids and r["text"] not in skip
        ]


def featurise(scorer: Language, texts: Sequence[str]) -> Rows:
    """Features of each text, with the scorer pipeline's negative and complaint scores (urgency disabled)."""
    norm = [normalise(t) for t in texts]
    disabled = [n for n in scorer.pipe_names if n == "urgency"]
    with scorer.select_pipes(disable=disabled):
        docs = scorer.pipe([t or " " for t in norm], batch_size=256)
        rows = [
            features(t, float(d.cats.get("negative", 0.0)), float(d.cats.get("complaint", 0.0)), chars=CHARS)
            for t, d in zip(norm, docs, strict=True)
        ]
    return Rows(list(texts), rows)


def fit_urgency(
    gold: Sequence[dict[int, float]],
    urgent: Sequence[bool],
    unlabelled: Sequence[dict[int, float]],
    annotated: Sequence[tuple[dict[int, float], bool]] = (),
    annotated_weight: float = 1.0,
) -> tuple[np.ndarray, float]:
    """Fit on the gold (+ ``annotated``, each weighing ``annotated_weight``, urgent ones not up-weighted: the
    enriched picks make them common) rows, add the ``SILVER`` top-scored unlabelled rows as urgent, fit
    again."""
    x, y = list(gold), [float(u) for u in urgent]
    w = [POSITIVE_WEIGHT if u else 1.0 for u in urgent]
    x += [row for row, _ in annotated]
    y += [float(u) for _, u in annotated]
    w += [annotated_weight] * len(annotated)
    weights, bias = fit(x, y, w, l2=L2, steps=STEPS)
    if SILVER and unlabelled:
        top = np.argsort(-predict(unlabelled, weights, bias), kind="stable")[:SILVER]
        x += [unlabelled[i] for i in top]
        y += [1.0] * len(top)
        w += [SILVER_WEIGHT] * len(top)
        weights, bias = fit(x, y, w, l2=L2, steps=STEPS)
    return weights, bias


def scorer_pipeline(pipelines_dir: Path) -> Language:
    return spacy.load(pipelines_dir / "en", exclude=["tokenizer", "urgency"])


def gold_rows(data_dir: Path, corrected: Mapping[str, str] | None = None) -> list[tuple[str, bool]]:
    """(text, urgent) of urgency-twcs, with the agents' corrections (normalised text -> "urgent" or
    "not_urgent") laid over them and added ``inbox.nlp.corrections.COPIES`` times each."""
    rows = [(normalise(e.text), e.urgency or "") for e in datasets.read_urgency(data_dir)]
    labelled = [(text, "urgent" if level in URGENT_LEVELS else "not_urgent") for text, level in rows]
    laid = corrections.overlay(labelled, dict(corrected or {}))
    return [(text, label == "urgent") for text, label in laid]


def annotated_urgency(data_dir: Path) -> list[tuple[str, bool]]:
    """(text, urgent) of the second annotation's fresh tweets (``inbox.nlp.annotations``) whose two
    annotators agree on urgent (high or critical) or not."""
    return [(a.text, bool(a.urgent)) for a in read_annotated(data_dir) if a.urgent is not None]


def train_urgency(
    data_dir: Path,
    pipelines_dir: Path,
    out: Path,
    corrected: Mapping[str, str] | None = None,
    *,
    annotated: bool = True,
) -> Path:
    """Train on all of urgency-twcs (+ the second annotation unless not ``annotated``, + silver, + the
    agents' corrections) and write a one-component pipeline to ``out``."""
    scorer = scorer_pipeline(pipelines_dir)
    gold = gold_rows(data_dir, corrected)
    fresh = annotated_urgency(data_dir) if annotated else []
    g = featurise(scorer, [text for text, _ in gold])
    a = featurise(scorer, [text for text, _ in fresh])
    u = featurise(scorer, unlabelled_support(data_dir, [*g.texts, *a.texts]))
    rows = list(zip(a.features, (urgent for _, urgent in fresh), strict=True))
    weights, bias = fit_urgency(g.features, [urgent for _, urgent in gold], u.features, rows)
    nlp = spacy.blank("en")
    component = nlp.add_pipe(FACTORY, name="urgency")
    assert isinstance(component, UrgencyLinear)
    component.set_weights(weights, bias, chars=CHARS)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out


def featurise_transfer(scorer: Language, texts: Sequence[str], cues: str) -> list[dict[int, float]]:
    """Language-neutral features (``TRANSFER``): the cues (named alike in every language, matched by the
    patterns of ``cues``), style and the scorer's negative score; no words, no complaint score."""
    norm = [normalise(t) for t in texts]
    disabled = [n for n in scorer.pipe_names if n == "urgency"]
    with scorer.select_pipes(disable=disabled):
        docs = scorer.pipe([t or " " for t in norm], batch_size=256)
        return [
            features(t, float(d.cats.get("negative", 0.0)), 0.0, chars=False, words=False, cues=cues)
            for t, d in zip(norm, docs, strict=True)
        ]


def train_urgency_fr(
    data_dir: Path,
    pipelines_dir: Path,
    out: Path,
    corrected: Mapping[str, str] | None = None,
    *,
    annotated: bool = True,
) -> Path:
    """The French urgency model, transferred: fitted on urgency-twcs and (unless not ``annotated``) the
    second annotation (+ silver)
    through language-neutral features read with the English cues, plus the French agents' urgency
    corrections (normalised text -> "urgent"/"not_urgent") read with the French cues and the French
    sentiment, ``corrections.COPIES`` times each; written as a one-component French pipeline whose features
    use the French cues."""
    from inbox.nlp.classifier import MODEL_DIR

    english = scorer_pipeline(pipelines_dir if (pipelines_dir / "en").is_dir() else MODEL_DIR)
    gold = gold_rows(data_dir)
    fresh = annotated_urgency(data_dir) if annotated else []
    x = featurise_transfer(english, [text for text, _ in gold], "en")
    y = [urgent for _, urgent in gold]
    labelled = [text for text, _ in [*gold, *fresh]]
    silver = featurise_transfer(english, unlabelled_support(data_dir, labelled), "en")
    fresh_rows = list(
        zip(featurise_transfer(english, [t for t, _ in fresh], "en"), (u for _, u in fresh), strict=True)
    )
    if corrected:
        french = spacy.load(pipelines_dir / "fr", exclude=["tokenizer", "urgency"])
        texts = list(corrected)
        rows = featurise_transfer(french, texts, "fr")
        x += [row for row in rows for _ in range(corrections.COPIES)]
        y += [corrected[t] == "urgent" for t in texts for _ in range(corrections.COPIES)]
    weights, bias = fit_urgency(x, y, silver, fresh_rows)
    nlp = spacy.blank("fr")
    component = nlp.add_pipe(FACTORY, name="urgency")
    assert isinstance(component, UrgencyLinear)
    component.set_weights(weights, bias, chars=False, words=False, cues="fr")
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out

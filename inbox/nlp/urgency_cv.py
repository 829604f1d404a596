"""Cross-validated urgency figures (docs/classification.md): the urgency model with the rules, nested CV.

``python -m inbox.nlp.urgency_cv [DATA_DIR]`` splits urgency-twcs into 5 folds (stratified by level,
deterministic). For each outer fold it trains the urgency model (inbox/nlp/urgency_train.py: gold rows of the
4 other folds + silver rows from the unlabelled support tweets) and picks ``urgent_threshold`` by an inner
4-fold CV on those 4 folds only; the held-out fold is then decided as ``inbox classify`` decides it: the
packaged pipeline's rules, complaint model and sentiment, ``[urgency].model_confirms`` of config/nlp.toml,
and the fold's model at the fold's threshold. Prints high+critical precision, recall, F1, 4-level macro-F1
and critical recall, without and with the model, and the threshold a 5-fold CV over all of urgency-twcs
picks (the one to ship). Writes nothing.

``--transfer`` measures the French model's recipe on English instead (``urgency_train.featurise_transfer``:
cues, style and the negative score, no words, no complaint score; the rules it confirms and its threshold
as ``[urgency.by_language.fr]`` says): what the French model would reach if the French cue patterns read
French messages as well as the English ones read English, which no French label can check.
``--annotated`` also trains every model on the second annotation's fresh tweets (``inbox.nlp.annotations``;
none of them is an urgency-twcs tweet, so no fold leaks), as the packaged models are trained.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from inbox.nlp import datasets
from inbox.nlp.classifier import MODEL_DIR, Classifier, load_pipelines
from inbox.nlp.datasets import Example
from inbox.nlp.metrics import report
from inbox.nlp.settings import UrgencySettings, load_nlp_config
from inbox.nlp.types import LEVELS, Classification
from inbox.nlp.urgency import Signals, decide
from inbox.nlp.urgency_model import predict
from inbox.nlp.urgency_train import (
    URGENT_LEVELS,
    annotated_urgency,
    featurise,
    featurise_transfer,
    fit_urgency,
    unlabelled_support,
)

FOLDS = 5
THRESHOLDS = tuple(float(t) for t in np.round(np.arange(0.2, 0.951, 0.025), 3))


def folds(examples: Sequence[Example], key: str, salt: str = "inbox-cv:") -> list[int]:
    """Fold of each example: within each label, ordered by a hash of the text, dealt round-robin."""
    out = [0] * len(examples)
    labels = {getattr(e, key) for e in examples}
    for label in labels:
        idx = [i for i, e in enumerate(examples) if getattr(e, key) == label]
        idx.sort(key=lambda i: hashlib.sha256((salt + examples[i].text).encode()).hexdigest())
        for n, i in enumerate(idx):
            out[i] = n % FOLDS
    return out


def without_urgency_model(config_dir: Path) -> Classifier:
    """The packaged classifier with its own (trained on everything) urgency model switched off."""
    pipelines = load_pipelines(MODEL_DIR)
    for nlp in pipelines.values():
        if "urgency" in nlp.pipe_names:
            nlp.disable_pipe("urgency")
    return Classifier(pipelines, load_nlp_config(config_dir))


def signals(clf: Classifier, c: Classification) -> Signals:
    """The decision's inputs, read back from a classification made without the urgency model."""
    levels = {name: rule.level for name, rule in clf.config.rules_for(c.language).items()}
    rules = [(r[5:], levels[r[5:]]) for r in c.urgency_reasons if r.startswith("rule:")]
    complaint = float("model:complaint" in c.urgency_reasons) if c.language == "en" else None
    return Signals(rules, c.sentiment, complaint)


def decide_all(
    base: Sequence[Signals], langs: Sequence[str], p: Sequence[float], s: UrgencySettings
) -> list[str]:
    out = []
    for sig, lang, urgent in zip(base, langs, p, strict=True):
        sig = Signals(sig.rules, sig.sentiment, sig.complaint, None, float(urgent) if lang == "en" else None)
        out.append(decide(sig, s)[0])
    return out


def binary(
    gold: Sequence[str], pred: Sequence[str], weight: Sequence[float] | None = None
) -> dict[str, float]:
    """High+critical against the rest: precision, recall, F1 (each item counting ``weight``, default 1)."""
    w = [1.0] * len(gold) if weight is None else list(weight)
    rows = [(g in URGENT_LEVELS, p in URGENT_LEVELS, x) for g, p, x in zip(gold, pred, w, strict=True)]
    tp = sum(x for g, p, x in rows if g and p)
    flagged, urgent = sum(x for _, p, x in rows if p), sum(x for g, _, x in rows if g)
    precision, recall = (tp / flagged if flagged else 0.0), (tp / urgent if urgent else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _oof(
    idx: Sequence[int],
    fold_of: Sequence[int],
    x: Sequence[dict[int, float]],
    y: Sequence[bool],
    unl: Sequence[dict[int, float]],
    annotated: Sequence[tuple[dict[int, float], bool]] = (),
) -> dict[int, float]:
    """Out-of-fold P(urgent) for ``idx``, each fold's model trained on the other folds within ``idx`` (and
    on ``annotated``, which holds none of them)."""
    out: dict[int, float] = {}
    for k in sorted({fold_of[i] for i in idx}):
        train = [i for i in idx if fold_of[i] != k]
        test = [i for i in idx if fold_of[i] == k]
        w, b = fit_urgency([x[i] for i in train], [y[i] for i in train], unl, annotated)
        out |= dict(zip(test, predict([x[i] for i in test], w, b).tolist(), strict=True))
    return out


def best_threshold(
    idx: Sequence[int],
    p: dict[int, float],
    base: Sequence[Signals],
    langs: Sequence[str],
    gold: Sequence[str],
    s: UrgencySettings,
    weight: Sequence[float] | None = None,
) -> float:
    """The threshold of ``THRESHOLDS`` with the best high+critical F1 on ``idx`` (each item counting its
    ``weight``, indexed like ``gold``; default 1)."""

    def f1(t: float) -> float:
        pred = decide_all(
            [base[i] for i in idx],
            [langs[i] for i in idx],
            [p[i] for i in idx],
            s.model_copy(update={"urgent_threshold": t}),
        )
        w = None if weight is None else [weight[i] for i in idx]
        return binary([gold[i] for i in idx], pred, w)["f1"]

    return max(THRESHOLDS, key=f1)


def _line(name: str, gold: Sequence[str], pred: Sequence[str], weight: Sequence[float] | None = None) -> str:
    """The figures of one system on one set (``weight``: what each item stands for; counts stay raw)."""
    m, b = report(gold, pred, LEVELS, weight), binary(gold, pred, weight)
    hit = sum(g == p == "critical" for g, p in zip(gold, pred, strict=True))
    critical = gold.count("critical")
    return (
        f"{name}: high+critical P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}; "
        f"4-level macro-F1 {m['macro_f1']:.3f}; critical recall {m['recall_critical']:.3f} "
        f"({hit}/{critical}) (n={len(gold)})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    transfer, with_annotated = "--transfer" in args, "--annotated" in args
    args = [a for a in args if a not in ("--transfer", "--annotated")]
    data_dir = Path(args[0] if args else "../shared/data")
    clf = without_urgency_model(Path("config"))
    settings = clf.config.urgency.for_language("fr") if transfer else clf.config.urgency
    urgency = datasets.read_urgency(data_dir)
    texts, gold = [e.text for e in urgency], [e.urgency or "" for e in urgency]
    classified = clf.classify(texts)
    base, langs = [signals(clf, c) for c in classified], [c.language for c in classified]
    scorer = clf.pipelines["en"]
    fresh = annotated_urgency(data_dir) if with_annotated else []
    unlabelled = unlabelled_support(data_dir, [*texts, *(t for t, _ in fresh)])

    def rows(items: Sequence[str]) -> list[dict[int, float]]:
        return featurise_transfer(scorer, items, "en") if transfer else featurise(scorer, items).features

    x, unl = rows(texts), rows(unlabelled)
    extra = list(zip(rows([t for t, _ in fresh]), (u for _, u in fresh), strict=True))
    y = [g in URGENT_LEVELS for g in gold]
    fold_of = folds(urgency, "urgency")
    print(_line("rules + complaint + sentiment (no urgency model)", gold, [c.urgency for c in classified]))
    pred = [""] * len(gold)
    chosen = []
    for k in range(FOLDS):
        train = [i for i in range(len(gold)) if fold_of[i] != k]
        test = [i for i in range(len(gold)) if fold_of[i] == k]
        t = best_threshold(train, _oof(train, fold_of, x, y, unl, extra), base, langs, gold, settings)
        chosen.append(t)
        w, b = fit_urgency([x[i] for i in train], [y[i] for i in train], unl, extra)
        p = predict([x[i] for i in test], w, b).tolist()
        s = settings.model_copy(update={"urgent_threshold": t})
        for i, level in zip(
            test, decide_all([base[i] for i in test], [langs[i] for i in test], p, s), strict=True
        ):
            pred[i] = level
    print(_line("+ urgency model, nested CV (threshold per outer fold from its inner CV)", gold, pred))
    print(f"  thresholds chosen by the inner CVs: {', '.join(f'{t:.3f}' for t in chosen)}")
    everything = list(range(len(gold)))
    t = best_threshold(everything, _oof(everything, fold_of, x, y, unl, extra), base, langs, gold, settings)
    print(f"threshold to ship (5-fold CV, all of urgency-twcs): {t:.3f}; config: {settings.urgent_threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

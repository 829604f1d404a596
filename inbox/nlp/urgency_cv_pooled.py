"""Urgency figures on urgency-twcs and on the second annotation together (docs/classification.md).

``python -m inbox.nlp.urgency_cv_pooled [DATA_DIR]``: the items are the 1,116 urgency-twcs tweets and the
fresh tweets of the second annotation (``inbox.nlp.annotations``) on which both annotators agree whether they
are urgent. Five outer folds, stratified by source and by urgent/not, deterministic. Each outer fold trains
the urgency model two ways, on the same training items: urgency-twcs only (the recipe shipped before the
second annotation) and urgency-twcs + the second annotation (the shipped recipe); ``urgent_threshold`` is
chosen by an inner 4-fold CV on the training items, maximising F1 with each fresh tweet weighted to stand
for its share of the pool (``annotations.weights``; an urgency-twcs tweet counts once). The
held-out fold is decided as ``inbox classify`` decides it. Prints high+critical precision, recall, F1,
4-level macro-F1 and critical recall on urgency-twcs, on the randomly picked fresh tweets, and on all fresh
tweets weighted to stand for the pool they were picked from (``annotations.weights``: the corpus' own mix;
the random picks alone are not, since each round picked them from what the earlier enriched picks had
left). Writes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from inbox.nlp import datasets
from inbox.nlp.annotations import NATURAL, URGENT_LEVELS, read_annotated
from inbox.nlp.annotations.weights import pool_weights
from inbox.nlp.urgency_cv import FOLDS, _line, best_threshold, decide_all, signals, without_urgency_model
from inbox.nlp.urgency_model import predict
from inbox.nlp.urgency_train import featurise, fit_urgency, unlabelled_support

GOLD = "urgency-twcs"


def pooled_folds(texts: Sequence[str], strata: Sequence[tuple[bool, bool]]) -> list[int]:
    """Within each stratum, ordered by a hash of the text and dealt round-robin."""
    out = [0] * len(texts)
    for stratum in set(strata):
        idx = [i for i, s in enumerate(strata) if s == stratum]
        idx.sort(key=lambda i: hashlib.sha256(("inbox-pooled:" + texts[i]).encode()).hexdigest())
        for n, i in enumerate(idx):
            out[i] = n % FOLDS
    return out


def level_of(levels: tuple[str, str]) -> str:
    """One level for a fresh tweet whose annotators agree on urgent/not: theirs, or the lower of the two."""
    order = ("low", "normal", "high", "critical")
    return min(levels, key=order.index)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.nlp.urgency_cv_pooled", description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    parser.add_argument(
        "--weight", type=float, default=1.0, help="weight of a second-annotation training row (default 1)"
    )
    args = parser.parse_args(argv)
    clf = without_urgency_model(Path("config"))
    settings = clf.config.urgency
    gold_rows = datasets.read_urgency(args.data_dir)
    fresh = [a for a in read_annotated(args.data_dir) if a.urgent is not None]
    weight = [1.0] * len(gold_rows) + pool_weights(args.data_dir, fresh)
    texts = [e.text for e in gold_rows] + [a.text for a in fresh]
    gold = [e.urgency or "" for e in gold_rows] + [level_of(a.urgency) for a in fresh]
    source = [GOLD] * len(gold_rows) + [a.pick for a in fresh]
    annotated = [s != GOLD for s in source]
    y = [g in URGENT_LEVELS for g in gold]
    classified = clf.classify(texts)
    base, langs = [signals(clf, c) for c in classified], [c.language for c in classified]
    scorer = clf.pipelines["en"]
    x = featurise(scorer, texts).features
    unl = featurise(scorer, unlabelled_support(args.data_dir, texts)).features
    fold_of = pooled_folds(texts, list(zip(annotated, y, strict=True)))

    def fit_on(idx: Sequence[int], with_annotated: bool) -> tuple[np.ndarray, float]:
        g = [i for i in idx if not annotated[i]]
        a = [(x[i], y[i]) for i in idx if annotated[i]] if with_annotated else []
        return fit_urgency([x[i] for i in g], [y[i] for i in g], unl, a, args.weight)

    def probabilities(train: Sequence[int], test: Sequence[int], with_annotated: bool) -> list[float]:
        w, b = fit_on(train, with_annotated)
        return [float(p) for p in predict([x[i] for i in test], w, b)]

    def threshold(train: Sequence[int], with_annotated: bool) -> float:
        """Best F1 on ``train``, out of fold within it, each fresh tweet weighted to stand for its share of
        the pool (urgency-twcs, a sample of the same corpus, counts each of its tweets once)."""
        oof: dict[int, float] = {}
        for j in sorted({fold_of[i] for i in train}):
            inner_test = [i for i in train if fold_of[i] == j]
            inner_train = [i for i in train if fold_of[i] != j]
            oof |= dict(zip(inner_test, probabilities(inner_train, inner_test, with_annotated), strict=True))
        return best_threshold(list(train), oof, base, langs, gold, settings, weight)

    def run(with_annotated: bool) -> tuple[list[str], list[float]]:
        pred, chosen = [""] * len(texts), []
        for k in range(FOLDS):
            train = [i for i in range(len(texts)) if fold_of[i] != k and (with_annotated or not annotated[i])]
            test = [i for i in range(len(texts)) if fold_of[i] == k]
            t = threshold(train, with_annotated)
            chosen.append(t)
            s = settings.model_copy(update={"urgent_threshold": t})
            p = probabilities(train, test, with_annotated)
            levels = decide_all([base[i] for i in test], [langs[i] for i in test], p, s)
            for i, level in zip(test, levels, strict=True):
                pred[i] = level
        return pred, chosen

    def lines(name: str, pred: Sequence[str]) -> None:
        print(name)
        subsets: tuple[tuple[str, Callable[[int], bool], bool], ...] = (
            (GOLD, lambda i: source[i] == GOLD, False),
            ("second annotation, picked at random", lambda i: source[i] == NATURAL, False),
            ("second annotation, all picks", lambda i: annotated[i], False),
            ("second annotation as the corpus' own mix (pool weights)", lambda i: annotated[i], True),
        )
        for label, keep, weighted in subsets:
            idx = [i for i in range(len(texts)) if keep(i)]
            w = [weight[i] for i in idx] if weighted else None
            print("  " + _line(label, [gold[i] for i in idx], [pred[i] for i in idx], w))

    print(f"{len(gold_rows)} urgency-twcs tweets, {len(fresh)} second-annotation tweets (agreed urgent/not)")
    lines("rules + complaint + sentiment (no urgency model)", [c.urgency for c in classified])
    recipes = ((False, "model trained on urgency-twcs only"), (True, "model trained on both"))
    for with_annotated, name in recipes:
        pred, chosen = run(with_annotated)
        lines(f"+ {name}, nested CV (thresholds {', '.join(f'{t:.3f}' for t in chosen)})", pred)
    t = threshold(range(len(texts)), True)
    print(f"threshold to ship (5-fold CV, all items): {t:.3f}; config: {settings.urgent_threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

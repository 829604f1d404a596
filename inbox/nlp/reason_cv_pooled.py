"""Contact-reason figures on contact-reasons-twcs and the second annotation together (docs/classification.md).

``python -m inbox.nlp.reason_cv_pooled [DATA_DIR]``: the items are the 822 agreed contact-reasons-twcs tweets
and the fresh tweets of the second annotation (``inbox.nlp.annotations``) on which both annotators agree.
Five outer folds (``reason_train.folds``: stratified by reason, deterministic). Each outer fold trains the
model + rules two ways: on the contact-reasons-twcs training items only (the recipe shipped before the second
annotation) and on all training items (the shipped recipe); both add the disagreements as training rows, and
both choose balance and ``rule_boost`` by ``reason_train.choose``'s inner 4-fold CV on their training items.
Prints accuracy, macro-F1 and per-reason F1 of the keyword rules and of each recipe on contact-reasons-twcs,
on the randomly picked fresh tweets (no rule ever read from them), and on all fresh tweets weighted to stand
for the pool they were picked from (``annotations.weights``: the corpus' own mix; the random picks alone are
not, since each round picked them from what the earlier enriched picks had left). Writes nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from inbox.nlp.annotations import NATURAL, read_annotated
from inbox.nlp.annotations.weights import pool_weights
from inbox.nlp.metrics import report
from inbox.nlp.reason_train import (
    FOLDS,
    annotated_rows,
    choose,
    folds,
    predict,
    print_table,
    read_rows,
    train,
)
from inbox.nlp.reasons import ReasonDecider
from inbox.nlp.settings import load_nlp_config

GOLD = "contact-reasons-twcs"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.nlp.reason_cv_pooled", description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    args = parser.parse_args(argv)
    decider = ReasonDecider(load_nlp_config().reasons, {}, "en")
    gold, disagreements = read_rows(args.data_dir)
    fresh = annotated_rows(args.data_dir)
    rows = [*gold, *(row for _, row in fresh)]
    source = [GOLD] * len(gold) + [pick for pick, _ in fresh]
    fold = folds(rows, FOLDS)
    names = (
        "keyword rules",
        "model + rules, trained on contact-reasons-twcs only",
        "model + rules, trained on both",
    )
    preds = {name: [""] * len(rows) for name in names}
    for f in range(FOLDS):
        test_idx = [i for i in range(len(rows)) if fold[i] == f]
        test = [rows[i] for i in test_idx]
        out = {names[0]: predict(test, decider, None, 2.0)}
        for name, keep in ((names[1], {GOLD}), (names[2], None)):
            fit_rows = [r for i, r in enumerate(rows) if fold[i] != f and (keep is None or source[i] in keep)]
            balance, boost = choose(fit_rows, disagreements, decider, FOLDS - 1)
            print(f"fold {f}, {name}: balance {balance}, rule_boost {boost} (inner CV)", flush=True)
            out[name] = predict(test, decider, train([*fit_rows, *disagreements], decider, balance), boost)
        for name, p in out.items():
            for i, label in zip(test_idx, p, strict=True):
                preds[name][i] = label
    agreed = [a for a in read_annotated(args.data_dir) if a.agreed_reason is not None]  # ``fresh``'s order
    weight = [1.0] * len(gold) + pool_weights(args.data_dir, agreed)
    print(f"{len(gold)} contact-reasons-twcs tweets, {len(fresh)} second-annotation tweets (agreed reason)")
    sets: tuple[tuple[str, Callable[[int], bool], bool], ...] = (
        (GOLD, lambda i: source[i] == GOLD, False),
        ("second annotation, picked at random", lambda i: source[i] == NATURAL, False),
        ("second annotation as the corpus' own mix (pool weights)", lambda i: source[i] != GOLD, True),
    )
    for label, member, weighted in sets:
        idx = [i for i in range(len(rows)) if member(i)]
        print(f"\n{label} (n={len(idx)})")
        gold_labels, w = [rows[i].label for i in idx], [weight[i] for i in idx] if weighted else None
        print_table(
            {name: report(gold_labels, [p[i] for i in idx], decider.labels, w) for name, p in preds.items()},
            decider.labels,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

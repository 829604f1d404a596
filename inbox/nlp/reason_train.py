"""Train and measure the English contact-reason model on contact-reasons-twcs (docs/classification.md).

``python -m inbox.nlp.reason_train [DATA_DIR] [--cv | --speed] [--out MODEL_DIR]``. ``--cv`` prints 5-fold
cross-validated accuracy, macro-F1 and per-reason F1 of a keyword baseline (config/nlp.toml's English
phrase rules alone), naive Bayes on words and word pairs, the model without rules and the model with rules,
whose two settings (class balance, ``rule_boost``) are chosen by an inner 4-fold CV on the training folds
only (nested). ``--speed`` times the packaged decision. Without either, it picks the settings by 5-fold CV
on all rows, trains on all of them and writes the weights to ``MODEL_DIR/reasons/en`` (default: the
packaged model). The tweets of ``disagreements.csv`` (half weight to each annotator's label) and the
second annotation's agreed fresh tweets (``inbox.nlp.annotations``; ``--no-annotated`` leaves them out) are
training rows, never evaluation rows: ``python -m inbox.nlp.reason_cv_pooled`` scores the fresh ones.
``--lang fr --corrections FILE`` trains the French model from the agents' French reason corrections alone
(``inbox.nlp.reason_train_fr``; no data folder read).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inbox.nlp.annotations import read_annotated
from inbox.nlp.corrections import COPIES, labels_for, read
from inbox.nlp.metrics import report
from inbox.nlp.normalise import normalise
from inbox.nlp.reason_model import ReasonWeights, features, fit
from inbox.nlp.reasons import ReasonDecider, ReasonSettings, load_reason_models
from inbox.nlp.settings import load_nlp_config

DATA = Path("contact-reasons-twcs")
FOLDS = 5
SUPPORT = Path("twcs-customer-support") / "train.csv"
RARE = ("account_access", "billing_payment", "cancellation", "delivery_order", "travel_booking")
BALANCE = (0.5, 1.0)
# Never 0: a matched phrase must always count, or a reason added in the config with phrases only (no training
# data) could never win and community managers' phrases would change nothing where a model decides
BOOSTS = (1.0, 2.0, 3.0)


@dataclass(frozen=True, slots=True)
class Row:
    text: str  # normalised
    gold: dict[str, float]  # reason -> target mass (1.0, or 0.5 + 0.5 for a disagreement)

    @property
    def label(self) -> str:
        return max(self.gold, key=self.gold.__getitem__)


def read_rows(data_dir: Path) -> tuple[list[Row], list[Row]]:
    """The agreed rows of train.csv and the disagreements (both labels, half each)."""
    folder = data_dir / DATA
    with (folder / "train.csv").open(encoding="utf-8", newline="") as f:
        agreed = [Row(normalise(r["text"]), {r["reason"]: 1.0}) for r in csv.DictReader(f)]
    split: list[Row] = []
    path = folder / "disagreements.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                gold = Counter({r["annotator_1"]: 0.5}) + Counter({r["annotator_2"]: 0.5})
                split.append(Row(normalise(r["text"]), dict(gold)))
    return agreed, split


def annotated_rows(data_dir: Path) -> list[tuple[str, Row]]:
    """(pick, row) of the second annotation's fresh tweets (``inbox.nlp.annotations``) on which both
    annotators agree, each weighing one tweet."""
    return [
        (a.pick, Row(normalise(a.text), {a.agreed_reason: 1.0}))
        for a in read_annotated(data_dir)
        if a.agreed_reason is not None
    ]


def training_rows(
    data_dir: Path, *, disagreements: bool = True, annotated: bool = True
) -> tuple[list[Row], list[Row]]:
    """(agreed rows, training-only rows): the disagreements and the second annotation, as asked."""
    rows, split = read_rows(data_dir)
    extra = split if disagreements else []
    if annotated:
        extra = [*extra, *(row for _, row in annotated_rows(data_dir))]
    return rows, extra


def with_corrections(rows: Sequence[Row], corrected: dict[str, str]) -> list[Row]:
    """``rows`` with the agents' reasons (normalised text -> reason) laid over them, each corrected text
    added ``inbox.nlp.corrections.COPIES`` more times: a correction outranks the annotators' label."""
    laid = [Row(r.text, {corrected[r.text]: 1.0}) if r.text in corrected else r for r in rows]
    return laid + [Row(text, {label: 1.0}) for text, label in corrected.items() for _ in range(COPIES)]


def silver_rows(data_dir: Path, decider: ReasonDecider, known: set[str], mass: float) -> list[Row]:
    """Weak supervision: inbound support tweets (twcs-customer-support/train.csv) not in the labelled files
    whose English phrases point to exactly one rare reason, labelled with it at ``mass`` weight."""
    _, en_rules = decider.route("en")
    out = []
    with (data_dir / SUPPORT).open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = normalise(r["text"])
            if r["inbound"] != "True" or text in known:
                continue
            fired = en_rules.fired(text)
            if len(fired) == 1 and fired[0] in RARE:
                out.append(Row(text, {fired[0]: mass}))
    return out


def folds(rows: Sequence[Row], k: int, salt: str = "reasons-cv:") -> list[int]:
    """Stratified by reason: within each, ordered by a hash of the text and dealt round-robin."""
    out = [0] * len(rows)
    for label in {r.label for r in rows}:
        idx = [i for i, r in enumerate(rows) if r.label == label]
        idx.sort(key=lambda i: hashlib.sha1((salt + rows[i].text).encode()).hexdigest())
        for n, i in enumerate(idx):
            out[i] = n % k
    return out


def train(
    rows: Sequence[Row],
    decider: ReasonDecider,
    balance: float,
    *,
    rules: bool = True,
    lang: str = "en",
    labels: Sequence[str] = (),
    words: bool = True,
) -> ReasonWeights:
    """The model of ``lang`` (its phrase rules as features) over ``labels`` (default: the taxonomy);
    without ``words``, rules and shapes only (``reason_model.features``)."""
    labels = tuple(labels) or decider.labels
    counts = Counter(r.label for r in rows if sum(r.gold.values()) >= 1)
    _, lang_rules = decider.route(lang)
    feats = [features(r.text, lang_rules.fired(r.text) if rules else (), words=words) for r in rows]
    # targets sum to 1; a row's total gold mass (1, or less for a silver row) only weighs it
    targets = np.array([[r.gold.get(label, 0.0) / sum(r.gold.values()) for label in labels] for r in rows])
    weights = [(max(counts.values()) / counts[r.label]) ** balance * sum(r.gold.values()) for r in rows]
    return fit(feats, targets, weights, labels, words=words)


def predict(
    rows: Sequence[Row],
    decider: ReasonDecider,
    model: ReasonWeights | None,
    boost: float,
    *,
    rules: bool = True,
) -> list[str]:
    _, en_rules = decider.route("en")
    fired = [en_rules.fired(r.text) if rules else [] for r in rows]
    return [reason for reason, _ in decider.scores([r.text for r in rows], fired, model, boost)]


def naive_bayes(train_rows: Sequence[Row], test: Sequence[Row], labels: Sequence[str]) -> list[str]:
    """Multinomial naive Bayes on words and word pairs, add-one smoothing (the scale in the issue)."""

    def grams(text: str) -> list[str]:
        w = text.lower().split()
        return w + [a + " " + b for a, b in zip(w, w[1:], strict=False)]

    counts = {label: Counter[str]() for label in labels}
    prior = Counter(r.label for r in train_rows)
    for r in train_rows:
        counts[r.label].update(grams(r.text))
    vocab = len({g for c in counts.values() for g in c})
    out = []
    for r in test:

        def logp(label: str, g: list[str]) -> float:
            total = sum(counts[label].values()) + vocab
            return float(np.log(prior[label] + 1) + sum(np.log((counts[label][x] + 1) / total) for x in g))

        g = grams(r.text)
        out.append(max(labels, key=lambda label: logp(label, g)))
    return out


def choose(rows: Sequence[Row], extra: Sequence[Row], decider: ReasonDecider, k: int) -> tuple[float, float]:
    """(balance, boost) with the best macro-F1 over a k-fold CV of ``rows``."""
    fold = folds(rows, k, salt="reasons-inner:")
    preds: dict[tuple[float, float], list[str]] = {(a, b): [""] * len(rows) for a in BALANCE for b in BOOSTS}
    for f in range(k):
        test = [i for i in range(len(rows)) if fold[i] == f]
        for a in BALANCE:
            model = train([r for i, r in enumerate(rows) if fold[i] != f] + list(extra), decider, a)
            for b in BOOSTS:
                for i, p in zip(test, predict([rows[i] for i in test], decider, model, b), strict=True):
                    preds[(a, b)][i] = p
    gold = [r.label for r in rows]
    return max(preds, key=lambda ab: (report(gold, preds[ab], decider.labels)["macro_f1"], -ab[1]))


def cross_validate(
    rows: Sequence[Row], extra: Sequence[Row], decider: ReasonDecider
) -> dict[str, dict[str, float]]:
    """Nested 5-fold figures of each system on the agreed rows (``extra`` only ever trains)."""
    fold = folds(rows, FOLDS)
    names = ("keyword rules", "naive Bayes", "model, no rules", "model + rules")
    preds = {n: [""] * len(rows) for n in names}
    for f in range(FOLDS):
        fit_rows = [r for i, r in enumerate(rows) if fold[i] != f]
        test_idx = [i for i in range(len(rows)) if fold[i] == f]
        test = [rows[i] for i in test_idx]
        balance, boost = choose(fit_rows, extra, decider, FOLDS - 1)
        print(f"fold {f}: balance {balance}, rule_boost {boost} (inner CV)", flush=True)
        out = {
            "keyword rules": predict(test, decider, None, 2.0),
            "naive Bayes": naive_bayes(fit_rows, test, decider.labels),
            "model, no rules": predict(
                test, decider, train([*fit_rows, *extra], decider, balance, rules=False), 0.0, rules=False
            ),
            "model + rules": predict(test, decider, train([*fit_rows, *extra], decider, balance), boost),
        }
        for n, p in out.items():
            for i, label in zip(test_idx, p, strict=True):
                preds[n][i] = label
    gold = [r.label for r in rows]
    return {n: report(gold, p, decider.labels) for n, p in preds.items()}


def speed(rows: Sequence[Row], settings: ReasonSettings) -> None:
    """Messages per CPU-second of the packaged decision on the tweets x3, best of 3: English, French rules."""
    from inbox.nlp.classifier import MODEL_DIR

    decider = ReasonDecider(settings, load_reason_models(MODEL_DIR), "en")
    texts = [r.text for r in rows] * 3
    for lang in ("en", "fr"):
        best = 0.0
        for _ in range(3):
            start = time.process_time()
            decider.decide(texts, [lang] * len(texts))
            best = max(best, len(texts) / max(time.process_time() - start, 1e-9))
        print(f"{lang}: {best:,.0f} messages per CPU-second")


def print_table(results: dict[str, dict[str, float]], labels: Sequence[str]) -> None:
    print("| system | accuracy | macro-F1 | " + " | ".join(labels) + " |")
    print("|---" * (len(labels) + 3) + "|")
    for name, m in results.items():
        cells = [f"{m['accuracy']:.3f}", f"**{m['macro_f1']:.3f}**", *(f"{m['f1_' + x]:.2f}" for x in labels)]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.nlp.reason_train", description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cv", action="store_true", help="print nested cross-validated figures only")
    parser.add_argument("--no-disagreements", action="store_true", help="train on agreed rows only")
    parser.add_argument(
        "--no-annotated", action="store_true", help="leave out the second annotation's tweets"
    )
    parser.add_argument("--silver", type=float, default=0.0, help="weight of rule-labelled support tweets")
    parser.add_argument("--out", type=Path, default=None, help="model folder (default: the packaged one)")
    parser.add_argument("--speed", action="store_true", help="time the packaged decision (CPU time)")
    parser.add_argument("--corrections", type=Path, default=None, help="agents' corrections (JSONL)")
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="fr: from French corrections only")
    args = parser.parse_args(argv)
    settings: ReasonSettings = load_nlp_config().reasons
    if args.lang == "fr":
        from inbox.nlp.classifier import MODEL_DIR
        from inbox.nlp.reason_train_fr import train_french

        found = read(args.corrections) if args.corrections else []
        print(train_french(found, settings, args.out or MODEL_DIR))
        return 0
    decider = ReasonDecider(settings, {}, "en")
    rows, extra = training_rows(
        args.data_dir, disagreements=not args.no_disagreements, annotated=not args.no_annotated
    )
    if args.silver:
        known = {r.text for r in (*rows, *extra)}
        extra = [*extra, *silver_rows(args.data_dir, decider, known, args.silver)]
    print(f"{len(rows)} agreed tweets; {len(extra)} training-only rows (disagreements, annotated, silver)")
    if args.speed:
        speed(rows, settings)
        return 0
    if args.cv:
        print_table(cross_validate(rows, extra, decider), decider.labels)
        return 0
    from inbox.nlp.classifier import MODEL_DIR

    corrected = labels_for(read(args.corrections), "reason", "en") if args.corrections else {}
    print(train_packaged(rows, extra, decider, args.out or MODEL_DIR, corrected))
    return 0


def train_packaged(
    rows: Sequence[Row],
    extra: Sequence[Row],
    decider: ReasonDecider,
    model_dir: Path,
    corrected: dict[str, str],
) -> str:
    """Choose the settings by 5-fold CV on ``rows``, train on all rows (the agents' ``corrected`` reasons
    laid over them) and write the weights to ``model_dir/reasons/en``; returns what was done."""
    balance, boost = choose(rows, extra, decider, FOLDS)
    out = model_dir / "reasons" / "en"
    train(with_corrections([*rows, *extra], corrected), decider, balance).save(out)
    return (
        f"balance {balance}, rule_boost {boost} (5-fold CV on all rows): set [reasons] rule_boost; "
        f"{len(corrected)} agent correction(s); weights in {out}"
    )


if __name__ == "__main__":
    raise SystemExit(main())

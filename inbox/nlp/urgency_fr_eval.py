"""French urgency measured on French translations of labelled tweets (docs/classification.md: French urgency).

``python -m inbox.nlp.urgency_fr_eval [DATA_DIR] [--sample CSV]``: the sample (default
``bench/data/urgency-twcs-fr/sample.csv``: ``tweet_id,text_fr``) holds French translations of 200 urgency-twcs
tweets (all 82 high or critical, 118 others), so the annotators' labels hold for them. With the outer folds of
``urgency_cv``, for each fold the French model's recipe is trained on the English tweets of the four other
folds (+ silver) and its threshold chosen by their inner CV, exactly as ``urgency_cv --transfer`` does; the
fold's sampled tweets are then decided in French (French rules, French sentiment, the model on the French
cues, ``[urgency.by_language.fr]``) and, for comparison, in English (their original text, the same fold
model on the English cues). Prints, for each, the recall of the urgent tweets, the share of the others
flagged, and precision and F1 re-weighted to the corpus' mix (82 urgent of 1,116). Writes nothing.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp import datasets
from inbox.nlp.settings import UrgencySettings
from inbox.nlp.urgency import Signals, decide
from inbox.nlp.urgency_cv import FOLDS, _oof, best_threshold, folds, signals, without_urgency_model
from inbox.nlp.urgency_model import predict
from inbox.nlp.urgency_train import (
    URGENT_LEVELS,
    annotated_urgency,
    featurise_transfer,
    fit_urgency,
    unlabelled_support,
)

SAMPLE = Path("bench") / "data" / "urgency-twcs-fr" / "sample.csv"


def read_sample(path: Path) -> dict[str, str]:
    """tweet_id -> French text."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["tweet_id"]: row["text_fr"] for row in csv.DictReader(fh)}


def _decide(base: Signals, urgent: float, settings: UrgencySettings) -> str:
    return decide(Signals(base.rules, base.sentiment, base.complaint, None, urgent), settings)[0]


def summary(name: str, gold: Sequence[str], pred: Sequence[str], corpus_ratio: float) -> str:
    """Recall, false alarms, and precision/F1 with each non-urgent tweet weighing ``corpus_ratio``."""
    urgent = [g in URGENT_LEVELS for g in gold]
    flagged = [p in URGENT_LEVELS for p in pred]
    tp = sum(u and f for u, f in zip(urgent, flagged, strict=True))
    fp = sum(f and not u for u, f in zip(urgent, flagged, strict=True))
    n_urgent, n_other = sum(urgent), len(urgent) - sum(urgent)
    recall = tp / max(n_urgent, 1)
    precision = tp / max(tp + fp * corpus_ratio, 1e-9) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    crit = sum(g == p == "critical" for g, p in zip(gold, pred, strict=True))
    return (
        f"{name}: urgent found {tp}/{n_urgent} (recall {recall:.3f}); others flagged {fp}/{n_other} "
        f"({fp / max(n_other, 1):.3f}); at the corpus mix precision {precision:.3f} F1 {f1:.3f}; "
        f"critical {crit}/{gold.count('critical')}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="tweet_id,text_fr CSV")
    parser.add_argument(
        "--annotated",
        action="store_true",
        help="also train every fold's model on the second annotation (read with the English cues)",
    )
    args = parser.parse_args(argv)
    sample_path, data_dir = args.sample, args.data_dir
    french_of = read_sample(sample_path)
    clf = without_urgency_model(Path("config"))
    settings = clf.config.urgency.for_language("fr")
    urgency = datasets.read_urgency(data_dir)
    with (data_dir / datasets.URGENCY).open(encoding="utf-8", newline="") as fh:
        ids = [row["tweet_id"] for row in csv.DictReader(fh)]
    texts, gold = [e.text for e in urgency], [e.urgency or "" for e in urgency]
    sampled = [i for i, tweet_id in enumerate(ids) if tweet_id in french_of]
    english = clf.classify([texts[i] for i in sampled])
    french = clf.classify([french_of[ids[i]] for i in sampled])
    detected = sum(c.language == "fr" for c in french)
    print(f"sample: {len(sampled)} tweets; translations detected as French: {detected}")
    scorer, fr_scorer = clf.pipelines["en"], clf.pipelines["fr"]
    x = featurise_transfer(scorer, texts, "en")
    fresh = annotated_urgency(data_dir) if args.annotated else []
    unl = featurise_transfer(scorer, unlabelled_support(data_dir, [*texts, *(t for t, _ in fresh)]), "en")
    x_fr = featurise_transfer(fr_scorer, [french_of[ids[i]] for i in sampled], "fr")
    y = [g in URGENT_LEVELS for g in gold]
    extra = list(
        zip(featurise_transfer(scorer, [t for t, _ in fresh], "en"), (u for _, u in fresh), strict=True)
    )
    fold_of = folds(urgency, "urgency")
    everything = clf.classify(texts)
    base = [signals(clf, c) for c in everything]
    langs = [c.language for c in everything]
    pred_en, pred_fr = [""] * len(sampled), [""] * len(sampled)
    for k in range(FOLDS):
        train = [i for i in range(len(gold)) if fold_of[i] != k]
        t = best_threshold(train, _oof(train, fold_of, x, y, unl, extra), base, langs, gold, settings)
        w, b = fit_urgency([x[i] for i in train], [y[i] for i in train], unl, extra)
        s = settings.model_copy(update={"urgent_threshold": t})
        mine = [j for j, i in enumerate(sampled) if fold_of[i] == k]
        p_en = predict([x[sampled[j]] for j in mine], w, b).tolist()
        p_fr = predict([x_fr[j] for j in mine], w, b).tolist()
        for j, pe, pf in zip(mine, p_en, p_fr, strict=True):
            pred_en[j] = _decide(signals(clf, english[j]), pe, s)
            pred_fr[j] = _decide(signals(clf, french[j]), pf, s)
    sample_gold = [gold[i] for i in sampled]
    ratio = (len(gold) - sum(y)) / max(len(sampled) - sum(y[i] for i in sampled), 1)
    lines = [
        ("English originals, rules + complaint + sentiment (no model)", [c.urgency for c in english]),
        ("English originals, + the French recipe's model (English cues), nested", pred_en),
        ("French translations, French rules + sentiment (no model)", [c.urgency for c in french]),
        ("French translations, + the French model (French cues), nested", pred_fr),
    ]
    for name, pred in lines:
        print(summary(name, sample_gold, pred, ratio))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

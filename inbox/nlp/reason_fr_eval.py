"""French contact reasons measured on French translations of labelled tweets (docs/classification.md).

``python -m inbox.nlp.reason_fr_eval [DATA_DIR] [--sample CSV]``: the sample (default
``bench/data/contact-reasons-twcs-fr/sample.csv``: ``tweet_id,text_fr``) holds French translations of 255
contact-reasons-twcs tweets (every tweet of the six rarest reasons, 30 of each other), so the annotators'
reasons hold for them. Each sampled tweet weighs (its reason's count in the corpus / in the sample), so the
figures stand for the corpus' mix. Printed, accuracy, macro-F1 and per-reason F1 of:

* the English originals: the English phrase rules alone, and the recipe shipped until the second annotation
  (model + rules, balance 0.5, boost 3.0, fixed; contact-reasons-twcs only) trained on the other folds
  (``reason_train.folds``, 5);
* the French translations: the French phrase rules alone (what ships for French), and a transferred model —
  trained on the English tweets of the other folds over features that mean the same in both languages (the
  fired rules of the tweet's language and a few shapes, no words), read in French with the French rules.

Writes nothing.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp.normalise import normalise
from inbox.nlp.reason_model import ReasonWeights
from inbox.nlp.reason_train import DATA, FOLDS, folds, read_rows, train
from inbox.nlp.reasons import ReasonDecider, ReasonSettings
from inbox.nlp.settings import load_nlp_config

SAMPLE = Path("bench") / "data" / "contact-reasons-twcs-fr" / "sample.csv"
BALANCE, BOOST = 0.5, 3.0  # the packaged English model's settings


def weighted_scores(
    gold: Sequence[str], pred: Sequence[str], weight: Sequence[float], labels: Sequence[str]
) -> dict[str, float]:
    """Accuracy, macro-F1 (over the labels in ``gold``) and per-label F1, each row weighing ``weight``."""
    out = {"accuracy": sum(w for g, p, w in zip(gold, pred, weight, strict=True) if g == p) / sum(weight)}
    f1s = []
    for label in labels:
        tp = sum(w for g, p, w in zip(gold, pred, weight, strict=True) if g == p == label)
        fp = sum(w for g, p, w in zip(gold, pred, weight, strict=True) if p == label != g)
        fn = sum(w for g, p, w in zip(gold, pred, weight, strict=True) if g == label != p)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        out[label] = f1
        if label in gold:
            f1s.append(f1)
    out["macro_f1"] = sum(f1s) / len(f1s)
    return out


def _decide(
    decider: ReasonDecider, lang: str, texts: Sequence[str], model: ReasonWeights | None
) -> list[str]:
    _, rules = decider.route(lang)
    fired = [rules.fired(t) for t in texts]
    return [r for r, _ in decider.scores(texts, fired, model, BOOST)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__spec__.name}", description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="tweet_id,text_fr CSV")
    args = parser.parse_args(argv)
    sample_path, data_dir = args.sample, args.data_dir
    with sample_path.open(encoding="utf-8", newline="") as fh:
        french_of = {r["tweet_id"]: normalise(r["text_fr"]) for r in csv.DictReader(fh)}
    with (data_dir / DATA / "train.csv").open(encoding="utf-8", newline="") as fh:
        labelled = list(csv.DictReader(fh))
    rows, split = read_rows(data_dir)  # agreed rows in train.csv's order; disagreements train only
    assert [r.text for r in rows] == [normalise(r["text"]) for r in labelled]
    settings: ReasonSettings = load_nlp_config(Path("config")).reasons
    decider = ReasonDecider(settings, {}, "en")
    labels = decider.labels
    fold_of = folds(rows, FOLDS)
    sampled = [i for i, r in enumerate(labelled) if r["tweet_id"] in french_of]
    corpus, inside = Counter(r.label for r in rows), Counter(rows[i].label for i in sampled)
    weight = [corpus[rows[i].label] / inside[rows[i].label] for i in sampled]
    gold = [rows[i].label for i in sampled]
    english = [rows[i].text for i in sampled]
    french = [french_of[labelled[i]["tweet_id"]] for i in sampled]
    preds: dict[str, list[str]] = {
        "English originals, English rules alone": _decide(decider, "en", english, None),
        "English originals, model + rules (before the second annotation), 5 folds": [""] * len(sampled),
        "French translations, French rules alone (shipped)": _decide(decider, "fr", french, None),
        "French translations, transferred model + French rules, 5 folds": [""] * len(sampled),
    }
    names = list(preds)
    for k in range(FOLDS):
        train_rows = [r for i, r in enumerate(rows) if fold_of[i] != k] + split
        mine = [j for j, i in enumerate(sampled) if fold_of[i] == k]
        full = train(train_rows, decider, BALANCE)
        neutral = train(train_rows, decider, BALANCE, words=False)  # English rules, no words
        for j, r in zip(mine, _decide(decider, "en", [english[j] for j in mine], full), strict=True):
            preds[names[1]][j] = r
        for j, r in zip(mine, _decide(decider, "fr", [french[j] for j in mine], neutral), strict=True):
            preds[names[3]][j] = r
    print(f"sample: {len(sampled)} tweets ({', '.join(f'{r} {inside[r]}' for r in labels)})")
    print("system | accuracy | macro-F1 | " + " | ".join(labels))
    for name, pred in preds.items():
        m = weighted_scores(gold, pred, weight, labels)
        cells = " | ".join(f"{m[label]:.2f}" for label in labels)
        print(f"{name} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

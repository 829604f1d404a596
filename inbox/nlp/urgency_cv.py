"""Cross-validated urgency figures (docs/classification.md): the urgency model with the rules, fold by fold.

``python -m inbox.nlp.urgency_cv [DATA_DIR]`` splits urgency-twcs and complaints-severity into 5 folds
(stratified by label, deterministic), trains the ``urgency_en`` job (config/nlp/urgency_en.cfg) on 4 and
scores the 5th, then decides each held-out tweet's urgency as ``inbox classify`` does: the packaged
pipeline's rules, complaint model and sentiment, plus the fold's urgency model. Prints high+critical vs the
rest (precision, recall, F1), 4-level macro-F1, critical recall, and the share of complaints and of
non-complaints flagged high or critical, with and without the model. Writes only under var/urgency-cv.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import spacy

from inbox.nlp import datasets
from inbox.nlp.classifier import MODEL_DIR, Classifier, load_pipelines
from inbox.nlp.datasets import Example
from inbox.nlp.metrics import report
from inbox.nlp.normalise import normalise
from inbox.nlp.settings import load_nlp_config
from inbox.nlp.train import JOBS, URGENCY_LABELS, URGENT_LEVELS, _balanced, _docbin, urgency_rows
from inbox.nlp.types import LEVELS
from inbox.nlp.urgency import lift

FOLDS = 5
WORK = Path("var") / "urgency-cv"


def folds(examples: Sequence[Example], key: str) -> list[int]:
    """Fold of each example: within each label, ordered by a hash of the text, dealt round-robin."""
    out = [0] * len(examples)
    labels = {getattr(e, key) for e in examples}
    for label in labels:
        idx = [i for i, e in enumerate(examples) if getattr(e, key) == label]
        idx.sort(key=lambda i: hashlib.sha256(("inbox-cv:" + examples[i].text).encode()).hexdigest())
        for n, i in enumerate(idx):
            out[i] = n % FOLDS
    return out


def train_fold(train: list[tuple[str, str]], out: Path, config_dir: Path) -> Path:
    import random

    from spacy.cli.train import train as spacy_train

    rows = [(normalise(t), y) for t, y in train if normalise(t)]
    dev = [r for r in rows if datasets.is_dev(r[0])]
    rest = [r for r in rows if not datasets.is_dev(r[0])]
    nlp = spacy.blank("en")
    out.mkdir(parents=True, exist_ok=True)
    _docbin(nlp, _balanced(rest, random.Random(20240601)), URGENCY_LABELS, out / "train.spacy")
    _docbin(nlp, dev, URGENCY_LABELS, out / "dev.spacy")
    spacy_train(
        config_dir / "nlp" / f"{JOBS['urgency_en'].name}.cfg",
        out / "model",
        use_gpu=-1,
        overrides={"paths.train": str(out / "train.spacy"), "paths.dev": str(out / "dev.spacy")},
    )
    return out / "model" / "model-best"


def without_urgency_model(config_dir: Path) -> Classifier:
    """The packaged classifier with its own (trained on everything) urgency model switched off."""
    pipelines = load_pipelines(MODEL_DIR)
    for nlp in pipelines.values():
        if "urgency" in nlp.pipe_names:
            nlp.disable_pipe("urgency")
    return Classifier(pipelines, load_nlp_config(config_dir))


def decide_all(clf: Classifier, texts: Sequence[str], urgent: Sequence[float | None]) -> list[str]:
    """Each text's urgency as ``inbox classify`` decides it, with ``urgent`` as the urgency model's score."""
    out = []
    for c, p in zip(clf.classify(list(texts)), urgent, strict=True):
        out.append(
            lift(c.urgency, list(c.urgency_reasons), p if c.language == "en" else None, clf.config.urgency)
        )
    return out


def _binary(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    g = [x in URGENT_LEVELS for x in gold]
    p = [x in URGENT_LEVELS for x in pred]
    tp = sum(a and b for a, b in zip(g, p, strict=True))
    precision, recall = tp / max(sum(p), 1), tp / max(sum(g), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = Path(args[0] if args else "../shared/data")
    config_dir = Path("config")
    urgency, complaints = datasets.read_urgency(data_dir), datasets.read_complaints(data_dir)
    uf, cf = folds(urgency, "urgency"), folds(complaints, "severity")
    p_urg: list[float | None] = [None] * len(urgency)
    p_cmp: list[float | None] = [None] * len(complaints)
    for k in range(FOLDS):
        train = urgency_rows(
            [e for e, f in zip(urgency, uf, strict=True) if f != k],
            [e for e, f in zip(complaints, cf, strict=True) if f != k],
        )
        model = spacy.load(train_fold(train, WORK / f"fold{k}", config_dir))
        for scores, examples, fold_of in ((p_urg, urgency, uf), (p_cmp, complaints, cf)):
            idx = [i for i, f in enumerate(fold_of) if f == k]
            for i, doc in zip(idx, model.pipe(normalise(examples[i].text) for i in idx), strict=True):
                scores[i] = doc.cats["urgent"]
    import json

    (WORK / "oof.json").write_text(json.dumps({"urgency": p_urg, "complaints": p_cmp}), encoding="utf-8")
    clf = without_urgency_model(config_dir)
    gold = [e.urgency or "" for e in urgency]
    for name, with_model in (("rules + complaint + sentiment (before)", False), ("with model:urgency", True)):
        pred = decide_all(clf, [e.text for e in urgency], p_urg if with_model else [None] * len(urgency))
        m, b = report(gold, pred, LEVELS), _binary(gold, pred)
        crit = sum(g == p == "critical" for g, p in zip(gold, pred, strict=True)) / gold.count("critical")
        print(
            f"{name}: high+critical P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}; "
            f"4-level macro-F1 {m['macro_f1']:.3f}; critical recall {crit:.3f} (n={len(gold)})"
        )
        cp = decide_all(clf, [e.text for e in complaints], p_cmp if with_model else [None] * len(complaints))
        flagged = [p in URGENT_LEVELS for p in cp]
        yes = [f for f, e in zip(flagged, complaints, strict=True) if e.complaint]
        no = [f for f, e in zip(flagged, complaints, strict=True) if not e.complaint]
        print(
            f"  complaints flagged high/critical {sum(yes) / len(yes):.1%} (n={len(yes)}), "
            f"non-complaints {sum(no) / len(no):.1%} (n={len(no)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

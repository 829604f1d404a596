"""Sentiment on data the models never saw (#14 point 4): ``python -m inbox.nlp.sentiment_report [DATA]``.

English: the packaged pipeline is trained on TweetEval train; it is scored on the XLM-T English train and
val splits (a balanced SemEval-2017 sample: most of it is TweetEval *validation*), minus every tweet whose
normalised text is in TweetEval train. French: the French pipeline is trained on XLM-T French train and
scored on XLM-T French val (no other French set exists, so there is no reverse direction to measure).
Each is scored through the whole ``classify`` (language detection and routing) and by its own pipeline
alone. Writes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp import datasets
from inbox.nlp.classifier import load_classifier
from inbox.nlp.datasets import Example
from inbox.nlp.metrics import report
from inbox.nlp.normalise import normalise
from inbox.nlp.types import SENTIMENTS


def unseen_english(data_dir: Path) -> list[Example]:
    seen = {normalise(e.text) for e in datasets.read_sentiment(data_dir, "en", "train")}
    xlmt = data_dir / datasets.XLMT / "english"
    rows = [e for split in ("train", "val") for e in datasets.read_text_labels(xlmt / f"{split}_text.txt")]
    return [e for e in rows if normalise(e.text) not in seen]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = Path(args[0] if args else "../shared/data")
    clf = load_classifier(Path("config"))
    sets = {
        "en": unseen_english(data_dir),
        "fr": datasets.read_text_labels(data_dir / datasets.XLMT / "french" / "val_text.txt"),
    }
    for lang, examples in sets.items():
        gold = [e.sentiment or "" for e in examples]
        whole = [c.sentiment for c in clf.classify([e.text for e in examples])]
        docs = clf.pipelines[lang].pipe([normalise(e.text) or " " for e in examples], batch_size=256)
        alone = [max(SENTIMENTS, key=lambda lab, d=d: d.cats[lab]) for d in docs]  # type: ignore[misc]
        for name, pred in (("classify", whole), (f"{lang} pipeline alone", alone)):
            m = report(gold, pred, SENTIMENTS)
            print(
                f"{lang} unseen (n={len(gold)}), {name}: macro-recall {m['macro_recall']:.3f} "
                f"macro-F1 {m['macro_f1']:.3f} accuracy {m['accuracy']:.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

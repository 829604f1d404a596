"""Urgency across languages on comparable real tweets (docs/classification.md, "French urgency").

``python -m inbox.nlp.urgency_languages [DATA_DIR]`` classifies the XLM-T English and French tweets (train +
val of each; general tweets, not support messages, labelled with sentiment only) as ``inbox classify`` does
and prints, per language and per gold sentiment label, the share the urgency model flags (``model:urgency``)
and the share decided high or critical. No urgency label exists for French, so this cannot say whether the
French model is right; it says whether it behaves like the English one on the same kind of text: flags about
as often, and far more often on negative tweets than on positive ones. Writes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp import datasets
from inbox.nlp.classifier import load_classifier
from inbox.nlp.types import SENTIMENTS

LANGUAGES = ("en", "fr")
SPLITS = ("train", "val")
URGENT = ("high", "critical")


def _share(hits: int, n: int) -> str:
    return f"{hits}/{n} = {100 * hits / n:.1f} %" if n else "0/0"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = Path(args[0] if args else "../shared/data")
    clf = load_classifier(Path("config"))
    for lang in LANGUAGES:
        folder = {"en": "english", "fr": "french"}[lang]
        examples = [
            e
            for split in SPLITS
            for e in datasets.read_text_labels(data_dir / datasets.XLMT / folder / f"{split}_text.txt")
        ]
        classified = clf.classify([e.text for e in examples])
        own = [c.language == lang for c in classified]
        print(f"XLM-T {folder} (train + val, {len(examples)} tweets; detected {lang}: {sum(own)})")
        for label in (*SENTIMENTS, "all"):
            rows = [
                c
                for c, e, ok in zip(classified, examples, own, strict=True)
                if ok and (label == "all" or e.sentiment == label)
            ]
            model = sum("model:urgency" in c.urgency_reasons for c in rows)
            urgent = sum(c.urgency in URGENT for c in rows)
            flagged, decided = _share(model, len(rows)), _share(urgent, len(rows))
            print(f"  {label:<8} model:urgency {flagged:<20} high or critical {decided}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

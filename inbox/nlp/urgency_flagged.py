"""How often complaints and non-complaints are flagged high or critical (docs/classification.md, issue #14.1).

``python -m inbox.nlp.urgency_flagged [DATA_DIR]`` classifies complaints-severity/train.csv with the
packaged pipeline, as ``inbox classify`` does, and prints the share of complaints and of non-complaints whose
urgency is high or critical: on the hashed 10 % dev split that the complaint model never trained on
(``datasets.is_dev``, the split ``inbox train`` carves), and on the whole file (the complaint model trained on
the other 90 %).
The urgency model never sees this file. Writes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp import datasets
from inbox.nlp.normalise import normalise
from inbox.nlp.urgency_train import URGENT_LEVELS


def flagged(
    complaint: Sequence[bool], urgency: Sequence[str], keep: Sequence[bool]
) -> dict[bool, tuple[int, int]]:
    """(flagged high or critical, total) among the kept complaints (True) and non-complaints (False)."""
    out = {True: (0, 0), False: (0, 0)}
    for c, level, k in zip(complaint, urgency, keep, strict=True):
        if k:
            hit, n = out[c]
            out[c] = (hit + (level in URGENT_LEVELS), n + 1)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from inbox.nlp.classifier import load_classifier

    args = list(sys.argv[1:] if argv is None else argv)
    rows = datasets.read_complaints(Path(args[0] if args else "../shared/data"))
    levels = [c.urgency for c in load_classifier().classify([r.text for r in rows])]
    complaint = [bool(r.complaint) for r in rows]
    for name, keep in (
        ("dev split (unseen by the complaint model)", [datasets.is_dev(normalise(r.text)) for r in rows]),
        ("whole train.csv", [True] * len(rows)),
    ):
        counts = flagged(complaint, levels, keep)
        cells = [
            f"{label} {hit}/{n} = {hit / max(n, 1):.1%}"
            for label, (hit, n) in (("complaints", counts[True]), ("non-complaints", counts[False]))
        ]
        print(f"{name}: high or critical: {'; '.join(cells)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

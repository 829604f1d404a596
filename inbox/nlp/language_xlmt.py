"""Language detection per language on real tweets of known language (docs/classification.md).

``python -m inbox.nlp.language_xlmt ../shared/data/xlmt-umsab-sentiment`` detects, as ``inbox classify``
does, every tweet of the XLM-T sentiment sets (train and val) of each language folder present (english,
french, german, spanish) and prints, per language, the share detected as that language, as ``und`` (not
guessed) and as another language, with the most frequent wrong ones. The tweets are never copied anywhere.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp.language import LanguageDetect
from inbox.nlp.language_report import CANDIDATES
from inbox.nlp.normalise import for_detection, normalise

FOLDERS = {"english": "en", "french": "fr", "german": "de", "spanish": "es"}


def tweets(folder: Path) -> list[str]:
    """The tweets of ``folder``'s train and val text files, one per line."""
    out: list[str] = []
    for split in ("train", "val"):
        path = folder / f"{split}_text.txt"
        if path.is_file():
            out += path.read_text(encoding="utf-8").splitlines()
    return out


def tally(expected: str, detected: Sequence[str]) -> dict[str, float | int | str]:
    """Shares of ``detected`` that are ``expected``, ``und`` and another language (top three named)."""
    n = len(detected) or 1
    counts = Counter(detected)
    wrong = Counter({k: v for k, v in counts.items() if k not in (expected, "und")})
    return {
        "n": len(detected),
        "right": counts[expected] / n,
        "und": counts["und"] / n,
        "other": sum(wrong.values()) / n,
        "top_other": ", ".join(f"{k} {v}" for k, v in wrong.most_common(3)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0] if args else "../shared/data/xlmt-umsab-sentiment")
    detector = LanguageDetect(CANDIDATES)
    print("| language | tweets | detected as it | und | another language | most frequent others |")
    print("|---|---|---|---|---|---|")
    for name, code in FOLDERS.items():
        texts = tweets(root / name)
        if not texts:
            continue
        t = tally(code, [detector.detect(for_detection(normalise(x))) for x in texts])
        shares = " | ".join(f"{t[k]:.1%}" for k in ("right", "und", "other"))
        print(f"| {code} | {t['n']:,} | {shares} | {t['top_other']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

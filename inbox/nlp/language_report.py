"""Language figures on real support tweets (docs/classification.md): detection and automatic-reply language.

``python -m inbox.nlp.language_report ../shared/data/twcs-customer-support/train.csv`` reads the customers'
tweets (``inbound`` True), detects each as ``inbox classify`` does, and decides the automatic-reply language
of each as if it were the latest message of its customer in its thread (their earlier ones in the thread are
evidence; the corpus has no platform tags). Printed: shares by detected language, and by reply language for
a French brand that also serves English (as shipped: every served language when unsure; and with its
default alone) and for an English brand that also serves French. Reads files only; the tweets are never
copied anywhere.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from inbox.nlp.language import LanguageDetect
from inbox.nlp.normalise import for_detection, normalise
from inbox.nlp.reply_language import Evidence, Unsure, reply_language, written_languages

CANDIDATES = ("en", "fr", "es", "de", "it", "pt", "nl")  # config/nlp.toml's [language].candidates
BRANDS: dict[str, tuple[tuple[str, ...], str, Unsure]] = {
    "fr brand (serves fr, en; unsure: all, the shipped charter)": (("fr", "en"), "fr", "all"),
    "fr brand (serves fr, en; unsure: default)": (("fr", "en"), "fr", "default"),
    "en brand (serves en, fr; unsure: default)": (("en", "fr"), "en", "default"),
}


def inbound_tweets(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["inbound"] == "True"]
    return sorted(rows, key=lambda r: (r["thread_root"], int(r["tweet_id"])))


def reply_languages(
    rows: Sequence[dict[str, str]],
    detected: Sequence[str],
    served: Sequence[str],
    default: str,
    unsure: Unsure = "default",
) -> Iterator[tuple[int, str, str]]:
    """(row index, reply languages joined by "+", why) for each tweet; its customer's earlier tweets in the
    thread count."""
    seen: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for i, (row, lang) in enumerate(zip(rows, detected, strict=True)):
        history = seen[(row["thread_root"], row["author_id"])]
        history.append(Evidence(lang))
        why = reply_language(history, served, default).why
        yield i, "+".join(written_languages(history, served, default, unsure)), why


def _share(counter: Counter[str], n: int) -> str:
    return ", ".join(f"{k} {v} ({v / n:.2%})" for k, v in counter.most_common())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0] if args else "../shared/data/twcs-customer-support/train.csv")
    show = "--show" in args
    rows = inbound_tweets(path)
    detector = LanguageDetect(CANDIDATES)
    detected = [detector.detect(for_detection(normalise(r["text"]))) for r in rows]
    n = len(rows)
    counts = Counter(detected)
    other = n - counts["en"] - counts["und"]
    print(f"{path}: {n} customer tweets")
    print(f"detected: {_share(counts, n)}")
    print(
        f"detected as a language other than English: {other} ({other / n:.2%}); und {counts['und'] / n:.2%}"
    )
    for name, (served, default, unsure) in BRANDS.items():
        decided = list(reply_languages(rows, detected, served, default, unsure))
        by = Counter(lang for _, lang, _ in decided)
        why = Counter(f"{lang}:{w}" for _, lang, w in decided)
        without = sum(1 for _, lang, _ in decided if "en" not in lang.split("+"))
        print(f"{name}, default {default}: reply language {_share(by, n)}; by reason {_share(why, n)}")
        print(f"  replies with no English in them: {without} ({without / n:.2%})")
        if show:
            for i, lang, w in decided:
                if lang != "en":
                    print(f"  {lang} ({w}, detected {detected[i]}): {rows[i]['text'][:100]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

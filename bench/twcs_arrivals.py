"""Builds a CSV of arrivals for ``inbox simulate`` from the real *Customer Support on Twitter* tweets.

Not shipped data: it reads the project's shared excerpt (``../shared/data/twcs-customer-support/train.csv``,
CC BY-NC-SA 4.0; see connectors/sandbox/data/LICENSE-twcs.md) and writes, per thread, its first customer
tweet as one arrival: ``created_at``, ``channel``, ``kind``, ``urgency``. No text, no author.

- Time: the corpus's customers mostly write from North America (their day peaks at 18:00 New York time). Each
  tweet is replayed at the same wall-clock time in Paris as it had in New York, so the stream keeps its daily
  and weekly rhythm for a French team (the DST changes of both zones are kept apart, as the wall clock is).
- Channel ``x-acme`` (the demo's X account), kind ``public`` (the tweets are public mentions).
- Urgency: what the inbox's own classifier gives the tweet's text (``inbox.nlp``), as ingestion would.

Usage (both days included, Paris dates after the shift):
    .venv/bin/python bench/twcs_arrivals.py --first 2017-10-30 --last 2017-11-28 --out var/twcs-30d.csv
    .venv/bin/python bench/twcs_arrivals.py --first 2017-11-06 --last 2017-11-08 \
        --out connectors/sandbox/data/twcs_arrivals_sample.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCE = ROOT.parent / "shared" / "data" / "twcs-customer-support" / "train.csv"
FROM_ZONE, TO_ZONE = ZoneInfo("America/New_York"), ZoneInfo("Europe/Paris")
CHANNEL, KIND = "x-acme", "public"


def replayed(created_at: str) -> datetime:
    """The corpus time ("Tue Oct 31 22:10:47 +0000 2017") at the same wall-clock time in Paris."""
    at = datetime.strptime(created_at, "%a %b %d %H:%M:%S %z %Y").astimezone(FROM_ZONE)
    return at.replace(tzinfo=None).replace(tzinfo=TO_ZONE)


def first_tweets(source: Path, first: date, last: date) -> list[tuple[datetime, str]]:
    """Each thread's first customer tweet whose replayed day is in ``[first, last]``: (time, text)."""
    earliest: dict[str, tuple[datetime, str]] = {}
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["inbound"] != "True":
                continue
            at = replayed(row["created_at"])
            kept = earliest.get(row["thread_root"])
            if kept is None or at < kept[0]:
                earliest[row["thread_root"]] = (at, row["text"])
    return sorted(v for v in earliest.values() if first <= v[0].date() <= last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--first", type=date.fromisoformat, required=True)
    parser.add_argument("--last", type=date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args(argv)
    from inbox.nlp.classifier import load_classifier

    tweets = first_tweets(args.source, args.first, args.last)
    urgencies = [c.urgency for c in load_classifier(ROOT / "config").classify([text for _, text in tweets])]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["created_at", "channel", "kind", "urgency"])
        for (at, _), urgency in zip(tweets, urgencies, strict=True):
            out.writerow([at.isoformat(), CHANNEL, KIND, urgency])
    span = f"{tweets[0][0]:%Y-%m-%d} to {tweets[-1][0]:%Y-%m-%d}" if tweets else "nothing"
    print(f"{len(tweets)} arrivals, {span} → {args.out}  (built {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

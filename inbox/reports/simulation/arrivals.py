"""Arrivals to replay: customer messages that each need a first response. Reading a CSV of them. Pure.

CSV columns: ``created_at`` (ISO 8601 with a UTC offset) and ``channel`` (a channel name of the config),
required; ``kind`` (public, private or listening; a stored kind mention, dm or comment is read as the
charter reads it), ``urgency`` (low, normal, high, critical) and ``reason`` (a contact reason), optional.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from inbox.charter.fields import KINDS, URGENCIES, Kind
from inbox.charter.sla import charter_kind
from inbox.reports.period import Period, custom, local_day

REQUIRED = ("created_at", "channel")


class ArrivalsError(ValueError):
    """A CSV of arrivals that cannot be read; the message names the line and the column."""


@dataclass(frozen=True, slots=True)
class Arrival:
    """One customer message that opens a conversation (its first-response clock starts)."""

    at: datetime  # aware UTC
    channel: str
    kind: Kind = "public"
    urgency: str | None = None
    tags: tuple[str, ...] = ()  # the customer's tags (segments such as vip)
    platform: str | None = None
    reason: str | None = None  # the contact reason: its [sla.reasons] target and urgency bump apply


def _kind(value: str, line: int) -> Kind:
    value = value.strip().lower() or "public"
    if value in KINDS:
        return value
    if value in ("mention", "comment", "dm"):
        return charter_kind(value, "public")
    raise ArrivalsError(f"line {line}: kind must be one of {', '.join(KINDS)}, got {value!r}")


def _urgency(value: str, line: int) -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    if value not in URGENCIES:
        raise ArrivalsError(f"line {line}: urgency must be one of {', '.join(URGENCIES)}, got {value!r}")
    return value


def _when(value: str, line: int) -> datetime:
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ArrivalsError(f"line {line}: created_at is not an ISO 8601 date and time: {value!r}") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise ArrivalsError(f"line {line}: created_at needs a UTC offset (e.g. +01:00 or Z): {value!r}")
    return at.astimezone(UTC)


def read_csv(lines: Iterable[str], channels: Collection[str]) -> list[Arrival]:
    """The arrivals of a CSV, oldest first; ArrivalsError on a missing column, a bad value or a channel
    that is not in ``channels``."""
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise ArrivalsError(f"missing column(s): {', '.join(missing)} (needs {', '.join(REQUIRED)})")
    out = []
    for row in reader:
        line = reader.line_num
        channel = (row["channel"] or "").strip()
        if channel not in channels:
            known = ", ".join(sorted(channels)) or "none"
            raise ArrivalsError(f"line {line}: no channel named {channel!r} in the config; known: {known}")
        kind, urgency = _kind(row.get("kind") or "", line), _urgency(row.get("urgency") or "", line)
        reason = (row.get("reason") or "").strip().lower() or None
        out.append(Arrival(_when(row["created_at"] or "", line), channel, kind, urgency, reason=reason))
    return sorted(out, key=lambda a: a.at)


def span(arrivals: Sequence[Arrival], tz: tzinfo) -> Period | None:
    """The whole local days from the first arrival to the last; None without arrivals."""
    if not arrivals:
        return None
    return custom(local_day(arrivals[0].at, tz), local_day(arrivals[-1].at, tz), tz)

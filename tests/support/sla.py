"""Shared pieces of the SLA engine tests: the test charter, Paris times around Wed 2026-01-14, events."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from inbox.charter.sla import SlaEvent, SlaResult, SlaSubject, evaluate
from tests.support.charter import make_charter

PARIS = ZoneInfo("Europe/Paris")
CHARTER = make_charter()
PUBLIC = SlaSubject(channel="x-other", kind="public", platform="x")


def paris(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


def wed(h: int, mi: int = 0) -> datetime:
    return paris(2026, 1, 14, h, mi)


def thu(h: int, mi: int = 0) -> datetime:
    return paris(2026, 1, 15, h, mi)


def fri(h: int, mi: int = 0) -> datetime:
    return paris(2026, 1, 16, h, mi)


def mon(h: int, mi: int = 0) -> datetime:
    return paris(2026, 1, 19, h, mi)


def ins(*times: datetime) -> list[SlaEvent]:
    return [SlaEvent(t, "in") for t in times]


def outs(*times: datetime) -> list[SlaEvent]:
    return [SlaEvent(t, "out") for t in times]


def run(
    events: list[SlaEvent], now: datetime, subject: SlaSubject = PUBLIC, resolved_at: datetime | None = None
) -> SlaResult:
    result = evaluate(events, subject, CHARTER, now, resolved_at=resolved_at)
    assert result is not None
    return result


# ---------------------------------------------------------------------------------------------- targets

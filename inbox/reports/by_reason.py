"""Per contact reason: first-response time, handling time (DMT) and first-response attainment of the period's
conversations (issue #18.5), for ``inbox report`` and the dashboard's downloads.

Rules, stated once: a conversation counts under its contact reason as the queue shows it now
(``conversation.reason``, an agent's correction included; "unclassified" when it has none). Its first
response and attainment are judged as everywhere (``sla_kpis.first_response``: the due time stored at
arrival, else the charter in force then); handling time is the mean of the measured replies queued in the
period (``kpis.handling_spans``), by the reason of their conversation. Session-taking for the reasons only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from inbox.charter.versions import CharterBook
from inbox.reports.journeys import Journey
from inbox.reports.judging import JudgedCohort
from inbox.reports.kpis import ResponseTimes, response_times
from inbox.reports.reasons import UNCLASSIFIED
from inbox.reports.sla_kpis import Attainment, FirstResponse, attainment, first_response, outcome_count
from inbox.reports.stats import minutes
from inbox.reports.table_base import Cell, Table, one_decimal, pct
from inbox.store.records import one_of
from inbox.store.tables import Conversation

COLUMNS = (
    "reason",
    "conversations",
    "answered",
    "frt_median_min",
    "frt_p90_min",
    "replies_measured",
    "dmt_mean_min",
    "met",
    "missed",
    "waiting",
    "closed_unanswered",
    "attainment_pct",
)


@dataclass(frozen=True, slots=True)
class ReasonFigures:
    reason: str
    conversations: int
    first_response: ResponseTimes
    replies_measured: int
    handling_mean_minutes: float | None
    attainment: Attainment


def figures(
    judged: Iterable[tuple[str, FirstResponse]], handling: Iterable[tuple[str, timedelta]]
) -> list[ReasonFigures]:
    """Pure: ``judged`` is (reason, first response) per conversation, ``handling`` (reason, handling time) per
    measured reply; most conversations first."""
    by_reason: dict[str, list[FirstResponse]] = defaultdict(list)
    for reason, item in judged:
        by_reason[reason].append(item)
    spans: dict[str, list[float]] = defaultdict(list)
    for reason, time in handling:
        spans[reason].append(minutes(time))
    out = []
    for reason in set(by_reason) | set(spans):
        items, measured = by_reason.get(reason, []), spans.get(reason, [])
        out.append(
            ReasonFigures(
                reason,
                len(items),
                response_times(items),
                len(measured),
                sum(measured) / len(measured) if measured else None,
                attainment(outcome_count(i) for i in items),
            )
        )
    return sorted(out, key=lambda f: (-f.conversations, f.reason))


def conversation_reasons(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Each conversation's contact reason now ("unclassified" when it has none)."""
    if not ids:
        return {}
    stmt = select(Conversation.id, Conversation.reason).where(
        one_of(session, col(Conversation.id), list(ids))
    )
    return {i: reason or UNCLASSIFIED for i, reason in session.exec(stmt).all() if i is not None}


def reason_figures(
    session: Session,
    cohort: Sequence[Journey] | JudgedCohort,
    spans: Sequence[tuple[int, timedelta]],
    book: CharterBook,
    now: datetime,
) -> list[ReasonFigures]:
    """The period's figures per contact reason: ``cohort`` its conversations, ``spans`` its measured replies
    as (conversation id, handling time)."""
    if isinstance(cohort, JudgedCohort):
        journeys, firsts = cohort.journeys, cohort.first_responses
    else:
        journeys = list(cohort)
        firsts = [first_response(j.facts, book.in_force(j.facts.first_inbound_at), now) for j in journeys]
    ids = sorted({j.facts.id for j in journeys} | {conv for conv, _ in spans})
    reasons = conversation_reasons(session, ids)
    judged = [(reasons.get(item.facts.id, UNCLASSIFIED), item) for item in firsts]
    return figures(judged, [(reasons.get(conv, UNCLASSIFIED), time) for conv, time in spans])


def table(rows: Sequence[ReasonFigures]) -> Table:
    """The figures as the report's ``reason_figures`` table."""
    cells: list[tuple[Cell, ...]] = []
    for f in rows:
        t, a = f.first_response, f.attainment
        cells.append(
            (
                f.reason,
                f.conversations,
                t.answered,
                one_decimal(t.median_minutes),
                one_decimal(t.p90_minutes),
                f.replies_measured,
                one_decimal(f.handling_mean_minutes),
                a.met,
                a.missed,
                a.waiting,
                a.closed_unanswered,
                pct(a.rate),
            )
        )
    title = "First response, handling time (DMT) and attainment by contact reason"
    return Table("reason_figures", title, COLUMNS, cells)

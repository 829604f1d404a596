"""First-response KPIs counted by the database: SLA outcomes per channel and quarter hour, the median and 90th
percentile of the first-response time, first-contact resolution.

Each query reads the period's conversations along the ``first_inbound_at`` index and returns a handful of
rows however large the period is (nothing per conversation comes back to Python). The rules are the ones
``inbox.reports.sla_kpis`` and ``inbox.reports.kpis`` state; a test holds both to the same figures.
Conversations with no stored due time (stored before migration 0009) are not counted here: ``legacy``
selects them for ``queries.cohort``, and the report judges those in Python.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from inbox.reports.answers import person_replies
from inbox.reports.channel_filter import ChannelIds, in_channels
from inbox.reports.follow_ups import wrote_again
from inbox.reports.kpis import Fcr, ResponseTimes
from inbox.reports.period import Period
from inbox.reports.queries import channel_names_by_id
from inbox.reports.rows import OutcomeCount
from inbox.reports.sqltime import from_quarter, quarter_hour, seconds_between
from inbox.reports.stats import minutes
from inbox.store.tables import Conversation, UTCDateTime

ALL = ""  # the key of the all-channels figures in ``response_times``

_c = Conversation


def arrived_in(period: Period, cid: ChannelIds) -> list[ColumnElement[bool]]:
    """The period's cohort: conversations whose first customer message arrived in it."""
    conds = [col(_c.first_inbound_at) >= period.start, col(_c.first_inbound_at) < period.end]
    conds += in_channels(_c.channel_id, cid)
    return conds


def _due() -> Any:
    """The due time an outcome is judged by: a running clock's own, else the one stored at arrival."""
    running = and_(col(_c.first_response_at).is_(None), col(_c.sla_due_at).is_not(None))
    return case((running, col(_c.sla_due_at)), else_=col(_c.first_response_due_at))


def _closed_unanswered() -> ColumnElement[bool]:
    return and_(col(_c.first_response_at).is_(None), col(_c.status) == "resolved")


def legacy() -> ColumnElement[bool]:
    """Conversations whose outcome needs a due time and have none stored (judged in Python)."""
    return and_(not_(_closed_unanswered()), _due().is_(None))


LEGACY = "legacy"  # the outcome ``outcome_counts`` gives conversations it cannot judge (see ``legacy``)


def _outcome(now: datetime) -> Any:
    answered, due = col(_c.first_response_at), _due()
    return case(
        (legacy(), LEGACY),
        (and_(answered.is_not(None), answered <= due), "met"),
        (answered.is_not(None), "missed"),
        (col(_c.status) == "resolved", "closed_unanswered"),
        (due < literal(now, UTCDateTime()), "missed"),
        else_="waiting",
    )


def outcome_counts(session: Session, period: Period, cid: ChannelIds, now: datetime) -> list[OutcomeCount]:
    """The cohort's first-response outcomes as of ``now``, counted per channel and arrival quarter hour;
    conversations without a stored due time are counted as ``LEGACY`` (to be judged in Python)."""
    judged = (
        select(
            col(_c.channel_id).label("channel_id"),
            quarter_hour(col(_c.first_inbound_at)).label("quarter"),
            _outcome(now).label("outcome"),
        )
        .where(*arrived_in(period, cid))
        .subquery()
    )
    stmt = select(judged.c.channel_id, judged.c.quarter, judged.c.outcome, func.count()).group_by(
        judged.c.channel_id, judged.c.quarter, judged.c.outcome
    )
    names = channel_names_by_id(session)
    return [
        OutcomeCount(names[channel], from_quarter(quarter), outcome, int(n))
        for channel, quarter, outcome, n in session.connection().execute(stmt)
    ]


def _ranks(rank: Any, n: Any) -> ColumnElement[bool]:
    """The rows the median (the one or two middle ranks) and the nearest-rank 90th percentile need."""
    return or_(rank == (n + 1) // 2, rank == n // 2 + 1, rank == (9 * n + 9) // 10)


def response_times(session: Session, period: Period, cid: ChannelIds) -> dict[str, ResponseTimes]:
    """First-response time (wall clock) of the cohort's answered conversations, per channel name and for
    all (key ``ALL``): the count, the median and the nearest-rank 90th percentile, ranked by the database."""
    wait_from = func.coalesce(col(_c.first_clock_at), col(_c.first_inbound_at))
    wait = seconds_between(col(_c.first_response_at), wait_from)
    ranked = (
        select(
            col(_c.channel_id).label("channel_id"),
            wait_from.label("first_in"),
            col(_c.first_response_at).label("first_out"),
            func.row_number()
            .over(partition_by=col(_c.channel_id), order_by=(wait, col(_c.id)))
            .label("rank"),
            func.count().over(partition_by=col(_c.channel_id)).label("n"),
            func.row_number().over(order_by=(wait, col(_c.id))).label("rank_all"),
            func.count().over().label("n_all"),
        )
        .where(*arrived_in(period, cid), col(_c.first_response_at).is_not(None))
        .subquery()
    )
    r = ranked.c
    stmt = select(r.channel_id, r.first_in, r.first_out, r.rank, r.n, r.rank_all, r.n_all).where(
        or_(_ranks(r.rank, r.n), _ranks(r.rank_all, r.n_all))
    )
    picked: dict[str, dict[int, float]] = {}
    counts: dict[str, int] = {}
    names = channel_names_by_id(session)
    for channel, first_in, first_out, rank, n, rank_all, n_all in session.connection().execute(stmt):
        value = minutes(_aware(first_out) - _aware(first_in))
        for key, k, total in ((names[channel], rank, n), (ALL, rank_all, n_all)):
            picked.setdefault(key, {})[int(k)] = value
            counts[key] = int(total)
    return {key: _times(picked[key], counts[key]) for key in sorted(counts)}


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _times(by_rank: dict[int, float], n: int) -> ResponseTimes:
    low, high = by_rank[(n + 1) // 2], by_rank[n // 2 + 1]
    return ResponseTimes(n, low if n % 2 else (low + high) / 2, by_rank[(9 * n + 9) // 10])


def first_contact_resolution(session: Session, period: Period, cid: ChannelIds) -> Fcr:
    """Of the cohort's resolved conversations with a person's reply: those resolved with exactly one such
    reply and no customer message after it (``kpis.is_first_contact_resolution``), counted by the database.
    A private reply stored in its DM thread is one of the conversation's replies (``answers``); automatic
    messages are no reply; a survey's score or opt-out is no customer message (``follow_ups``)."""
    replies = person_replies()
    after = wrote_again()
    resolved = (
        select(replies.label("replies"), case((after, 1), else_=0).label("follow_up"))
        .where(*arrived_in(period, cid), col(_c.status) == "resolved")
        .subquery()
    )
    answered = resolved.c.replies >= 1
    first_contact = and_(resolved.c.replies == 1, resolved.c.follow_up == 0)
    stmt = select(
        func.coalesce(func.sum(case((answered, 1), else_=0)), 0),
        func.coalesce(func.sum(case((first_contact, 1), else_=0)), 0),
    )
    pool, first = session.connection().execute(stmt).one()
    return Fcr(int(pool), int(first))

"""A channel's monthly read budget (X bills every post read): warned at 80 %, spent at 100 %, spread evenly.

Rules:
- Past 80 % of ``monthly_read_budget`` the listener warns once a month (log and audit); at 100 % it stops
  polling the channel until the next calendar month (UTC) or a larger budget.
- **Spread over the month.** A stream that costs reads even when nothing new has come (X's DM events have
  no ``since_id``: each poll reads ``STEADY_DM_PAGE`` events again) is read only while the month's reads so
  far, plus that cost, stay within the budget spread evenly over the month, one day's worth ahead. Read once
  a minute, X's DMs alone would cost 14,400 reads a day: a 15,000-read plan would be spent on the first day
  and the channel silent for the rest of the month. Streams that read only new items (mentions, searches)
  are not held back: customers' new posts are read as they come, until the budget is spent.
"""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from connectors.capabilities import BillsIdleReads
from inbox.ingest.channels import Runtime
from inbox.store import records as store
from inbox.store.tables import Channel

log = logging.getLogger("inbox.ingest.read_budget")

WARN_AT = 0.8
LEAD = 86_400.0  # seconds: the month's share starts one day ahead


def _month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The calendar month (UTC) that holds ``now``: its first instant and the next month's."""
    now = now.astimezone(UTC)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    days = calendar.monthrange(start.year, start.month)[1]
    return start, start + timedelta(days=days)


def even_share(budget: int, now: datetime) -> float:
    """The reads the month allows by ``now``: the budget spread evenly over the month with one day's lead, so
    a month starts with a day's reads and ends with the whole budget."""
    start, end = _month_bounds(now)
    month = (end - start).total_seconds()
    return budget * ((now - start).total_seconds() + LEAD) / (month + LEAD)


def share_allows_at(budget: int, wanted: float, now: datetime) -> datetime:
    """When the month's even share reaches ``wanted`` reads (``now`` when it already has)."""
    start, end = _month_bounds(now)
    month = (end - start).total_seconds()
    at = start + timedelta(seconds=(wanted / budget) * (month + LEAD) - LEAD)
    return max(at, now)


def state(channel: Channel, budget: int | None, now: datetime) -> str | None:
    """'spent' or 'warn' when the monthly read budget is at 100 % or past 80 %, else None."""
    if budget is None or channel.read_month != now.strftime("%Y-%m"):
        return None
    if channel.reads_used >= budget:
        return "spent"
    return "warn" if channel.reads_used >= WARN_AT * budget else None


def check(session: Session, channel: Channel, rt: Runtime, now: datetime) -> str | None:
    """Warn once a month past 80 % of the read budget; a reason to skip the poll when it is spent."""
    budget = rt.config.monthly_read_budget
    spent = state(channel, budget, now)
    month = now.strftime("%Y-%m")
    if spent is not None and channel.budget_warned_month != month:
        channel.budget_warned_month = month
        log.warning("%s: %s of %s monthly reads used (80%% warning)", rt.name, channel.reads_used, budget)
        store.audit(
            session,
            "listener",
            "budget.warning",
            target=("channel", channel.name),
            detail={"reads_used": channel.reads_used, "budget": budget, "month": month},
            at=now,
        )
    if spent == "spent":
        return (
            f"monthly read budget spent ({channel.reads_used}/{budget} reads in {month}); "
            "polling paused until next month or until the budget is raised in channels.toml"
        )
    return None


def spread(channel: Channel, rt: Runtime, stream: str, now: datetime) -> tuple[datetime, str] | None:
    """Until when to leave ``stream`` unread, and why: reading it now would go past the month's even share."""
    budget = rt.config.monthly_read_budget
    cost = rt.connector.idle_reads(stream) if isinstance(rt.connector, BillsIdleReads) else 0
    if budget is None or cost <= 0:
        return None
    used = channel.reads_used if channel.read_month == now.strftime("%Y-%m") else 0
    if used + cost <= even_share(budget, now):
        return None
    at = share_allows_at(budget, used + cost, now)
    return at, (
        f"monthly read budget spread over the month: {used}/{budget} reads used, "
        f"{int(even_share(budget, now))} allowed by now; next read about {at:%Y-%m-%d %H:%M} UTC"
    )

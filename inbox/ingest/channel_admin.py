"""Channel administration: each channel's polling state and a connection check (``whoami``).

Secrets are never read into what this module returns: a credential shows as its environment variable's NAME
and whether it is set; a connector's error message is scrubbed of every secret value before anyone sees it.
Session-taking functions never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from connectors import registry
from connectors.base import ConnectorError, ConnectorSpec
from connectors.capabilities import Closes
from connectors.redact import redact
from inbox.access import Actor, require
from inbox.config.channels import ChannelConfig
from inbox.ingest import read_budget
from inbox.settings import secret
from inbox.store import records as store
from inbox.store.tables import AuditEvent, Channel, ListeningCursor

Lookup = Callable[[str], str | None]  # environment variable name -> secret value, or None when unset
CURSOR_SHOWN = 18
CHANNEL_ACTIONS = ("budget.warning", "channel.checked", "channel.added", "channel.paused", "channel.resumed")


@dataclass(frozen=True, slots=True)
class Credential:
    role: str
    env: str  # the variable's NAME, never its value
    is_set: bool


@dataclass(frozen=True, slots=True)
class StreamState:
    stream: str
    cursor: str  # shortened
    last_poll_at: datetime | None
    last_success_at: datetime | None
    retry_at: datetime | None  # no polling before this (rate limit or back-off)
    failures: int  # consecutive
    last_error: str | None
    held_until: datetime | None = None  # left unread until then by the month's read budget share

    def next_try(self, now: datetime) -> datetime | None:
        """When the listener reads this stream again: its back-off or budget hold, the later (None: now)."""
        later = [t for t in (self.retry_at, self.held_until) if t is not None and t > now]
        return max(later, default=None)


@dataclass(frozen=True, slots=True)
class ChannelState:
    config: ChannelConfig
    credentials: list[Credential]
    streams: list[StreamState] = field(default_factory=list)
    reads_used: int | None = None  # this month (None: never polled this month)
    share_by_now: int | None = None  # the budget spread evenly over the month, by now (no budget: None)
    budget_spent: bool = False  # listening stopped until next month (inbox.ingest.read_budget)
    events: list[AuditEvent] = field(default_factory=list)  # newest first

    @property
    def last_poll_at(self) -> datetime | None:
        return max((s.last_poll_at for s in self.streams if s.last_poll_at), default=None)


def shorten(cursor: str | None, width: int = CURSOR_SHOWN) -> str:
    """A cursor for display: opaque, possibly long; the head and tail are enough to tell two apart."""
    if not cursor:
        return "—"
    return cursor if len(cursor) <= width else f"{cursor[: width // 2 - 1]}…{cursor[-(width // 2 - 1) :]}"


def credentials(cfg: ChannelConfig, lookup: Lookup = secret) -> list[Credential]:
    return [Credential(role, env, lookup(env) is not None) for role, env in sorted(cfg.credentials.items())]


def state(session: Session, cfg: ChannelConfig, now: datetime, lookup: Lookup = secret) -> ChannelState:
    """What the listener recorded for one configured channel (nothing yet if it never polled it)."""
    creds = credentials(cfg, lookup)
    channel = store.channel_by_name(session, cfg.name)
    if channel is None:
        return ChannelState(cfg, creds)
    rows = session.exec(
        select(ListeningCursor)
        .where(ListeningCursor.channel_id == channel.id)
        .order_by(col(ListeningCursor.stream))
    ).all()
    streams = [
        StreamState(
            r.stream,
            shorten(r.cursor),
            r.last_poll_at,
            r.last_success_at,
            r.retry_at,
            r.failures,
            r.last_error,
            r.held_until,
        )
        for r in rows
    ]
    reads = channel.reads_used if channel.read_month == now.strftime("%Y-%m") else None
    budget = cfg.monthly_read_budget
    share = int(read_budget.even_share(budget, now)) if budget else None
    spent = read_budget.state(channel, budget, now) == "spent"
    return ChannelState(cfg, creds, streams, reads, share, spent, recent_events(session, channel))


def recent_events(session: Session, channel: Channel, limit: int = 5) -> list[AuditEvent]:
    """The channel's latest audited events (budget warnings, connection checks, additions)."""
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.target_type == "channel",
            AuditEvent.target_id == channel.name,
            col(AuditEvent.action).in_(CHANNEL_ACTIONS),
        )
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


@dataclass(frozen=True, slots=True)
class CheckResult:
    ok: bool
    summary: str  # the identity, or the error's type and message (scrubbed of secrets)
    identity: dict[str, Any] = field(default_factory=dict)
    error_type: str | None = None


def _spec(cfg: ChannelConfig, values: Mapping[str, str]) -> ConnectorSpec:
    return ConnectorSpec(
        name=cfg.name,
        platform=cfg.platform,
        account=cfg.account,
        credentials=values,
        base_url=str(cfg.base_url).rstrip("/") if cfg.base_url else None,
        page_size=cfg.page_size,
        listening=tuple(cfg.listening),
        options=dict(cfg.options),
    )


def check_connection(cfg: ChannelConfig, by: Actor, lookup: Lookup = secret) -> CheckResult:
    """Build the channel's connector and ask the platform who the credentials belong to (``whoami``).

    Only a user who may manage "channels" runs it (PermissionDenied otherwise): it uses the channel's secrets.
    """
    require(by, "channels")
    values = {role: lookup(env) for role, env in cfg.credentials.items()}
    missing = sorted(cfg.credentials[role] for role, v in values.items() if v is None)
    if missing:
        return CheckResult(False, f"not set: {', '.join(missing)}", error_type="MissingCredentials")
    secrets = [v for v in values.values() if v]

    def failed(exc: Exception) -> CheckResult:
        return CheckResult(
            False, redact(f"{type(exc).__name__}: {exc}", secrets), error_type=type(exc).__name__
        )

    try:
        connector = registry.build(_spec(cfg, {k: v for k, v in values.items() if v}))
    except (ConnectorError, ValueError, ImportError) as exc:
        return failed(exc)
    try:
        who = connector.whoami()
    except ConnectorError as exc:
        return failed(exc)
    finally:
        if isinstance(connector, Closes):
            connector.close()
    identity = {"platform_id": who.platform_id, "handle": who.handle, "display_name": who.display_name}
    shown = (
        f"@{who.handle}" + (f" ({who.display_name})" if who.display_name else "") + f" · id {who.platform_id}"
    )
    return CheckResult(True, redact(shown, secrets), identity)


def audit_check(session: Session, cfg: ChannelConfig, result: CheckResult, actor: str, now: datetime) -> None:
    detail = {"ok": result.ok, "result": result.summary, "error_type": result.error_type}
    store.audit(session, actor, "channel.checked", target=("channel", cfg.name), detail=detail, at=now)

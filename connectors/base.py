"""Types and errors shared by every connector. No I/O here.

A connector reads a platform through named *streams* (for X: ``mentions`` and ``dms``), one page per
``fetch`` call, and sends public replies and private messages. It returns typed items and raises the
typed errors below; it knows nothing of the store or the UI. What some connectors can do beyond
``Connector`` (webhooks, hiding comments, templates...) is in ``connectors.capabilities``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from connectors.redact import redact

Kind = Literal["mention", "reply", "dm", "listening", "comment"]
Visibility = Literal["public", "private"]
Direction = Literal["in", "out"]


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote an item on the platform. Only ``platform_id`` is always known."""

    platform_id: str
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = None


@dataclass(frozen=True, slots=True)
class InboundItem:
    """One message read from a platform, customer's or the brand's own (``direction="out"``)."""

    channel: str
    external_id: str
    thread_key: str  # joins items into one conversation (X: conversation_id or DM conversation id)
    kind: Kind
    visibility: Visibility
    direction: Direction
    author: Author
    text: str
    created_at: datetime  # always tz-aware UTC
    reply_to: str | None = None  # the platform id this item answers, if any
    raw: Mapping[str, Any] = field(default_factory=dict)
    # the platform ids of this message's earlier versions, oldest first, when it is an edit (X gives an
    # edited post a new id; Telegram sends an edited message again): the inbox updates the stored message
    edits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Malformed:
    """A payload item that could not be parsed: kept in quarantine with its error, never dropped."""

    external_id: str | None
    error: str
    raw: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Batch:
    """One page of a stream, to be committed together with ``next_cursor``."""

    items: Sequence[InboundItem]  # oldest first
    next_cursor: str | None  # saved in the same transaction as the items
    more: bool = False  # True when another page is waiting right away
    malformed: Sequence[Malformed] = ()
    reads: int = 0  # platform objects read (what paid tiers bill)
    # a part of the stream held back while the rest was read (a Bluesky chat convo the service refuses):
    # shown as the stream's last error until it reads again
    trouble: str | None = None
    # chats the platform gave a new id (a Telegram group upgraded to a supergroup): (old id, new id); the
    # conversations keyed by the old chat (``<old>`` or ``<old>/<member>``) take the new one
    chat_moves: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True, slots=True)
class Sent:
    """What the platform answered for a reply or message we sent."""

    external_id: str  # the platform's id for our reply or DM
    thread_key: str | None = None  # e.g. the DM conversation id created by the send


@dataclass(frozen=True, slots=True)
class Identity:
    """The account a channel's credentials belong to."""

    platform_id: str
    handle: str
    display_name: str | None = None


MAX_RETRY_AFTER = 86_400.0  # a platform's wait of more than a day is not believed: try again after a day


def bounded_wait(seconds: Any) -> float | None:
    """A platform's wait in seconds, from 0 to ``MAX_RETRY_AFTER``: a negative one (a reset time already
    past) is 0, an absurd one (10**20, infinite) is a day, one that is not a number (NaN) is None. Unbounded,
    it overflowed Python's dates and crashed the poll or the send that met it."""
    if seconds is None or isinstance(seconds, bool):
        return None
    try:
        wait = float(seconds)
    except OverflowError:
        return MAX_RETRY_AFTER
    except (TypeError, ValueError):
        return None
    return None if math.isnan(wait) else min(max(wait, 0.0), MAX_RETRY_AFTER)


class ConnectorError(Exception):
    """Base. Callers read ``retryable`` and ``retry_after`` (seconds, ``bounded_wait``) to decide what next.
    The message is redacted (``connectors.redact``): a platform's error that echoes a token never carries it
    further."""

    retryable = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(redact(message))
        self.retry_after = bounded_wait(retry_after)


class RateLimited(ConnectorError):
    """429: wait ``retry_after`` seconds before calling this endpoint again."""

    retryable = True


class Unavailable(ConnectorError):
    """5xx, timeout, connection refused: try again later. ``sent`` says whether the platform may have the
    request: False when it never left (a refused connection, a connect timeout: a POST is safe to retry),
    None when nobody knows (a read timeout, a dropped connection, a 5xx: it may have been acted on)."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, sent: bool | None = None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.sent = sent


class Redirected(Unavailable):
    """The platform's address answered a redirect (301, 302, 307, 308): never followed, since a POST sent
    again elsewhere could post twice and a read elsewhere reads another server. ``sent`` is unknown (the
    platform may have acted before the answer); retried with back-off, and the message names where it
    pointed, for a person to check ``base_url``."""


class BadPayload(ConnectorError):
    """The platform answered what its API never sends (not JSON, JSON nested too deep, a page of the wrong
    shape): the page cannot be read at all. Retried with backoff; nothing of it is stored."""

    retryable = True


class AuthFailed(ConnectorError):
    """401/403 on credentials: a person must act."""


class Rejected(ConnectorError):
    """Any other 4xx: the request itself is wrong and must never be retried as is."""


def sent_id(value: Any, where: str) -> str:
    """The id a platform gave the post we sent. A success answer without one (an error body under HTTP
    200, an odd shape) is ``Unavailable`` with ``sent`` unknown: the post may exist, so the outbox looks
    for it before any new attempt, and never records a reply sent under no id."""
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise Unavailable(f"{where} answered the send without the id of the post (got {value!r:.80})")
    return str(value)


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    """Everything a platform module's ``build`` needs for one channel (secrets already read from the env)."""

    name: str  # the channel's name in config/channels.toml
    platform: str
    account: str  # the brand's handle on the platform
    credentials: Mapping[str, str]  # role -> secret value
    base_url: str | None = None  # None: the platform's real API
    page_size: int = 100
    listening: Sequence[str] = ()  # keyword queries; each is its own stream ``search:<query>``
    options: Mapping[str, Any] = field(default_factory=dict)  # platform-specific settings (page id, ...)


class WebhookRejected(Exception):
    """A webhook request that is unsigned or mis-signed: answered with ``status`` (401 or 403)."""

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


class Connector(Protocol):
    """What the inbox needs from every platform."""

    name: str

    @property
    def streams(self) -> Sequence[str]: ...

    def whoami(self) -> Identity: ...

    def fetch(self, stream: str, cursor: str | None) -> Batch: ...

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent: ...

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent: ...

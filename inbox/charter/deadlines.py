"""The due time of a conversation's next answer, from the charter in force when the message arrived.

Pure: no clock, no I/O. Ingestion binds the subject (channel, platform, customer tags) and calls the
policy when a customer message starts a clock; the due time is stored, so a later charter change
does not move a running clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from inbox.charter.model import Charter
from inbox.charter.sla import charter_kind, due_at, target_for
from inbox.store.tables import Conversation

DEFAULT_TARGET_MINUTES = 60  # the social-media norm: every customer answered within the hour


@dataclass(frozen=True)
class DueSubject:
    """What the charter's targets depend on besides the conversation itself."""

    channel: str
    platform: str
    tags: Sequence[str] = field(default_factory=tuple)


class DuePolicy(Protocol):
    def __call__(
        self, conv: Conversation, since: datetime, is_next: bool, subject: DueSubject | None = None
    ) -> datetime | None: ...


def default_due(
    conv: Conversation, since: datetime, is_next: bool, subject: DueSubject | None = None
) -> datetime | None:
    """Fallback used when no charter is loaded: one hour, 24/7."""
    return since + timedelta(minutes=DEFAULT_TARGET_MINUTES)


@dataclass(frozen=True)
class CharterDue:
    """Due times from a charter: channel, kind, urgency, segment and reason targets, business hours."""

    charter: Charter

    def __call__(
        self, conv: Conversation, since: datetime, is_next: bool, subject: DueSubject | None = None
    ) -> datetime | None:
        channel = subject.channel if subject else ""
        target = target_for(
            self.charter,
            channel,
            charter_kind(conv.kind, conv.visibility),
            conv.urgency,
            [t.lower() for t in (subject.tags if subject else ())],
            platform=subject.platform if subject else None,
            metric="next_response" if is_next else "first_response",
            reason=conv.reason,
        )
        return due_at(self.charter, target, since) if target is not None else None

"""The due time of a conversation's next answer. Pure: the charter engine plugs in here."""

from __future__ import annotations

from datetime import datetime, timedelta

from inbox.models import Conversation

DEFAULT_TARGET_MINUTES = 60  # the social-media norm: every customer answered within the hour


def default_due(conv: Conversation, since: datetime, is_next: bool) -> datetime:
    """Fallback used when no charter is loaded: one hour, 24/7."""
    return since + timedelta(minutes=DEFAULT_TARGET_MINUTES)

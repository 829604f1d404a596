"""Copying a Classification onto a stored Message row: pure, no session, no commit."""

from __future__ import annotations

from inbox.nlp.types import Classification
from inbox.store.tables import Message


def apply_classification(message: Message, c: Classification) -> None:
    """Set the message's language, sentiment, scores, urgency, reasons, PII and contact reason from ``c``."""
    message.language = c.language
    message.sentiment = c.sentiment
    message.sentiment_scores = dict(c.sentiment_scores)
    message.urgency = c.urgency
    message.urgency_reasons = list(c.urgency_reasons)
    message.pii = [s.as_json() for s in c.pii]
    message.reason = c.reason
    message.reason_scores = dict(c.reason_scores)

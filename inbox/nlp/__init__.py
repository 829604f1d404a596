"""Message classification (language, sentiment, urgency, PII); spaCy loads only when a Classifier is built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns, find_pii
from inbox.nlp.types import LEVELS, SENTIMENTS, UNDETERMINED, Classification, PiiSpan

if TYPE_CHECKING:
    from inbox.nlp.classifier import Classifier, load_classifier

__all__ = [
    "DEFAULT_PATTERNS",
    "LEVELS",
    "SENTIMENTS",
    "UNDETERMINED",
    "Classification",
    "Classifier",
    "PiiPatterns",
    "PiiSpan",
    "find_pii",
    "load_classifier",
]


def __getattr__(name: str) -> Any:
    if name in ("Classifier", "load_classifier"):
        from inbox.nlp import classifier

        return getattr(classifier, name)
    raise AttributeError(f"module 'inbox.nlp' has no attribute {name!r}")

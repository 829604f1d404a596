"""The texts a stored message takes when its words are gone: erased at the customer's request
(``inbox.privacy.erase``), past the retention period (``inbox.privacy.retention``), or deleted by the
customer on the platform (``inbox.ingest.deletions``). The row stays for the figures; nothing brings the
words back (an edit read later included)."""

from __future__ import annotations

ERASED = "[erased]"
EXPIRED = "[expired]"
DELETED = "[deleted by the customer]"
WORDS_GONE = frozenset({ERASED, EXPIRED, DELETED})

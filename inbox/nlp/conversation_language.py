"""The language a customer writes in across a conversation: pure, no model, no I/O.

Rule, stated once: an agent's correction wins (the newest one); otherwise the language most of the
customer's confident detections give (the classifier stores "und" when it is not confident), a tie going to
the language detected first; with no confident detection at all, the latest message's reading ("und", or
None when nothing was classified). One "ok" or "thx" read as another language no longer flips it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from inbox.nlp.types import UNDETERMINED


def conversation_language(detections: Sequence[str | None], corrected: str | None = None) -> str | None:
    """``detections``: the customer's messages' languages, oldest first; ``corrected``: an agent's choice."""
    if corrected:
        return corrected
    confident = [lang for lang in detections if lang and lang != UNDETERMINED]
    if not confident:
        return next((lang for lang in reversed(detections) if lang), None)
    counts = Counter(confident)
    most = max(counts.values())
    return next(lang for lang in confident if counts[lang] == most)

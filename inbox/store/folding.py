"""Search folding (pure): one form of a text for search that ignores case and accents, computed in Python.

SQLite's LIKE folds ASCII letters only and PostgreSQL's depends on its collation, so the database never folds:
ingestion stores each searchable text folded next to the original (``message.search_text``,
``contact.search_name``) and the queue compares them with the folded query, the same way on both.
"""

from __future__ import annotations

import unicodedata

NAME_SEPARATOR = "\n"  # between handle and display name in ``contact.search_name``: never in a typed query


def fold(text: str | None) -> str:
    """Case folded, compatibility-decomposed, combining marks dropped: 'Élodie' -> 'elodie', 'STRASSE' and
    'Straße' -> 'strasse', 'ЗАКАЗ' -> 'заказ', vowelled 'مَرْحَبًا' -> 'مرحبا' (NFKD again after casefold,
    whose output may need decomposing)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_name(handle: str | None, display_name: str | None) -> str:
    """What the search reads of a customer: their handle and display name, folded."""
    return fold(handle) + NAME_SEPARATOR + fold(display_name)

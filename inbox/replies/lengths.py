"""How each platform counts the length of what we send. Pure: the connectors' own counting functions (pure
modules, no network library) where a platform has its own rule, else the unit of
``connectors.registry.PlatformInfo.limit_unit``.

- X: weighted length (``connectors.x.text``), counted on the whole text we send.
- Mastodon: ``connectors.mastodon.text.mastodon_length`` (graphemes, URLs 23, ``@user@host`` as ``@user``).
- Telegram: ``connectors.telegram.parse.telegram_length`` (UTF-16 code units).
- Bluesky (``graphemes``): extended grapheme clusters. Others (``chars``): code points after NFC.
"""

from __future__ import annotations

import unicodedata

import regex

from connectors.mastodon.text import mastodon_length
from connectors.telegram.parse import telegram_length
from connectors.x.text import weighted_length

_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str) -> int:
    """User-perceived characters (Unicode extended grapheme clusters)."""
    return len(_GRAPHEME.findall(text))


def length_in(unit: str, text: str, platform: str) -> int:
    """``text`` as ``platform`` counts it; ``unit`` (a ``LimitUnit``) for platforms without their own rule."""
    if platform == "mastodon":
        return mastodon_length(text)
    if platform == "telegram":
        return telegram_length(text)
    if unit == "x_weighted":
        return weighted_length(text)
    if unit == "graphemes":
        return graphemes(text)
    return len(unicodedata.normalize("NFC", text))

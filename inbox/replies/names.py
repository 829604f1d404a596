"""The customer's name in a message nobody reads before it goes out (automatic replies, surveys, an
incident's text sent to every member).

Rule: a display name is the customer's own free text, and brands have published what people put there
("@someone", a link, a slogan, an insult) in automatic posts. A name is said only if, once its emoji and
symbols are set aside ("Marie 🌸" is Marie), it is one to three words of letters (any script), with
hyphens, apostrophes or full stops, at most 30 characters, and holds no phrase of the moderation rules
(``[rules.<lang>.insults|hate|spam]`` in ``config/nlp.toml``, read here without loading spaCy). Otherwise
the handle is said if it is a plain handle (letters, digits, ``_`` and ``.``; not digits alone, such as a
phone number) holding none of those phrases, else no name: the template's ``{customer_name}`` is left out
and its gap mended ("Bonjour, …"). An agent who writes a reply sees the name in the draft and decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import cache
from pathlib import Path

from inbox.config.loader import ConfigError, read_toml
from inbox.settings import Settings

MAX_CHARACTERS, MAX_WORDS = 30, 3
MODERATION_RULES = ("insults", "hate", "spam")
NAME_PUNCTUATION = frozenset(" -'’.")
PLAIN_HANDLE = re.compile(r"[A-Za-z0-9_.]{1,30}")
WORD = re.compile(r"\w+")
DOT_IN_WORD = re.compile(r"\.\w")


def _letters_only(name: str) -> str:
    """``name`` without emoji, symbols and invisible characters, its spaces collapsed."""
    kept = (" " if ch.isspace() else ch for ch in unicodedata.normalize("NFC", name))
    kept = (ch for ch in kept if unicodedata.category(ch)[0] not in "SC")
    return " ".join("".join(kept).split())


def _refused(text: str, refused: Collection[str]) -> bool:
    """A one-word phrase matches a whole word of ``text``; a longer one anywhere in it (case folded)."""
    folded = text.casefold()
    words = set(re.findall(r"\w+", folded))
    return any(p in words if WORD.fullmatch(p) else p in folded for p in refused)


def _name_like(name: str) -> bool:
    return (
        0 < len(name) <= MAX_CHARACTERS
        and len(name.split()) <= MAX_WORDS
        and any(ch.isalpha() for ch in name)
        and all(ch.isalpha() or unicodedata.category(ch)[0] == "M" or ch in NAME_PUNCTUATION for ch in name)
        and not DOT_IN_WORD.search(name)  # "J. Smith", never "evil.example"
    )


def addressable_name(display_name: str | None, handle: str | None, refused: Collection[str]) -> str | None:
    """The name an unread message may call the customer by (the module's rule), or None."""
    name = _letters_only(display_name or "")
    if _name_like(name) and not _refused(name, refused):
        return name
    plain = (handle or "").lstrip("@")
    if (
        PLAIN_HANDLE.fullmatch(plain)
        and re.search(r"[A-Za-z]", plain)
        and not _refused(plain.replace("_", " ").replace(".", " "), refused)
    ):
        return plain
    return None


@cache
def _moderation_phrases(path: Path, stamp: float) -> frozenset[str]:
    try:
        rules = read_toml(path).get("rules", {})
    except ConfigError:
        return frozenset()
    found: set[str] = set()
    for by_name in rules.values() if isinstance(rules, dict) else ():
        for name in MODERATION_RULES:
            phrases = by_name.get(name, {}).get("phrases", []) if isinstance(by_name, dict) else []
            found.update(str(p).casefold() for p in phrases)
    return frozenset(found)


def refused_phrases(config_dir: Path | None = None) -> frozenset[str]:
    """The moderation rules' phrases (insults, hate, spam) of every language in ``nlp.toml``; read again
    when the file changes."""
    path = (config_dir or Settings().config_dir) / "nlp.toml"
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return frozenset()
    return _moderation_phrases(path, stamp)


def unread_name(display_name: str | None, handle: str | None) -> str | None:
    """``addressable_name`` with the moderation phrases of the configured ``nlp.toml``."""
    return addressable_name(display_name, handle, refused_phrases())

"""Text normalisation shared by training and inference (mentions, URLs, whitespace, length): pure."""

from __future__ import annotations

import re

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@\w+")
SPACE = re.compile(r"\s+")
LETTER = re.compile(r"[^\W\d_]")
MAX_CHARS = 5_000  # longer messages are cut before the models and rules (PII still sees the whole text)


def normalise(text: str, max_chars: int = MAX_CHARS) -> str:
    """TweetEval-style text: URLs -> "http", @handles -> "@user", spaces collapsed, cut at ``max_chars``."""
    text = MENTION.sub("@user", URL.sub("http", text[: max_chars * 2]))
    return SPACE.sub(" ", text).strip()[:max_chars]


def for_detection(text: str) -> str:
    """What the language detector sees: no URLs, mentions or "http"/"@user" placeholders, no '#'."""
    text = MENTION.sub(" ", URL.sub(" ", text))
    text = re.sub(r"\bhttp\b", " ", text).replace("#", " ")
    return SPACE.sub(" ", text).strip()


def letters(text: str) -> int:
    """How many letters ``text`` has (emoji, digits and punctuation are not letters)."""
    return len(LETTER.findall(text))

"""The language an automatic message is written in, decided from all the evidence: pure, no model, no I/O.

Rules, stated once:
- A message's language is the detector's when it was confident (the classifier stores "und" otherwise), else
  the platform's own tag (X ``lang``, Mastodon ``language``, Bluesky ``langs``, and on Telegram the language
  of the sender's app, ``from.language_code``: what they read every day). When both are there and
  disagree, a language the brand serves beats one it does not; otherwise the detector's confident reading
  wins.
- A conversation's language is the served language most of the customer's messages have; a tie goes to the
  earliest (the first message states the matter, the later ones are often "ok", "DM sent").
- No served language at all (nothing determined, or only languages the brand does not serve): the brand's
  default. So a guess never picks the language of an automatic message, and a language the brand does not
  serve is never used. A brand may ask for every language it serves then (``unsure = "all"``): its default
  first, then the others, one after the other, so that whoever the customer is can read it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from inbox.nlp.types import UNDETERMINED

CODE = re.compile(r"^[a-z]{2}$")
Why = Literal["customer", "not_served", "undetermined"]
Unsure = Literal["default", "all"]  # what to write in when no served language was determined


def base_code(value: object) -> str | None:
    """A language's two-letter base code ("en" for "en-GB" or "en_US"); None for anything that is not one
    (X's "und", "zxx", "qme"...)."""
    if not isinstance(value, str):
        return None
    code = value.lower().replace("_", "-").split("-")[0]
    return code if CODE.match(code) else None


def platform_language(raw: Mapping[str, Any]) -> str | None:
    """The language a platform gives a stored payload (``Message.raw``), or None where it gives none."""
    tweet = raw.get("tweet")
    if isinstance(tweet, Mapping):
        return base_code(tweet.get("lang"))
    post = raw.get("post")
    if isinstance(post, Mapping):
        record = post.get("record")
        langs = record.get("langs") if isinstance(record, Mapping) else None
        return base_code(langs[0]) if isinstance(langs, list) and langs else None
    for key in ("status", "last_status"):  # a Mastodon notification, a conversation
        status = raw.get(key)
        if isinstance(status, Mapping):
            return base_code(status.get("language"))
    update = raw.get("update")
    if isinstance(update, Mapping):
        return _telegram_sender_language(update)
    return base_code(raw.get("language")) if "content" in raw else None  # a Mastodon status itself


def _telegram_sender_language(update: Mapping[str, Any]) -> str | None:
    """The language of the Telegram app of the update's sender (``from.language_code``, an IETF tag that
    Telegram sends for people, optional), or None."""
    for key in ("message", "edited_message", "business_message", "edited_business_message"):
        message = update.get(key)
        if isinstance(message, Mapping):
            sender = message.get("from")
            return base_code(sender.get("language_code")) if isinstance(sender, Mapping) else None
    return None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one customer message says about its language."""

    detected: str | None  # the classifier's language, "und" when it was not confident
    platform: str | None = None  # the platform's tag, from ``platform_language``


@dataclass(frozen=True, slots=True)
class Choice:
    """The language to write in, and why: the customer's, or the default (nothing served was determined)."""

    language: str
    why: Why


def message_language(evidence: Evidence, served: Sequence[str]) -> str | None:
    detected = evidence.detected if evidence.detected not in (None, "", UNDETERMINED) else None
    tag = evidence.platform
    if detected and tag and detected != tag and tag in served and detected not in served:
        return tag
    return detected or tag


def reply_language(evidence: Sequence[Evidence], served: Sequence[str], default: str) -> Choice:
    """The language of an automatic message for a customer whose messages (oldest first) gave ``evidence``."""
    found = [lang for e in evidence if (lang := message_language(e, served))]
    in_scope = [lang for lang in found if lang in served]
    if not in_scope:
        return Choice(default, "not_served" if found else "undetermined")
    counts = Counter(in_scope)
    most = max(counts.values())
    return Choice(next(lang for lang in in_scope if counts[lang] == most), "customer")


def written_languages(
    evidence: Sequence[Evidence], served: Sequence[str], default: str, unsure: Unsure = "default"
) -> tuple[str, ...]:
    """The languages of an automatic message, in order: the customer's when one the brand serves was
    determined; else the default, followed by the brand's other languages when ``unsure`` is "all"."""
    choice = reply_language(evidence, served, default)
    if choice.why == "customer" or unsure == "default":
        return (choice.language,)
    return (default, *(code for code in served if code != default))

"""Pure helpers of the X sandbox: query parameters as X validates them, page tokens, search, tweet length."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")
ID = re.compile(r"^[0-9]{1,19}$")
TOKEN_PREFIX = "sbx"
URL = re.compile(r"https?://\S+", re.IGNORECASE)

TWEET_FIELDS = frozenset(
    "article attachments author_id card_uri community_id context_annotations conversation_id created_at "
    "display_text_range edit_controls edit_history_tweet_ids entities geo id in_reply_to_user_id lang "
    "media_metadata non_public_metrics note_tweet organic_metrics possibly_sensitive promoted_metrics "
    "public_metrics referenced_tweets reply_settings scopes source suggested_source_links "
    "suggested_source_links_with_counts text withheld".split()
)
USER_FIELDS = frozenset(
    "affiliation confirmed_email connection_status created_at description entities id is_identity_verified "
    "location most_recent_tweet_id name parody pinned_tweet_id profile_banner_url profile_image_url "
    "protected public_metrics receives_your_dm subscription subscription_type url username verified "
    "verified_followers_count verified_type withheld".split()
)
DM_FIELDS = frozenset(
    "attachments created_at dm_conversation_id entities event_type id participant_ids referenced_tweets "
    "sender_id text".split()
)
TWEET_EXPANSIONS = frozenset(
    "article.cover_media article.media_entities attachments.media_keys attachments.media_source_tweet "
    "attachments.poll_ids author_id edit_history_tweet_ids entities.mentions.username geo.place_id "
    "in_reply_to_user_id entities.note.mentions.username referenced_tweets.id "
    "referenced_tweets.id.attachments.media_keys referenced_tweets.id.author_id".split()
)
DM_EXPANSIONS = frozenset("attachments.media_keys participant_ids referenced_tweets.id sender_id".split())
USER_EXPANSIONS = frozenset("affiliation.user_id most_recent_tweet_id pinned_tweet_id".split())
DM_EVENT_TYPES = frozenset({"MessageCreate", "ParticipantsJoin", "ParticipantsLeave"})
# An expansion brings its field into the primary object even when the *.fields list omits it.
TWEET_IMPLIED = {
    "author_id": "author_id",
    "in_reply_to_user_id": "in_reply_to_user_id",
    "referenced_tweets.id": "referenced_tweets",
    "referenced_tweets.id.author_id": "referenced_tweets",
}
DM_IMPLIED = {
    "sender_id": "sender_id",
    "participant_ids": "participant_ids",
    "referenced_tweets.id": "referenced_tweets",
}


class Invalid(ValueError):
    """A request parameter X would refuse with 400 ``invalid-request``."""

    def __init__(self, parameter: str, value: str, message: str) -> None:
        super().__init__(message)
        self.parameter, self.value = parameter, value


def csv_set(query: dict[str, list[str]], names: Sequence[str], allowed: frozenset[str]) -> set[str]:
    """A comma-separated list parameter (the first of ``names`` present), checked against ``allowed``."""
    name = next((n for n in names if n in query), names[0])
    raw = ",".join(query.get(name, []))
    values = {v for v in raw.split(",") if v}
    for value in sorted(values - allowed):
        raise Invalid(
            name, raw, f"The `{name}` query parameter value [{value}] is not one of {sorted(allowed)}"
        )
    return values


def only(query: dict[str, list[str]], allowed: Iterable[str]) -> None:
    """X refuses unknown query parameters."""
    names = sorted(allowed)
    for name in query:
        if name not in names:
            message = f"The query parameter [{name}] is not one of [{','.join(names)}]"
            raise Invalid(name, query[name][0], message)


def with_implied(fields: set[str], expansions: set[str], implied: dict[str, str]) -> set[str]:
    return fields | {implied[e] for e in expansions if e in implied}


def time_param(query: dict[str, list[str]], name: str) -> datetime | None:
    raw = query.get(name, [""])[0]
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        message = f"Invalid '{name}':'{raw}'. '{name}' must be a valid RFC 3339 time."
        raise Invalid(name, raw, message) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_id(name: str, value: str) -> str:
    if not ID.match(value):
        raise Invalid(name, value, f"The `{name}` value [{value}] does not match ^[0-9]{{1,19}}$")
    return value


def json_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body or b"null")
    except ValueError:
        raise Invalid(
            "body", body[:40].decode(errors="replace"), "The request body is not valid JSON"
        ) from None
    if not isinstance(parsed, dict):
        raise Invalid("body", str(parsed)[:40], "The request body must be a JSON object")
    return parsed


def int_param(query: dict[str, list[str]], name: str, low: int, high: int, default: int) -> int:
    raw = query.get(name, [""])[0]
    if raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise Invalid(
            name, raw, f"The `{name}` query parameter value [{raw}] is not between {low} and {high}"
        )
    return int(raw)


def id_param(query: dict[str, list[str]], name: str) -> int | None:
    raw = query.get(name, [""])[0]
    if raw == "":
        return None
    if not ID.match(raw):
        raise Invalid(name, raw, f"The `{name}` query parameter value [{raw}] does not match ^[0-9]{{1,19}}$")
    return int(raw)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def make_token(after_id: int) -> str:
    """An opaque page token (16+ characters, as DM pagination requires) meaning "ids below ``after_id``"."""
    return TOKEN_PREFIX + _base36(after_id).rjust(13, "0")


def read_token(query: dict[str, list[str]], names: Sequence[str], min_length: int = 1) -> int | None:
    name = next((n for n in names if n in query), names[0])
    raw = query.get(name, [""])[0]
    if raw == "" and name not in query:
        return None
    try:
        if len(raw) < min_length or not raw.startswith(TOKEN_PREFIX):
            raise ValueError(raw)
        return int(raw[len(TOKEN_PREFIX) :], 36)
    except ValueError:
        raise Invalid(name, raw, f"The `{name}` query parameter value [{raw}] is not a valid token") from None


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_token: str | None


def paginate(
    newest_first: Iterable[T],
    key: Callable[[T], int],
    *,
    limit: int,
    since_id: int | None = None,
    until_id: int | None = None,
    after: int | None = None,
) -> Page:
    """One page of a newest-first timeline: ids in (since_id, until_id), below the token's id."""
    picked: list[T] = []
    more = False
    for item in newest_first:
        ident = key(item)
        if (since_id is not None and ident <= since_id) or (until_id is not None and ident >= until_id):
            continue
        if after is not None and ident >= after:
            continue
        if len(picked) == limit:
            more = True
            break
        picked.append(item)
    return Page(picked, make_token(key(picked[-1])) if more and picked else None)


def weighted_length(text: str) -> int:
    """twitter-text v3 length: URLs count 23, Latin and common punctuation 1, everything else 2."""
    text = unicodedata.normalize("NFC", text)
    total = 23 * len(URL.findall(text))
    for char in URL.sub("", text):
        cp = ord(char)
        light = cp <= 0x10FF or 0x2000 <= cp <= 0x200D or 0x2010 <= cp <= 0x201F or 0x2032 <= cp <= 0x2037
        total += 1 if light else 2
    return total


_TERM = re.compile(r'(-?)(?:"([^"]*)"|(\S+))')
Matcher = Callable[[str, str, str | None, frozenset[str]], bool]  # text, author username, lang, ref kinds
_KINDS = {"reply": "replied_to", "quote": "quoted", "retweet": "retweeted"}


def search_matcher(query: str) -> Matcher:
    """A predicate on a post for a recent-search query.

    Supported: keywords, "exact phrases", #hashtags, @mentions, $cashtags, ``from:``, ``lang:``,
    ``is:reply|quote|retweet``, ``-`` negation and top-level ``OR`` (parentheses are ignored). Terms are
    ANDed; matching is case-insensitive on word boundaries, like X's tokenised matching.
    """
    if not query.strip():
        raise Invalid("query", query, "The `query` query parameter can not be empty")
    if len(query) > 512:
        raise Invalid("query", query, "The `query` query parameter value is longer than 512 characters")
    cleaned = query.replace("(", " ").replace(")", " ")
    groups = [
        [(neg == "-", _term(p or w, quoted=bool(p))) for neg, p, w in _TERM.findall(g)]
        for g in re.split(r"\s+OR\s+", cleaned)
    ]

    def match(text: str, author: str, lang: str | None, kinds: frozenset[str]) -> bool:
        return any(all(term(text, author, lang, kinds) != neg for neg, term in g) for g in groups)

    return match


def _term(word: str, *, quoted: bool) -> Matcher:
    op, colon, value = word.partition(":")
    if not quoted and colon and op.isalpha() and value and not value.startswith("//"):
        low = value.lower().lstrip("@")
        if op == "from":
            return lambda _t, author, _l, _k: author.lower() == low
        if op == "lang":
            return lambda _t, _a, lang, _k: (lang or "").lower() == low
        if op == "is" and low in _KINDS:
            return lambda _t, _a, _l, kinds: _KINDS[low] in kinds
        raise Invalid("query", word, f"The sandbox does not support the operator `{word}`")
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    return lambda text, _a, _l, _k: bool(pattern.search(text))

"""The parser boundary: whatever a platform sends, what comes out is an item the store can write, or a
``Malformed`` record with its error. Pure, no I/O.

- ``parse_one`` (``parse_all`` for a page) runs one platform parser on one payload object: any exception
  (a bad date, a year out of range, an integer that is not one, a nesting too deep, a missing field, a
  wrong type) quarantines that object with its error and never stops the page.
- ``seal_item`` checks an item's fields (types, a time from 1970 to 2099, ids of at most ``MAX_ID_BYTES``)
  and makes its strings storable: a lone UTF-16 surrogate or a NUL character (neither can be written as
  UTF-8 to SQLite or PostgreSQL) is replaced with U+FFFD, and the item's ``raw`` says so under ``"_inbox"``;
  a handle longer than an id may be is cut (PostgreSQL indexes neither past 2,704 bytes).
- ``seal_malformed`` does the same for a quarantined object (its nesting cut at ``MAX_DEPTH``).
- ``seal_batch`` applies both to a whole page: the inbox's last guard before storing.
- ``too_deep`` refuses a JSON body nested too deep, before any parser recurses into it (the webhook door).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from connectors._payload import MAX_JSON_DEPTH, PayloadError, TooDeep, json_depth
from connectors.base import Author, Batch, InboundItem, Malformed

MAX_DEPTH = MAX_JSON_DEPTH  # no platform nests its JSON this deep; a deeper object is quarantined, cut here
REPLACEMENT = "\ufffd"
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
NOTE = "lone UTF-16 surrogates or NUL characters were replaced with U+FFFD"
ERROR_LIMIT = 1000
MAX_ID_BYTES = (
    1000  # no platform id comes near (a did:web Bluesky URI ~300); PostgreSQL indexes 2,704 at most
)
BIGINT = 2**63
KINDS = frozenset({"mention", "reply", "dm", "listening", "comment"})
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def too_deep(body: bytes) -> str | None:
    """Why a JSON body is refused before parsing (nested deeper than ``MAX_JSON_DEPTH``), or None."""
    depth = json_depth(body)
    return f"JSON nested {depth} levels deep (at most {MAX_JSON_DEPTH})" if depth > MAX_JSON_DEPTH else None


def clean_text(text: str) -> str:
    """``text`` with lone surrogates and NUL characters replaced by U+FFFD (a surrogate pair that was split
    into two code points is joined again)."""
    if not _UNSTORABLE.search(text):
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", REPLACEMENT)


class _Cleaner:
    """One pass over a JSON value; remembers whether it changed anything."""

    def __init__(self, *, cut: bool) -> None:
        self.cut, self.changed = cut, False

    def text(self, value: str) -> str:
        out = clean_text(value)
        self.changed = self.changed or out != value
        return out

    def value(self, value: Any, depth: int = 0) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bool) or value is None or isinstance(value, int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else str(value)  # NaN is not JSON to PostgreSQL
        if depth >= MAX_DEPTH:
            if self.cut:
                return f"[cut: nested deeper than {MAX_DEPTH} levels]"
            raise TooDeep(f"the object is nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.value(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v, depth + 1) for v in value]
        return self.text(repr(value)[:ERROR_LIMIT])


def clean_raw(raw: Mapping[str, Any], *, cut: bool = False) -> tuple[dict[str, Any], bool]:
    """``raw`` made storable as JSON, and whether anything was replaced. Too deep: ``TooDeep``, or with
    ``cut`` the deep part replaced by a note."""
    cleaner = _Cleaner(cut=cut)
    out = cleaner.value(raw)
    return out, cleaner.changed


def _text(value: Any, name: str, *, optional: bool = False, empty: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not empty and not value):
        raise PayloadError(f"{name} should be a {'' if empty else 'non-empty '}string, got {value!r:.80}")
    return clean_text(value)


def _ident(value: Any, name: str, *, optional: bool = False, empty: bool = False) -> str | None:
    """An id field: a string (non-empty unless ``empty``) of at most ``MAX_ID_BYTES`` in UTF-8."""
    text = _text(value, name, optional=optional, empty=empty)
    if text is not None and len(text.encode()) > MAX_ID_BYTES:
        raise PayloadError(f"{name} is {len(text.encode())} bytes long, not an id (at most {MAX_ID_BYTES})")
    return text


def _cut(text: str | None) -> str | None:
    """``text`` cut to at most ``MAX_ID_BYTES`` in UTF-8, on a character boundary."""
    if text is None or len(text.encode()) <= MAX_ID_BYTES:
        return text
    return text.encode()[:MAX_ID_BYTES].decode("utf-8", "ignore")


def _author(author: Any) -> Author:
    if not isinstance(author, Author):
        raise PayloadError(f"author should be an Author, got {type(author).__name__}")
    followers = author.followers
    if not isinstance(followers, int) or isinstance(followers, bool) or not -BIGINT <= followers < BIGINT:
        followers = None
    return Author(
        platform_id=_ident(author.platform_id, "author id", empty=True) or "",
        handle=_cut(_text(author.handle, "author handle", optional=True)),
        display_name=_text(author.display_name, "author name", optional=True),
        followers=followers,
    )


def _time(value: Any) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise PayloadError(f"created_at should be an aware datetime, got {value!r:.80}")
    if not EARLIEST <= value < LATEST:
        raise PayloadError(f"created_at {value.isoformat()} is outside 1970-2099")
    return value.astimezone(UTC)


def seal_item(item: InboundItem) -> InboundItem:
    """``item`` checked and made storable; PayloadError when a field is of the wrong type or out of range."""
    if item.kind not in KINDS or item.visibility not in ("public", "private"):
        raise PayloadError(f"kind {item.kind!r} or visibility {item.visibility!r} unknown")
    if item.direction not in ("in", "out"):
        raise PayloadError(f"direction {item.direction!r} unknown")
    if not isinstance(item.raw, Mapping):
        raise PayloadError("raw should be an object")
    raw, changed = clean_raw(item.raw)
    sealed = replace(
        item,
        channel=_text(item.channel, "channel", empty=False) or "",
        external_id=_ident(item.external_id, "external_id") or "",
        thread_key=_ident(item.thread_key, "thread_key") or "",
        author=_author(item.author),
        text=_text(item.text, "text") or "",
        created_at=_time(item.created_at),
        reply_to=_ident(item.reply_to, "reply_to", optional=True),
    )
    if changed or sealed.text != item.text or sealed.author != item.author:
        raw["_inbox"] = {"note": NOTE}
    return replace(sealed, raw=raw)


def error_text(exc: BaseException) -> str:
    """The quarantine error for a failure: its message (with its type unless a PayloadError), storable."""
    message = str(exc) if isinstance(exc, PayloadError) else f"{type(exc).__name__}: {exc}"
    return clean_text(message)[:ERROR_LIMIT]


def ident_of(value: Any) -> str | None:
    """A quarantined object's id when it has a plain one (a string or an integer), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    return clean_text(str(value))[:200]


def seal_malformed(bad: Malformed) -> Malformed:
    """A quarantine record the store can write: id, error and raw cleaned, the raw cut at ``MAX_DEPTH``."""
    raw, changed = clean_raw(bad.raw if isinstance(bad.raw, Mapping) else {"item": bad.raw}, cut=True)
    if changed:
        raw["_inbox"] = {"note": NOTE}
    error = clean_text(str(bad.error))[:ERROR_LIMIT]
    return Malformed(ident_of(bad.external_id), error, raw)


def malformed(obj: Any, exc: BaseException, ident: str | None = None) -> Malformed:
    """``obj`` quarantined with the error ``exc``."""
    raw = dict(obj) if isinstance(obj, Mapping) else {"item": obj}
    return seal_malformed(Malformed(ident, error_text(exc), raw))


def parse_one(
    obj: Any, parse: Callable[[Any], InboundItem | None], ident: Callable[[Any], Any]
) -> InboundItem | Malformed | None:
    """``parse(obj)`` sealed; any exception it raises makes ``obj`` a Malformed record. None: not an item."""
    try:
        item = parse(obj)
        return None if item is None else seal_item(item)
    except Exception as exc:  # noqa: BLE001 - any per-item problem is a quarantine, never a crash
        try:
            found = ident(obj)
        except Exception:  # noqa: BLE001 - the id is only a help to find the item
            found = None
        return malformed(obj, exc, ident_of(found))


def parse_all(
    objects: Iterable[Any], parse: Callable[[Any], InboundItem | None], ident: Callable[[Any], Any]
) -> tuple[list[InboundItem], list[Malformed]]:
    """``parse_one`` over a page's objects: the items (in page order) and the Malformed records."""
    items: list[InboundItem] = []
    bad: list[Malformed] = []
    for obj in objects:
        result = parse_one(obj, parse, ident)
        if isinstance(result, Malformed):
            bad.append(result)
        elif result is not None:
            items.append(result)
    return items, bad


def seal_batch(batch: Batch) -> Batch:
    """Every item of a page sealed (those that cannot be become Malformed), every Malformed storable, and
    the cursor cleaned."""
    items: list[InboundItem] = []
    bad = [seal_malformed(b) for b in batch.malformed]
    for item in batch.items:
        try:
            items.append(seal_item(item))
        except Exception as exc:  # noqa: BLE001 - an item that cannot be stored is quarantined
            bad.append(malformed(_raw_of(item), exc, ident_of(getattr(item, "external_id", None))))
    cursor = clean_text(batch.next_cursor) if isinstance(batch.next_cursor, str) else None
    return replace(batch, items=items, malformed=bad, next_cursor=cursor)


def _raw_of(item: Any) -> Any:
    raw = getattr(item, "raw", None)
    return raw if isinstance(raw, Mapping) else {"item": repr(item)[:ERROR_LIMIT]}

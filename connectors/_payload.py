"""Reading fields of a platform's JSON payload, with errors that say which field is wrong. Pure.

Every parser raises ``PayloadError``; the item is then quarantined with that message, never dropped.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


class PayloadError(ValueError):
    """A field of a platform payload is missing or of the wrong type."""


class TooDeep(PayloadError):
    """JSON nested deeper than ``MAX_JSON_DEPTH``: refused before any parser recurses into it."""


def text_field(obj: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    """A string field; PayloadError when it is required and missing, or not a string."""
    value = obj.get(key)
    if value is None:
        if required:
            raise PayloadError(f"missing field {key!r}")
        return None
    if not isinstance(value, str):
        raise PayloadError(f"field {key!r} should be a string, got {type(value).__name__} {value!r}")
    return value


def object_field(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """An object field; PayloadError when it is missing or not an object."""
    value = obj.get(key)
    if not isinstance(value, Mapping):
        raise PayloadError(f"field {key!r} should be an object, got {type(value).__name__}")
    return value


def iso_time(value: Any, field: str = "created_at") -> datetime:
    """An ISO 8601 time with an offset (``2026-01-02T03:04:05.678Z``, fraction optional) as aware UTC."""
    if not isinstance(value, str):
        raise PayloadError(f"field {field!r} should be an ISO 8601 string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError(f"field {field!r} is not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise PayloadError(f"field {field!r} has no offset: {value!r}")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise PayloadError(f"field {field!r} is out of range in UTC: {value!r}") from None


MAX_JSON_DEPTH = 64  # platform payloads nest a dozen levels; deeper is refused before any recursion


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(body: bytes | str) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without parsing (strings skipped)."""
    text = body.decode("latin-1") if isinstance(body, bytes) else body  # brackets and quotes are ASCII
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def long_int(digits: str) -> int | str:
    """A JSON integer as an int; one too long for Python's int (more than ``sys.get_int_max_str_digits()``
    digits, 4,300 by default) as its digits, so that one such number fails its item, not the whole body."""
    limit = sys.get_int_max_str_digits()
    return int(digits) if not limit or len(digits) <= limit else digits


def load_json(body: bytes | str) -> Any:
    """A JSON document; PayloadError when it is not JSON, not UTF-8, or nested deeper than
    ``MAX_JSON_DEPTH`` (refused before parsing, so the parser never recurses that deep)."""
    if json_depth(body) > MAX_JSON_DEPTH:
        raise TooDeep(f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(body, parse_int=long_int)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise PayloadError(f"body is not JSON: {exc}") from None


def unix_time(seconds: float, field: str) -> datetime:
    """A Unix time as aware UTC; PayloadError naming ``field`` when no datetime can hold it."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise PayloadError(f"field {field!r} is not a time in range ({seconds!r:.40}): {exc}") from None

"""Reading fields of a platform's JSON payload, with errors that say which field is wrong. Pure.

Every parser raises ``PayloadError``; the item is then quarantined with that message, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


class PayloadError(ValueError):
    """A field of a platform payload is missing or of the wrong type."""


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
    return parsed.astimezone(UTC)

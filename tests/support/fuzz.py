"""Hypothesis strategies and checks for fuzzing the platform parsers (tests/connectors/test_parsers_fuzz.py).

Any JSON at all, and valid payloads whose fields are each kept, dropped or replaced by a nasty value; what a
parser returns must be storable as is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from connectors.base import InboundItem, Malformed

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
Parse = Callable[[Any], tuple[list[InboundItem], list[Malformed]]]

any_text = st.text(st.characters(), max_size=12)  # surrogates and NUL included
FIELD_NAMES = st.sampled_from(["id", "update_id", "message", "text", "date", "data", "created_at", "from"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    any_text,
)
any_json = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(any_text | FIELD_NAMES, inner, max_size=4)
    ),
    max_leaves=20,
)


def deep(depth: int) -> Any:
    value: Any = "bottom"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


nasty = st.one_of(
    st.sampled_from(
        [
            2**70,
            -(2**70),
            10**17,
            253402300800,  # 10000-01-01 in Unix seconds
            -62135596801,
            1.5,
            float("nan"),
            float("inf"),
            True,
            "",
            "\ud83d",
            "a\x00b",
            "\udc00\ud83d",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00+01:00",
            "3170843-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "²³",
            "yesterday",
            [],
            {},
            deep(200),
            deep(70),
        ]
    ),
    any_json,
)


def mutated(template: Any) -> st.SearchStrategy[Any]:
    """A strategy: ``template`` with each field kept, replaced by a nasty value, or (in objects) dropped."""
    if isinstance(template, Mapping):
        fields = {k: st.one_of(mutated(v), st.just(DROP)) for k, v in template.items()}
        return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not DROP})
    if isinstance(template, list):
        return st.lists(mutated(template[0]), max_size=3) if template else st.just([])
    return st.one_of(st.just(template), st.just(template), nasty)


DROP = object()


def storable(value: Any) -> None:
    """What the store writes: JSON without NaN, text encodable as UTF-8, no NUL (PostgreSQL refuses it)."""
    json.dumps(value, allow_nan=False)
    for text in strings(value):
        text.encode("utf-8")  # a lone surrogate fails here
        assert "\x00" not in text


def check(result: tuple[list[InboundItem], list[Malformed]], sent: int | None = None) -> None:
    items, bad = result
    for item in items:
        assert isinstance(item, InboundItem)
        storable([item.external_id, item.thread_key, item.text, item.reply_to, item.channel])
        storable([item.author.platform_id, item.author.handle, item.author.display_name])
        storable(dict(item.raw))
        assert item.created_at.tzinfo is not None and 1970 <= item.created_at.year < 2100
        assert item.author.followers is None or abs(item.author.followers) < 2**63
    for m in bad:
        assert isinstance(m, Malformed) and m.error
        storable([m.external_id, m.error, dict(m.raw)])
    if sent is not None:
        assert len(items) + len(bad) <= sent


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for k, v in value.items() for s in [*strings(k), *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []

"""A sweep's trail of page tokens (connectors.paging), whatever the tokens and the shape of the cycle: a
token the sweep followed within the last ``TRAIL`` pages is caught at once, a new one never is, and the
trail stays small (Hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.paging import TRAIL, loop_length, mark, walked

TOKENS = st.one_of(
    st.text(min_size=1, max_size=40),
    st.integers(min_value=0),
    st.dictionaries(st.text(max_size=5), st.lists(st.text(max_size=8), max_size=2), min_size=1, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=TRAIL + 1, unique_by=mark), st.data())
def test_a_cycle_of_any_short_length_is_caught_at_its_first_repeat(
    fresh: list[Any], data: st.DataObject
) -> None:
    """The server names ``fresh`` tokens, then one it named before (a token and the same value as a number
    name one page). The cycle is caught there, its length told; never before."""
    back = data.draw(st.integers(0, len(fresh) - 1))
    walk = [*fresh, fresh[back]]
    trail: list[str] = []
    asked: Any = None
    for step, token in enumerate(walk):
        looped = loop_length(trail, asked, token)
        assert looped == (len(fresh) - back if step == len(fresh) else 0), (step, token)
        trail, asked = walked(trail, asked), token
        assert len(trail) <= TRAIL and all(len(m) == 12 for m in trail)


@given(st.one_of(st.none(), st.lists(st.one_of(st.text(), st.integers(), st.none())), st.integers()), TOKENS)
def test_a_spoilt_trail_is_read_as_none(trail: Any, token: Any) -> None:
    assert loop_length(trail, None, token) in range(TRAIL + 2)
    assert all(isinstance(m, str) for m in walked(trail, token))

"""A sweep's trail of page tokens (connectors.paging), whatever the tokens and the shape of the cycle: a
token the sweep followed within the last ``TRAIL`` pages is caught at once, a longer cycle within about
twice the pages read before it plus its length, a new one never is, and the trail stays small (Hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.paging import ANCHOR, TRAIL, loop_length, mark, walked

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
        assert len(trail) <= TRAIL + 1 and all(len(m) == 12 for m in trail if not m.startswith(ANCHOR))


@given(st.one_of(st.none(), st.lists(st.one_of(st.text(), st.integers(), st.none())), st.integers()), TOKENS)
def test_a_spoilt_trail_is_read_as_none(trail: Any, token: Any) -> None:
    assert loop_length(trail, None, token) in range(TRAIL + 2)
    assert all(isinstance(m, str) for m in walked(trail, token))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 150), st.integers(TRAIL + 1, 300))
def test_a_cycle_longer_than_the_trail_is_caught_and_its_length_told(tail: int, length: int) -> None:
    """``tail`` new pages, then a cycle of ``length`` pages followed round and round. Before: a cycle longer
    than the trail was never caught, each of its pages read again for ever."""
    tokens = [f"page-{n}" for n in range(tail + length)]
    trail: list[str] = []
    asked: Any = None
    for step in range(2 * (tail + length) + length + 2):
        token = tokens[step] if step < len(tokens) else tokens[tail + (step - tail) % length]
        looped = loop_length(trail, asked, token)
        if looped:
            assert looped == length and step >= tail + length, (step, looped)
            assert step <= 2 * (tail + length) + length, step
            return
        trail, asked = walked(trail, asked), token
        assert len(trail) <= TRAIL + 1 and len(str(trail)) < 600
    raise AssertionError(f"a cycle of {length} pages after {tail} was never caught")

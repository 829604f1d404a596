"""A customer's name as the screens show it in Markdown: inert, never a link, never turning a line around."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inbox.ui.common import md_name


def test_a_right_to_left_override_in_a_name_is_dropped() -> None:
    assert md_name("Jean \u202eliame\u202c") == "Jean liame"
    assert md_name("\u2067Ali\u2069") == "Ali"


def test_arabic_and_hebrew_names_keep_their_letters() -> None:
    assert md_name("محمد") == "محمد" and md_name("דוד") == "דוד"


@given(st.text())
def test_no_bidi_control_survives(name: str) -> None:
    assert not any(
        c in md_name(name) for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    )

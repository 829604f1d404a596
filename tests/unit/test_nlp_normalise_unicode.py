"""``normalise`` always gives text the language detector and the databases can encode as UTF-8, whatever
code points or literal ``\\uXXXX`` escapes a message holds (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inbox.nlp.normalise import encodable, normalise

# every code point, surrogates and NUL included (Hypothesis' default text leaves surrogates out)
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
ESCAPES = st.integers(0, 0xFFFF).map(lambda n: f"\\u{n:04x}")
PIECES = st.lists(st.one_of(st.text(ANY_CHAR, max_size=5), ESCAPES), max_size=12).map("".join)


@given(PIECES)
def test_normalised_text_is_always_utf8(text: str) -> None:
    normalise(text).encode("utf-8")


@given(st.text(st.characters(exclude_characters="\x00")))
def test_valid_text_is_left_alone(text: str) -> None:
    assert encodable(text) == text


def test_an_escaped_emoji_is_the_emoji_and_half_of_one_is_a_replacement_character() -> None:
    assert normalise("angry \\ud83d\\ude21") == normalise("angry \U0001f621") == "angry :("
    assert normalise("cut \\ud83d") == "cut \ufffd"
    assert normalise("nul \x00 here") == "nul \ufffd here"

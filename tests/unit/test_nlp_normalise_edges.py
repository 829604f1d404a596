"""``normalise`` always gives text the language detector and the databases can encode as UTF-8, whatever
code points or literal ``\\uXXXX`` escapes a message holds, and never a run of punctuation long enough to make
spaCy's tokenizer slow (Hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from inbox.nlp.normalise import LONGEST_RUN, encodable, normalise

# every code point, surrogates and NUL included (Hypothesis' default text leaves surrogates out)
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
ESCAPES = st.integers(0, 0xFFFF).map(lambda n: f"\\u{n:04x}")
PIECES = st.lists(st.one_of(st.text(ANY_CHAR, max_size=5), ESCAPES), max_size=12).map("".join)


@given(PIECES)
def test_normalised_text_is_always_utf8(text: str) -> None:
    normalise(text).encode("utf-8")


@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00")))
def test_valid_text_is_left_alone(text: str) -> None:
    assert encodable(text) == text


def test_an_escaped_emoji_is_the_emoji_and_half_of_one_is_a_replacement_character() -> None:
    assert normalise("angry \\ud83d\\ude21") == normalise("angry \U0001f621") == "angry :("
    assert normalise("cut \\ud83d") == "cut \ufffd"
    assert normalise("nul \x00 here") == "nul \ufffd here"


RUNS = st.lists(
    st.tuples(st.sampled_from(["!", "?!", "(", "a", "1.", "é", "😡"]), st.integers(1, 400)).map(
        lambda p: p[0] * p[1]
    ),
    max_size=6,
).map(" ".join)


@given(RUNS)
def test_no_run_of_punctuation_is_longer_than_the_limit(text: str) -> None:
    assert all(len(run) <= LONGEST_RUN for run in re.findall(r"[^\w\s]+", normalise(text)))


def test_words_and_scripts_without_spaces_are_left_whole() -> None:
    text = "Mon colis n'est jamais arrivé !!! Remboursez-moi svp"
    assert normalise(text) == text
    japanese = "ねぇこういうのマジで頭悪いと思うんだよね" * 10  # 200 characters, no space: one run, kept
    assert normalise(japanese) == japanese


def test_invisible_characters_and_fullwidth_letters_hide_no_word() -> None:
    assert normalise("you are an id\u200biot") == "you are an idiot"
    assert normalise("des con\u00adnards, vraiment\u2060") == "des connards, vraiment"
    assert normalise("you \uff49\uff44\uff49\uff4f\uff54 \uff01") == "you idiot !"
    assert normalise("👩\u200d💻 ok") == "👩\u200d💻 ok"  # a joiner inside an emoji stays
    assert normalise("می\u200cخواهم") == "می\u200cخواهم"  # Persian's zero-width non-joiner stays


@given(st.text())
def test_no_invisible_or_fullwidth_character_reaches_the_models(text: str) -> None:
    assert not re.search("[\u200b\u2060\ufeff\u00ad\u180e\uff01-\uff5e]", normalise(text))

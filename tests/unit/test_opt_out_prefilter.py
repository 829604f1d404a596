"""The database's first cut of the opt-out check (``could_say``) never leaves out a real opt-out: whatever
surrounds a phrase (mentions, punctuation, emoji, case, accents, full-width letters), a message that
``is_opt_out`` accepts holds, in its folded text, the longest word of one of the phrases."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inbox.privacy.opt_out import is_opt_out, key_words, normalised
from inbox.store.folding import fold

PHRASES = ("stop", "non merci", "désinscription", "unsubscribe", "Arrêt SVP", "STOP ALL")
DECORATION = st.text(alphabet=st.sampled_from(list(" .,!?…'\"-_()🙏😡\u00a0\t")), max_size=6)
MENTION = st.from_regex(r"@[A-Za-z0-9_]{1,12}", fullmatch=True)


SEPARATOR = st.text(alphabet=st.sampled_from(list(" ,.-!…'\u00a0")), min_size=1, max_size=3)


def _spellings(phrase: str) -> st.SearchStrategy[str]:
    """The phrase as a customer may type it: any case per letter, accents dropped, full-width letters, and
    anything between its words ("Non, merci", "non - merci")."""

    def respell(drawn: tuple[list[int], list[str]]) -> str:
        flags, separators = drawn
        words = []
        for word in phrase.split():
            out = []
            for char, flag in zip(word, flags, strict=False):
                if flag == 1:
                    char = char.upper()
                elif flag == 2 and "a" <= char.lower() <= "z":
                    char = chr(ord(char.lower()) - ord("a") + ord("ａ"))  # full width
                elif flag == 3:
                    char = fold(char) or char
                out.append(char)
            words.append("".join(out))
        joined = words[0]
        for separator, word in zip(separators, words[1:], strict=False):
            joined += separator + word
        return joined

    return st.tuples(
        st.lists(st.integers(0, 3), min_size=len(phrase), max_size=len(phrase)),
        st.lists(SEPARATOR, min_size=len(phrase.split()), max_size=len(phrase.split())),
    ).map(respell)


@given(
    phrase=st.sampled_from(PHRASES).flatmap(_spellings),
    before=st.lists(st.one_of(MENTION, DECORATION), max_size=3),
    after=st.lists(st.one_of(MENTION, DECORATION), max_size=3),
)
def test_a_message_the_check_accepts_holds_a_phrase_word_in_its_folded_text(
    phrase: str, before: list[str], after: list[str]
) -> None:
    text = " ".join([*before, phrase, *after])
    assert is_opt_out(text, PHRASES), text  # every text drawn here is an opt-out
    words = key_words({normalised(p) for p in PHRASES})
    assert any(word in fold(text) for word in words), (text, fold(text))

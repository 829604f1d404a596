"""The customer's name in a message nobody reads before it goes out: said only when it reads as a name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inbox.replies.names import addressable_name, refused_phrases
from tests.conftest import ROOT

REFUSED = refused_phrases(ROOT / "config")


@pytest.mark.parametrize(
    ("display_name", "handle", "expected"),
    [
        ("Marie 🌸", "marie_d", "Marie"),
        ("Jean-Pierre O'Neil", "jp", "Jean-Pierre O'Neil"),
        ("Dr. J. Smith", "drsmith", "Dr. J. Smith"),
        ("李小龍", "bruce", "李小龍"),
        ("Zoë  Ørsted", None, "Zoë Ørsted"),
        ("@BigNews", "jane_doe", "jane_doe"),  # would mention someone else in the brand's name
        ("check my #giveaway", "jane", "jane"),
        ("Visit evil.example now", "jane", "jane"),
        ("Call 0612345678", "jane", "jane"),
        ("Please follow me back on my channel", "jane", "jane"),  # a slogan, not a name
        ("Heil Hitler", "x", "x"),  # a phrase of the hate rule
        ("Bande de nuls", "x", "x"),
        ("Crypto King", "crypto_king", None),  # spam rule, in the name and in the handle
        (None, "33612345678", None),  # a WhatsApp number is no name
        ("🌸🌸", None, None),
        ("", "", None),
    ],
)
def test_a_name_is_said_only_when_it_reads_as_one(
    display_name: str | None, handle: str | None, expected: str | None
) -> None:
    assert addressable_name(display_name, handle, REFUSED) == expected


def test_the_moderation_phrases_come_from_the_rules_of_every_language() -> None:
    assert {"idiot", "connard", "heil hitler", "crypto", "concours"} <= REFUSED


def test_a_changed_rules_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "nlp.toml"
    path.write_text('[rules.en.insults]\nlevel = "low"\nphrases = ["noob"]\n', encoding="utf-8")
    assert refused_phrases(tmp_path) == {"noob"}
    path.write_text('[rules.en.insults]\nlevel = "low"\nphrases = ["noob", "Clown"]\n', encoding="utf-8")
    os.utime(path, (1, 1))
    assert refused_phrases(tmp_path) == {"noob", "clown"}
    assert refused_phrases(tmp_path / "missing") == frozenset()


@given(st.text(), st.one_of(st.none(), st.text()))
def test_whatever_the_name_what_is_said_has_no_mention_link_or_hashtag(name: str, handle: str | None) -> None:
    said = addressable_name(name, handle, REFUSED)
    assert said is None or (
        said.strip() == said and 0 < len(said) <= 30 and not any(c in said for c in "@#:/\n")
    )

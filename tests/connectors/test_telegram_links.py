"""A Telegram customer's app can put a link under words ("pay here"): the text alone hides it, so the inbox
writes the link after the words, and the agent sees where it leads."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connectors.telegram.parse import message_text, with_hidden_links


def _link(offset: int, length: int, url: Any = "https://evil.example/pay") -> dict[str, Any]:
    return {"type": "text_link", "offset": offset, "length": length, "url": url}


def test_the_link_under_words_is_written_after_them() -> None:
    text = "😡 Bonjour, payez ici svp"  # the emoji counts 2 UTF-16 units
    assert with_hidden_links(text, [_link(12, 9)]) == "😡 Bonjour, payez ici (https://evil.example/pay) svp"


def test_a_caption_s_links_and_a_link_that_is_its_own_words() -> None:
    photo = {
        "caption": "my receipt",
        "caption_entities": [_link(3, 7, "https://shop.example/r/9")],
        "photo": [],
    }
    assert message_text(photo) == "my receipt (https://shop.example/r/9)\n[photo]"
    same = {"text": "see shop.example/r/9", "entities": [_link(4, 16, "https://shop.example/r/9")]}
    assert message_text(same) == "see shop.example/r/9"


def test_odd_entities_are_ignored() -> None:
    text = "pay here 😡"
    odd: list[Any] = [
        _link(0, 99),  # past the end
        _link(10, 1),  # half of the emoji
        _link(-1, 3),
        _link(0, 0),
        _link(0, 3, None),
        _link(0, 3, "https://a b"),
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "text_link", "offset": "0", "length": 3, "url": "https://x.example"},
        "odd",
    ]
    assert with_hidden_links(text, odd) == text
    assert with_hidden_links(text, {"not": "a list"}) == text


_ENTITY = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["text_link", "url", "bold"]),
        "offset": st.integers(-2, 12),
        "length": st.integers(-1, 12),
        "url": st.one_of(st.none(), st.just("https://x.example/p")),
    }
)


@given(st.text(alphabet="ab é😡\n", max_size=10), st.lists(_ENTITY, max_size=4))
def test_any_entities_keep_every_word_of_the_text(text: str, entities: list[dict[str, Any]]) -> None:
    shown = with_hidden_links(text, entities)
    assert shown.replace(" (https://x.example/p)", "") == text


def test_a_text_with_a_lone_surrogate_is_left_for_the_boundary_to_repair() -> None:
    assert with_hidden_links("pay \ud83d here", [_link(0, 3)]) == "pay \ud83d here"

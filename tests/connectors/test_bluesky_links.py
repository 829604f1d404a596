"""Bluesky's app shortens the links of a post in its text and keeps them whole in link facets: the inbox
shows the whole link, and words put over a link are followed by where it leads."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connectors.bluesky.links import linked_text, short_link
from connectors.sandbox.bluesky.app import shorten_links, to_short_url


def _facet(start: int, end: int, uri: Any) -> dict[str, Any]:
    link = {"$type": "app.bsky.richtext.facet#link", "uri": uri}
    return {"index": {"byteStart": start, "byteEnd": end}, "features": [link]}


def test_the_app_s_short_link_is_shown_whole() -> None:
    text = "Débité deux fois 😡 voir acme.example/commandes/4..."
    start = len("Débité deux fois 😡 voir ".encode())
    facets = [_facet(start, len(text.encode()), "https://acme.example/commandes/4821?x=1")]
    assert linked_text(text, facets) == "Débité deux fois 😡 voir https://acme.example/commandes/4821?x=1"


def test_other_words_over_a_link_are_followed_by_the_link() -> None:
    facets = [_facet(0, 10, "https://evil.example/login")]
    assert linked_text("click here to win", facets) == "click here (https://evil.example/login) to win"


def test_odd_facets_are_ignored() -> None:
    text = "voir é acme.example/x"
    odd: list[Any] = [
        _facet(7, 99, "https://acme.example/x"),  # past the end
        _facet(6, 8, "https://acme.example/x"),  # cuts the é in two
        _facet(8, 22, "javascript:alert(1)"),
        _facet(8, 22, 42),
        {"index": "0-3"},
        "odd",
        None,
    ]
    assert linked_text(text, odd) == text
    assert linked_text(text, "not a list") == text
    overlapping = [_facet(8, 22, "https://acme.example/x"), _facet(10, 22, "https://acme.example/y")]
    assert linked_text(text, overlapping) == "voir é https://acme.example/x"


def test_the_sandbox_shortens_as_the_app_does() -> None:
    assert to_short_url("https://www.acme.example/") == "www.acme.example"
    assert to_short_url("https://acme.example/a/b?c=1") == "acme.example/a/b?c=1"
    assert to_short_url("https://acme.example/orders/4821/items") == "acme.example/orders/4821/..."
    assert short_link("https://acme.example/orders/4821/items") == "acme.example/orders/4821/..."


_WORDS = st.text(alphabet="aé😡 .,!?()\n", max_size=10)
_URL = st.from_regex(
    r"https://[a-z]{1,8}\.example(/[a-z0-9/_-]{0,30}[a-z0-9])?(\?[a-z]=[0-9]{1,4})?", fullmatch=True
)


@given(st.lists(st.one_of(_WORDS, _URL), min_size=1, max_size=6))
def test_a_post_shortened_by_the_app_reads_back_as_typed(parts: list[str]) -> None:
    typed = " ".join(parts)
    shown, facets = shorten_links(typed)
    assert linked_text(shown, facets) == typed


def test_a_text_with_a_lone_surrogate_is_left_for_the_boundary_to_repair() -> None:
    assert linked_text("see \ud83d acme.example/x", [_facet(0, 3, "https://acme.example/x")]) == (
        "see \ud83d acme.example/x"
    )

"""X sends a post's text with &, < and > escaped and its links as t.co links: the inbox stores and shows
what was typed, and recognises its own posts in what X shows of them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connectors.sandbox.x.shown import shown
from connectors.x.parse import tweet_item
from connectors.x.text import same_words


def _tweet(text: str) -> dict[str, str]:
    return {"id": "11", "text": text, "created_at": "2026-12-01T10:00:00.000Z", "author_id": "22"}


def test_entities_in_a_tweet_are_decoded() -> None:
    item = tweet_item(
        _tweet("Fish &amp; chips &lt;3 &gt; pizza"), channel="x", brand_id="9", users={}, kind="mentions"
    )
    assert item is not None and item.text == "Fish & chips <3 > pizza"


def test_an_ampersand_typed_as_an_entity_stays_as_typed() -> None:
    """A customer who types "&amp;" is sent "&amp;amp;": decoding once gives back what they typed."""
    item = tweet_item(_tweet("AT&amp;amp;T"), channel="x", brand_id="9", users={}, kind="mentions")
    assert item is not None and item.text == "AT&amp;T"


def test_t_co_links_are_expanded_from_the_entities_and_odd_entities_are_ignored() -> None:
    tweet = {
        **_tweet("see https://t.co/AAAAAAAAAA and https://t.co/BBBBBBBBBB, https://t.co/AAAAAAAAAAx"),
        "entities": {
            "urls": [
                {"url": "https://t.co/AAAAAAAAAA", "expanded_url": "https://acme.example/a?b=1&c=\\2"},
                {"url": "https://t.co/BBBBBBBBBB", "expanded_url": ""},
                {"url": "https://evil.example/", "expanded_url": "https://acme.example/"},
                "odd",
            ]
        },
    }
    item = tweet_item(tweet, channel="x", brand_id="9", users={}, kind="mentions")
    assert item is not None
    assert item.text == (
        "see https://acme.example/a?b=1&c=\\2 and https://t.co/BBBBBBBBBB, https://t.co/AAAAAAAAAAx"
    )


_PLAIN = st.text(alphabet="aé &<>;:!?.()\n\t#", max_size=12)
_LINK = st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9=?&%/_-]{0,12}[a-z0-9]", fullmatch=True)


@given(st.lists(st.one_of(_PLAIN, _LINK), min_size=1, max_size=6), st.sampled_from(["", " ", "\n"]))
def test_what_x_shows_of_a_post_is_recognised_as_the_words_we_sent(parts: list[str], glue: str) -> None:
    """Links as t.co links, &, < and > escaped (posts) or not (messages): ``same_words`` sees our text."""
    ours = glue.join(parts)
    for escape in (True, False):
        theirs, _urls = shown(ours, escape=escape)
        assert same_words(ours, theirs)


def test_other_words_are_not_taken_for_ours() -> None:
    assert not same_words("Sorry & thanks", "Sorry and thanks")
    assert not same_words("See https://a.example/x", "See")
    assert not same_words("Typed &amp; as is", "Typed &amp; as is".replace("&amp;", "&"))
    assert same_words("Typed &amp; as is", "Typed &amp;amp; as is")


def test_an_expanded_link_is_not_decoded_as_html() -> None:
    """ "&copy=2" in a link is no "©": X's entities are decoded before the links go back in."""
    tweet = {
        **_tweet("Fish &amp; chips https://t.co/AAAAAAAAAA"),
        "entities": {
            "urls": [{"url": "https://t.co/AAAAAAAAAA", "expanded_url": "https://a.example/?x=1&copy=2"}]
        },
    }
    item = tweet_item(tweet, channel="x", brand_id="9", users={}, kind="mentions")
    assert item is not None and item.text == "Fish & chips https://a.example/?x=1&copy=2"

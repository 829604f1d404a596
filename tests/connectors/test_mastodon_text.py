"""Mastodon's text rules, pure: its length count and its HTML turned into plain text."""

from __future__ import annotations

import pytest

from connectors.mastodon.text import html_to_text, mastodon_length, mentions_account, with_mention

LONG_URL = "https://example.com/" + "a" * 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   ", 0),
        ("hello", 5),
        ("x" * 500, 500),
        ("x" * 501, 501),
        ("@bob hi", 7),
        ("@bob@example.social hi", 7),  # a remote mention counts as its @user part
        ("@Bob.Smith@sub.example.social!", 11),
        ("user@example.com", 16),  # an e-mail address is not a mention
        (f"see {LONG_URL}", 4 + 23),  # every URL counts 23, however long
        ("https://a.co", 23),  # ... and however short
        ("https://a.co/x.", 23 + 1),  # the trailing full stop is not part of the URL
        ("(https://a.co/x)", 1 + 23 + 1),
        ("www.example.com", 15),  # no scheme: Mastodon does not link it, it counts in full
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 1),  # a ZWJ family emoji is one grapheme
        ("\U0001f1eb\U0001f1f7\U0001f1ec\U0001f1e7", 2),  # two flags
        ("e\u0301te\u0301", 3),  # combining accents join their letter
        ("👍🏽", 1),  # skin tone modifier
        (f"@jane@piaille.fr {LONG_URL} merci", 5 + 1 + 23 + 6),
    ],
)
def test_mastodon_length(text: str, expected: int) -> None:
    assert mastodon_length(text) == expected


def test_spoiler_text_counts_too() -> None:
    assert mastodon_length("hi", spoiler_text="CW: bill") == 2 + 8


@pytest.mark.parametrize(
    ("text", "acct", "expected"),
    [
        ("Sorry!", "jane", "@jane Sorry!"),
        ("@jane Sorry!", "jane", "@jane Sorry!"),
        ("Hi @JANE, sorry", "jane", "Hi @JANE, sorry"),
        ("@jane@piaille.fr merci", "jane@piaille.fr", "@jane@piaille.fr merci"),
        ("@jane merci", "jane@piaille.fr", "@jane@piaille.fr @jane merci"),  # another jane
        ("mail jane@x.org", "jane", "@jane mail jane@x.org"),
    ],
)
def test_with_mention_adds_the_recipient_once(text: str, acct: str, expected: str) -> None:
    assert with_mention(text, acct) == expected
    assert mentions_account(expected, acct)


HCARD = (
    '<span class="h-card" translate="no"><a href="https://piaille.fr/@jane" class="u-url mention">'
    "@<span>jane</span></a></span>"
)
LINK = (
    '<a href="https://example.com/orders/12345/tracking" target="_blank" rel="nofollow noopener">'
    '<span class="invisible">https://</span><span class="ellipsis">example.com/orders/1234</span>'
    '<span class="invisible">5/tracking</span></a>'
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hello</p>", "Hello"),
        (
            "<p>l&#39;appli plante &amp; le site aussi &lt;3 caf&eacute;</p>",
            "l'appli plante & le site aussi <3 café",
        ),
        (
            "<p>line 1<br>line 2<br />line 3</p><p>second paragraph</p>",
            "line 1\nline 2\nline 3\n\nsecond paragraph",
        ),
        (f"<p>{HCARD} hi</p>", "@jane hi"),
        (f"<p>track: {LINK}</p>", "track: https://example.com/orders/12345/tracking"),
        (
            '<p><a href="https://m.s/tags/acme" class="mention hashtag">#<span>acme</span></a> ok</p>',
            "#acme ok",
        ),
        ("<p>a<script>alert(1)</script>b<style>p{}</style>c</p>", "abc"),
        ('<p>x<img src="x" onerror="alert(1)">y</p>', "xy"),
        ("<ul><li>one</li><li>two</li></ul><p>end</p>", "- one\n- two\n\nend"),
        ("<blockquote><p>quoted</p></blockquote><p>reply</p>", "quoted\n\nreply"),
        ("plain text, no tags", "plain text, no tags"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_mention_links_read_as_the_full_acct() -> None:
    mentions = [{"id": "7", "username": "jane", "url": "https://piaille.fr/@jane", "acct": "jane@piaille.fr"}]
    assert html_to_text(f"<p>{HCARD} merci</p>", mentions) == "@jane@piaille.fr merci"

"""Mastodon text rules: its HTML turned into plain text, and its status length count. Pure, no I/O.

``mastodon_length`` follows Mastodon's ``StatusLengthValidator``: the spoiler text plus the status, in
extended grapheme clusters, where every ``http(s)://`` URL counts 23 and ``@user@remote.domain`` counts
as ``@user``. The composer calls it to say "too long" before the connector would refuse to send.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

import regex

MAX_CHARACTERS = 500  # stock instances; forks announce theirs in /api/v2/instance
URL_CHARACTERS = 23  # configuration.statuses.characters_reserved_per_url
# Account::MENTION_RE and USERNAME_RE in mastodon/app/models/account.rb.
USERNAME = r"[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*"
MENTION_RE = re.compile(rf"(?<![=/\w])@({USERNAME}(?:@\w+(?:[.-]+\w+)*)?)", re.IGNORECASE)
_NOT_A_MENTION_AFTER = re.compile(r"^(?:[@＠]|[À-ÖØ-öø-ÿĀ-ɏ]|://)")  # twitter-text end_mention_match
# A URL with a scheme (Mastodon links no others); trailing punctuation is not part of it.
URL_RE = re.compile(r"(?<![\w@$#＃])https?://[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,:;!?'\"»”’…"
_GRAPHEME = regex.compile(r"\X")


def url_end(text: str, start: int, end: int) -> int:
    """Trim trailing punctuation and an unbalanced closing parenthesis off a URL match."""
    while end > start:
        tail = text[end - 1]
        url = text[start:end]
        if tail in _TRAILING or (tail == ")" and url.count("(") < url.count(")")):
            end -= 1
        else:
            break
    return end


def _entities(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for URLs and mentions, overlaps removed (the earlier entity wins)."""
    found: list[tuple[int, int, str]] = []
    for m in URL_RE.finditer(text):
        found.append((m.start(), url_end(text, m.start(), m.end()), "x" * URL_CHARACTERS))
    for m in MENTION_RE.finditer(text):
        if not _NOT_A_MENTION_AFTER.match(text[m.end() :]):
            found.append((m.start(), m.end(), "@" + m.group(1).split("@")[0]))
    kept: list[tuple[int, int, str]] = []
    for entity in sorted(found):
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    return kept


def countable_text(text: str) -> str:
    """The text as Mastodon counts it: URLs as 23 x's, remote mentions as their ``@user`` part."""
    out, pos = [], 0
    for start, end, replacement in _entities(text):
        out += [text[pos:start], replacement]
        pos = end
    return "".join([*out, text[pos:]])


def graphemes(text: str) -> int:
    """User-perceived characters (Unicode extended grapheme clusters)."""
    return len(_GRAPHEME.findall(text))


def mastodon_length(text: str, spoiler_text: str = "") -> int:
    """The length Mastodon checks against its limit (500 on stock instances)."""
    return graphemes(spoiler_text + countable_text(text)) if text.strip() else graphemes(spoiler_text)


def mentions_account(text: str, acct: str) -> bool:
    """Whether ``text`` already @mentions ``acct`` (``user`` or ``user@domain``; case-insensitive)."""
    wanted = acct.lower()
    for m in MENTION_RE.finditer(text):
        if m.group(1).lower() == wanted and not _NOT_A_MENTION_AFTER.match(text[m.end() :]):
            return True
    return False


def with_mention(text: str, acct: str) -> str:
    """What we post: Mastodon notifies and delivers only to accounts @mentioned in the text, so a reply
    or a direct message starts with ``@acct`` unless the agent already wrote it."""
    return text if mentions_account(text, acct) else f"@{acct} {text}"


_BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "template"})


class _PlainText(HTMLParser):
    """Collects the visible text; paragraphs become blank lines and ``<br>`` a line break."""

    def __init__(self, mention_accts: Mapping[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.mention_accts = mention_accts
        self.skip_tag: str | None = None  # inside <script>/<style>, or a mention link already written
        self.skip_depth = 0

    def _break(self, newlines: str) -> None:
        text = "".join(self.parts)
        if text and not text.endswith(newlines):
            self.parts.append("\n" if text.endswith("\n") and newlines == "\n\n" else newlines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag:
            self.skip_depth += tag == self.skip_tag
            return
        if tag in _SKIP:
            self.skip_tag, self.skip_depth = tag, 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self._break("\n\n")
        elif tag == "li":
            self._break("\n")
            self.parts.append("- ")
        elif tag == "a":
            attributes = dict(attrs)
            classes = (attributes.get("class") or "").split()
            acct = self.mention_accts.get(attributes.get("href") or "")
            if "mention" in classes and "hashtag" not in classes and acct:
                self.parts.append(f"@{acct}")
                self.skip_tag, self.skip_depth = "a", 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag:
            self.skip_depth -= tag == self.skip_tag
            self.skip_tag = self.skip_tag if self.skip_depth else None
            return
        if tag in _BLOCKS:
            self._break("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skip_tag:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_tag:
            self.parts.append(data)


def html_to_text(html: str, mentions: Iterable[Mapping[str, object]] = ()) -> str:
    """Mastodon's sanitised HTML as plain text: tags stripped, entities unescaped, line breaks kept.

    ``mentions`` (the status's ``mentions`` list) turns each mention link into ``@acct``, so a remote
    account reads ``@user@domain`` as the platform knows it rather than the bare ``@user`` displayed.
    """
    accts = {str(m.get("url")): str(m.get("acct")) for m in mentions if m.get("url") and m.get("acct")}
    parser = _PlainText(accts)
    parser.feed(html)
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.parts).replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

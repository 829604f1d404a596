"""How each platform counts the length of what we send. Pure, standard library only.

- X: weighted length (``inbox.xtext``), 280, counted on the whole text we send.
- Mastodon: grapheme clusters, every URL counts 23, ``@user@remote.domain`` counts as ``@user``.
- Bluesky: grapheme clusters.
- Others: characters (code points), as ``connectors.registry.PlatformInfo.limit_unit`` says.

Grapheme clusters follow Unicode's extended clusters for what customers type: a base character with its
combining marks, variation selectors, emoji modifier and tag sequences, ZWJ emoji sequences, keycaps, flag
pairs, CR LF, Hangul jamo syllables and Indic conjuncts each count one.
"""

from __future__ import annotations

import re
import unicodedata

from inbox.xtext import URL_RE, weighted_length

MASTODON_URL_WEIGHT = 23
_REMOTE_MENTION = re.compile(
    r"(?<![\w@])(@[a-z0-9_]+(?:\.[a-z0-9_]+)*)@[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE
)

_ZWJ = "\u200d"
_EXTEND_RANGES = (
    (0xFE00, 0xFE0F),
    (0x1F3FB, 0x1F3FF),
    (0xE0020, 0xE007F),
    (0x20E3, 0x20E3),
    (0x200C, 0x200C),
)
_REGIONAL = (0x1F1E6, 0x1F1FF)
_HANGUL_L, _HANGUL_V, _HANGUL_T = (0x1100, 0x115F), (0x1160, 0x11A7), (0x11A8, 0x11FF)
_INDIC_LINKERS = frozenset("\u094d\u09cd\u0acd\u0b4d\u0c4d\u0d4d")  # virama: joins conjuncts (GB9c)


def _in(cp: int, lo_hi: tuple[int, int]) -> bool:
    return lo_hi[0] <= cp <= lo_hi[1]


def _extends(ch: str) -> bool:
    """A code point that never starts a cluster: combining marks, selectors, skin tones, tags, keycap."""
    cp = ord(ch)
    return unicodedata.category(ch) in ("Mn", "Me", "Mc") or any(_in(cp, r) for r in _EXTEND_RANGES)


def _joins(prev: str, ch: str) -> bool:
    """Whether ``ch`` continues the cluster that ``prev`` ends (Hangul jamo, CR LF, Indic conjuncts)."""
    p, c = ord(prev), ord(ch)
    if (prev == "\r" and ch == "\n") or (prev in _INDIC_LINKERS and unicodedata.category(ch) == "Lo"):
        return True
    if _in(p, _HANGUL_L) and (_in(c, _HANGUL_L) or _in(c, _HANGUL_V)):
        return True
    return (_in(p, _HANGUL_V) or _in(p, _HANGUL_T)) and (_in(c, _HANGUL_V) or _in(c, _HANGUL_T))


def graphemes(text: str) -> int:
    """The number of user-perceived characters (grapheme clusters) in ``text``."""
    count, prev, after_zwj, open_flag = 0, "", False, False
    for ch in text:
        cp = ord(ch)
        if prev and (after_zwj or _extends(ch) or ch == _ZWJ or _joins(prev, ch)):
            pass
        elif _in(cp, _REGIONAL) and open_flag:
            open_flag = False
        else:
            count += 1
            open_flag = _in(cp, _REGIONAL)
        after_zwj = ch == _ZWJ
        prev = ch
    return count


def mastodon_length(text: str) -> int:
    """Mastodon's count: graphemes, each URL 23, a remote mention only its ``@user`` part."""
    text = _REMOTE_MENTION.sub(r"\1", text)
    total, pos = 0, 0
    for m in URL_RE.finditer(text):
        if not m.group(0).lower().startswith(("http://", "https://")):
            continue  # Mastodon links only URLs with a scheme
        total += graphemes(text[pos : m.start()]) + MASTODON_URL_WEIGHT
        pos = m.end()
    return total + graphemes(text[pos:])


def bluesky_length(text: str) -> int:
    return graphemes(text)


def length_in(unit: str, text: str, platform: str) -> int:
    """``text`` measured in ``unit`` (a ``LimitUnit``); Mastodon's own rule whatever the unit says."""
    if platform == "mastodon":
        return mastodon_length(text)
    if unit == "x_weighted":
        return weighted_length(text)
    if unit == "graphemes":
        return graphemes(text)
    return len(unicodedata.normalize("NFC", text))

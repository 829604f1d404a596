"""X's weighted length (twitter-text v3): what counts toward the 280 limit. Pure.

Weights: code points in U+0000–10FF, U+2000–200D, U+2010–201F and U+2032–2037 count 1; any other counts 2;
an emoji sequence (ZWJ, skin tone, keycap, flag) counts 2 as a whole; every URL counts 23. The text is
NFC-normalised first.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_WEIGHTED = 280
URL_WEIGHT = 23
LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

# URLs: with a scheme, with www., or a bare domain on a common TLD (twitter-text links those too).
_TLDS = (
    "com|net|org|fr|io|co|uk|de|eu|be|ch|ca|es|it|nl|info|biz|app|dev|shop|store|help|me|ly|gl|gd|tv|us"
    "|ai|tech|online|site"
)
_PATH = r"(?:[^\s<>\"]*[^\s<>\".,!?;:'()\[\]])?"  # trailing punctuation is not part of a URL
URL_RE = re.compile(
    rf"(?:(?:https?://|www\.){_PATH}|(?<![@.\w-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/{_PATH})?)",
    re.IGNORECASE,
)
_PICTO = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u2190-\u21ff\u3030\u303d\u3297\u3299"
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2934\u2935\u25aa-\u25fe"
)
_MOD = "[\ufe0e\ufe0f]?[\U0001f3fb-\U0001f3ff]?[\U000e0020-\U000e007f]*"
EMOJI_RE = re.compile(
    rf"[\U0001f1e6-\U0001f1ff]{{2}}"  # a flag: two regional indicators
    rf"|[#*0-9]\ufe0f?\u20e3"  # a keycap
    rf"|[{_PICTO}]{_MOD}(?:\u200d[{_PICTO}]{_MOD})*"  # an emoji with modifiers, joined by ZWJ
)


def _char_weight(ch: str) -> int:
    cp = ord(ch)
    return 1 if any(lo <= cp <= hi for lo, hi in LIGHT_RANGES) else 2


def _plain_weight(text: str) -> int:
    total, pos = 0, 0
    for m in EMOJI_RE.finditer(text):
        total += sum(_char_weight(c) for c in text[pos : m.start()]) + 2
        pos = m.end()
    return total + sum(_char_weight(c) for c in text[pos:])


def weighted_length(text: str) -> int:
    """The length X counts for ``text``."""
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for m in URL_RE.finditer(text):
        total += _plain_weight(text[pos : m.start()]) + URL_WEIGHT
        pos = m.end()
    return total + _plain_weight(text[pos:])


def _words(text: str) -> str:
    return " ".join(URL_RE.sub("\x00link", unicodedata.normalize("NFC", text)).split())


def same_words(ours: str, theirs: str) -> bool:
    """Whether X's copy ``theirs`` of a post or message is the text ``ours`` we sent. X turns every link
    into a t.co link and escapes &, < and > in a post (``&amp;``), so links compare as one mark, X's copy
    is read with and without its entities decoded, and runs of spaces count as one."""
    words = _words(ours)
    return words in (_words(theirs), _words(html.unescape(theirs)))

"""Text normalisation shared by training and inference (mentions, URLs, escapes, emoji, length): pure."""

from __future__ import annotations

import re

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@\w+")
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
SPACE = re.compile(r"\s+")
UNENCODABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
LONGEST_RUN = 100  # punctuation marks or symbols in a row: spaCy splits a run of them in quadratic time
LONG_RUN = re.compile(rf"[^\w\s]{{{LONGEST_RUN}}}(?=[^\w\s])")
LETTER = re.compile(r"[^\W\d_]")
MAX_CHARS = 5_000  # longer messages are cut before the models and rules (PII still sees the whole text)

# The training tweets have emoticons but no emoji: common emoji become the emoticon the models learnt.
EMOTICONS = {
    ":)": "🙂😊☺😀😃😄😁😉👍👌🙌👏💪✨🎉🥳😎🤗🙏✅",
    ":D": "😂🤣😆😅😹",
    "<3": "❤💕💖💗💙💚💛💜🧡🖤🤍😍🥰😘💯",
    ":(": "🙁☹😞😟😢😭😿💔😩😫😖😣😥😓😔👎😡😠🤬😤💩🤮🤢😱😨😰❌⚠🚫",
    ":/": "😕😐😑🙄😒🤔😬🤨😶",
}
EMOJI = {ch: f" {emoticon} " for emoticon, chars in EMOTICONS.items() for ch in chars}
EMOJI_RE = re.compile("|".join(map(re.escape, EMOJI)))
# Invisible characters (zero-width space, word joiner, zero-width no-break space, soft hyphen, Mongolian vowel
# separator) go, and fullwidth Latin letters and digits become plain ones: "id\u200biot", or "idiot" written
# in fullwidth letters, hid an insult from the phrase rules. Zero-width joiners stay (emoji sequences,
# Persian and Indic scripts use them).
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"))
FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\ufe0f": None} | INVISIBLE | FULLWIDTH)


def encodable(text: str) -> str:
    """``text`` as valid Unicode: a surrogate pair split into two code points is joined again; a lone
    surrogate or a NUL becomes U+FFFD (the language detector and the databases take UTF-8 only). The rule
    of ``connectors.boundary.clean_text``, which this package may not import; here it also covers what
    decoding literal escapes makes and texts that never crossed a connector (``inbox classify``)."""
    if not UNENCODABLE.search(text):
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", REPLACEMENT)


def normalise(text: str, max_chars: int = MAX_CHARS) -> str:
    """The text the models see: URLs -> "http", @handles -> "@user", literal \\uXXXX escapes decoded (an
    escaped emoji's two halves joined, a lone half replaced: ``encodable``), curly quotes straightened,
    invisible characters dropped and fullwidth letters made plain (``INVISIBLE``, ``FULLWIDTH``), common
    emoji -> emoticons, a space after every ``LONGEST_RUN`` punctuation marks or symbols in a row ("!!!!…"
    five thousand times took the tokenizer 5 s; words, and scripts written without spaces, are left whole),
    spaces collapsed, cut at ``max_chars``."""
    text = ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text[: max_chars * 2])
    text = encodable(text).translate(QUOTES)
    text = MENTION.sub("@user", URL.sub("http", text))
    text = LONG_RUN.sub(r"\g<0> ", EMOJI_RE.sub(lambda m: EMOJI[m.group()], text))
    return SPACE.sub(" ", text).strip()[:max_chars]


def for_detection(text: str) -> str:
    """What the language detector sees: no URLs, mentions, placeholders ("http", "@user") or emoticons."""
    text = MENTION.sub(" ", URL.sub(" ", text))
    text = re.sub(r"\bhttp\b|:\)|:D|<3|:\(|:/", " ", text).replace("#", " ")
    return SPACE.sub(" ", text).strip()


def letters(text: str) -> int:
    """How many letters ``text`` has (emoji, digits and punctuation are not letters)."""
    return len(LETTER.findall(text))

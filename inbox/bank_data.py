"""Bank data and French social-security numbers found and masked where they stand. Pure; imports nothing of
the inbox, so ingestion, the classifier and the schema migrations can all use it.

What is found: payment card numbers (13 to 19 digits, starting 2-6 as the card networks do, passing Luhn or
followed by an expiry such as ``/12/27``; in a link too, but for a post's id after ``/status/`` or ``?id=``),
IBANs (python-stdnum: the country's length and format, mod-97, a space allowed after the country code), French
RIBs (bank, branch, account, key; the key checked), a card's security code after its name ("cvv 123"), and
the NIR (numéro de sécurité sociale: 13 characters and a 2-digit key, Corsica's 2A/2B included, checked by
python-stdnum), each written whole or grouped by spaces, no-break spaces (French typography, bank apps), dots
or dashes, one or two between groups (a NIR: one). Masking keeps the text's length and separators: every
letter or digit becomes ``*`` except a card's or an IBAN's last four; a NIR is masked whole. Stored PII spans
(offsets) therefore stay right.

In payloads, string values are masked; values under keys that name an identifier (``id``, ``*_id``,
``id_str``, ``*_ids``, and the ids of an edit's versions: ``version``, ``unread_versions``...) are left
alone: platform ids are long digit strings, not bank data (an X id passes Luhn one time in ten).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

MASK = "*"
BLANK = "\x00"  # neither a letter, a digit nor a separator: what a finder reads in place of data found
KEEP = {"card": 4, "iban": 4, "rib": 4, "nir": 0, "cvv": 0}

SEPARATORS = " .\u00a0\u202f\u2009-"  # space, dot, no-break spaces (French typography, bank apps), dash
_GROUP = rf"[{SEPARATORS}]{{0,2}}"  # between two digit groups: none, one or two separators
CARD = re.compile(rf"(?<![\w.+-])[2-6](?:{_GROUP}\d){{12,18}}(?![\w-])")
# right after a card: its expiry, "/12/27", " 12/2027", " exp. 12/27" (then a mistyped number is a card too)
EXPIRY = re.compile(
    r"(?:\s*/\s*|\s+(?:exp\w*\.?\s*:?\s*)?)(?:0[1-9]|1[0-2])\s*/\s*(?:20)?\d{2}(?![\d/])", re.I
)
# in a link, what follows these path segments or query keys is a platform's id (a post, a profile), not a card
ID_SEGMENT = re.compile(
    r"(?:^|/)(?:@[^/]*|status|statuses|posts?|comments?|p|reels?|videos?|photos?|media|stories|story|"
    r"messages?|notes?|tweets?|threads?|i|web|events?|groups?|permalink)/$",
    re.IGNORECASE,
)
IBAN = re.compile(
    rf"(?<![\w/=])[A-Z]{{2}}{_GROUP}\d{{2}}(?:{_GROUP}[A-Z0-9]){{10,30}}(?![\w/])", re.IGNORECASE
)
_SEP = rf"[{SEPARATORS}]?"
_TRAILING_GROUP = re.compile(rf"[{SEPARATORS}]+\d+$")
_LAST_GROUP = re.compile(rf"[{SEPARATORS}]+[A-Z0-9]*$|[A-Z0-9]+$", re.IGNORECASE)
NIR = re.compile(
    rf"(?<![\w/=.+-])[12]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}(?:\d{{2}}|2[AB]){_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}"
    r"(?![\w/-])",
    re.IGNORECASE,
)
# a French RIB: bank (5 digits), branch (5), account (11 letters or digits), key (2), checked by ``_rib_ok``
RIB = re.compile(
    rf"(?<![\w/=.+-])\d{{5}}{_GROUP}\d{{5}}{_GROUP}[A-Z0-9]{{11}}{_GROUP}\d{{2}}(?![\w/-])", re.IGNORECASE
)
_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")
# a card's security code after its name: "cvv 123", "cryptogramme : 737", "code de sécurité 1234"
CVV = re.compile(
    r"(?i)\b(?:cvv2?|cvc2?|cryptogramme(?:\s+visuel)?|crypto|code\s+de\s+s[ée]curit[ée]|security\s+code)"
    r"\s*[:=]?\s*(\d{3,4})(?![\d/])"
)
ID_KEY = re.compile(r"(?:^|_)(?:id|ids|id_str|mid|cursor|token|version|versions)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    """One piece of bank data or a NIR at ``text[start:end]``."""

    kind: str  # card | iban | nir
    start: int
    end: int


def _overlaps(start: int, end: int, taken: list[Found]) -> bool:
    return any(start < f.end and f.start < end for f in taken)


def _candidates(pattern: re.Pattern[str], text: str, found: list[Found]) -> Iterator[re.Match[str]]:
    """Every match of ``pattern`` in ``text``, overlapping ones too, but none starting inside one already
    ``found``: a candidate that proves not to be one (a short number before a card, "Order 3 4111 …", or a
    card's expiry before the next card) must not hide the one starting inside it."""
    at = 0
    while m := pattern.search(text, at):
        if not found or m.start() >= found[-1].end:
            yield m
        at = max(m.start() + 1, found[-1].end if found else 0)


def _compact(number: str) -> str:
    """``number`` without its separators."""
    return re.sub(f"[{SEPARATORS}]", "", number)


def _ibans(text: str) -> list[Found]:
    """IBAN candidates, trimmed group by group from the right until one is valid ("... 189 merci")."""
    out: list[Found] = []
    for m in _candidates(IBAN, text, out):
        raw = m.group()
        while len(compact := _compact(raw)) >= 15:
            if stdnum_iban.is_valid(compact):
                out.append(Found("iban", m.start(), m.start() + len(raw)))
                break
            raw = _LAST_GROUP.sub("", raw)  # the last group was not part of it ("... 189 merci")
    return out


def find_nirs(text: str) -> list[Found]:
    """The French social-security numbers in ``text`` (for the personal-data finder, ``inbox.nlp.pii``)."""
    return _nirs(text)


def find_french_bank_details(text: str) -> list[Found]:
    """The RIBs and card security codes in ``text`` (for the personal-data finder, ``inbox.nlp.pii``)."""
    return _ribs(text) + _cvvs(text)


def _checked(kind: str, pattern: re.Pattern[str], text: str, valid: Callable[[str], bool]) -> list[Found]:
    """The matches of a fixed-length ``pattern`` whose number (without separators) is ``valid``."""
    out: list[Found] = []
    for m in _candidates(pattern, text, out):
        if valid(_compact(m.group())):
            out.append(Found(kind, m.start(), m.end()))
    return out


def _nirs(text: str) -> list[Found]:
    return _checked("nir", NIR, text, stdnum_nir.is_valid)


def _an_id(text: str, start: int) -> bool:
    """The number at ``start`` is a platform id in a link: after a post's path segment (``/status/``,
    ``/@kim/``) or under an id query key (``?id=``, ``&order_id=``)."""
    before = text[max(0, start - 60) : start]
    if before.endswith("/"):
        return bool(ID_SEGMENT.search(before.rsplit("//", 1)[-1]))
    key = re.search(r"[?&;]([\w.-]*)=$", before)
    return bool(key and (ID_KEY.search(key.group(1)) or key.group(1).lower().endswith("id")))


def _rib_ok(compact: str) -> bool:
    """The RIB key: 97 - (89 x bank + 15 x branch + 3 x account) mod 97, letters read as digits."""
    bank, branch, account, key = compact[:5], compact[5:10], compact[10:21], compact[21:]
    account = account.upper().translate(_RIB_LETTERS)
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97 == int(key)


def _ribs(text: str) -> list[Found]:
    return _checked("rib", RIB, text, _rib_ok)


def _cvvs(text: str) -> list[Found]:
    return [Found("cvv", m.start(1), m.end(1)) for m in CVV.finditer(text)]


def _card_end(text: str, m: re.Match[str]) -> int | None:
    """Where the card a ``CARD`` match starts ends: the match less its trailing groups until Luhn-valid or
    followed by an expiry date (a customer's typo is still their card); None when it is no card."""
    raw = m.group()
    while not _an_id(text, m.start()) and len(_compact(raw)) >= 13:
        end = m.start() + len(raw)
        if luhn.is_valid(_compact(raw)) or EXPIRY.match(text, end):
            return end
        trimmed = _TRAILING_GROUP.sub("", raw)  # a group too many: the expiry's month ("7890 12/27")
        if trimmed == raw:
            return None
        raw = trimmed
    return None


def _cards(text: str) -> list[Found]:
    """Card numbers. One starting inside another and running past it is masked with it: a short number
    before a card may make a Luhn-valid number by chance ("4519 2000 0000 0002 4": both readings are)."""
    out: list[Found] = []
    for m in _candidates(CARD, text, out):
        end = _card_end(text, m)
        if end is None:
            continue
        at = m.start() + 1
        while (inner := CARD.search(text, at)) and inner.start() < end:
            end = max(end, _card_end(text, inner) or end)
            at = inner.start() + 1
        out.append(Found("card", m.start(), end))
    return out


def find_bank_data(text: str) -> list[Found]:
    """Every card number, IBAN, RIB, NIR and card security code in ``text``, by position (IBANs first, then
    RIBs, NIRs, cards, security codes)."""
    found: list[Found] = []
    for finder in (_ibans, _ribs, _nirs, _cards, _cvvs):
        found += [f for f in finder(_blanked(text, found)) if not _overlaps(f.start, f.end, found)]
    return sorted(found, key=lambda f: f.start)


def _blanked(text: str, found: list[Found]) -> str:
    """``text`` with what was found already blanked (same length): a later finder's candidate never reaches
    into it (a card read on into a NIR's first digits, then dropped, hid the card itself)."""
    for f in found:
        text = text[: f.start] + BLANK * (f.end - f.start) + text[f.end :]
    return text


def _masked(chunk: str, keep: int) -> str:
    alnum = [i for i, ch in enumerate(chunk) if ch.isalnum()]
    hidden = set(alnum[: len(alnum) - keep] if keep else alnum)
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(chunk))


def mask_text(text: str) -> str:
    """``text`` with its bank data and NIRs masked (same length, same separators). Masked again until nothing
    changes, so masking a masked text changes nothing: the last four digits kept of one number and the
    numbers after them may by chance read as another one ("…***20 22 99 269 0 174" as a card)."""
    while True:
        found = find_bank_data(text)
        parts, at = [], 0
        for f in found:
            parts += [text[at : f.start], _masked(text[f.start : f.end], KEEP[f.kind])]
            at = f.end
        masked = "".join([*parts, text[at:]])
        if masked == text:
            return text
        text = masked


def mask_payload(value: Any, key: str = "") -> Any:
    """A JSON-like value with every string masked, except those under identifier keys."""
    if isinstance(value, str):
        return value if ID_KEY.search(key) else mask_text(value)
    if isinstance(value, dict):
        return {k: mask_payload(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_payload(v, key) for v in value]
    return value


def mask_body(body: bytes) -> bytes:
    """A webhook body masked: a JSON body is masked value by value (and re-encoded only if something was
    masked, with ASCII escapes as the platforms send it, so a clean body stays byte for byte); any other
    body is masked as UTF-8 text."""
    try:
        parsed = json.loads(body)
    except ValueError:
        text = body.decode("utf-8", errors="surrogateescape")
        masked = mask_text(text)
        return body if masked == text else masked.encode("utf-8", errors="surrogateescape")
    masked_value = mask_payload(parsed)
    if masked_value == parsed:
        return body
    # escaped as the platforms send it: a lone surrogate (half an emoji) stays "\ud83d", valid UTF-8
    return json.dumps(masked_value, separators=(",", ":")).encode()


def with_nir(spans: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Stored PII spans (``{"kind", "start", "end"}``) with the NIRs of ``text`` added; a NIR replaces any
    span it overlaps (the phone finder may take one for a phone number)."""
    nirs = _nirs(text)
    if not nirs:
        return spans
    kept = [s for s in spans if not _overlaps(s["start"], s["end"], nirs)]
    added = [{"kind": f.kind, "start": f.start, "end": f.end} for f in nirs]
    return sorted(kept + added, key=lambda s: (s["start"], s["end"]))

"""Bank data and French social-security numbers found and masked where they stand. Pure; imports nothing of
the inbox, so ingestion, the classifier and the schema migrations can all use it.

What is found: payment card numbers (13 to 19 digits, starting 2-6 as the card networks do, passing Luhn),
IBANs (python-stdnum: the country's length and format, mod-97, a space allowed after the country code) and
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
from dataclasses import dataclass
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

MASK = "*"
KEEP = {"card": 4, "iban": 4, "nir": 0}

SEPARATORS = " .\u00a0\u202f\u2009-"  # space, dot, no-break spaces (French typography, bank apps), dash
_GROUP = rf"[{SEPARATORS}]{{0,2}}"  # between two digit groups: none, one or two separators
CARD = re.compile(rf"(?<![\w/=.+-])[2-6](?:{_GROUP}\d){{12,18}}(?![\w/-])")
IBAN = re.compile(
    rf"(?<![\w/=])[A-Z]{{2}}{_GROUP}\d{{2}}(?:{_GROUP}[A-Z0-9]){{10,30}}(?![\w/])", re.IGNORECASE
)
_SEP = rf"[{SEPARATORS}]?"
_LAST_GROUP = re.compile(rf"[{SEPARATORS}]+[A-Z0-9]*$|[A-Z0-9]+$", re.IGNORECASE)
NIR = re.compile(
    rf"(?<![\w/=.+-])[12]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}(?:\d{{2}}|2[AB]){_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}"
    r"(?![\w/-])",
    re.IGNORECASE,
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


def _compact(number: str) -> str:
    """``number`` without its separators."""
    return re.sub(f"[{SEPARATORS}]", "", number)


def _ibans(text: str) -> list[Found]:
    """IBAN candidates, trimmed group by group from the right until one is valid ("... 189 merci")."""
    out = []
    for m in IBAN.finditer(text):
        raw = m.group()
        while len(compact := _compact(raw)) >= 15:
            if stdnum_iban.is_valid(compact):
                out.append(Found("iban", m.start(), m.start() + len(raw)))
                break
            raw = _LAST_GROUP.sub("", raw)  # the last group was not part of it ("... 189 merci")
    return out


def _nirs(text: str) -> list[Found]:
    return [
        Found("nir", m.start(), m.end())
        for m in NIR.finditer(text)
        if stdnum_nir.is_valid(_compact(m.group()))
    ]


def _cards(text: str) -> list[Found]:
    return [
        Found("card", m.start(), m.end()) for m in CARD.finditer(text) if luhn.is_valid(_compact(m.group()))
    ]


def find_bank_data(text: str) -> list[Found]:
    """Every card number, IBAN and NIR in ``text``, by position (IBANs first, then NIRs, then cards)."""
    found: list[Found] = []
    for finder in (_ibans, _nirs, _cards):
        found += [f for f in finder(text) if not _overlaps(f.start, f.end, found)]
    return sorted(found, key=lambda f: f.start)


def _masked(chunk: str, keep: int) -> str:
    alnum = [i for i, ch in enumerate(chunk) if ch.isalnum()]
    hidden = set(alnum[: len(alnum) - keep] if keep else alnum)
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(chunk))


def mask_text(text: str) -> str:
    """``text`` with its bank data and NIRs masked (same length, same separators)."""
    found = find_bank_data(text)
    if not found:
        return text
    parts, at = [], 0
    for f in found:
        parts += [text[at : f.start], _masked(text[f.start : f.end], KEEP[f.kind])]
        at = f.end
    parts.append(text[at:])
    return "".join(parts)


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

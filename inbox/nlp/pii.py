"""Personal data in a text (emails, phones, cards, IBANs, NIRs, references): pure, no model, fast to run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as stdnum_iban

from inbox.bank_data import find_french_bank_details, find_nirs
from inbox.nlp.types import PiiSpan

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# an address spelled out to dodge robots: "jean.dupont arobase gmail point com", "jean(at)gmail[dot]com"
_AT = r"(?:\s*[(\[{]\s*(?:at|arobase|@)\s*[)\]}]\s*|\s+arobase\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{]\s*(?:dot|point)\s*[)\]}]\s*|\s+point\s+)"
EMAIL_SPELLED = re.compile(
    rf"(?i)(?<![\w.+-])[\w.+-]+{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}[a-z]{{2,}}\b"
)
# 13-19 digits, optionally grouped by single spaces or dashes ("4970 1012 3456 7899").
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# Two letters, two check digits, then 11-30 letters/digits, optionally grouped by single spaces.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
# A French postal address: a number (bis, ter), a street type, then a name that is capitalised or follows
# "de", "du", "des"...; a postcode and town after it are part of it ("3 rue des Lilas 75012 Paris").
_STREET = (
    r"rue|avenue|av\.|boulevard|bd|bld|allée|allee|impasse|chemin|place|quai|cours|route|square|passage|"
    r"faubourg|fbg|villa|cité|cite|résidence|residence|lotissement|hameau|sentier|voie|esplanade|parvis"
)
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_JOIN = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’]|sur|sous|et|saint|sainte|st|ste)"
ADDRESS = re.compile(
    rf"(?<![\w/.,-])\d{{1,4}}(?:\s?(?i:bis|ter|quater|[a-d])\b)?,?\s+(?i:{_STREET})\s+"
    rf"(?:(?i:{_JOIN})\s*[\w'’-]+|{_NAME})(?:[ -](?:(?i:{_JOIN})\s*[\w'’-]+|{_NAME}))*"
    rf"(?:,?\s+\d{{5}}(?:\s+{_NAME}(?:[ -]{_NAME})*)?)?"
)
# A run that could be a phone number: optional +/00, digits with spaces, dots, dashes, slashes or brackets.
DIGIT = re.compile(r"\d")
# no-break, narrow no-break and thin spaces (French typography, phones' keyboards) read as spaces, one for one
# so that offsets stay right
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
SLASHED = re.compile(r"(?<![\d/])0[1-9](?:/\d\d){4}(?![\d/])")  # "06/12/34/56/78": five pairs, never a date
PHONE_CANDIDATE = re.compile(r"(?:\+|\b00|\b)\(?\d[\d .\-/()]{6,}\d")


def phone_key(text: str, regions: Sequence[str]) -> str | None:
    """``text`` as an E.164 number ("+33800123456"), read in the first region where it is valid; else None."""
    text = text.translate(SPACES)
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def contact_key(text: str, regions: Sequence[str]) -> str | None:
    """The comparable form of a public contact detail: an e-mail address in lower case, a phone in E.164."""
    text = text.strip()
    if EMAIL.fullmatch(text):
        return text.casefold()
    return phone_key(text, regions)


@dataclass(frozen=True, slots=True)
class PiiPatterns:
    """What ``find_pii`` looks for beyond the built-in kinds (phone regions, reference patterns), and the
    brand's own public contact details, never personal data (``allowed``: keys of ``contact_key``)."""

    phone_regions: tuple[str, ...] = ("FR", "GB", "US")
    refs: tuple[tuple[str, re.Pattern[str]], ...] = field(default_factory=tuple)
    allowed: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, phone_regions: Sequence[str], refs: dict[str, str], allowed: Sequence[str] = ()
    ) -> PiiPatterns:
        """Compile ``refs`` (kind -> regex; group 1, when present, is the span kept); key ``allowed``."""
        keys = frozenset(k for k in (contact_key(a, phone_regions) for a in allowed) if k)
        compiled = tuple((kind, re.compile(rx)) for kind, rx in refs.items())
        return cls(tuple(phone_regions), compiled, keys)

    def is_allowed(self, kind: str, text: str) -> bool:
        """Whether this e-mail or phone span is one of the brand's public contact details."""
        if not self.allowed or kind not in ("email", "phone"):
            return False
        return contact_key(text, self.phone_regions) in self.allowed


DEFAULT_PATTERNS = PiiPatterns(
    refs=(
        (
            "order_ref",
            re.compile(
                r"(?i)\b(?:order|commande|cmd|pedido|bestellung)\s*(?:n[°ºo]\.?|no\.?|number|num[ée]ro|#)?\s*[:#]?\s*"
                r"([A-Z]{0,4}[-]?\d[\dA-Z-]{4,})"
            ),
        ),
        (
            "account_ref",
            re.compile(
                r"(?i)\b(?:account|compte|client|customer|contrat|contract)\s*(?:n[°ºo]\.?|no\.?|number|num[ée]ro|id|#)?"
                r"\s*[:#]?\s*([A-Z]{0,4}[-]?\d[\dA-Z-]{4,})"
            ),
        ),
    )
)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum used by payment cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(raw: str) -> bool:
    """An IBAN (spaces ignored): its country's length and format and the mod-97 check (python-stdnum), so a
    flight number that happens to pass mod-97 ("Ba016 from Sydney") is not one."""
    return bool(stdnum_iban.is_valid(raw.replace(" ", "")))


def _ibans(text: str) -> list[PiiSpan]:
    """IBAN candidates, trimmed group by group from the right until the checksum holds ("... 189 merci")."""
    out = []
    for m in IBAN.finditer(text):
        raw = m.group()
        while len(raw.replace(" ", "")) >= 15:
            if iban_ok(raw):
                out.append(PiiSpan("iban", m.start(), m.start() + len(raw)))
                break
            raw = raw.rsplit(" ", 1)[0] if " " in raw else ""
    return out


def _addresses(text: str) -> list[PiiSpan]:
    return [PiiSpan("address", m.start(), m.end()) for m in ADDRESS.finditer(text)]


def _overlaps(start: int, end: int, taken: Iterable[PiiSpan]) -> bool:
    return any(start < s.end and s.start < end for s in taken)


def _cards(text: str) -> list[PiiSpan]:
    out = []
    for m in CARD.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            out.append(PiiSpan("card", m.start(), m.end()))
    return out


ID_PREFIX = re.compile(r"[A-Za-z0-9]-$")  # "PP-006-234-…": the tail of a case id or reference
LONE_DOT_DIGIT = re.compile(r"\.\d(?:\.|$)")  # "61.0.3163.100": a version number or an address, never a phone


def _not_a_phone(text: str, start: int, written: str) -> bool:
    """A valid-looking number that is part of an identifier ("PP-006-234-348-863") or a dotted version
    ("Chrome 61.0.3163.100", an IP address), as found among real support tweets."""
    return bool(ID_PREFIX.search(text[max(0, start - 2) : start]) or LONE_DOT_DIGIT.search(written))


def _phones(text: str, regions: Sequence[str], taken: list[PiiSpan]) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    text = SLASHED.sub(lambda m: m.group().replace("/", " "), text.translate(SPACES))  # same length
    for cand in PHONE_CANDIDATE.finditer(text):
        if len(DIGIT.findall(cand.group())) < 7 or _overlaps(cand.start(), cand.end(), taken):
            continue
        window = text[max(0, cand.start() - 1) : cand.end()]
        offset = max(0, cand.start() - 1)
        for region in regions:
            found = [
                PiiSpan("phone", offset + m.start, offset + m.end)
                for m in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID)
                if not _not_a_phone(text, offset + m.start, m.raw_string)
            ]
            if found:
                out.extend(s for s in found if not _overlaps(s.start, s.end, out))
                break
    return out


def _refs(text: str, refs: Sequence[tuple[str, re.Pattern[str]]], taken: list[PiiSpan]) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    for kind, rx in refs:
        for m in rx.finditer(text):
            group = 1 if rx.groups else 0
            start, end = m.span(group)
            if start < end and not _overlaps(start, end, taken + out):
                out.append(PiiSpan(kind, start, end))
    return out


def find_pii(text: str, patterns: PiiPatterns = DEFAULT_PATTERNS) -> list[PiiSpan]:
    """Every piece of personal data in ``text``, sorted by position; checksums filter cards and IBANs."""
    spans = [PiiSpan("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    spelled = (PiiSpan("email", m.start(), m.end()) for m in EMAIL_SPELLED.finditer(text))
    spans += [s for s in spelled if not _overlaps(s.start, s.end, spans)]
    spans += [s for s in _ibans(text) if not _overlaps(s.start, s.end, spans)]
    nirs = (PiiSpan("nir", f.start, f.end) for f in find_nirs(text))  # before phones: it may look like one
    spans += [s for s in nirs if not _overlaps(s.start, s.end, spans)]
    details = (PiiSpan(f.kind, f.start, f.end) for f in find_french_bank_details(text))  # rib, cvv
    spans += [s for s in details if not _overlaps(s.start, s.end, spans)]
    spans += [s for s in _addresses(text) if not _overlaps(s.start, s.end, spans)]
    spans += [s for s in _cards(text) if not _overlaps(s.start, s.end, spans)]
    if len(DIGIT.findall(text)) >= 7:
        spans += _phones(text, patterns.phone_regions, spans)
    spans += _refs(text, patterns.refs, spans)
    spans = [s for s in spans if not patterns.is_allowed(s.kind, text[s.start : s.end])]
    return sorted(spans, key=lambda s: (s.start, s.end))

"""What names a person in free text and payloads, for erasure: handles, display names, platform ids, the
e-mail addresses and phone numbers they gave in their messages, and a phone number (a WhatsApp id, one they
gave) however it is written ("+33 6 12 34 56 78", "06.12.34.56.78").

``redact`` replaces each of them with ``[erased]``; ``without_their_copies`` first drops, from another
customer's payload, the copies of the person's own messages it carries (Telegram's ``reply_to_message``, an
X referenced post: any object whose author is the person), so their words go too, not only their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import phonenumbers
from sqlmodel import Session, col, select

from inbox.config.loader import ConfigError
from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns, contact_key, find_pii
from inbox.nlp.settings import load_pii_patterns
from inbox.privacy.subject import Subject
from inbox.settings import current_settings
from inbox.store.gone import ERASED
from inbox.store.tables import Contact, Message, Person

AUTHOR_KEYS = ("from", "author", "sender", "user", "account")  # where a payload object names its author
AUTHOR_ID_KEYS = ("author_id", "from_id", "sender_id", "user_id")
AUTHOR_FIELDS = ("id", "username", "acct", "did", "handle")  # of an author object
SEPARATOR = r"[\s.\-]?"
PHONE_REGIONS = DEFAULT_PATTERNS.phone_regions  # how a national number a customer wrote is read


def phone_pattern(platform_id: str) -> str | None:
    """A regex for the phone number a platform id is (digits of an international number, as WhatsApp
    gives them), in its international or national form with any spacing; None when it is not one."""
    if not platform_id.isdigit() or not 8 <= len(platform_id) <= 15:
        return None
    try:
        number = phonenumbers.parse("+" + platform_id)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    national = str(number.national_number)
    region = phonenumbers.region_code_for_number(number)
    prefix = (phonenumbers.ndd_prefix_for_region(region, True) if region else None) or ""
    digits = SEPARATOR.join(re.escape(d) for d in national)
    country = SEPARATOR.join(str(number.country_code))
    return rf"(?:(?:\+|00){country}{SEPARATOR}(?:\(0\){SEPARATOR})?|{re.escape(prefix)}){digits}"


class Identifiers:
    """The person's names and ids, and what finds them."""

    def __init__(
        self, contacts: Iterable[Contact], person: Person | None, former: Iterable[str] = ()
    ) -> None:
        """``former``: ids the person wrote from before their contact moved (a changed WhatsApp number), and
        the e-mail addresses and phone numbers they gave (``given_details``)."""
        contacts = list(contacts)
        names = {c.handle for c in contacts} | {c.display_name for c in contacts}
        if person is not None:
            names.add(person.display_name)
        self.names = sorted({n for n in names if n and len(n) >= 3}, key=len, reverse=True)
        every = {c.platform_id for c in contacts} | set(former)
        self.ids = sorted({i for i in every if len(i or "") >= 5}, key=len, reverse=True)
        words = [
            re.escape(w) for w in sorted([*self.names, *self.ids], key=len, reverse=True)
        ]  # longest wins
        words += [p for p in (phone_pattern(i) for i in self.ids) if p]
        self.pattern = re.compile(rf"(?<!\w)@?(?:{'|'.join(words)})(?!\w)", re.IGNORECASE) if words else None
        self._own = {i.lower() for i in [*self.ids, *self.names]}

    def found_in(self, value: str) -> bool:
        return bool(self.pattern and self.pattern.search(value))

    def redact(self, value: Any) -> Any:
        """``value`` (text or JSON-like) with every identifier replaced by ``[erased]``."""
        if isinstance(value, str):
            return self.pattern.sub(ERASED, value) if self.pattern else value
        if isinstance(value, dict):
            return {k: self.redact(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact(v) for v in value]
        return value

    def _theirs(self, obj: dict[str, Any]) -> bool:
        """Whether a payload object was written by the person (its author names them)."""
        return bool(_authors(obj) & self._own)

    def only_theirs(self, value: Any, top: bool = True) -> Any:
        """One of the person's payloads without the objects someone else wrote (a copy of another
        customer's message they answered: ``[another person]``), for their copy of their data."""
        if isinstance(value, dict):
            authors = _authors(value)
            if not top and authors and not authors & self._own:
                return OTHER
            return {k: self.only_theirs(v, top=False) for k, v in value.items()}
        if isinstance(value, list):
            return [self.only_theirs(v, top=False) for v in value]
        return value

    def without_their_copies(self, value: Any, top: bool = True) -> Any:
        """Another customer's payload without the objects the person wrote (copies of their messages,
        replaced by ``[erased]``), then redacted. The payload itself (``top``) is never dropped whole."""
        if isinstance(value, dict):
            if not top and self._theirs(value):
                return ERASED
            return {k: self.without_their_copies(v, top=False) for k, v in value.items()}
        if isinstance(value, list):
            return [self.without_their_copies(v, top=False) for v in value]
        return self.redact(value)


OTHER = "[another person]"


def _authors(obj: dict[str, Any]) -> set[str]:
    """The identifiers of a payload object's author (lower case), if it names one."""
    found = {str(obj[k]).lower() for k in AUTHOR_ID_KEYS if obj.get(k) is not None}
    for key in AUTHOR_KEYS:
        author = obj.get(key)
        if isinstance(author, dict):
            found |= {str(author[k]).lower() for k in AUTHOR_FIELDS if author.get(k) is not None}
    return found


def given_details(messages: Iterable[tuple[str, Sequence[Any]]]) -> list[str]:
    """The e-mail addresses (lower case) and phone numbers (international digits) a person gave in their own
    messages (``(text, pii spans)`` as ingestion found them, the brand's own contact details left out):
    another customer or our reply quoting one names them too."""
    found: set[str] = set()
    for text, spans in messages:
        for span in spans or ():
            if not isinstance(span, dict) or span.get("kind") not in ("email", "phone"):
                continue
            key = contact_key(text[span.get("start", 0) : span.get("end", 0)], PHONE_REGIONS)
            if key:
                found.add(key.removeprefix("+"))
    return sorted(found)


def _patterns() -> PiiPatterns:
    """config/nlp.toml's personal-data patterns (the brand's own contact details left out), as ingestion
    reads messages; the defaults when the file cannot be read."""
    try:
        return load_pii_patterns(current_settings().config_dir)
    except (ConfigError, OSError):
        return DEFAULT_PATTERNS


def earlier_versions(raws: Iterable[Any]) -> list[tuple[str, Sequence[Any]]]:
    """The earlier versions of edited messages (``raw["versions"]``) with the personal data found in them
    (the stored spans are the newest version's): what a customer gave, then edited away, is still theirs."""
    texts = [
        v["text"]
        for raw in raws
        if isinstance(raw, dict)
        for v in raw.get("versions") or ()
        if isinstance(v, dict) and isinstance(v.get("text"), str)
    ]
    if not texts:
        return []
    patterns = _patterns()
    return [
        (t, [{"kind": p.kind, "start": p.start, "end": p.end} for p in find_pii(t, patterns)]) for t in texts
    ]


def subject_identifiers(session: Session, subject: Subject) -> Identifiers:
    """What names ``subject``: every linked account's names and ids, the ids they wrote from, and the
    e-mail addresses and phone numbers they gave in their messages (earlier versions of edited ones too)."""
    contacts = session.exec(select(Contact).where(col(Contact.id).in_(subject.contact_ids))).all()
    person = session.get(Person, subject.person_id) if subject.person_id is not None else None
    theirs = col(Message.contact_id).in_(subject.contact_ids)
    wrote_from = select(Message.author_platform_id).where(
        theirs, col(Message.author_platform_id).is_not(None)
    )
    ids = [i for i in session.exec(wrote_from.distinct()).all() if i]
    rows = session.exec(select(Message.text, Message.pii, Message.raw).where(theirs)).all()
    given = given_details([(text, pii) for text, pii, _ in rows] + earlier_versions(raw for *_, raw in rows))
    return Identifiers(contacts, person, [*ids, *given])

"""Words for stored values (statuses, urgency, sentiment, roles, languages, contact reasons): never show
snake_case or None."""

from __future__ import annotations

from babel import Locale

from inbox import i18n
from inbox.i18n import N_, _, pgettext
from inbox.reports.labels import REASONS
from inbox.store.gone import DELETED, ERASED, EXPIRED

STATUS = {
    "open": "Open",
    "pending": "Pending",
    "resolved": "Resolved",
    "moderated": "Moderated",
    "all": "All",
}
URGENCY = {"critical": N_("Critical"), "high": N_("High"), "normal": N_("Normal"), "low": N_("Low")}
SENTIMENT = {"negative": N_("Negative"), "neutral": N_("Neutral"), "positive": N_("Positive")}
ROLE = {"agent": N_("Agent"), "manager": N_("Community manager"), "admin": N_("Admin")}
AVAILABILITY = {"available": N_("Available"), "away": N_("On a break"), "offline": N_("Offline")}
LANGUAGE = {"fr": N_("French"), "en": N_("English"), "und": N_("Undetermined")}
VISIBILITY = {"public": N_("public"), "private": N_("private")}  # a message's or a reply's, in a sentence
REASON = REASONS  # the reports' words (inbox.reports.labels), so the CLI and the digest say the same

TAG = {  # tags the inbox suggests or writes: stored as these keys (charter rules match them), shown in words
    "delivery": N_("delivery"),
    "refund": N_("refund"),
    "billing": N_("billing"),
    "account": N_("account"),
    "complaint": N_("complaint"),
    "bug": N_("bug"),
    "praise": N_("praise"),
    "outage": N_("outage"),
    "vip": N_("VIP"),
    "influencer": N_("influencer"),
    "press": N_("press"),
    "at-risk": N_("at risk"),
    "employee": N_("employee"),
    "deleted-by-customer": N_("deleted by the customer"),  # inbox.ingest.deletions
}

RULE = {  # the shipped urgency and moderation rules of config/nlp.toml, by name; a team's own keep their name
    "safety": N_("risk to safety or health"),
    "hacked_account": N_("hacked account"),
    "fraud": N_("fraud or scam"),
    "legal": N_("legal threat"),
    "press": N_("press"),
    "regulator": N_("regulator"),
    "cannot_use": N_("service unusable"),
    "money_lost": N_("money lost"),
    "threat_to_leave": N_("threat to leave"),
    "question": N_("question"),
    "problem": N_("problem reported"),
    "discontent": N_("discontent stated"),
    "asks_for_help": N_("asks for help or an answer"),
    "thanks": N_("thanks"),
    "spam": N_("spam"),
    "insults": N_("insults"),
    "hate": N_("hate speech"),
}


def rule(name: str) -> str:
    """A phrase rule in words: "service inutilisable" for ``cannot_use``; a team's own rule by its name."""
    return _(RULE[name]) if name in RULE else name.replace("_", " ")


def tag(name: str) -> str:
    """A tag for people: "livraison" for ``delivery``; a tag the team made up as it is."""
    return _(TAG[name]) if name in TAG else name


def label(table: dict[str, str], value: str | None, *, none: str = "—") -> str:
    """``value``'s word in the current language; an unknown value as it is, without underscores."""
    if value is None or value == "":
        return none
    if table is STATUS:
        return _statuses().get(value, value.replace("_", " "))
    return _(table[value]) if value in table else value.replace("_", " ")


def language(code: str | None) -> str:
    """A language code for people: "French"; another ISO 639-1 code by its name in the screen's language
    (Babel: "Espagnol"), else the code in capitals ("XX")."""
    if code in LANGUAGE:
        return _(LANGUAGE[code])
    if not code:
        return "—"
    name = Locale.parse(i18n.current()).languages.get(code) if len(code) == 2 else None
    return name[:1].upper() + name[1:] if name else code.upper()


def _statuses() -> dict[str, str]:
    """Conversation statuses (adjectives: "Open" is "Ouverte", not the button's "Ouvrir")."""
    return {
        "open": pgettext("status", "Open"),
        "pending": pgettext("status", "Pending"),
        "resolved": pgettext("status", "Resolved"),
        "moderated": pgettext("status", "Moderated"),
        "all": pgettext("status", "All"),
    }


def stored_text(text: str) -> str:
    """A stored message, note or reply as shown: the markers of words that are gone (``inbox.store.gone``:
    erased, expired, deleted by the customer) in words."""
    if text == ERASED:
        return _("[erased at the customer's request]")
    if text == EXPIRED:
        return _("[removed at the end of the retention period]")
    if text == DELETED:
        return _("[deleted by the customer]")
    return text

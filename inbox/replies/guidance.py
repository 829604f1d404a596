"""What the response charter asks of a reply (move to DM, tone, signature), for the composer. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from inbox.charter.model import Charter
from inbox.charter.rules import brand_for, private_reasons
from inbox.i18n import N_, _

REASON_LABELS = {
    "urgencies": N_("urgency: {value}"),
    "topics": N_("topic: {value}"),
    "pii": N_("personal data: {value}"),
}


def _as_is(_group: str, value: str) -> str:
    return value


@dataclass(frozen=True)
class Guidance:
    private_reasons: list[str] = field(
        default_factory=list
    )  # dotted charter keys, e.g. privacy.topics.billing
    privacy_template: str | None = None
    brand: str | None = None
    tone: str | None = None
    guidelines: str = ""

    def reasons_text(self, word: Callable[[str, str], str] = _as_is) -> str:
        """``privacy.topics.billing`` -> ``topic: billing``, joined; ``word(group, value)`` says the value in
        the reader's words (the UI's: "sujet : Facturation et paiement")."""
        parts = []
        for reason in self.private_reasons:
            _section, group, value = (reason.split(".", 2) + ["", ""])[:3]
            said = word(group, value)
            parts.append(_(REASON_LABELS[group]).format(value=said) if group in REASON_LABELS else said)
        return ", ".join(parts)


def pii_kind(kind: str) -> str:
    """The charter's name for a personal-data kind found by inbox.nlp (``order_ref`` -> ``order``)."""
    return kind.removesuffix("_ref")


def for_reply(
    charter: Charter | None,
    *,
    channel: str,
    visibility: str,
    urgency: str | None,
    tags: Iterable[str],
    pii_kinds: Iterable[str],
    reason: str | None = None,
) -> Guidance:
    """The charter's advice for a reply in this conversation; empty advice when no charter is loaded."""
    if charter is None:
        return Guidance()
    reasons: list[str] = []
    if visibility == "public":
        kinds = [pii_kind(k) for k in pii_kinds]
        reasons = private_reasons(charter, urgency=urgency, topics=tags, pii_kinds=kinds, reason=reason)
    brand = brand_for(charter, channel)
    return Guidance(
        private_reasons=reasons,
        privacy_template=charter.privacy.template,
        brand=brand.display_name if brand else None,
        tone=brand.tone if brand else None,
        guidelines=brand.guidelines if brand else "",
    )

"""The languages an automatic message is written in, and how texts in several of them go out as one.

Rules, stated once:
- The languages come from the customer's latest messages (``inbox.nlp.reply_language``): theirs when a
  language the brand serves was determined; else the brand's default, and, when the brand's
  ``unsure_language`` is "all", its other languages after it.
- Texts in several languages go out as one message, a blank line between them, when together they fit the
  platform's length for that reply; else the first (the default's) alone. A language without a text is
  left out: never the default's text in its place.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from inbox.charter.model import Charter
from inbox.charter.rules import brand_for
from inbox.nlp.reply_language import Evidence, platform_language, written_languages
from inbox.replies import rules as reply_rules
from inbox.store.tables import Channel, Conversation, Message

EVIDENCE_MESSAGES = 20  # the customer's latest messages in a conversation that decide its language


def customer_evidence(session: Session, conv: Conversation) -> list[Evidence]:
    """What the customer's latest messages in ``conv`` (oldest first) say about their language."""
    stmt = (
        select(Message.language, Message.raw)
        .where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(EVIDENCE_MESSAGES)
    )
    rows = list(session.exec(stmt))[::-1]
    return [Evidence(language, platform_language(raw or {})) for language, raw in rows]


def automatic_languages(session: Session, charter: Charter, conv: Conversation) -> tuple[str | None, ...]:
    """The languages of an automatic message to ``conv``'s customer, in order; None stands for the charter's
    own text (the brand's default language, and the only text for a channel no brand speaks for)."""
    channel = session.get(Channel, conv.channel_id)
    brand = brand_for(charter, channel.name) if channel is not None else None
    if brand is None:
        return (None,)
    languages = written_languages(
        customer_evidence(session, conv), brand.served(), brand.language, brand.unsure_language
    )
    return tuple(None if code == brand.language else code for code in languages)


def automatic_language(session: Session, charter: Charter, conv: Conversation) -> str | None:
    """The one language of an automatic message that has a single text (a template to name): the first."""
    return automatic_languages(session, charter, conv)[0]


def in_one_message(
    session: Session, conv: Conversation, texts: Sequence[str], handle: str | None
) -> str | None:
    """``texts`` as one automatic message to ``conv``'s customer (``together``, on its channel's platform)."""
    channel = session.get(Channel, conv.channel_id)
    return together(texts, channel.platform if channel else None, conv.visibility, handle)


def together(texts: Sequence[str], platform: str | None, visibility: str, handle: str | None) -> str | None:
    """``texts`` one after the other when together they fit the platform's limit for a reply of that
    ``visibility`` (addressed to ``handle`` in public); else the first alone; None when there is none."""
    if not texts:
        return None
    if len(texts) == 1 or platform is None:
        return texts[0]
    joined = "\n\n".join(texts)
    addressed = f"{handle} {joined}" if visibility == "public" and handle else joined
    length = reply_rules.measure(addressed, platform, visibility, handle)
    too_many_bytes = length.max_bytes is not None and length.size > length.max_bytes
    return texts[0] if length.over > 0 or too_many_bytes else joined

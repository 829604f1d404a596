"""A reply still waiting in the outbox: what it waits for, and its author's (or a lead's) Edit and Cancel.

A reply waits while it is ``pending``: sending paused on its channel, a retry after a rate limit or a 5xx,
no listener yet. Its author, or a manager or admin (``inbox.access``: ``others_replies``), may cancel it or
change its text, which is checked again as a new reply is (template blanks, moderation, the platform's rules
and length, the messaging window, personal data in public, its language against the customer's). Both are one
conditional UPDATE on ``status = 'pending'``, the very condition a sender's claim needs
(``inbox.outbox.delivery._claim``): whichever commits first wins, so a claimed reply is never changed and a
sender never posts a cancelled reply or the text before an edit (it reads the text after its claim). A reply
an earlier attempt may have posted (``unsure_from``: its answer was lost) is neither: the outbox looks for
that very text on the platform before any new attempt. Audited with who, when and the old and new text.
Session-taking; never commits. The caller checks the agent works the conversation's channel.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from inbox import bank_data
from inbox.access import Actor, allowed, require
from inbox.i18n import _
from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns
from inbox.replies import composer, moderation
from inbox.replies import facts as reply_facts
from inbox.replies.reply_language import other_language
from inbox.store import records as store
from inbox.store.tables import AuditEvent, Channel, Contact, Conversation, OutboundReply

CANCELLED = "cancelled"
AUDITED_WORDS = {"reply.edited": ("old", "new"), "reply.cancelled": ("text",)}  # the reply's words they keep


class NotWaiting(ValueError):
    """The reply is no longer waiting (a sender took it, it was sent, cancelled or changed meanwhile)."""


@dataclass(frozen=True)
class EditResult:
    """``verdict``: the new text's problems (nothing changed); ``language``: the new text reads as another
    language than the customer's and was not confirmed (nothing changed); else ``reply`` holds the change."""

    reply: OutboundReply | None = None
    verdict: composer.Verdict | None = None
    language: str | None = None


def changeable(reply: OutboundReply) -> bool:
    """Whether the reply may still be edited or cancelled: waiting, a reply (not a hide), never attempted in
    a way that may have posted it."""
    return reply.status == "pending" and reply.action == "reply" and reply.unsure_from is None


def may_change(user: Actor, reply: OutboundReply) -> bool:
    """Its author, or a manager or admin (automatic messages have no author among the agents)."""
    own = reply.created_by == user.name and allowed(user, "work")
    return own or allowed(user, "others_replies")


def _check_user(user: Actor, reply: OutboundReply) -> None:
    if not may_change(user, reply):
        require(user, "others_replies")  # raises, naming who may


def _waiting(session: Session, reply_id: int, user: Actor) -> OutboundReply:
    reply = session.get(OutboundReply, reply_id)
    if reply is None or not changeable(reply):
        raise NotWaiting(gone())
    _check_user(user, reply)
    return reply


def gone() -> str:
    return _("This reply is no longer waiting: it is being sent or was sent, cancelled or changed meanwhile.")


def _claim_for_change(session: Session, reply: OutboundReply, old_text: str, **values: object) -> None:
    """The change, only if the reply is still waiting with the text the agent saw (the sender's claim and
    another person's change take the same row: one wins)."""
    done = session.execute(
        update(OutboundReply)
        .where(col(OutboundReply.id) == reply.id, col(OutboundReply.status) == "pending")
        .where(col(OutboundReply.unsure_from).is_(None), col(OutboundReply.text) == old_text)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotWaiting(gone())
    session.refresh(reply)


def cancel(session: Session, reply_id: int, user: Actor, now: datetime, seen_text: str | None = None) -> None:
    """Cancel a waiting reply (``seen_text``: the text the agent saw, if it must not have changed since)."""
    reply = _waiting(session, reply_id, user)
    text = reply.text if seen_text is None else seen_text
    masked = bank_data.mask_text(text)  # never sent: no bank data kept in clear (a sent one is masked too)
    _claim_for_change(
        session, reply, text, status=CANCELLED, next_attempt_at=None, last_error=None, text=masked
    )
    store.audit(
        session,
        user.name,
        "reply.cancelled",
        target=("conversation", reply.conversation_id),
        detail={"reply": reply_id, "text": masked, "created_by": reply.created_by},
        at=now,
    )


def edit(
    session: Session,
    reply_id: int,
    user: Actor,
    text: str,
    now: datetime,
    *,
    seen_text: str,
    pii_patterns: PiiPatterns = DEFAULT_PATTERNS,
    channel_options: Mapping[str, object] | None = None,
    detect: Callable[[str], str] | None = None,
    language_confirmed: bool = False,
) -> EditResult:
    """Replace a waiting reply's text, checked as a new reply would be; ``seen_text`` is the text the agent
    edited (changed meanwhile by someone else: ``NotWaiting``)."""
    reply = _waiting(session, reply_id, user)
    if reply.platform_template:  # what is sent is the approved template: its words are not ours to change
        raise NotWaiting(_("A platform template message cannot be edited: cancel it and write another."))
    conv = session.get(Conversation, reply.conversation_id)
    channel = session.get(Channel, reply.channel_id)
    assert conv is not None and channel is not None
    new = text.strip()
    decision = moderation.refuse_replies(reply_facts.decision(session, conv, now, channel_options), conv.tags)
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    verdict = composer.check(
        new,
        reply.visibility,
        pii_patterns=pii_patterns,
        platform=channel.platform,
        route=decision.route(reply.visibility),
        recipient=contact.handle if contact else None,
    )
    if not verdict.ok:
        return EditResult(verdict=verdict)
    ours = other_language(new, conv.language, detect)
    if ours is not None and not language_confirmed:
        return EditResult(language=ours)
    _claim_for_change(session, reply, seen_text, text=new)
    store.audit(
        session,
        user.name,
        "reply.edited",
        target=("conversation", reply.conversation_id),
        detail={
            "reply": reply_id,
            "old": bank_data.mask_text(seen_text),  # the log keeps no bank data in clear; the outbox must
            "new": bank_data.mask_text(new),
            "created_by": reply.created_by,
        },
        at=now,
    )
    return EditResult(reply=reply)


def waiting(session: Session, conversation_id: int) -> list[OutboundReply]:
    """The conversation's replies waiting to be sent, oldest first."""
    return list(
        session.exec(
            select(OutboundReply)
            .where(OutboundReply.conversation_id == conversation_id, OutboundReply.status == "pending")
            .where(OutboundReply.action == "reply")
            .order_by(col(OutboundReply.created_at), col(OutboundReply.id))
        )
    )


def forget_words(session: Session, conversation_ids: Collection[int], gone: str) -> int:
    """The words of the replies edited or cancelled in these conversations, as their audit events keep them,
    become ``gone`` (the reply's own words went: an erasure, the retention purge); how many events."""
    if not conversation_ids:
        return 0
    events = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.action).in_(list(AUDITED_WORDS)),
            AuditEvent.target_type == "conversation",
            col(AuditEvent.target_id).in_([str(i) for i in conversation_ids]),
        )
    ).all()
    changed = 0
    for event in events:
        keys = [k for k in AUDITED_WORDS[event.action] if event.detail.get(k) not in (None, gone)]
        if keys:
            event.detail = {**event.detail, **dict.fromkeys(keys, gone)}
            changed += 1
    return changed

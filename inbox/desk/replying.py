"""An agent's reply: checked by the composer's rules, held on a collision, queued in the outbox.

Session-taking; never commits. ``send_reply`` holds a reply back when the composer's rules refuse it, when
someone else answered since the agent's composer opened (collision) unless the agent confirmed, or when the
customer's data was erased since the page was read; an unassigned conversation becomes the author's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session

from inbox.access import require
from inbox.desk import presence
from inbox.desk.actions import workable
from inbox.desk.claim import audit_taken
from inbox.i18n import _
from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns
from inbox.outbox import delivery as outbox
from inbox.outbox.answerable import CustomerErased
from inbox.replies import composer, moderation
from inbox.replies import facts as reply_facts
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, OutboundReply, User


@dataclass(frozen=True)
class SendResult:
    """``reply`` when queued; else ``verdict`` (refused by the rules) or ``held`` (others answered since)."""

    reply: OutboundReply | None = None
    verdict: composer.Verdict | None = None
    held: list[presence.Answer] = field(default_factory=list)


def send_reply(
    session: Session,
    conv_id: int,
    user: User,
    *,
    visibility: str,
    text: str,
    composer_opened_at: datetime,
    now: datetime,
    confirmed: bool = False,
    idempotency_key: str | None = None,
    pii_patterns: PiiPatterns = DEFAULT_PATTERNS,
    channel_options: Mapping[str, object] | None = None,
    template: str | None = None,
) -> SendResult:
    """Queue a reply in the outbox unless the rules refuse it or it would collide with another answer; an
    unassigned conversation becomes the author's (audited). ``template`` is the reply template the agent
    started from, if any (kept in the audit trail).

    The rules are the composer's and the platform's (``inbox.replies.rules``, with the channel's options);
    personal data is looked for with ``pii_patterns``, the classifier's (config/nlp.toml's [pii])."""
    require(user, "work")
    conv = workable(session, conv_id, user)
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None
    decision = moderation.refuse_replies(reply_facts.decision(session, conv, now, channel_options), conv.tags)
    route = decision.route(visibility)
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    verdict = composer.check(
        text,
        visibility,
        pii_patterns=pii_patterns,
        platform=channel.platform,
        route=route,
        recipient=contact.handle if contact else None,
    )
    if not verdict.ok:
        store.audit(
            session,
            user.name,
            "reply.refused",
            target=("conversation", conv_id),
            detail={"visibility": visibility, "problems": verdict.problems},
            at=now,
        )
        return SendResult(verdict=verdict)
    presence.guard(session, conv_id, now)  # from here, another agent's send on this conversation waits
    others = presence.answers_since(session, conv_id, composer_opened_at, user.name)
    if others and not confirmed:
        store.audit(
            session,
            user.name,
            "reply.held",
            target=("conversation", conv_id),
            detail={"other_answers": len(others)},
            at=now,
        )
        return SendResult(held=others)
    try:
        reply = outbox.enqueue(
            session,
            conv,
            visibility=visibility,
            text=text.strip(),
            actor=user.name,
            now=now,
            idempotency_key=idempotency_key,
            template=template,
        )
    except CustomerErased:
        erased = _("This customer's data was erased: nothing can be sent to them.")
        return SendResult(verdict=replace(verdict, problems=[erased]))
    if conv.assignee_id is None:  # who answers an unassigned conversation takes it (as Zendesk, Chatwoot)
        conv.assignee_id = user.id
        audit_taken(session, user, conv_id, now, "reply")
    if others:
        store.audit(
            session,
            user.name,
            "reply.sent_despite_collision",
            target=("conversation", conv_id),
            detail={"reply": reply.id, "other_answers": len(others)},
            at=now,
        )
    return SendResult(reply=reply)

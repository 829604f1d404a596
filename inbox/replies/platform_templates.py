"""Sending an approved platform template (WhatsApp outside its 24-hour window). Session-taking, never commits.

The agent picks a ``[[templates]]`` entry with a ``whatsapp_template``; its variables must all have a value.
The reply goes through the outbox like any other, with the template's name, language and parameters, and the
rendered text as what the thread shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlmodel import Session

from inbox.access import require
from inbox.i18n import _
from inbox.outbox import delivery as outbox
from inbox.replies import composer
from inbox.replies import facts as reply_facts
from inbox.replies.variable_labels import fields_to_fill
from inbox.store import records as store
from inbox.store.tables import Conversation, OutboundReply, User


class TemplateRefused(ValueError):
    """The template cannot be sent here or now, or a parameter has no value."""


@dataclass(frozen=True, slots=True)
class Filled:
    text: str  # what the customer reads
    parameters: list[str]  # the values of {{1}}, {{2}}, ...
    missing: list[str]


def approved(templates: Iterable[composer.Template]) -> list[composer.Template]:
    """The templates that stand for a platform-approved template."""
    return [t for t in templates if t.whatsapp_template is not None]


def fill(template: composer.Template, values: Mapping[str, str]) -> Filled:
    """The text and the ordered parameter values; ``missing`` names the variables still without one."""
    wa = template.whatsapp_template
    assert wa is not None
    clean = {k: v.strip() for k, v in values.items() if v and v.strip()}
    missing = [p for p in wa.parameters if p not in clean]
    return Filled(composer.render(template.text, clean), [clean.get(p, "") for p in wa.parameters], missing)


def send(
    session: Session,
    conv_id: int,
    user: User,
    template: composer.Template,
    values: Mapping[str, str],
    *,
    now: datetime,
    idempotency_key: str | None = None,
    channel_options: Mapping[str, object] | None = None,
    zone: tzinfo = UTC,
) -> OutboundReply:
    """Queue ``template`` for the customer of a private conversation; TemplateRefused says why not (its
    times in ``zone``)."""
    require(user, "work")
    conv = session.get(Conversation, conv_id)
    wa = template.whatsapp_template
    if conv is None or wa is None:
        raise TemplateRefused(_("No such conversation, or not an approved platform template."))
    route = reply_facts.decision(session, conv, now, channel_options, zone).private
    if not (route.allowed or route.template_only):
        raise TemplateRefused(route.reason or _("A private message is not possible on this conversation."))
    filled = fill(template, values)
    if filled.missing:
        raise TemplateRefused(
            _("Fill in {fields} before sending.").format(fields=fields_to_fill(filled.missing))
        )
    reply = outbox.enqueue(
        session,
        conv,
        visibility="private",
        text=filled.text,
        actor=user.name,
        now=now,
        idempotency_key=idempotency_key,
        platform_template={"name": wa.name, "language": wa.language, "parameters": filled.parameters},
    )
    store.audit(
        session,
        user.name,
        "reply.template_queued",
        target=("conversation", conv_id),
        detail={"reply": reply.id, "template": wa.name, "language": wa.language},
        at=now,
    )
    return reply

"""Moving a public conversation to private messages on its contact reason, automatically, through the outbox.

Rules, stated once:
- ``[privacy] topics`` may name contact reasons (billing_payment, account_access...). An open public
  conversation (not a listening item) that nobody has answered yet, whose contact reason is one of them,
  gets the charter's move-to-private reply (``[privacy] template``) in public, once (outbox key
  ``auto-private:{id}``), and, when that template names a private one (``continue_in_dm``), that one in a
  direct message too (``auto-private-dm:{id}``): the agent then goes on in private. No agent tags it first.
- A customer who writes again in public on such a topic gets the public reply again, but the same automatic
  direct message at most once in ``DM_QUIET`` (24 h): the one they already have is where the agent goes on.
- Texts and language as every automatic message (``inbox.automation.languages``): the brand's language,
  or the customer's when the brand serves it and ``[privacy] translations`` names its template (with
  ``unsure_language = "all"``, each served language's template in one message where they fit); a missing
  translation or template sends nothing. Never to a customer who opted out. The signature's agent is the
  brand. Automatic messages stop no clock: the conversation stays in the queue for an agent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.automation.auto_replies import _values as known_values  # the customer's name and handle
from inbox.automation.auto_replies import automatic_text, existing_keys, queue_once
from inbox.automation.languages import automatic_languages, in_one_message, together
from inbox.charter.model import Charter
from inbox.charter.rules import brand_for
from inbox.outbox.delivery import AUTOMATIC_PREFIX
from inbox.replies import composer
from inbox.store.tables import Channel, Conversation, OutboundReply

PUBLIC_KEY = AUTOMATIC_PREFIX + "private:{}"
DM_KEY = AUTOMATIC_PREFIX + "private-dm:{}"
BATCH = 200  # conversations looked at per tick
DM_QUIET = timedelta(hours=24)  # the automatic direct message goes to a customer at most once in this time


def candidates(session: Session, charter: Charter) -> list[int]:
    """Open, public, unanswered conversations whose contact reason is a privacy topic, oldest first."""
    topics = list(charter.privacy.topics)
    if not topics or charter.privacy.template is None:
        return []
    c = Conversation
    stmt = (
        select(c.id)
        .where(
            c.status == "open",
            c.visibility == "public",
            c.kind != "listening",
            col(c.first_response_at).is_(None),
            col(c.sla_due_at).is_not(None),
            col(c.reason).in_(topics),
        )
        .order_by(col(c.first_inbound_at))
        .limit(BATCH)
    )
    return [i for i in session.exec(stmt).all() if i is not None]


def dm_sent_lately(session: Session, contact_id: int | None, now: datetime) -> bool:
    """Whether this customer got an automatic move-to-private direct message in the last ``DM_QUIET``."""
    if contact_id is None:
        return False
    stmt = (
        select(OutboundReply.id)
        .join(Conversation, col(Conversation.id) == col(OutboundReply.conversation_id))
        .where(
            Conversation.contact_id == contact_id,
            col(OutboundReply.idempotency_key).startswith(DM_KEY.format("")),
            col(OutboundReply.created_at) >= now - DM_QUIET,
        )
        .limit(1)
    )
    return session.exec(stmt).first() is not None


def template_name(charter: Charter, language: str | None) -> str | None:
    """The move-to-private template in ``language`` (None: the brand's own language)."""
    privacy = charter.privacy
    return privacy.template if language is None else privacy.translations.get(language)


def _texts(
    session: Session, charter: Charter, conv: Conversation, templates: composer.TemplatesFile | None
) -> tuple[str | None, str | None]:
    """(public text, private text) for ``conv``: the templates in each language of an automatic message to
    its customer (``inbox.automation.languages``), as one message each where together they fit."""
    if templates is None:
        return None, None
    channel = session.get(Channel, conv.channel_id)
    brand = brand_for(charter, channel.name) if channel is not None else None
    values = {**known_values(session, conv), "agent_name": brand.display_name if brand else ""}
    publics: list[str] = []
    privates: list[str] = []
    for language in automatic_languages(session, charter, conv):
        name = template_name(charter, language)
        template = templates.get(name) if name else None
        text = automatic_text(templates, name, None, values) if template is not None else None
        if template is None or text is None:
            continue  # a language without its template is left out, never another's text in its place
        publics.append(text)
        dm = template.continue_in_dm
        if dm and (private := automatic_text(templates, dm, None, values)):
            privates.append(private)
    platform = channel.platform if channel is not None else None
    public = in_one_message(session, conv, publics, values.get("handle"))
    return public, together(privates, platform, "private", None) if public else None


def move_to_private(
    engine: Engine, charter: Charter, templates: composer.TemplatesFile | None, now: datetime
) -> int:
    """Queue the move-to-private messages of every conversation that needs them; returns how many
    conversations were moved."""
    with Session(engine) as session:
        ids = candidates(session, charter)
        done = existing_keys(session, [PUBLIC_KEY.format(i) for i in ids])
    return sum(_move(engine, charter, templates, i, now) for i in ids if PUBLIC_KEY.format(i) not in done)


def _move(
    engine: Engine, charter: Charter, templates: composer.TemplatesFile | None, conv_id: int, now: datetime
) -> bool:
    """The public reply, then the direct message its template continues with; True if the reply was queued."""
    texts: dict[str, str | None] = {}

    def public(s: Session, conv: Conversation, values: dict[str, str]) -> str | None:
        texts["public"], texts["dm"] = _texts(s, charter, conv, templates)
        return texts["public"]

    if not queue_once(engine, conv_id, PUBLIC_KEY.format(conv_id), public, now):
        return False
    if texts.get("dm"):
        dm = DM_KEY.format(conv_id)
        queue_once(
            engine,
            conv_id,
            dm,
            lambda s, c, v: None if dm_sent_lately(s, c.contact_id, now) else texts["dm"],
            now,
            visibility="private",
        )
    return True

"""Automatic replies through the outbox: the out-of-hours reply and the peak acknowledgement, each once.

Rules, stated once:
- A conversation gets at most one automatic acknowledgement, under a deterministic outbox key
  (``auto-ooh:{id}`` or ``auto-peak:{id}``), so a job run twice or two listeners racing queue it once.
- A customer is told once: one who already got the out-of-hours reply in the same closed spell (the same
  next opening), or any acknowledgement since the peak began, gets none for their next posts (each would
  repeat "back Monday at 08:00" to the same person, in public: 49 times in a day to one demo customer).
- Out of hours: an open, unanswered conversation whose latest customer message came while its team was
  closed, and the team is still in that same closed spell now, gets the team's out-of-hours text, in public
  or in private as the conversation is. Listening posts (nobody asked us) never get one.
- A public conversation the automation is moving to private messages (``[privacy] topics``) gets its
  out-of-hours reply or acknowledgement as a direct message: the brand then answers it once in public (the
  move-to-private reply), not twice in the same second.
- Peak: while the peak plan is on, an unanswered conversation of the plan's kinds that arrived at most
  ``NEW_GRACE`` before the plan switched on gets the acknowledgement, unless it had the out-of-hours reply.
- Texts come from the template the charter names (config/templates.toml), else from the charter's own text;
  a public one starts with the customer's @handle, as replies do (X also refuses the same text twice).
- Language: the brand's default unless the customer's messages show another language the brand serves
  (``Brand.languages``; decided by ``inbox.nlp.reply_language``), or every language it serves when the
  customer's cannot be told and the brand asks so (``inbox.automation.languages``). A translation that is
  missing sends nothing: an automatic message is never in a language the brand does not serve, nor, when the
  customer's language is known, in another one.
- Never to a customer who opted out (``inbox.privacy.opt_out``), on this account or a linked one.
Automatic messages never stop an SLA clock (see ``inbox.outbox.delivery.record_delivery``).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, or_, select

from inbox.automation.languages import automatic_languages, in_one_message
from inbox.automation.private_rule import moving_to_private
from inbox.charter.business_hours import is_open, next_opening
from inbox.charter.model import Charter
from inbox.charter.open_clocks import OpenClock
from inbox.charter.rules import peak_acknowledgement
from inbox.charter.teams import Team, opening_day
from inbox.outbox import delivery as outbox
from inbox.outbox.delivery import AUTOMATIC_PREFIX
from inbox.privacy.opt_out import opted_out
from inbox.replies import blanks, composer
from inbox.replies import rules as reply_rules
from inbox.replies.names import unread_name
from inbox.store.tables import Channel, Contact, Conversation, OutboundReply

log = logging.getLogger("inbox.automation.tick")

ACTOR = "automation"
OOH_KEY = AUTOMATIC_PREFIX + "ooh:{}"  # outbox keys, one per conversation
PEAK_KEY = AUTOMATIC_PREFIX + "peak:{}"
SURVEY_KEY = AUTOMATIC_PREFIX + "survey:{}"
OOH_LOOKBACK = timedelta(days=3)  # older unanswered messages are past any closed spell
NEW_GRACE = timedelta(minutes=15)


def automatic_text(
    templates: composer.TemplatesFile | None,
    name: str | None,
    fallback: str | None,
    values: Mapping[str, str],
) -> str | None:
    """The named template filled with ``values``; else the charter's ``fallback`` text (variables nobody knows
    are left blank: an automatic message has no agent to fill them in); None when there is no text at all."""
    template = templates.get(name) if templates is not None and name else None
    known = {k for k, v in values.items() if v}
    if template is not None and set(composer.variables(template.text)) <= known:
        return composer.render(template.text, values)
    text = fallback if fallback is not None else (template.text if template else None)
    if text is None:
        return None
    blank = blanks.blank_variables(text, values)
    filled = blanks.drop(text, blank).format_map(defaultdict(str, values))
    return blanks.mend(filled) if blank else re.sub(r" {2,}", " ", filled)


def out_of_hours_text(
    team: Team,
    wrote_at: datetime,
    now: datetime,
    templates: composer.TemplatesFile | None,
    values: Mapping[str, str],
    language: str | None = None,
) -> str | None:
    """The reply for a customer who wrote at ``wrote_at``: the charter's own text (``language`` None), or its
    translation into ``language`` (None when it has none); None too if the team was open then or is open now,
    has no out-of-hours reply, or opened since (a message read late gets no stale "back at 08:00")."""
    reply = team.out_of_hours
    if reply is None or is_open(team, wrote_at) or is_open(team, now):
        return None
    opening = next_opening(team, now)
    if next_opening(team, wrote_at) != opening:
        return None
    local = opening.astimezone(team.zone)
    if language is not None and language not in reply.translations:
        return None
    template, day_names = reply.for_language(language)
    filled = {
        **values,
        "next_opening_time": local.strftime("%H:%M"),
        "next_opening_day": opening_day(local, now.astimezone(team.zone), day_names),
    }
    if language is not None:  # a translation: its template or nothing, never the text in another language
        return automatic_text(templates, template, None, filled)
    return automatic_text(templates, reply.template, reply.text, filled)


def peak_text(
    charter: Charter,
    kind: str,
    templates: composer.TemplatesFile | None,
    values: Mapping[str, str],
    language: str | None = None,
) -> str | None:
    """The acknowledgement for a new item of ``kind`` during a peak: the charter's own text (``language``
    None) or its translation into ``language``; None when that kind gets none or there is no translation."""
    peak = charter.peak
    if peak is None or peak_acknowledgement(charter, kind) is None:
        return None
    filled = {**values, "hours": str(peak.promise_hours)}
    if language is not None:
        name = peak.translations.get(language)
        return automatic_text(templates, name, None, filled) if name else None
    return automatic_text(templates, peak.template, peak.text, filled)


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    stmt = select(OutboundReply.idempotency_key).where(col(OutboundReply.idempotency_key).in_(wanted))
    return set(session.exec(stmt))


def _values(session: Session, conv: Conversation) -> dict[str, str]:
    contact = session.get(Contact, conv.contact_id) if conv.contact_id else None
    name = unread_name(contact.display_name, contact.handle) if contact else None
    return composer.known_values(
        customer_name=name,
        handle=contact.handle if contact else None,
        agent_name=None,
        conversation_id=conv.id,
    )


TextFor = Callable[[Session, Conversation, dict[str, str]], str | None]


def queue_once(
    engine: Engine,
    conversation_id: int,
    key: str,
    text_for: TextFor,
    now: datetime,
    *,
    unless: tuple[str, ...] = (),
    visibility: str | None = None,
    moving: Charter | None = None,
) -> bool:
    """Queue one automatic reply in its own transaction if the conversation still waits and has none of the
    ``unless`` keys; True if queued. Another process queuing the same key at once makes this one fail on the
    unique key: it just skips. ``visibility``: public or private (default: the conversation's, or private
    when ``moving``'s rule is moving it to private messages: ``inbox.automation.private_rule``).
    """
    try:
        with Session(engine) as session, session.begin():
            conv = session.get(Conversation, conversation_id)
            waiting = conv is not None and conv.status == "open" and conv.sla_due_at is not None
            if conv is None or not waiting or existing_keys(session, [key, *unless]):
                return False
            if opted_out(session, conv.contact_id):  # they wrote STOP, here or on a linked account
                return False
            values = _values(session, conv)
            text = text_for(session, conv, values)
            if not text:
                return False
            moves = moving is not None and moving_to_private(moving, conv)
            visibility = visibility or ("private" if moves else conv.visibility)
            if visibility == "public" and values.get("handle") and not text.startswith("@"):
                text = f"{values['handle']} {text}"  # addressed: two customers never get the same text
            if visibility == "public":
                text = _not_twice(session, conv, text, values)
            outbox.enqueue(
                session,
                conv,
                visibility=visibility,
                text=text,
                actor=ACTOR,
                now=now,
                idempotency_key=key,
            )
            return True
    except (IntegrityError, OperationalError) as exc:  # queued by another listener, or SQLite busy: next tick
        log.debug("automatic reply %s skipped: %s", key, exc)
        return False
    except outbox.NothingToAnswer as exc:  # the customer erased since the tick read the conversation
        log.info("automatic reply %s not queued: %s", key, exc)
        return False


def _not_twice(session: Session, conv: Conversation, text: str, values: Mapping[str, str]) -> str:
    """X refuses a post whose text the account already posted: there, an automatic public text already sent to
    this customer (addressed to them, so theirs alone) ends with the conversation's reference, if it fits."""
    channel = session.get(Channel, conv.channel_id)
    if channel is None or not reply_rules.info(channel.platform).refuses_repeated_text:
        return text
    if conv.contact_id is None or not values.get("ticket_ref"):
        return text
    theirs = select(Conversation.id).where(
        Conversation.contact_id == conv.contact_id, Conversation.channel_id == conv.channel_id
    )
    same = select(OutboundReply.id).where(
        col(OutboundReply.conversation_id).in_(theirs),
        OutboundReply.visibility == "public",
        OutboundReply.text == text,
    )
    if session.exec(same.limit(1)).first() is None:
        return text
    referenced = f"{text} ({values['ticket_ref']})"
    return text if reply_rules.measure(referenced, channel.platform, "public").over > 0 else referenced


def _told(session: Session, conv: Conversation, since: datetime, *prefixes: str) -> list[datetime]:
    """When the customer of ``conv`` (this account) was sent an automatic message of the ``prefixes`` kinds
    in another conversation since ``since`` (one that failed, or was cancelled before it went, told them
    nothing)."""
    if conv.contact_id is None:
        return []
    theirs = select(Conversation.id).where(
        Conversation.contact_id == conv.contact_id, Conversation.id != conv.id
    )
    kinds = [col(OutboundReply.idempotency_key).startswith(prefix) for prefix in prefixes]
    stmt = select(OutboundReply.created_at).where(
        col(OutboundReply.conversation_id).in_(theirs),
        col(OutboundReply.created_at) >= since,
        col(OutboundReply.status).not_in(("failed", "cancelled")),
        or_(*kinds),
    )
    return [at for at in session.exec(stmt) if at is not None]


def _told_this_spell(session: Session, conv: Conversation, team: Team, now: datetime) -> bool:
    """The customer got the out-of-hours reply since the team closed (the same next opening as now)."""
    opening = next_opening(team, now)
    told = _told(session, conv, now - OOH_LOOKBACK, OOH_KEY.format(""))
    return any(next_opening(team, at) == opening for at in told)


def send_out_of_hours(
    engine: Engine,
    charter: Charter,
    clocks: Iterable[OpenClock],
    templates: composer.TemplatesFile | None,
    now: datetime,
) -> int:
    """Queue the out-of-hours reply for every clock that needs one; returns how many were queued."""
    recent = [c for c in clocks if c.kind != "listening" and c.last_inbound_at >= now - OOH_LOOKBACK]
    with Session(engine) as session:
        done = existing_keys(session, (OOH_KEY.format(c.conversation_id) for c in recent))
    sent = 0
    for c in recent:
        key = OOH_KEY.format(c.conversation_id)
        team = charter.teams.get(c.target.team) or charter.team(charter.sla.team)
        if key in done or out_of_hours_text(team, c.last_inbound_at, now, None, {}) is None:
            continue

        def text_for(s: Session, conv: Conversation, values: dict[str, str], team: Team = team) -> str | None:
            if _told_this_spell(s, conv, team, now):
                return None
            wrote = conv.last_inbound_at or now
            languages = automatic_languages(s, charter, conv)
            texts = [
                t for code in languages if (t := out_of_hours_text(team, wrote, now, templates, values, code))
            ]
            return in_one_message(s, conv, texts, values.get("handle"))

        sent += queue_once(engine, c.conversation_id, key, text_for, now, moving=charter)
    return sent


def send_peak_acks(
    engine: Engine,
    charter: Charter,
    clocks: Iterable[OpenClock],
    templates: composer.TemplatesFile | None,
    since: datetime,
    now: datetime,
) -> int:
    """Queue the acknowledgement for the new conversations of a peak that began at ``since``."""
    peak = charter.peak
    if peak is None:
        return 0
    new = [
        c
        for c in clocks
        if not c.answered_before and c.kind in peak.kinds and c.first_inbound_at >= since - NEW_GRACE
    ]
    with Session(engine) as session:
        done = existing_keys(session, [k.format(c.conversation_id) for c in new for k in (OOH_KEY, PEAK_KEY)])
    sent = 0
    for c in new:
        key = PEAK_KEY.format(c.conversation_id)
        if key in done or OOH_KEY.format(c.conversation_id) in done:
            continue

        def text_for(
            s: Session, conv: Conversation, values: dict[str, str], kind: str = c.kind
        ) -> str | None:
            if _told(s, conv, since - NEW_GRACE, PEAK_KEY.format(""), OOH_KEY.format("")):
                return None  # told during this peak already
            languages = automatic_languages(s, charter, conv)
            texts = [t for code in languages if (t := peak_text(charter, kind, templates, values, code))]
            return in_one_message(s, conv, texts, values.get("handle"))

        sent += queue_once(
            engine,
            c.conversation_id,
            key,
            text_for,
            now,
            unless=(OOH_KEY.format(c.conversation_id),),
            moving=charter,
        )
    return sent

"""The incident's reply and resolution message on its page: one text per language and visibility among the
members, checked as replies are, approved and sent to each member once through the outbox."""

from __future__ import annotations

import streamlit as st
from sqlmodel import select

from inbox.access import PermissionDenied
from inbox.desk.incidents import lifecycle, sending, texts
from inbox.desk.incidents.lookup import IncidentError
from inbox.i18n import _, ngettext
from inbox.store.tables import Channel, Incident, User
from inbox.ui.common import engine, md_escape, now, pii_patterns, reading, transaction
from inbox.ui.labels import language
from inbox.ui.widgets.composer_panel import channel_options
from inbox.ui.widgets.incident_declare import FLASH

HINT = "{customer_name}, {handle}"


def _key(incident_id: int, purpose: str, pair: texts.Pair) -> str:
    return f"inc-text-{purpose}-{incident_id}-{pair[0]}-{pair[1]}"


def _options() -> sending.ChannelOptions:
    with reading() as session:
        return {name: channel_options(name) for name in session.exec(select(Channel.name))}


def _sent_line(done: dict[str, int]) -> str:
    queued = ngettext("{n} message queued", "{n} messages queued", done.get(sending.QUEUED, 0))
    skipped = ngettext("{n} skipped", "{n} skipped", done.get(sending.SKIPPED, 0))
    return (
        f"{queued.format(n=done.get(sending.QUEUED, 0))}, {skipped.format(n=done.get(sending.SKIPPED, 0))}."
    )


def _approve(incident_id: int, purpose: str, pairs: list[texts.Pair], user: User) -> None:
    s = st.session_state
    chosen = {pair: s.get(_key(incident_id, purpose, pair), "") for pair in pairs}
    try:
        with transaction() as session:
            refused = texts.approve(session, incident_id, purpose, chosen, user, now(), pii_patterns())
            if not refused and purpose == texts.RESOLUTION:
                lifecycle.close(session, incident_id, user, now())
    except (IncidentError, PermissionDenied) as exc:
        s[FLASH] = ("error", _("Not done: {error}").format(error=exc))
        return
    if refused:
        lines = [
            f"{language(lang)} · {vis}: {md_escape('; '.join(problems))}"
            for (lang, vis), problems in refused.items()
        ]
        s[FLASH] = ("error", _("Not approved:") + "  \n" + "  \n".join(lines))
        return
    done = sending.queue_all(engine(), purpose, now(), incident_id=incident_id, options=_options())
    head = _("Reply approved and sent.") if purpose == texts.REPLY else _("Incident closed.")
    s[FLASH] = ("success", f"{head} {_sent_line(done)}")


def panel(incident: Incident, user: User, purpose: str) -> None:
    """A text box per language and visibility the members need, then the button that sends them."""
    i = incident.id or 0
    with reading() as session:
        waiting = texts.needed(session, i, purpose)
        approved = texts.texts_for(session, i, purpose)
    pairs = sorted(set(waiting) | set(approved))
    if purpose == texts.REPLY:
        st.caption(
            _(
                "One reply per language and visibility, sent to each conversation once as a reply from "
                "the brand (it stops the clock). {names} are filled in; a public reply starts with the "
                "customer's @handle. Conversations that join later get it too."
            ).format(names=HINT)
        )
    else:
        st.caption(_("Closing sends this message to every conversation of the incident and resolves them."))
    if not pairs:
        st.info(_("No conversation waits for this message."))
        if purpose == texts.RESOLUTION:
            st.button(
                _("Close the incident"), key=f"inc-close-{i}", on_click=_approve, args=(i, purpose, [], user)
            )
        return
    for pair in pairs:
        count = waiting.get(pair, 0)
        visibility = _("Public") if pair[1] == "public" else _("Private message (DM)")
        st.text_area(
            ngettext(
                "{language} · {visibility} ({n} conversation waiting)",
                "{language} · {visibility} ({n} conversations waiting)",
                count,
            ).format(language=language(pair[0]), visibility=visibility, n=count),
            approved.get(pair, ""),
            key=_key(i, purpose, pair),
        )
    label = _("Approve and send") if purpose == texts.REPLY else _("Close and send the resolution message")
    st.button(
        label,
        key=f"inc-send-{purpose}-{i}",
        type="primary",
        on_click=_approve,
        args=(i, purpose, pairs, user),
    )

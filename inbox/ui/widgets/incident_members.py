"""The conversations of an incident on its page: the proposals to confirm (with the matching rule the manager
adjusts) and the members with what was sent to each."""

from __future__ import annotations

import streamlit as st
from sqlmodel import col, select

from inbox.access import PermissionDenied
from inbox.desk.incidents import lifecycle, lookup, members
from inbox.desk.incidents.lookup import IncidentError
from inbox.i18n import _, ngettext, number
from inbox.store.tables import Channel, Contact, Conversation, Incident, User
from inbox.ui import streamlit_words
from inbox.ui.common import md_escape, md_name, now, open_conversation, reading, transaction
from inbox.ui.labels import language, stored_text
from inbox.ui.widgets.incident_declare import FLASH, channel_names, keywords

SHOWN = 100  # proposals listed at once
STATES = {
    None: ":gray[—]",
    "queued": ":green[:material/send: {}]",
    "skipped": ":orange[:material/block: {}]",
}


def _visibility(value: str) -> str:
    return _("Public") if value == "public" else _("Private message (DM)")


def _save_rule(incident_id: int, user: User) -> None:
    s = st.session_state
    try:
        with transaction() as session:
            lifecycle.adjust(
                session,
                incident_id,
                user,
                now(),
                threshold=s[f"inc-thr-{incident_id}"] / 100,  # the slider is in percent
                keywords=keywords(s[f"inc-kw-{incident_id}"]),
                channels=s[f"inc-ch-{incident_id}"],
                description=s[f"inc-about-{incident_id}"],
            )
    except (IncidentError, PermissionDenied) as exc:
        s[FLASH] = ("error", _("Not saved: {error}").format(error=exc))
        return
    s[FLASH] = ("success", _("Matching rule saved: new messages join by it."))


def _tick_key(incident_id: int, conv_id: int, threshold: float) -> str:
    """A proposal's checkbox, one per threshold tried: moving the threshold ticks again by the rule."""
    return f"cand-{incident_id}-{conv_id}-t{round(threshold * 100)}"


def _add(incident_id: int, user: User, scores: dict[int, float], threshold: float) -> None:
    s = st.session_state
    chosen = [c for c in scores if s.get(_tick_key(incident_id, c, threshold))]
    try:
        with transaction() as session:
            added = members.add(session, lookup.open_one(session, incident_id), chosen, user, now(), scores)
    except (IncidentError, PermissionDenied) as exc:
        s[FLASH] = ("error", _("Not added: {error}").format(error=exc))
        return
    text = ngettext(
        "{n} conversation added to the incident.", "{n} conversations added to the incident.", len(added)
    )
    s[FLASH] = ("success", text.format(n=len(added)))


def _rule(incident: Incident, user: User) -> float:
    """The matching rule's fields; returns the threshold being tried."""
    i = incident.id
    cols = st.columns([2, 3])
    percent = cols[0].slider(  # "20 %": Streamlit would write "0.20" with a point in any language
        _("Similarity threshold"),
        5,
        90,
        round(incident.threshold * 100),
        5,
        format="%d %%",
        key=f"inc-thr-{i}",
    )
    threshold = percent / 100
    cols[1].text_input(_("Keywords (comma-separated)"), ", ".join(incident.keywords), key=f"inc-kw-{i}")
    st.multiselect(
        _("Channels (none: all)"),
        channel_names(),
        incident.channels,
        key=f"inc-ch-{i}",
        placeholder=_("Choose channels"),
        select_all=False,  # Streamlit's English "Select all"
    )
    st.text_area(_("What customers write about"), incident.description, key=f"inc-about-{i}")
    st.button(_("Save the rule"), key=f"inc-save-{i}", on_click=_save_rule, args=(i, user))
    return threshold


def proposals(incident: Incident, user: User) -> None:
    """Candidates best first, the matching ones ticked; the ticked ones are added on confirmation."""
    threshold = _rule(incident, user)
    with reading() as session:
        found = members.candidates(session, incident)
    fitting, shown = sum(1 for c in found if c.matches(threshold)), min(SHOWN, len(found))
    matching = ngettext(
        "{fitting} of {total} conversations since the start matches (ticked).",
        "{fitting} of {total} conversations since the start match (ticked).",
        fitting,
    ).format(fitting=number(fitting), total=number(len(found)))
    listed = ngettext("The closest is listed.", "The {shown} closest are listed.", shown)
    st.caption(f"{matching} {listed.format(shown=number(shown))}" if shown else matching)
    if not found:
        st.info(_("No conversation to propose: customers who write about it appear here."))
        return
    for c in found[:SHOWN]:
        words = md_escape(", ".join(c.keywords))
        hits = " · " + _("keywords: {words}").format(words=words) if c.keywords else ""
        who = md_name(f"@{c.handle}" if c.handle else _("unknown customer"))
        similarity = _("similarity {score}").format(score=number(c.score, 2, fixed=True))  # "similarité 0,30"
        st.checkbox(
            f"**{who}** · {md_escape(c.channel)} · {language(c.language)} · {_visibility(c.visibility)} · "
            f"{similarity}{hits}  \n{md_escape(stored_text(c.snippet))}",
            value=c.matches(threshold),
            key=_tick_key(incident.id or 0, c.conversation_id, threshold),
        )
    scores = {c.conversation_id: c.score for c in found[:SHOWN]}
    st.button(
        _("Add the ticked conversations"),
        key=f"inc-add-{incident.id}",
        type="primary",
        on_click=_add,
        args=(incident.id, user, scores, threshold),
    )


def _remove(incident_id: int, user: User) -> None:
    s = st.session_state
    conv_id = s.get(f"inc-out-{incident_id}")
    if conv_id is None:
        return
    try:
        with transaction() as session:
            members.remove(session, incident_id, conv_id, user, now())
    except (IncidentError, PermissionDenied) as exc:
        s[FLASH] = ("error", _("Not removed: {error}").format(error=exc))
        return
    s[FLASH] = ("success", _("Conversation #{id} taken out of the incident.").format(id=conv_id))


def _state(state: str | None, note: str | None) -> str:
    if state == "queued":
        return STATES["queued"].format(_("sent"))
    if state == "skipped":
        return STATES["skipped"].format(md_escape(_(note) if note else ""))
    return STATES[None]


def members_table(incident: Incident, user: User) -> None:
    with reading() as session:
        rows = session.exec(
            select(members.IncidentMember, Conversation, Channel.name, Contact.handle)
            .join(Conversation, col(Conversation.id) == col(members.IncidentMember.conversation_id))
            .join(Channel, col(Channel.id) == col(Conversation.channel_id))
            .outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
            .where(members.IncidentMember.incident_id == incident.id)
            .order_by(col(members.IncidentMember.id))
        ).all()
    if not rows:
        st.info(_("No conversation in this incident yet."))
        return
    head = [_("Conversation"), _("Customer"), _("Channel"), _("Language"), _("Reply"), _("Resolution")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m, conv, channel, handle in rows:
        joined = _("joined automatically") if m.joined_by == lookup.AUTOMATION else md_escape(m.joined_by)
        who = md_name("@" + handle) if handle else "—"
        where = f"{md_escape(channel)} · {_visibility(conv.visibility)}"
        sent = f"{_state(m.reply_state, m.reply_note)} | {_state(m.resolution_state, m.resolution_note)}"
        lines.append(f"| #{conv.id} · {joined} | {who} | {where} | {language(conv.language)} | {sent} |")
    st.markdown("\n".join(lines))
    cols = st.columns([3, 1.2, 1.2], vertical_alignment="bottom")
    cols[0].selectbox(
        _("Conversation"),
        [conv.id for _m, conv, _c, _h in rows],
        format_func=lambda v: f"#{v}",
        key=f"inc-out-{incident.id}",
        placeholder=streamlit_words.choose(),
    )
    if cols[1].button(_("Open"), key=f"inc-open-{incident.id}"):
        open_conversation(st.session_state[f"inc-out-{incident.id}"])
    if incident.status == "open":
        cols[2].button(
            _("Take out"), key=f"inc-remove-{incident.id}", on_click=_remove, args=(incident.id, user)
        )

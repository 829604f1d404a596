"""The queue's multi-selection and bulk actions: tick rows (or take every conversation the filters match),
then assign, tag, set the status, dismiss listening items or add them to an incident (managers and admins;
a new incident can be declared from the selection). Each conversation is changed and audited on its own
(``inbox.desk.bulk``)."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session, col, func, select

from inbox import i18n
from inbox.access import PermissionDenied, can
from inbox.desk import actions, bulk
from inbox.desk.incidents import lifecycle, lookup
from inbox.desk.incidents.lookup import IncidentError
from inbox.desk.queue import STATUSES, Filters, matching_ids
from inbox.i18n import N_, _, ngettext, number
from inbox.store.tables import Conversation, User
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import current_user, md_escape, now, reading, transaction
from inbox.ui.labels import STATUS, label
from inbox.ui.widgets import flash

PREFIX = "sel-"  # a row's checkbox: sel-<conversation id>
ALL = "bulk-all"
FLASH = "bulk-flash"
NOBODY, NEW = 0, 0  # "unassign" among the assignees; "a new incident" among the incidents
ACTIONS = {
    "assign": N_("Assign"),
    "tag": N_("Add tags"),
    "status": N_("Set status"),
    "dismiss": N_("Dismiss listening items"),
    "incident": N_("Add to an incident"),
}


def row_checkbox(column: st.delta_generator.DeltaGenerator, conv_id: int) -> None:
    label = _("Select conversation #{id}").format(id=conv_id)  # each row's own name for a screen reader
    column.checkbox(label, key=f"{PREFIX}{conv_id}", label_visibility="collapsed")


def _chosen(filters: Filters, user: User, page_ids: list[int]) -> list[int]:
    if st.session_state.get(ALL):
        with reading() as session:
            return matching_ids(session, filters, user_id=user.id, limit=bulk.MAX_BULK)
    return [i for i in page_ids if st.session_state.get(f"{PREFIX}{i}")]


def _new_incident(session: Session, ids: list[int], user: User) -> int:
    """Declare an incident from the selection, starting at its earliest customer message."""
    stmt = select(func.min(Conversation.first_inbound_at)).where(col(Conversation.id).in_(ids))
    first, at = session.exec(stmt).one(), now()
    title = st.session_state.get("bulk-incident-title", "")
    incident = lifecycle.declare(session, user, title=title, since=min(first or at, at), now=at)
    return incident.id or 0


def _run(action: str, ids: list[int], user: User) -> bulk.BulkResult:
    s, at = st.session_state, now()
    with transaction() as session:
        if action == "assign":
            who = s.get(_assignee_key(), NOBODY)
            return bulk.assign(session, ids, who or None, user, at)
        if action == "tag":
            return bulk.add_tags(session, ids, s.get("bulk-tags", "").split(","), user, at)
        if action == "status":
            return bulk.set_status(session, ids, s.get("bulk-status", "resolved"), user, at)
        if action == "dismiss":
            return bulk.dismiss(session, ids, user, at)
        incident_id = s.get("bulk-incident", NEW) or _new_incident(session, ids, user)
        return bulk.add_to_incident(session, ids, incident_id, user, at)


def _confirm_key(count: int) -> str:
    """Keyed by the count: a selection that grew or shrank since the tick asks again."""
    return f"bulk-confirm-{count}"


def _confirm_label(count: int) -> str:
    return ngettext("Confirm for {n} conversation", "Confirm for {n} conversations", count).format(
        n=number(count)
    )


def _needs_confirming(action: str, everything: bool) -> bool:
    """Every conversation a filter matches, or a status change: asked once more with the count."""
    return everything or action == "status"


def _done(action: str, count: int) -> str:
    if action == "status":
        status = label(STATUS, st.session_state.get("bulk-status", "resolved"))
        now_in = ngettext("{n} conversation now “{status}”.", "{n} conversations now “{status}”.", count)
        return now_in.format(n=number(count), status=status)
    return ngettext("{n} conversation changed.", "{n} conversations changed.", count).format(n=number(count))


def _apply(filters: Filters, page_ids: list[int]) -> None:
    s, user = st.session_state, current_user()
    if user is None:
        return
    ids = _chosen(filters, user, page_ids)
    if not ids:
        s[FLASH] = ("warning", _("Select conversations first."))
        return
    action = s.get("bulk-action", "assign")
    if _needs_confirming(action, bool(s.get(ALL))) and not s.get(_confirm_key(len(ids))):
        s[FLASH] = (
            "warning",
            _("Nothing changed yet: tick “{confirm}” beside Apply, then apply again.").format(
                confirm=_confirm_label(len(ids))
            ),
        )
        return
    try:
        result = _run(action, ids, user)
    except (actions.DeskError, IncidentError, PermissionDenied) as exc:
        s[FLASH] = ("error", _("Nothing changed: {error}").format(error=exc))
        return
    text = _done(action, len(result.done))
    if result.refused:
        refused = ngettext("{n} left as it was:", "{n} left as they were:", len(result.refused))
        reasons = "; ".join(f"#{c} {md_escape(why)}" for c, why in list(result.refused.items())[:5])
        text += " " + refused.format(n=number(len(result.refused))) + " " + reasons
    s[FLASH] = ("warning" if result.refused else "success", text)
    for conv_id in page_ids:
        s[f"{PREFIX}{conv_id}"] = False
    s[ALL] = False
    s[_confirm_key(len(ids))] = False


def _assignee_key() -> str:
    """Keyed by language: the widget keeps its label's text as its value, so after a language switch the old
    "Nobody (unassign)" would stay shown and come back as a string instead of nobody."""
    return f"bulk-assignee-{i18n.current()}"


def _parameters(action: str, user: User) -> None:
    if action == "assign":
        with reading() as session:
            people = {u.id or 0: u.display_name or u.name for u in actions.agents(session)}
        options = [NOBODY, *people]
        st.selectbox(
            _("Assign to"),
            options,
            format_func=lambda v: people.get(v, _("Nobody (unassign)")),
            key=_assignee_key(),
            placeholder=streamlit_words.choose(),
        )
    elif action == "tag":
        st.text_input(_("Tags to add (comma-separated)"), key="bulk-tags")
    elif action == "status":
        st.selectbox(
            _("Status"),
            list(STATUSES),
            format_func=lambda v: label(STATUS, v),
            key=relabel.keep("bulk-status"),
            placeholder=streamlit_words.choose(),
        )
    elif action == "incident":
        with reading() as session:
            open_ones = {i.id or 0: i.title for i in lookup.listed(session, status="open")}
        picked = st.selectbox(
            _("Incident"),
            [NEW, *open_ones],
            format_func=lambda v: open_ones.get(v, _("A new incident")),
            key=relabel.keep("bulk-incident"),
            placeholder=streamlit_words.choose(),
        )
        if picked == NEW:
            st.text_input(_("Title of the new incident"), key="bulk-incident-title")


def bar(filters: Filters, user: User, page_ids: list[int], total: int) -> None:
    """The selection's count and the action to apply, above the queue's rows."""
    s = st.session_state
    flash.show(FLASH)
    ticked = sum(1 for i in page_ids if s.get(f"{PREFIX}{i}"))
    cols = st.columns([2.8, 2, 2.8, 1.3], vertical_alignment="bottom")  # the French "all" label stays whole
    everything = cols[0].checkbox(
        ngettext("All {n} matching the filters", "All {n} matching the filters", total).format(
            n=number(total)
        ),
        key=ALL,
    )
    count = min(total, bulk.MAX_BULK) if everything else ticked
    choices = [a for a in ACTIONS if a != "incident" or can(user.role, "incidents")]
    action = cols[1].selectbox(
        ngettext("{n} selected: action", "{n} selected: action", count).format(n=number(count)),
        choices,
        format_func=lambda a: _(ACTIONS[a]),
        key=relabel.keep("bulk-action"),
        placeholder=streamlit_words.choose(),
    )
    with cols[2]:
        _parameters(action or "assign", user)
    with cols[3]:
        if count and _needs_confirming(action or "assign", everything):
            st.checkbox(_confirm_label(count), key=_confirm_key(count))
        st.button(
            _("Apply"),
            key="bulk-apply",
            disabled=count == 0,
            on_click=_apply,
            args=(filters, page_ids),
            width="stretch",
        )

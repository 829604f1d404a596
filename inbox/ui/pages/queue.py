"""The queue page: open conversations, what is due first on top, refreshed every few seconds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import streamlit as st

from inbox.desk import channel_scope, presence
from inbox.desk.claim import claim_next
from inbox.desk.queue import (
    MODERATED,
    STATUSES,
    Filters,
    Row,
    filter_options,
    is_vip,
    queue_page,
)
from inbox.i18n import N_, _, duration, ngettext, number, pgettext
from inbox.ingest import listening_items
from inbox.store.tables import User
from inbox.ui import database_down, relabel, streamlit_words
from inbox.ui.common import (
    SLA_COLOURS,
    charter_book,
    current_user,
    local_time,
    md_escape,
    now,
    open_conversation,
    reading,
    time_left,
    transaction,
)
from inbox.ui.labels import REASON, SENTIMENT, STATUS, URGENCY, label, stored_text
from inbox.ui.labels import language as language_label
from inbox.ui.labels import tag as tag_word
from inbox.ui.widgets import (
    bulk_actions,
    channel_standby,
    classification_panel,
    incident_notice,
    queue_address,
)
from inbox.ui.widgets.live_list import customer_markdown
from inbox.ui.widgets.peak_banner import peak_banner

REFRESH_SECONDS = 10
PAGE_SIZE = 25
PAGE_KEY = "queue-page"
URGENCY_COLOURS = {"critical": "red", "high": "orange", "normal": "gray", "low": "gray"}
ASSIGNEE_LABELS = {"mine": N_("Mine"), "unassigned": N_("Unassigned"), "all": N_("All")}
SOURCE_LABELS = {"listening": N_("Listening"), "direct": N_("Mentions and DMs")}
ANY = "any"


def _first_page() -> None:
    st.session_state[PAGE_KEY] = 0


def _filters_bar(options: dict[str, list[str]]) -> Filters:
    statuses = [*STATUSES, MODERATED, "all"]
    queue_address.restore(
        {
            **{
                name: options.get(name, [])
                for name in ("channel", "urgency", "sentiment", "language", "reason")
            },
            "assignee": list(ASSIGNEE_LABELS),
            "status": statuses,
            "source": list(SOURCE_LABELS),
        }
    )
    st.session_state.setdefault("q-assignee", "all")  # the default (set here: the address may set it too)
    top = st.columns([2.4, 2.6, 1.2], vertical_alignment="bottom")  # French assignee choices stay whole
    text = top[0].text_input(
        _("Search"),
        key="q-text",
        placeholder=_("Handle, name or words in the messages"),
        on_change=_first_page,
        icon=":material/search:",
    )
    assignee = top[1].segmented_control(
        _("Assigned to"),
        list(ASSIGNEE_LABELS),
        format_func=lambda v: _(ASSIGNEE_LABELS[v]),
        key="q-assignee",
        required=True,
        on_change=_first_page,
    )
    status = top[2].selectbox(
        _("Status"),
        statuses,
        key=relabel.keep("q-status"),
        placeholder=streamlit_words.choose(),
        on_change=_first_page,
        format_func=lambda v: label(STATUS, v),
    )
    # two rows of three: six in one row cut "mastodon-acme", « Mentions et MP » and « Réclamation sur le
    # service » at 1280 px
    row = [*st.columns(3), *st.columns(3)]
    any_ = ANY

    def word(table: dict[str, str], feminine: bool = False) -> Callable[[str], str]:
        """The filter's options; "Any" agrees with the filter's noun (French: Toutes les urgences)."""
        anything = pgettext("feminine", "Any") if feminine else _("Any")
        return lambda v: anything if v == any_ else label(table, v)

    source = row[4].selectbox(
        _("Source"),
        [any_, *SOURCE_LABELS],
        key=relabel.keep("q-source"),
        placeholder=streamlit_words.choose(),
        format_func=word(SOURCE_LABELS, feminine=True),
        on_change=_first_page,
    )
    channel = row[0].selectbox(
        _("Channel"),
        [any_, *options["channel"]],
        key=relabel.keep("q-channel"),
        placeholder=streamlit_words.choose(),
        on_change=_first_page,
        format_func=word({}),
    )
    urgency = row[1].selectbox(
        _("Urgency"),
        [any_, *options["urgency"]],
        key=relabel.keep("q-urgency"),
        placeholder=streamlit_words.choose(),
        on_change=_first_page,
        format_func=word(URGENCY, feminine=True),
    )
    sentiment = row[2].selectbox(
        _("Sentiment"),
        [any_, *options["sentiment"]],
        key=relabel.keep("q-sentiment"),
        placeholder=streamlit_words.choose(),
        on_change=_first_page,
        format_func=word(SENTIMENT, feminine=True),
    )
    language = row[3].selectbox(
        _("Language"),
        [any_, *options["language"]],
        key=relabel.keep("q-language"),
        placeholder=streamlit_words.choose(),
        on_change=_first_page,
        format_func=lambda v: pgettext("feminine", "Any") if v == any_ else language_label(v),
    )
    taxonomy = {name: place for place, name in enumerate(classification_panel.reasons())}
    reasons = sorted(options.get("reason", []), key=lambda r: (taxonomy.get(r, len(taxonomy)), r))
    reason = row[5].selectbox(
        _("Reason"),
        [any_, *reasons],  # in config/nlp.toml's order, as everywhere ("other" last), not the codes'
        key=relabel.keep("q-reason"),
        placeholder=streamlit_words.choose(),
        on_change=_first_page,
        format_func=word(REASON),
    )

    def pick(value: str | None) -> str | None:
        return None if value in (None, any_) else value

    chosen = {"q": text, "assignee": assignee, "status": status, "source": source, "channel": channel}
    chosen |= {"urgency": urgency, "sentiment": sentiment, "language": language, "reason": reason}
    queue_address.publish(
        {name: value or "" for name, value in chosen.items()},
        {name: any_ for name in chosen} | {"q": "", "assignee": "all", "status": STATUSES[0]},
    )

    return Filters(
        channel=pick(channel),
        status=status or "open",
        assignee=assignee or "all",  # type: ignore[arg-type]
        urgency=pick(urgency),
        sentiment=pick(sentiment),
        language=pick(language),
        reason=pick(reason),
        text=text or "",
        source=pick(source),  # type: ignore[arg-type]
    )


def _sla_label(row: Row, at: datetime) -> str:
    if row.sla_due_at is None:
        return _("No clock")
    if row.sla == "red":
        return _("Overdue {time}").format(time=duration(row.sla_due_at - at))
    return time_left(row.sla_due_at - at)


def _labels(row: Row) -> str:
    kind = _("Public") if row.visibility == "public" else _("DM")
    icon = ":material/public:" if row.visibility == "public" else ":material/lock:"
    parts = [
        f":blue-badge[{icon} {kind}]",
        f":gray-badge[{md_escape(row.channel)}]",
    ]
    if row.listening:
        parts.insert(0, ":orange-badge[:material/hearing: {}]".format(_("Listening")))
    if row.failed_send:
        parts.insert(0, ":red-badge[:material/error: {}]".format(_("Send failed")))
    if row.snoozed_until:
        back = _("Snoozed until {when}").format(when=local_time(row.snoozed_until))
        parts.insert(0, f":gray-badge[:material/snooze: {md_escape(back)}]")
    if row.vip:
        parts.append(":violet-badge[:material/star: VIP]")
    if row.urgency:
        urgency = md_escape(label(URGENCY, row.urgency))
        parts.append(f":{URGENCY_COLOURS.get(row.urgency, 'gray')}-badge[{urgency}]")
    if row.sentiment:
        colour = (
            "red" if row.sentiment == "negative" else ("green" if row.sentiment == "positive" else "gray")
        )
        parts.append(f":{colour}-badge[{md_escape(label(SENTIMENT, row.sentiment))}]")
    if row.language:
        parts.append(f":gray-badge[{md_escape(row.language.upper())}]")
    if row.reason:
        parts.append(f":blue-badge[{md_escape(label(REASON, row.reason))}]")
    parts += [f":gray-badge[#{md_escape(tag_word(tag))}]" for tag in row.tags if not is_vip([tag])]
    return " ".join(parts)


def _row(row: Row, at: datetime, viewers: list[presence.Viewer], incident: str = "") -> None:
    with st.container(border=True, key=f"row-{row.id}"):
        # clock, customer and text, labels and assignee, Open: widths that keep "En retard de 17 h 49 min"
        # and "Ouvrir" whole on a 1280 px laptop
        cols = st.columns([0.3, 2.7, 4.2, 3.0, 1.2], vertical_alignment="center")
        bulk_actions.row_checkbox(cols.pop(0), row.id)  # the multi-selection of bulk actions
        cols[0].badge(_sla_label(row, at), color=SLA_COLOURS[row.sla])  # type: ignore[arg-type]
        age = duration(at - row.first_inbound_at) if row.first_inbound_at else "—"
        cols[0].caption(_("Age {age} · #{id}").format(age=age, id=row.id))
        cols[1].markdown(customer_markdown(row.handle, row.display_name))
        snippet = stored_text(row.snippet) if row.snippet else _("(no message)")
        cols[1].text(snippet, width="stretch")  # customer text: never Markdown
        cols[2].markdown(f"{incident} {_labels(row)}".strip())  # incident: its badge, if in an open one
        unassigned = pgettext("conversation", "Unassigned")
        cols[2].markdown(
            f":material/person: {md_escape(row.assignee)}" if row.assignee else f":gray[{unassigned}]"
        )
        if viewers:
            writing, viewing = _("{name} (writing)"), _("{name} (viewing)")
            on_it = ", ".join(
                (writing if v.activity == "composing" else viewing).format(name=v.name) for v in viewers
            )
            cols[2].caption(f":material/visibility: {md_escape(on_it)}")
        if cols[3].button(
            _("Open"), key=f"open-{row.id}", type="primary" if row.sla == "red" else "secondary"
        ):
            open_conversation(row.id)
        if row.listening and row.status != "resolved":
            cols[3].button(
                _("Dismiss"),
                key=f"dismiss-{row.id}",
                on_click=_dismiss,
                args=(row.id,),
                type="tertiary",
                help=_("Not for us: close this listening item without answering (audited)."),
            )


def _dismiss(conv_id: int) -> None:
    user = current_user()
    if user is None:
        return
    with transaction() as session:
        listening_items.dismiss(session, conv_id, user, now())
    st.toast(_("Listening item dismissed."))


def _pager(total: int, pages: int) -> None:
    page = st.session_state.get(PAGE_KEY, 0)
    cols = st.columns([5, 1.5, 1.5], vertical_alignment="center")
    counted = ngettext("{n} conversation", "{n} conversations", total).format(n=number(total))
    cols[0].caption(
        _("{counted} · page {page} of {pages} · refreshed every {seconds} s").format(
            counted=counted, page=page + 1, pages=pages, seconds=REFRESH_SECONDS
        )
    )
    if cols[1].button(_("Previous"), key="page-prev", disabled=page == 0, icon=":material/chevron_left:"):
        st.session_state[PAGE_KEY] = page - 1
        st.rerun(scope="fragment")
    if cols[2].button(
        _("Next"), key="page-next", disabled=page + 1 >= pages, icon=":material/chevron_right:"
    ):
        st.session_state[PAGE_KEY] = page + 1
        st.rerun(scope="fragment")


def _nothing_matches(filters: Filters) -> str:
    """What an empty list means: under a search or filters (e.g. after their last matches were resolved in
    bulk) nothing matches them, not an empty queue."""
    narrowed = replace(filters, text="", channels=None, speaks=()) != Filters()
    status = label(STATUS, filters.status)
    if filters.text.strip():
        return _(
            "No conversation matches “{text}” with these filters (status: {status}). Clear the search or "
            "change the filters to see more."
        ).format(text=md_escape(filters.text.strip()), status=status)
    if narrowed:
        return _(
            "No conversation matches these filters (status: {status}). Change or clear them to see more."
        ).format(status=status)
    return _("Nothing here. New customer messages appear by themselves.")


@st.fragment(run_every=REFRESH_SECONDS)
@database_down.said_in_place
def queue_list(filters: Filters, user: User) -> None:
    at, book = now(), charter_book()  # each row's colour: its clock by the charter, as the dashboard's
    with reading() as session:
        page = queue_page(
            session,
            filters,
            user_id=user.id,
            now=at,
            number=st.session_state.get(PAGE_KEY, 0),
            size=PAGE_SIZE,
            book=book,
        )
        if not page.rows and page.number > 0:
            st.session_state[PAGE_KEY] = 0
            page = queue_page(session, filters, user_id=user.id, now=at, size=PAGE_SIZE, book=book)
        seen = presence.viewers(session, [r.id for r in page.rows], at, exclude_user=user.id)
    if user.id is not None:
        with transaction() as session:
            presence.heartbeat(session, user.id, at)
    peak_banner()
    held = channel_standby.queue_notice()  # a badge on the rows of a channel whose sending is paused
    _pager(page.total, page.pages)
    bulk_actions.bar(filters, user, [r.id for r in page.rows], page.total)
    if not page.rows:
        st.info(_nothing_matches(filters), icon=":material/inbox:")
    in_incidents = incident_notice.badges([r.id for r in page.rows])
    for row in page.rows:
        _row(
            row,
            at,
            seen.get(row.id, []),
            f"{in_incidents.get(row.id, '')} {held.get(row.channel, '')}".strip(),
        )


def main() -> None:
    user = current_user()
    assert user is not None and user.id is not None
    head = st.columns([4.4, 2], vertical_alignment="bottom")
    head[0].title(_("Queue"))
    pulled = head[1].button(
        _("Next conversation"),
        type="primary",
        icon=":material/bolt:",
        key="next",
        width="stretch",  # no help tooltip: it draws the button twice (a copy for the tooltip)
    )
    with reading() as session:  # only the channels the user works (their role's and account's restrictions)
        scope = channel_scope.effective(session, user)
        options = filter_options(session, scope)
    filters = replace(_filters_bar(options), channels=scope)
    if pulled:
        with transaction() as session:  # the conversation it opens becomes mine (claimed, audited)
            next_id = claim_next(session, user, now(), within=filters)
        if next_id is None:
            st.toast(_("Nothing waiting for you."))
        else:
            open_conversation(next_id)
    queue_list(filters, user)


main()

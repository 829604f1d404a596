"""The queue page: open conversations, what is due first on top, refreshed every few seconds."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from inbox.desk import presence
from inbox.desk.queue import (
    MODERATED,
    STATUSES,
    Filters,
    Row,
    filter_options,
    humanize,
    next_conversation,
    queue_page,
)
from inbox.ingest import listening_items
from inbox.store.tables import User
from inbox.ui.common import SLA_COLOURS, current_user, md_escape, now, open_conversation, reading, transaction
from inbox.ui.widgets.peak_banner import peak_banner

REFRESH_SECONDS = 10
PAGE_SIZE = 25
PAGE_KEY = "queue-page"
URGENCY_COLOURS = {"critical": "red", "high": "orange", "normal": "gray", "low": "gray"}
ASSIGNEE_LABELS = {"mine": "Mine", "unassigned": "Unassigned", "all": "All"}
SOURCE_LABELS = {"listening": "Listening", "direct": "Mentions and DMs"}


def _first_page() -> None:
    st.session_state[PAGE_KEY] = 0


def _filters_bar(options: dict[str, list[str]]) -> Filters:
    top = st.columns([3, 2.2, 1.2], vertical_alignment="bottom")
    text = top[0].text_input(
        "Search",
        key="q-text",
        placeholder="Handle, name or words in the messages",
        on_change=_first_page,
        icon=":material/search:",
    )
    assignee = top[1].segmented_control(
        "Assigned to",
        list(ASSIGNEE_LABELS),
        format_func=lambda v: ASSIGNEE_LABELS[v],
        key="q-assignee",
        default="all",
        required=True,
        on_change=_first_page,
    )
    status = top[2].selectbox("Status", [*STATUSES, MODERATED, "all"], key="q-status", on_change=_first_page)
    row = st.columns(5)
    any_ = "Any"
    source = row[4].selectbox(
        "Source",
        [any_, *SOURCE_LABELS],
        key="q-source",
        format_func=lambda v: SOURCE_LABELS.get(v, v),
        on_change=_first_page,
    )
    channel = row[0].selectbox("Channel", [any_, *options["channel"]], key="q-channel", on_change=_first_page)
    urgency = row[1].selectbox("Urgency", [any_, *options["urgency"]], key="q-urgency", on_change=_first_page)
    sentiment = row[2].selectbox(
        "Sentiment", [any_, *options["sentiment"]], key="q-sentiment", on_change=_first_page
    )
    language = row[3].selectbox(
        "Language", [any_, *options["language"]], key="q-language", on_change=_first_page
    )

    def pick(value: str | None) -> str | None:
        return None if value in (None, any_) else value

    return Filters(
        channel=pick(channel),
        status=status or "open",
        assignee=assignee or "all",  # type: ignore[arg-type]
        urgency=pick(urgency),
        sentiment=pick(sentiment),
        language=pick(language),
        text=text or "",
        source=pick(source),  # type: ignore[arg-type]
    )


def _sla_label(row: Row, at: datetime) -> str:
    if row.sla_due_at is None:
        return "No clock"
    left = row.sla_due_at - at
    return f"Overdue {humanize(left)}" if row.sla == "red" else f"{humanize(left)} left"


def _labels(row: Row) -> str:
    parts = [
        f":blue-badge[{':material/public: Public' if row.visibility == 'public' else ':material/lock: DM'}]",
        f":gray-badge[{md_escape(row.channel)}]",
    ]
    if row.listening:
        parts.insert(0, ":orange-badge[:material/hearing: Listening]")
    if row.failed_send:
        parts.insert(0, ":red-badge[:material/error: Send failed]")
    if row.vip:
        parts.append(":violet-badge[:material/star: VIP]")
    if row.urgency:
        parts.append(f":{URGENCY_COLOURS.get(row.urgency, 'gray')}-badge[{md_escape(row.urgency)}]")
    if row.sentiment:
        colour = (
            "red" if row.sentiment == "negative" else ("green" if row.sentiment == "positive" else "gray")
        )
        parts.append(f":{colour}-badge[{md_escape(row.sentiment)}]")
    if row.language:
        parts.append(f":gray-badge[{md_escape(row.language.upper())}]")
    parts += [f":gray-badge[#{md_escape(tag)}]" for tag in row.tags if tag.lower() != "vip"]
    return " ".join(parts)


def _row(row: Row, at: datetime, viewers: list[presence.Viewer]) -> None:
    with st.container(border=True, key=f"row-{row.id}"):
        cols = st.columns([1.3, 4.6, 2.6, 1.7, 0.9], vertical_alignment="center")
        cols[0].badge(_sla_label(row, at), color=SLA_COLOURS[row.sla])  # type: ignore[arg-type]
        age = humanize(at - row.first_inbound_at) if row.first_inbound_at else "—"
        cols[0].caption(f"Age {age} · #{row.id}")
        who = f"@{row.handle}" if row.handle else (row.display_name or "unknown customer")
        shown = row.handle and row.display_name and row.display_name.lower() != row.handle.lower()
        name = f" · {md_escape(row.display_name or '')}" if shown else ""
        cols[1].markdown(f"**{md_escape(who)}**{name}")
        cols[1].text(row.snippet or "(no message)", width="stretch")  # customer text: never Markdown
        cols[2].markdown(_labels(row))
        cols[3].markdown(
            f":material/person: {md_escape(row.assignee)}" if row.assignee else ":gray[Unassigned]"
        )
        if viewers:
            on_it = ", ".join(
                f"{v.name} ({'writing' if v.activity == 'composing' else 'viewing'})" for v in viewers
            )
            cols[3].caption(f":material/visibility: {md_escape(on_it)}")
        if cols[4].button("Open", key=f"open-{row.id}", type="primary" if row.sla == "red" else "secondary"):
            open_conversation(row.id)
        if row.listening and row.status != "resolved":
            cols[4].button(
                "Dismiss",
                key=f"dismiss-{row.id}",
                on_click=_dismiss,
                args=(row.id,),
                type="tertiary",
                help="Not for us: close this listening item without answering (audited).",
            )


def _dismiss(conv_id: int) -> None:
    user = current_user()
    if user is None:
        return
    with transaction() as session:
        listening_items.dismiss(session, conv_id, user, now())
    st.toast("Listening item dismissed.")


def _pager(total: int, pages: int) -> None:
    number = st.session_state.get(PAGE_KEY, 0)
    cols = st.columns([6, 1, 1], vertical_alignment="center")
    cols[0].caption(
        f"{total} conversation(s) · page {number + 1} of {pages} · refreshed every {REFRESH_SECONDS}s"
    )
    if cols[1].button("Previous", key="page-prev", disabled=number == 0, icon=":material/chevron_left:"):
        st.session_state[PAGE_KEY] = number - 1
        st.rerun(scope="fragment")
    if cols[2].button("Next", key="page-next", disabled=number + 1 >= pages, icon=":material/chevron_right:"):
        st.session_state[PAGE_KEY] = number + 1
        st.rerun(scope="fragment")


@st.fragment(run_every=REFRESH_SECONDS)
def queue_list(filters: Filters, user: User) -> None:
    at = now()
    with reading() as session:
        page = queue_page(
            session,
            filters,
            user_id=user.id,
            now=at,
            number=st.session_state.get(PAGE_KEY, 0),
            size=PAGE_SIZE,
        )
        if not page.rows and page.number > 0:
            st.session_state[PAGE_KEY] = 0
            page = queue_page(session, filters, user_id=user.id, now=at, size=PAGE_SIZE)
        seen = presence.viewers(session, [r.id for r in page.rows], at, exclude_user=user.id)
    if user.id is not None:
        with transaction() as session:
            presence.heartbeat(session, user.id, at)
    peak_banner()
    _pager(page.total, page.pages)
    if not page.rows:
        st.info("Nothing here. New customer messages appear by themselves.", icon=":material/inbox:")
    for row in page.rows:
        _row(row, at, seen.get(row.id, []))


def main() -> None:
    user = current_user()
    assert user is not None and user.id is not None
    head = st.columns([5, 1.4], vertical_alignment="bottom")
    head[0].title("Queue")
    if head[1].button(
        "Next conversation", type="primary", icon=":material/bolt:", key="next", width="stretch"
    ):
        with reading() as session:
            next_id = next_conversation(session, user.id, now())
        if next_id is None:
            st.toast("Nothing waiting for you.")
        else:
            open_conversation(next_id)
    with reading() as session:
        options = filter_options(session)
    queue_list(_filters_bar(options), user)


main()

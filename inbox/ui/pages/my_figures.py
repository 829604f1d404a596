"""My figures: an agent's own replies, handling time, first responses on time and satisfaction over a period.

Agents see their own; managers and admins pick anyone. Every figure is recomputed from stored events by
``inbox.reports.agent_figures`` (definitions there and in docs/kpis.md): counts and times, no grade.
"""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from inbox import i18n
from inbox.access import can
from inbox.i18n import N_, _, ngettext
from inbox.reports.agent_figures import AgentFigures, agent_figures, team_members
from inbox.reports.report import report_tz
from inbox.reports.satisfaction import SatisfactionGroup
from inbox.store.tables import User
from inbox.ui import streamlit_words
from inbox.ui.common import charter, current_user, md_escape, reading
from inbox.ui.widgets import chart_slot, table_download
from inbox.ui.widgets.period_picker import period_picker


def _minutes(value: float | None) -> str:
    return "—" if value is None else i18n.duration(timedelta(minutes=value))


def _whose(user: User) -> str:
    """The user's own name, or for managers and admins the person they pick (themselves at first)."""
    if not can(user.role, "figures"):
        return user.name
    with reading() as session:
        members = dict(team_members(session))
    names = list(members)
    return st.selectbox(
        _("Person"),
        names,
        index=names.index(user.name) if user.name in names else 0,
        format_func=lambda n: members[n],
        placeholder=streamlit_words.choose(),
        key="figures-agent",
    )


def _tiles(f: AgentFigures) -> None:
    cols = [*st.columns(2), *st.columns(2)]  # two by two: the labels stay whole in French
    cols[0].metric(
        _("Replies sent"), i18n.number(f.replies_sent), border=True, help=_("Delivered to the customer")
    )
    cols[1].metric(_("Conversations resolved"), i18n.number(f.resolved), border=True)
    measured = len(f.handling_minutes)
    cols[2].metric(
        _("Handling time · median"),
        _minutes(f.handling_median),
        border=True,
        help=ngettext(
            "{n} reply measured; 90th percentile {p90}",
            "{n} replies measured; 90th percentile {p90}",
            measured,
        ).format(n=measured, p90=_minutes(f.handling_p90)),
    )
    cols[3].metric(
        _("First responses on time"),
        "—" if f.on_time_rate is None else i18n.percent(f.on_time_rate),
        border=True,
        help=ngettext(
            "{met} of {n} first response on time", "{met} of {n} first responses on time", f.first_responses
        ).format(met=f.first_responses_on_time, n=f.first_responses),
    )


SURVEY_KINDS = {
    "csat": N_("Satisfaction (CSAT)"),
    "nps": N_("Net Promoter Score (NPS)"),
    "ces": N_("Customer effort (CES)"),
}


def _score(g: SatisfactionGroup) -> str:
    """CSAT: share of 4 and 5; NPS: -100 to +100; CES: the mean effort (1 easy to 10 hard)."""
    s = g.scores
    if s.csat is not None:
        return i18n.percent(s.csat / 100)
    if s.nps is not None:
        return ("+" if s.nps > 0 else "") + i18n.number(s.nps, 1)
    return "—" if s.ces is None else i18n.number(s.ces, 2)


def _satisfaction(f: AgentFigures) -> None:
    st.subheader(_("Satisfaction"))
    if not f.satisfaction:
        st.caption(_("No satisfaction survey was sent after these conversations in the period."))
        return
    cols = st.columns(max(len(f.satisfaction), 3))
    for col, g in zip(cols, f.satisfaction, strict=False):
        rate = "—" if g.response_rate is None else i18n.percent(g.response_rate, 0)
        col.metric(
            _(SURVEY_KINDS.get(g.kind, g.kind)),
            _score(g),
            border=True,
            help=ngettext(
                "{answered} answer to {sent} survey sent (response rate {rate})",
                "{answered} answers to {sent} surveys sent (response rate {rate})",
                g.sent,
            ).format(answered=g.answered, sent=g.sent, rate=rate),
        )


def _by_day(f: AgentFigures) -> None:
    days = [i18n.day(d) for d in f.replies_by_day]
    data = pd.DataFrame({"day": days, "replies": list(f.replies_by_day.values())})
    chart = (
        alt.Chart(data, title=_("Replies sent per day"))
        .mark_bar()
        .encode(
            x=alt.X("day:N", sort=days, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("replies:Q", title=_("Replies sent"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("day:N", title=_("Day")),
                alt.Tooltip("replies:Q", title=_("Replies sent")),
            ],
        )
    )
    chart_slot.show(st, chart)  # no replies in the period: a sentence, not an empty chart
    with st.expander(_("Figures by day")):
        st.dataframe(data.rename(columns={"day": _("Day"), "replies": _("Replies sent")}), hide_index=True)
        table_download.csv_download(table_download.replies_per_day(f.replies_by_day))


def main() -> None:
    user = current_user()
    assert user is not None
    rules = charter()
    if rules is None:
        st.error(
            _("The charter cannot be loaded, so SLA figures cannot be computed: run `inbox config check`.")
        )
        st.stop()
    tz = report_tz(rules)
    st.title(_("Figures per person") if can(user.role, "figures") else _("My figures"))
    cols = st.columns([3.8, 2.3, 1.7], vertical_alignment="bottom")  # "Dates", both days whole: 1280
    with cols[2]:
        agent = _whose(user)
    period = period_picker(tz, cols[0], cols[1], key="figures-period", days_key="figures-days")
    with reading() as session:
        figures = agent_figures(session, user, agent, period)
    if can(user.role, "figures"):
        st.subheader(md_escape(figures.display_name))
    first, last = i18n.day(period.first_day), i18n.day(period.last_day)
    span = first if first == last else _("{first} to {last}").format(first=first, last=last)
    st.caption(_("Period: {span}. Times are in {zone}.").format(span=span, zone=i18n.zone_name(tz)))
    _tiles(figures)
    _by_day(figures)
    _satisfaction(figures)
    st.caption(
        _(
            "Counted from what happened, never graded: replies delivered; conversations set to resolved; "
            "handling time from when you began on a reply (your opening of the conversation, your previous "
            "reply, the customer's last message) to the reply; first responses on time among the "
            "conversations whose first answer was yours, judged by the due time set at their arrival; "
            "satisfaction from the surveys sent after conversations you answered last."
        )
    )


main()

"""The dashboard's staffing simulator (not a page): a period, a range of agents and an order in; the
attainment each staffing level would have reached as a chart, and a sentence on the hardest half day.

The figures are ``inbox simulate``'s (inbox.reports.simulation) on the stored messages of the period.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from inbox.charter.model import Charter
from inbox.i18n import N_, _
from inbox.reports.channel_filter import Channels, channel_ids
from inbox.reports.period import rolling
from inbox.reports.simulation import words
from inbox.reports.simulation.plan import Plan, run_plan
from inbox.reports.simulation.stored import observed_handling, stored_arrivals
from inbox.reports.simulation.workload import POLICIES, Policy
from inbox.reports.tables import pct
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import now, reading
from inbox.ui.widgets import chart_slot

RESULT = "staffing-plan"  # session key: the last simulation shown
PERIODS = {"7d": N_("7 days"), "30d": N_("30 days")}
BOTH = "both"
ORDERS = {BOTH: N_("Both orders"), **words.POLICIES}
MAX_SHOWN_AGENTS = 30


def _simulate(
    rules: Charter, label: str, agents: range, policies: tuple[Policy, ...], channels: Channels
) -> Plan:
    period = rolling(label, now(), rules.team(rules.sla.team).zone)
    with reading() as session:
        cid = channel_ids(session, channels)
        arrivals = stored_arrivals(session, period, cid)
        handling = observed_handling(session, period, cid=cid)
    return run_plan(
        rules, arrivals, handling, agents=agents, policies=policies, start=period.start, end=period.end
    )


def _chart(plan: Plan) -> alt.Chart:
    data = pd.DataFrame(
        [(o.agents, _(words.POLICIES[o.policy]), pct(o.attainment)) for o in plan.outcomes],
        columns=["agents", "order", "attainment"],
    )
    return (
        alt.Chart(data, title=_("Answered within target, by number of agents"))
        .mark_line(point=True)
        .encode(
            x=alt.X("agents:O", title=_("Agents")),
            y=alt.Y("attainment:Q", title=_("Within target (%)"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("order:N", title=_("Order"), legend=alt.Legend(orient="bottom", labelLimit=320)),
            tooltip=[
                alt.Tooltip("agents:O", title=_("Agents")),
                alt.Tooltip("order:N", title=_("Order")),
                alt.Tooltip("attainment:Q", title=_("Within target (%)")),
            ],
        )
    )


def staffing_chart(rules: Charter, channels: Channels = None) -> None:
    """The form, then the last simulation's chart, sentence and table; ``channels``: those replayed (the
    viewer's, every one by default)."""
    st.subheader(_("Staffing simulator"))
    st.caption(
        _(
            "Replays the conversations of a past period with more or fewer agents working the charter's "
            "hours, with the handling times measured. Assumptions: docs/simulator.md."
        )
    )
    with st.form("staffing-form"):
        label = st.selectbox(
            _("Period"),
            list(PERIODS),
            index=1,
            format_func=lambda k: _(PERIODS[k]),
            key=relabel.redraw("staffing-period"),
            placeholder=streamlit_words.choose(),
        )
        low, high = st.slider(_("Agents"), 1, MAX_SHOWN_AGENTS, (2, 8), key="staffing-agents")
        order = st.selectbox(
            _("Order"),
            list(ORDERS),
            format_func=lambda k: _(ORDERS[k]),
            key=relabel.keep("staffing-order"),
            placeholder=streamlit_words.choose(),
        )
        if st.form_submit_button(_("Simulate"), key="staffing-run"):
            policies = tuple(p for p in POLICIES if order in (BOTH, p))
            with st.spinner(_("Simulating…")):
                st.session_state[RESULT] = _simulate(rules, label, range(low, high + 1), policies, channels)
    plan: Plan | None = st.session_state.get(RESULT)
    if plan is None or not plan.outcomes:
        return
    st.altair_chart(chart_slot.localised(_chart(plan)))
    st.info(words.sentence(plan.of(plan.outcomes[0].policy)))
    shown = words.people_table(plan)
    st.dataframe(pd.DataFrame(shown.rows, columns=list(shown.columns)), hide_index=True)

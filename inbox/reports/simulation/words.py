"""The simulation's results in words and tables, in the reader's language (inbox.i18n). Pure.

``table`` keeps stable column names and plain numbers (CSV for scripts); ``people_table`` translates headers
and formats numbers for the language; ``sentence`` says what a staffing level gives on its hardest half day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from inbox import i18n
from inbox.i18n import N_, _, ngettext
from inbox.reports.simulation.handling import MIN_SAMPLES, HandlingModel
from inbox.reports.simulation.outcome import Outcome, Slot
from inbox.reports.simulation.plan import Plan
from inbox.reports.tables import Cell, Table, one_decimal, pct

SENTENCE_GOAL = 0.9  # the level the sentence looks for: nine in ten answered within the target
MIN_SLOT_JOBS = 5  # a half day with fewer arrivals says nothing about staffing
COLUMNS = {
    "agents": N_("Agents"),
    "policy": N_("Order"),
    "attainment_pct": N_("Answered within target (%)"),
    "urgent_pct": N_("Urgent ones within target (%)"),
    "wait_p50_min": N_("Wait, median"),
    "wait_p90_min": N_("Wait, 90th percentile"),
    "backlog_peak": N_("Backlog peak"),
    "unanswered": N_("Unanswered"),
    "erlang_c_pct": N_("Erlang C (%)"),
}
POLICIES = {"deadline": N_("Due time (the queue's order)"), "fifo": N_("First come, first served")}
SLOTS = (
    (N_("on Monday mornings"), N_("on Monday afternoons")),
    (N_("on Tuesday mornings"), N_("on Tuesday afternoons")),
    (N_("on Wednesday mornings"), N_("on Wednesday afternoons")),
    (N_("on Thursday mornings"), N_("on Thursday afternoons")),
    (N_("on Friday mornings"), N_("on Friday afternoons")),
    (N_("on Saturday mornings"), N_("on Saturday afternoons")),
    (N_("on Sunday mornings"), N_("on Sunday afternoons")),
)


def _row(o: Outcome) -> tuple[Cell, ...]:
    return (
        o.agents,
        o.policy,
        pct(o.attainment),
        pct(o.urgent_attainment),
        one_decimal(o.wait_p50),
        one_decimal(o.wait_p90),
        o.backlog_peak,
        o.unanswered,
        pct(o.erlang_c),
    )


def table(plan: Plan) -> Table:
    return Table("simulation", "Staffing simulation", tuple(COLUMNS), [_row(o) for o in plan.outcomes])


def _wait(minutes: float | None) -> str:
    return "–" if minutes is None else i18n.duration(timedelta(minutes=minutes))


def _erlang(o: Outcome) -> str:
    if o.erlang_c is not None:
        return i18n.percent(o.erlang_c)
    return _("overloaded") if o.jobs else "–"


def _people_row(o: Outcome) -> tuple[Cell, ...]:
    return (
        o.agents,
        _(POLICIES[o.policy]),
        i18n.percent(o.attainment),
        i18n.percent(o.urgent_attainment),
        _wait(o.wait_p50),
        _wait(o.wait_p90),
        o.backlog_peak,
        o.unanswered,
        _erlang(o),
    )


def people_table(plan: Plan) -> Table:
    columns = tuple(_(label) for label in COLUMNS.values())
    return Table("simulation", _("Staffing simulation"), columns, [_people_row(o) for o in plan.outcomes])


def slot_name(slot: Slot) -> str:
    return _(SLOTS[slot.weekday][slot.afternoon])


def hardest_slot(outcome: Outcome) -> Slot | None:
    """The half day with the lowest attainment (among those with ``MIN_SLOT_JOBS`` arrivals or more)."""
    slots = [s for s in outcome.slots if s.jobs >= MIN_SLOT_JOBS and s.attainment is not None]
    return min(slots, key=lambda s: (s.attainment, s.weekday, s.afternoon), default=None)


def chosen_level(outcomes: Sequence[Outcome]) -> Outcome | None:
    """The fewest agents reaching ``SENTENCE_GOAL`` overall, else the most agents tried."""
    reaching = [o for o in outcomes if o.attainment is not None and o.attainment >= SENTENCE_GOAL]
    return min(reaching, key=lambda o: o.agents, default=max(outcomes, key=lambda o: o.agents, default=None))


def sentence(outcomes: Sequence[Outcome]) -> str:
    """ "With 5 agents, on Monday mornings you would reach 92 % (…)" for the chosen staffing level."""
    chosen = chosen_level(outcomes)
    if chosen is None or chosen.attainment is None:
        return _("No customer message arrived in this period: nothing to simulate.")
    agents = ngettext("With {n} agent", "With {n} agents", chosen.agents).format(n=chosen.agents)
    slot = hardest_slot(chosen)
    if slot is None:
        return _("{agents}, you would answer {overall} of the messages within the target.").format(
            agents=agents, overall=i18n.percent(chosen.attainment, 0)
        )
    return _(
        "{agents}, {slot} you would reach {slot_rate} within the target (the hardest half day); "
        "{overall} over the period."
    ).format(
        agents=agents,
        slot=slot_name(slot),
        slot_rate=i18n.percent(slot.attainment, 0),
        overall=i18n.percent(chosen.attainment, 0),
    )


def describe(plan: Plan, file: str | None = None) -> str:
    """The heading: what was replayed (the stored messages, or ``file``), how many, over which local days."""
    model, zone = plan.workload, plan.workload.team.zone
    jobs = len(model.jobs)
    arrivals = ngettext("{n} conversation", "{n} conversations", jobs).format(n=i18n.number(jobs))
    first = model.start.astimezone(zone).date()
    last = (model.end - timedelta(seconds=1)).astimezone(zone).date()
    days = (
        i18n.day(first)
        if first == last
        else _("{first} to {last}").format(first=i18n.day(first), last=i18n.day(last))
    )
    return _("Staffing simulation: {arrivals} from {source}, {days} ({zone}).").format(
        arrivals=arrivals,
        source=_("the file {name}").format(name=file) if file else _("the stored messages"),
        days=days,
        zone=i18n.zone_name(zone),
    )


def handling_note(handling: HandlingModel) -> str:
    """Where the handling times come from: observed replies, the default law, or both."""
    observed = handling.observed_count()
    default = i18n.number(handling.default_minutes, 1)
    if not observed:
        return _(
            "Handling times: no reply measured in the history, so a default of {minutes} min on average."
        ).format(minutes=default)
    return ngettext(
        "Handling times: drawn from {n} measured reply (a default of {minutes} min on average where "
        "a channel and kind have fewer than {min} measures).",
        "Handling times: drawn from {n} measured replies (a default of {minutes} min on average where "
        "a channel and kind have fewer than {min} measures).",
        observed,
    ).format(n=i18n.number(observed), minutes=default, min=MIN_SAMPLES)

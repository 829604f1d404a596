"""The report tables of points 8-11 of the KPIs: service-level goals, every charter target, the contact-centre
figures (answer rate, DMT, DMC, moves to private, outbound volume) and satisfaction. Pure.

Stable snake_case names and columns (JSON keys, CSV for scripts); people get words from
``inbox.reports.labels``. Percentages and minutes are rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence

from inbox.i18n import N_, Nn_
from inbox.reports.report import PeriodReport
from inbox.reports.satisfaction import SatisfactionGroup
from inbox.reports.table_base import Cell, Detail, Table, local, one_decimal, pct
from inbox.reports.targets_kpis import ALL, by_metric

GOAL_COLUMNS = (
    "goal",
    "channel",
    "goal_pct",
    "within_min",
    "clock",
    "within",
    "late",
    "pending",
    "attainment_pct",
    "met",
)


def service_goals(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            g.name,
            g.channel,
            g.goal.percent,
            g.goal.within_minutes,
            g.goal.clock,
            g.within,
            g.late,
            g.pending,
            pct(g.attainment),
            g.met,
        )
        for g in r.goals
    ]
    return Table("service_goals", "Service-level goals: attainment against each goal", GOAL_COLUMNS, rows)


def charter_targets(r: PeriodReport) -> Table:
    totals = list(by_metric(r.targets).values())
    rows: list[tuple[Cell, ...]] = [
        (c.metric, c.channel, c.kind, c.urgency, c.met, c.missed, c.waiting, pct(c.attainment))
        for c in [*r.targets, *totals]
    ]
    columns = ("metric", "channel", "kind", "urgency", "met", "missed", "waiting", "attainment_pct")
    return Table("charter_targets", "Every charter target by channel, kind and urgency", columns, rows)


CONTACT_COLUMNS = (
    "channel",
    "kind",
    "arrived",
    "answered",
    "answer_rate_pct",
    "moved_to_private",
    "replies_sent",
    "automatic_sent",
    "frt_median_min",
    "frt_business_median_min",
    "frt_business_p90_min",
    "dmt_mean_min",
    "dmc_mean_min",
)


def contact_kpis(r: PeriodReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            c.channel,
            c.kind,
            c.arrived,
            c.answered,
            pct(c.answer_rate),
            c.moved_to_private,
            c.replies_sent,
            c.automatic_sent,
            one_decimal(c.frt_wall_median),
            one_decimal(c.frt_business_median),
            one_decimal(c.frt_business_p90),
            one_decimal(c.dmt),
            one_decimal(c.dmc),
        )
        for c in r.contacts
    ]
    title = "Answer rate, handling (DMT) and conversation (DMC) times by channel and kind"
    return Table("contact_kpis", title, CONTACT_COLUMNS, rows)


SCORE_COLUMNS = (
    "survey",
    "sent",
    "answered",
    "response_rate_pct",
    "csat_pct",
    "nps",
    "ces_mean",
    "promoters",
    "detractors",
)


def _scores(g: SatisfactionGroup) -> tuple[Cell, ...]:
    f = g.scores
    nps_parts: tuple[Cell, Cell] = (f.promoters, f.detractors) if g.kind == "nps" else (None, None)
    return (g.kind, g.sent, g.answered, pct(g.response_rate), f.csat, f.nps, f.ces, *nps_parts)


def _satisfaction(name: str, title: str, group: str | None, items: Sequence[SatisfactionGroup]) -> Table:
    if group is None:
        return Table(name, title, SCORE_COLUMNS, [_scores(g) for g in items])
    return Table(name, title, (group, *SCORE_COLUMNS), [(g.group, *_scores(g)) for g in items])


def satisfaction_tables(r: PeriodReport) -> list[Table]:
    s, tz = r.satisfaction, r.period.tz
    verbatims: list[tuple[Cell, ...]] = [
        (
            local(v.replied_at, tz) if v.replied_at else None,
            v.channel,
            v.kind,
            v.score,
            v.agent,
            v.conversation_id,
            v.reply,
        )
        for v in s.verbatims
    ]
    verbatim_columns = ("replied_at", "channel", "survey", "score", "agent", "conversation", "text")
    return [
        _satisfaction("satisfaction", "Satisfaction (CSAT, NPS, CES) of the surveys sent", None, s.overall),
        _satisfaction("satisfaction_by_channel", "Satisfaction by channel", "channel", s.by_channel),
        _satisfaction("satisfaction_by_agent", "Satisfaction by agent", "agent", s.by_agent),
        _satisfaction(
            "satisfaction_by_template", "Satisfaction by reply template", "template", s.by_template
        ),
        _satisfaction("satisfaction_by_reason", "Satisfaction by contact reason", "reason", s.by_reason),
        Table("survey_verbatims", "Customers' replies to the surveys", verbatim_columns, verbatims),
    ]


def summary_rows(r: PeriodReport) -> list[tuple[Cell, ...]]:
    """The summary's lines for these figures (every channel and kind)."""
    total = next((c for c in r.contacts if c.channel == ALL and c.kind == ALL), None)
    metrics = by_metric(r.targets)
    rows: list[tuple[Cell, ...]] = []
    if total is not None:
        rows += [
            (
                "answer_rate_pct",
                pct(total.answer_rate),
                Detail(
                    Nn_("{answered} answered of {n} arrived", "{answered} answered of {n} arrived"),
                    answered=total.answered,
                    n=total.arrived,
                ),
            ),
            (
                "moved_to_private",
                total.moved_to_private,
                Detail(N_("public conversations continued in private")),
            ),
            (
                "replies_sent",
                total.replies_sent,
                Detail(
                    Nn_("by people; {n} automatic message", "by people; {n} automatic messages"),
                    n=total.automatic_sent,
                ),
            ),
            (
                "frt_business_median_min",
                one_decimal(total.frt_business_median),
                Detail(N_("opening minutes")),
            ),
            (
                "dmt_mean_min",
                one_decimal(total.dmt),
                Detail(Nn_("{n} reply measured", "{n} replies measured"), n=len(total.handling)),
            ),
            (
                "dmc_mean_min",
                one_decimal(total.dmc),
                Detail(
                    Nn_("{n} resolved conversation", "{n} resolved conversations"), n=len(total.durations)
                ),
            ),
        ]
    for metric in ("next_response", "resolution"):
        if metric in metrics:
            m = metrics[metric]
            met = Detail(N_("{met} met of {n}"), met=m.met, n=m.met + m.missed)
            rows.append((f"{metric}_attainment_pct", pct(m.attainment), met))
    for g in r.goals:
        if g.channel == ALL:
            verdict = Detail(N_("not judged") if g.met is None else (N_("met") if g.met else N_("not met")))
            goal = Detail(
                N_("{percent} % within {minutes} min"),
                percent=_whole(g.goal.percent),
                minutes=g.goal.within_minutes,
            )
            rows.append(
                (
                    f"goal_{g.name}_pct",
                    pct(g.attainment),
                    Detail(N_("{goal}: {verdict}"), goal=goal, verdict=verdict),
                )
            )
    for s in r.satisfaction.overall:
        value = {"csat": s.scores.csat, "nps": s.scores.nps, "ces": s.scores.ces}[s.kind]
        rows.append(
            (
                s.kind,
                value,
                Detail(
                    Nn_("{answered} answered of {n} survey sent", "{answered} answered of {n} surveys sent"),
                    answered=s.answered,
                    n=s.sent,
                ),
            )
        )
    return rows


def figure_tables(r: PeriodReport) -> list[Table]:
    return [service_goals(r), charter_targets(r), contact_kpis(r), *satisfaction_tables(r)]


def _whole(value: float) -> float | int:
    """90.0 as 90 (the goal's "90 %"), 99.5 as it is."""
    return int(value) if value.is_integer() else value

"""Every charter target measured (first response, next response, resolution) per channel, kind and urgency,
and the service-level goals ("X % within Y minutes") met or not. Pure: journeys and charters in, counts out.

Targets: each conversation is judged by the charter in force when it arrived (its first customer message),
with the urgency of that message and the customer's tags, by the SLA engine (``inbox.charter.sla``):
- **first response**: the outcome ``sla_kpis.first_response`` gives (the due time stored at arrival);
- **next response**: every later cycle (the customer wrote again after a person's answer): *met* when
  answered by its due time, *missed* when answered later or still unanswered past it, else *waiting*; a
  cycle left unanswered when the conversation was resolved (a "thanks" after the answer) is not judged;
- **resolution** (when the charter sets one): from the first customer message to the last time it was set to
  resolved: *met* by the due time, *missed* after it or still open past it, else *waiting*.
Conversations resolved without a person's answer (closed unanswered: spam, a thank-you) are not judged.
Attainment = met ÷ (met + missed).

Goals: a conversation in a goal's scope is *within* when a person's first answer came within the goal's
minutes on its clock, *late* when it came later or has not come and the minutes have run out; not judged
while the minutes run, nor when closed unanswered. Attainment = within ÷ (within + late); the goal is *met*
when attainment ≥ its percent (not judged without any judged conversation). Goals and their business hours
are the current charter's: a goal is the yardstick the team reads its past against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from inbox.charter.fields import Metric
from inbox.charter.goals import Goal
from inbox.charter.model import Charter
from inbox.charter.sla import charter_kind, due_at
from inbox.charter.targets import Target
from inbox.charter.versions import CharterBook
from inbox.reports.calendar import ReportClocks
from inbox.reports.journeys import Journey, cycles, reason_at, urgency_at
from inbox.reports.judging import GOAL_WORDS, DueTimes, JudgedCohort, outcome
from inbox.reports.rows import UNCLASSIFIED
from inbox.reports.stats import ratio
from inbox.reports.tag_history import tags_at

ALL = "all"  # the channel of a goal's overall row


@dataclass(frozen=True, slots=True)
class TargetCount:
    """Outcomes of one metric for one channel, kind and urgency (of the first message)."""

    metric: Metric
    channel: str
    kind: str
    urgency: str
    met: int = 0
    missed: int = 0
    waiting: int = 0

    @property
    def attainment(self) -> float | None:
        return ratio(self.met, self.met + self.missed)


def judged(j: Journey, book: CharterBook, now: datetime, clocks: ReportClocks) -> list[tuple[Metric, str]]:
    """One conversation's outcomes: (metric, met | missed | waiting) for each clock measured (the rules of
    ``judged_all``, for one conversation)."""
    return judged_all(JudgedCohort([j], book, now, clocks))[0]


def judged_all(cohort: JudgedCohort) -> list[list[tuple[Metric, str]]]:
    """Each conversation's outcomes: (metric, met | missed | waiting) for each clock measured. Only due times
    are computed (the SLA engine's ``due_at``, asked for all conversations at once), never the elapsed time:
    a long-open conversation costs the same as a fresh one."""
    now, clocks, dues = cohort.now, cohort.clocks, DueTimes(cohort.clocks)
    asked: list[list[tuple[Metric, datetime | None, int | str]]] = []
    for j, charter, first in zip(cohort.journeys, cohort.charters, cohort.first_responses, strict=True):
        f = j.facts
        mine: list[tuple[Metric, datetime | None, int | str]] = []
        asked.append(mine)
        if f.first_response_at is None and f.status == "resolved":
            continue  # closed unanswered: not judged
        mine.append(("first_response", None, first.outcome))
        targets = clocks.targets(charter, f)
        spans = cycles(j, now)
        for started, answered in spans[1:]:
            if answered is None and j.resolved_at is not None and started <= j.resolved_at:
                continue  # still unanswered when it was resolved: nothing was left to answer
            then = tags_at(j.tag_changes, f.tags, started)
            level, reason = urgency_at(j, started), reason_at(j, started)
            target = clocks.targets(charter, f, level, then, reason).next_response
            mine.append(("next_response", answered, dues.ask(charter, target, started)))
        if targets.resolution is not None and spans:
            mine.append(("resolution", j.resolved_at, dues.ask(charter, targets.resolution, spans[0][0])))
    due = dues.solve()
    return [
        [(m, r if isinstance(r, str) else outcome(ended, due[r], now)) for m, ended, r in mine]
        for mine in asked
    ]


def target_counts(
    journeys: Iterable[Journey] | JudgedCohort, book: CharterBook, now: datetime, clocks: ReportClocks
) -> list[TargetCount]:
    """Outcomes per metric, channel, kind and urgency, in that order."""
    cohort = (
        journeys if isinstance(journeys, JudgedCohort) else JudgedCohort(list(journeys), book, now, clocks)
    )
    sums: dict[tuple[Metric, str, str, str], dict[str, int]] = defaultdict(
        lambda: {"met": 0, "missed": 0, "waiting": 0}
    )
    for j, results in zip(cohort.journeys, judged_all(cohort), strict=True):
        f = j.facts
        group = (charter_kind(f.kind, f.visibility), f.arrival_urgency or UNCLASSIFIED)
        for metric, result in results:
            sums[(metric, f.channel, *group)][result] += 1
    order = {"first_response": 0, "next_response": 1, "resolution": 2}
    keys = sorted(sums, key=lambda k: (order[k[0]], k[1], k[2], k[3]))
    return [
        TargetCount(m, ch, kind, urgency, *sums[(m, ch, kind, urgency)].values())
        for m, ch, kind, urgency in keys
    ]


def by_metric(counts: Iterable[TargetCount]) -> dict[Metric, TargetCount]:
    """The totals of each metric over every channel, kind and urgency."""
    sums: dict[Metric, list[int]] = {}
    for c in counts:
        s = sums.setdefault(c.metric, [0, 0, 0])
        s[0], s[1], s[2] = s[0] + c.met, s[1] + c.missed, s[2] + c.waiting
    return {m: TargetCount(m, ALL, ALL, ALL, *s) for m, s in sums.items()}


@dataclass(frozen=True, slots=True)
class GoalAttainment:
    """One goal on one channel (or ``ALL``): conversations within its minutes, late, and still running."""

    name: str
    goal: Goal
    channel: str
    within: int = 0
    late: int = 0
    pending: int = 0

    @property
    def attainment(self) -> float | None:
        return ratio(self.within, self.within + self.late)

    @property
    def met(self) -> bool | None:
        rate = self.attainment
        return None if rate is None else rate * 100 >= self.goal.percent - 1e-9


def goal_outcome(
    j: Journey, goal: Goal, charter: Charter, now: datetime, clocks: ReportClocks | None = None
) -> str | None:
    """within | late | pending for a conversation in the goal's scope; None when out of scope or unjudged."""
    f = j.facts
    kind = charter_kind(f.kind, f.visibility)
    if not goal.covers(f.channel, f.platform, kind, f.arrival_urgency):
        return None
    if f.first_response_at is None and f.status == "resolved":
        return None  # closed unanswered
    clock = Target("first_response", goal.within_minutes, goal.clock, goal.team or charter.sla.team, "goal")
    start = f.first_wait_from  # within the goal's minutes on its clock <=> answered by this due time:
    due = clocks.due(charter, clock, start) if clocks is not None else due_at(charter, clock, start)
    return GOAL_WORDS[outcome(f.first_response_at, due, now)]


def goal_attainment(
    journeys: Iterable[Journey] | JudgedCohort, charter: Charter, now: datetime, clocks: ReportClocks
) -> list[GoalAttainment]:
    """Each goal of the charter overall (channel ``ALL``) then per channel, goals in the charter's order."""
    cohort = (
        journeys
        if isinstance(journeys, JudgedCohort)
        else JudgedCohort(list(journeys), CharterBook(charter), now, clocks)
    )
    out: list[GoalAttainment] = []
    for name, goal in charter.sla.service_goals().items():
        sums: dict[str, dict[str, int]] = defaultdict(lambda: {"within": 0, "late": 0, "pending": 0})
        for j, result in zip(cohort.journeys, cohort.goal_results(name, goal, charter), strict=True):
            if result is not None:
                sums[ALL][result] += 1
                sums[j.facts.channel][result] += 1
        out.append(GoalAttainment(name, goal, ALL, **sums[ALL]))
        out += [GoalAttainment(name, goal, ch, **sums[ch]) for ch in sorted(sums) if ch != ALL]
    return out

"""The period's conversations judged once for every figure of a report: charter targets, service-level goals,
contact-centre figures, figures per contact reason and the dashboard's goal-by-day chart all read the same
``JudgedCohort`` instead of judging each conversation again. Pure.

Rules are those of ``sla_kpis.first_response``, ``targets_kpis`` and ``contact_kpis``; only the arithmetic is
batched: due times and business-time waits are asked of the report's calendar (``ReportClocks``) for many
conversations at once (``due_many``, ``business_many``), which gives the engine's answers one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from inbox.charter.goals import Goal
from inbox.charter.model import Charter
from inbox.charter.sla import charter_kind
from inbox.charter.targets import Target
from inbox.charter.versions import CharterBook
from inbox.reports.calendar import ReportClocks
from inbox.reports.journeys import Journey
from inbox.reports.sla_kpis import FirstResponse, first_response

GoalResult = str | None  # within | late | pending; None: out of the goal's scope or not judged


class DueTimes:
    """Due times asked one by one, computed together per charter and target (``ReportClocks.due_many``)."""

    def __init__(self, clocks: ReportClocks) -> None:
        self.clocks = clocks
        self._asked: dict[tuple[int, Target], tuple[Charter, list[int], list[datetime]]] = {}
        self._count = 0

    def ask(self, charter: Charter, target: Target, start: datetime) -> int:
        """A ticket for the due time of ``target`` started at ``start`` (read it from ``solve``'s list)."""
        entry = self._asked.get((id(charter), target))
        if entry is None:
            entry = self._asked[(id(charter), target)] = (charter, [], [])
        entry[1].append(self._count)
        entry[2].append(start)
        self._count += 1
        return self._count - 1

    def solve(self) -> list[datetime]:
        out: list[datetime] = [datetime.min] * self._count
        for (_, target), (charter, tickets, starts) in self._asked.items():
            for ticket, due in zip(tickets, self.clocks.due_many(charter, target, starts), strict=True):
                out[ticket] = due
        return out


def outcome(answered: datetime | None, due: datetime, now: datetime) -> str:
    """met (answered by the due time), missed (answered later, or unanswered past it), else waiting."""
    if answered is not None:
        return "met" if answered <= due else "missed"
    return "missed" if now > due else "waiting"


GOAL_WORDS = {"met": "within", "missed": "late", "waiting": "pending"}


class JudgedCohort:
    """The journeys of a report with what several figures share, each computed once on first use."""

    def __init__(
        self, journeys: Sequence[Journey], book: CharterBook, now: datetime, clocks: ReportClocks
    ) -> None:
        self.journeys = list(journeys)
        self.book, self.now, self.clocks = book, now, clocks
        self._charters: list[Charter] | None = None
        self._first: list[FirstResponse] | None = None
        self._goals: dict[tuple[str, int, int], list[GoalResult]] = {}
        self._business: list[timedelta | None] | None = None

    @property
    def charters(self) -> list[Charter]:
        """The charter in force when each conversation arrived."""
        if self._charters is None:
            self._charters = [self.book.in_force(j.facts.first_inbound_at) for j in self.journeys]
        return self._charters

    @property
    def first_responses(self) -> list[FirstResponse]:
        """``sla_kpis.first_response`` of each conversation, with the charter at its arrival."""
        if self._first is None:
            self._first = [
                first_response(j.facts, c, self.now)
                for j, c in zip(self.journeys, self.charters, strict=True)
            ]
        return self._first

    def goal_results(self, name: str, goal: Goal, charter: Charter) -> list[GoalResult]:
        """``targets_kpis.goal_outcome`` of each conversation for one goal of ``charter``."""
        key = (name, id(goal), id(charter))
        if key not in self._goals:
            self._goals[key] = self._judge_goal(goal, charter)
        return self._goals[key]

    def _judge_goal(self, goal: Goal, charter: Charter) -> list[GoalResult]:
        covers: dict[tuple[str, str, str, str | None], bool] = {}
        picked: list[int] = []
        for n, j in enumerate(self.journeys):
            f = j.facts
            scope = (f.channel, f.platform, charter_kind(f.kind, f.visibility), f.arrival_urgency)
            if scope not in covers:
                covers[scope] = goal.covers(*scope)
            if covers[scope] and not (f.first_response_at is None and f.status == "resolved"):
                picked.append(n)  # in scope and not closed unanswered
        clock = Target(
            "first_response", goal.within_minutes, goal.clock, goal.team or charter.sla.team, "goal"
        )
        starts = [self.journeys[n].facts.first_wait_from for n in picked]
        out: list[GoalResult] = [None] * len(self.journeys)
        for n, due in zip(picked, self.clocks.due_many(charter, clock, starts), strict=True):
            out[n] = GOAL_WORDS[outcome(self.journeys[n].facts.first_response_at, due, self.now)]
        return out

    @property
    def business_waits(self) -> list[timedelta | None]:
        """Each answered conversation's first-response wait in the opening time of the team of its
        first-response target (charter at arrival); None when unanswered."""
        if self._business is None:
            asked: dict[tuple[int, str], tuple[Charter, list[int], list[tuple[datetime, datetime]]]] = {}
            for n, (j, charter) in enumerate(zip(self.journeys, self.charters, strict=True)):
                f = j.facts
                if f.first_response_at is None:
                    continue
                team = self.clocks.targets(charter, f).first_response.team
                entry = asked.setdefault((id(charter), team), (charter, [], []))
                entry[1].append(n)
                entry[2].append((f.first_wait_from, f.first_response_at))
            out: list[timedelta | None] = [None] * len(self.journeys)
            for (_, team), (charter, picked, spans) in asked.items():
                for n, wait in zip(picked, self.clocks.business_many(charter, team, spans), strict=True):
                    out[n] = wait
            self._business = out
        return self._business

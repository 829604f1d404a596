"""The jobs of a simulation: each arrival with its charter target, due time, queue keys and handling time.
Pure: the charter, the arrivals and the seed in; prepared once and shared by every staffing level and policy.

Due times come from the charter's own functions (``inbox.charter.sla``: the target for the channel, kind,
urgency and customer segment, on its clock); the deadline order is the queue's own key
(``inbox.desk.queue.priority_key``: due time, then urgency, then VIP, then age).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from inbox.charter.business_hours import open_intervals
from inbox.charter.model import Charter
from inbox.charter.sla import Target, due_at, target_for
from inbox.charter.teams import Team
from inbox.desk.queue import QueueItem, priority_key
from inbox.reports.simulation.arrivals import Arrival
from inbox.reports.simulation.handling import HandlingModel

Policy = Literal["deadline", "fifo"]
POLICIES: tuple[Policy, ...] = ("deadline", "fifo")
DRAIN = timedelta(days=30)  # after the last arrival, agents keep working the backlog this long at most


@dataclass(frozen=True, slots=True)
class Job:
    index: int  # arrival order: also the queue's last tie-break (the oldest id first)
    arrival: Arrival
    at: float  # POSIX seconds
    due: float
    target_minutes: int
    clock_start: datetime  # when the team takes it into account: its arrival, or the next opening
    handling: float  # seconds
    keys: dict[str, Any]  # policy -> sort key


@dataclass(frozen=True, slots=True)
class Workload:
    jobs: Sequence[Job]
    shifts: Sequence[tuple[float, float]]  # the agents' opening intervals, POSIX seconds, in order
    team: Team
    start: datetime  # the period simulated: arrivals in [start, end)
    end: datetime

    def open_minutes(self) -> float:
        """Opening time of the agents' team within the period."""
        lo, hi = self.start.timestamp(), self.end.timestamp()
        return sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in self.shifts) / 60


class Hours:
    """The agents' opening intervals, searched by bisection."""

    def __init__(self, shifts: Sequence[tuple[float, float]]) -> None:
        self.starts = [a for a, _ in shifts]
        self.ends = [b for _, b in shifts]

    def next_open(self, t: float) -> float | None:
        """``t`` when open, else the next opening; None past the last shift."""
        i = bisect_right(self.ends, t)
        return None if i == len(self.ends) else max(t, self.starts[i])


def _shifts(team: Team, start: datetime, until: datetime) -> list[tuple[float, float]]:
    out = []
    for a, b in open_intervals(team, start):
        if a >= until:
            break
        out.append((a.timestamp(), b.timestamp()))
    return out


def prepare(
    charter: Charter,
    arrivals: Sequence[Arrival],
    handling: HandlingModel,
    *,
    seed: int,
    start: datetime,
    end: datetime,
) -> Workload:
    """The jobs for the arrivals in ``[start, end)``, oldest first; agents work the charter's team hours."""
    team = charter.team(charter.sla.team)
    rng = random.Random(seed)
    chosen = sorted((a for a in arrivals if start <= a.at < end), key=lambda a: a.at)
    shifts = _shifts(team, start, max(end, chosen[-1].at if chosen else start) + DRAIN)
    hours = Hours(shifts)
    closed_due: dict[tuple[Target, float], datetime] = {}
    jobs = []
    for index, a in enumerate(chosen):
        tags = [t.lower() for t in a.tags]
        target = target_for(charter, a.channel, a.kind, a.urgency, tags, platform=a.platform, reason=a.reason)
        assert target is not None  # the charter requires a first-response target per kind
        opens = hours.next_open(a.at.timestamp())
        clock_start = a.at if opens is None else datetime.fromtimestamp(opens, UTC)
        # A business-hours clock of the agents' team started while it is closed starts at the next opening:
        # every such message of one target and one closed spell is due at the same time (computed once).
        same = (
            opens is not None
            and clock_start > a.at
            and target.clock != "24/7"
            and target.team == charter.sla.team
        )
        key = (target, opens or 0.0)
        due = closed_due.get(key) if same else None
        if due is None:
            due = due_at(charter, target, a.at)
            if same:
                closed_due[key] = due
        item = QueueItem(index, due, a.urgency, a.tags)
        keys: dict[str, Any] = {"deadline": priority_key(item), "fifo": (a.at, index)}
        minutes = handling.draw(rng, a.channel, a.kind)
        jobs.append(
            Job(index, a, a.at.timestamp(), due.timestamp(), target.minutes, clock_start, minutes * 60, keys)
        )
    return Workload(jobs, shifts, team, start, end)

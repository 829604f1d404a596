"""What a run gives: first-response attainment, waits, backlog peak, attainment per weekly slot, and the
Erlang-C figure for the same load. Pure.

- Attainment: jobs answered by their due time, over all jobs of the period (one left unanswered is missed);
  the same over the urgent ones (high and critical), whose shorter targets the queue's order puts first.
- Waits: wall-clock minutes from arrival to answer (as the dashboard's first-response time), p50 and p90 by
  nearest rank over the answered jobs.
- Backlog: jobs arrived and not yet answered (the dashboard's "waiting for an answer"); its peak and when.
- Slots: attainment per local weekday and half day of when the team can first take the message (its arrival,
  or the next opening): "Monday morning" holds the weekend's messages the team finds when it opens.
- Erlang C: the period's jobs spread evenly over the team's opening time, with the jobs' mean handling
  time, and the wait that still answers within the most common target (the target less one handling time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from inbox.reports.simulation.engine import Run
from inbox.reports.simulation.erlang import service_level
from inbox.reports.simulation.workload import Workload
from inbox.reports.stats import nearest_rank, ratio

NOON = 12  # the local hour a morning ends
URGENT = frozenset({"high", "critical"})


@dataclass(frozen=True, slots=True)
class Slot:
    weekday: int  # 0 = Monday
    afternoon: bool
    jobs: int
    met: int

    @property
    def attainment(self) -> float | None:
        return ratio(self.met, self.jobs)


@dataclass(frozen=True, slots=True)
class Outcome:
    agents: int
    policy: str
    jobs: int
    met: int
    unanswered: int
    wait_p50: float | None  # minutes
    wait_p90: float | None
    backlog_peak: int
    backlog_peak_at: datetime | None
    erlang_c: float | None  # share answered in time by the Erlang-C formula
    slots: tuple[Slot, ...]
    urgent_jobs: int = 0
    urgent_met: int = 0

    @property
    def attainment(self) -> float | None:
        return ratio(self.met, self.jobs)

    @property
    def urgent_attainment(self) -> float | None:
        return ratio(self.urgent_met, self.urgent_jobs)


def _backlog_peak(workload: Workload, run: Run) -> tuple[int, datetime | None]:
    """Highest count of arrived, unanswered jobs; an answer at the same instant as an arrival goes first."""
    events = [(job.at, 1) for job in workload.jobs]
    events += [(done, -1) for done in run.answered if done is not None]
    level, peak, when = 0, 0, None
    for at, step in sorted(events):
        level += step
        if level > peak:
            peak, when = level, datetime.fromtimestamp(at, UTC)
    return peak, when


def _slots(workload: Workload, met: Sequence[bool]) -> tuple[Slot, ...]:
    counts: Counter[tuple[int, bool]] = Counter()
    hits: Counter[tuple[int, bool]] = Counter()
    for job, ok in zip(workload.jobs, met, strict=True):
        local = job.clock_start.astimezone(workload.team.zone)
        key = (local.weekday(), local.hour >= NOON)
        counts[key] += 1
        hits[key] += ok
    return tuple(Slot(day, pm, counts[(day, pm)], hits[(day, pm)]) for day, pm in sorted(counts))


def erlang_figure(workload: Workload, agents: int) -> float | None:
    jobs = workload.jobs
    open_minutes = workload.open_minutes()
    if not jobs or open_minutes <= 0:
        return None
    aht = sum(j.handling for j in jobs) / len(jobs) / 60
    target = Counter(j.target_minutes for j in jobs).most_common(1)[0][0]
    erlangs = len(jobs) / open_minutes * aht
    return service_level(agents, erlangs, aht, max(0.0, target - aht))


def outcome(workload: Workload, run: Run) -> Outcome:
    jobs = workload.jobs
    met = [done is not None and done <= job.due for job, done in zip(jobs, run.answered, strict=True)]
    waits = [(done - job.at) / 60 for job, done in zip(jobs, run.answered, strict=True) if done is not None]
    peak, peak_at = _backlog_peak(workload, run)
    urgent = [ok for job, ok in zip(jobs, met, strict=True) if job.arrival.urgency in URGENT]
    return Outcome(
        agents=run.agents,
        policy=run.policy,
        jobs=len(jobs),
        met=sum(met),
        unanswered=len(jobs) - len(waits),
        wait_p50=nearest_rank(waits, 50),
        wait_p90=nearest_rank(waits, 90),
        backlog_peak=peak,
        backlog_peak_at=peak_at,
        erlang_c=erlang_figure(workload, run.agents),
        slots=_slots(workload, met),
        urgent_jobs=len(urgent),
        urgent_met=sum(urgent),
    )

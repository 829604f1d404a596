"""The discrete-event run: identical agents take the waiting job that comes first by the policy. Pure.

Rules: an agent takes a job only while the team is open, and the one first in the policy's order among
those that have arrived (deadline: the queue's order; fifo: arrival order). They answer after the job's
handling time, finishing an answer started before closing; then take the next. Nobody gives up waiting
(no abandonment) and every job needs exactly one answer. Deterministic: ties go to the earlier agent.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from inbox.reports.simulation.workload import Hours, Policy, Workload


@dataclass(frozen=True, slots=True)
class Run:
    """Each job's answer time (POSIX seconds), in job order; None when the drain time ran out first."""

    agents: int
    policy: Policy
    answered: Sequence[float | None]


def simulate(workload: Workload, agents: int, policy: Policy) -> Run:
    """Replay the workload with ``agents`` agents (>= 1) under ``policy``."""
    if agents < 1:
        raise ValueError(f"agents must be at least 1, got {agents}")
    jobs, hours = workload.jobs, Hours(workload.shifts)
    answered: list[float | None] = [None] * len(jobs)
    if not jobs:
        return Run(agents, policy, answered)
    free = [(jobs[0].at, n) for n in range(agents)]  # (free from, agent)
    waiting: list[tuple[object, int]] = []
    arrived = 0
    while free:
        raw, agent = heapq.heappop(free)
        t = hours.next_open(raw)
        if t is None:
            break  # no shift left: the rest stays unanswered
        while arrived < len(jobs) and jobs[arrived].at <= t:
            heapq.heappush(waiting, (jobs[arrived].keys[policy], arrived))
            arrived += 1
        if not waiting:
            if arrived == len(jobs):
                break  # everything is taken
            heapq.heappush(free, (jobs[arrived].at, agent))
            continue
        _, index = heapq.heappop(waiting)
        done = t + jobs[index].handling
        answered[index] = done
        heapq.heappush(free, (done, agent))
    return Run(agents, policy, answered)

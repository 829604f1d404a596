"""A staffing plan: every staffing level of a range under each policy, on one prepared workload. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from inbox.charter.model import Charter
from inbox.reports.simulation.arrivals import Arrival
from inbox.reports.simulation.engine import simulate
from inbox.reports.simulation.handling import HandlingModel
from inbox.reports.simulation.outcome import Outcome, outcome
from inbox.reports.simulation.workload import Policy, Workload, prepare

MAX_AGENTS = 200
_RANGE = re.compile(r"^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$")


def parse_agents(text: str) -> range:
    """``"5"`` or ``"2..8"`` (both ends included) as a range of staffing levels; ValueError otherwise."""
    found = _RANGE.match(text)
    if not found:
        raise ValueError(f"agents must be a number or a range such as 2..8, got {text!r}")
    low = int(found.group(1))
    high = int(found.group(2) or low)
    if not 1 <= low <= high <= MAX_AGENTS:
        raise ValueError(f"agents must go from 1 up to {MAX_AGENTS}, lowest first, got {text!r}")
    return range(low, high + 1)


@dataclass(frozen=True, slots=True)
class Plan:
    workload: Workload
    outcomes: Sequence[Outcome]  # by policy, then agents

    def of(self, policy: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.policy == policy]


def run_plan(
    charter: Charter,
    arrivals: Sequence[Arrival],
    handling: HandlingModel,
    *,
    agents: Iterable[int],
    policies: Sequence[Policy],
    start: datetime,
    end: datetime,
    seed: int = 1,
) -> Plan:
    workload = prepare(charter, arrivals, handling, seed=seed, start=start, end=end)
    levels = list(agents)
    runs = [outcome(workload, simulate(workload, n, p)) for p in policies for n in levels]
    return Plan(workload, runs)

"""Erlang C, the textbook staffing formula for an M/M/c queue, as a sanity check beside the simulation. Pure.

``A = λ × AHT`` erlangs offered to ``c`` agents; the probability a contact waits is Erlang C, and the share
answered within ``t`` is ``1 − C × exp(−(c − A) × t / AHT)``. With ``c <= A`` the queue grows without end:
no figure (None).
"""

from __future__ import annotations

import math


def erlang_b(agents: int, erlangs: float) -> float:
    """Blocking probability, by the stable recurrence B(k) = A·B(k−1) / (k + A·B(k−1))."""
    if agents < 0 or erlangs < 0:
        raise ValueError(f"agents and erlangs must be >= 0, got {agents}, {erlangs}")
    b = 1.0
    for k in range(1, agents + 1):
        b = erlangs * b / (k + erlangs * b)
    return b


def erlang_c(agents: int, erlangs: float) -> float | None:
    """Probability that a contact waits; None when the load is not below the agents (``A >= c``)."""
    if agents <= 0 or erlangs >= agents:
        return None
    if erlangs == 0:
        return 0.0
    b = erlang_b(agents, erlangs)
    return agents * b / (agents - erlangs * (1 - b))


def service_level(agents: int, erlangs: float, aht_minutes: float, target_minutes: float) -> float | None:
    """Share of contacts answered within ``target_minutes`` (waiting time before an agent takes them)."""
    waits = erlang_c(agents, erlangs)
    if waits is None or aht_minutes <= 0:
        return None
    return 1 - waits * math.exp(-(agents - erlangs) * target_minutes / aht_minutes)

"""Erlang C against the textbook's closed forms: M/M/1 waits with probability ρ; M/M/2 with 2ρ²/(1+ρ);
M/M/3 offered 2 erlangs waits with probability 4/9."""

from __future__ import annotations

import math

import pytest

from inbox.reports.simulation.erlang import erlang_b, erlang_c, service_level


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_one_agent_waits_with_probability_rho(rho: float) -> None:
    assert erlang_c(1, rho) == pytest.approx(rho)


@pytest.mark.parametrize("rho", [0.25, 0.5, 0.8])
def test_two_agents_match_the_closed_form(rho: float) -> None:
    assert erlang_c(2, 2 * rho) == pytest.approx(2 * rho**2 / (1 + rho))


def test_three_agents_offered_two_erlangs() -> None:
    assert erlang_b(3, 2.0) == pytest.approx(4 / 19)  # (2³/3!) / (1 + 2 + 2 + 4/3)
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)
    # answered within one handling time: 1 - 4/9 × e^-(3-2)
    assert service_level(3, 2.0, aht_minutes=5, target_minutes=5) == pytest.approx(1 - 4 / 9 / math.e)


def test_no_figure_when_the_load_reaches_the_agents() -> None:
    assert erlang_c(2, 2.0) is None and erlang_c(2, 3.5) is None
    assert service_level(2, 2.0, 5, 60) is None


def test_no_load_never_waits() -> None:
    assert erlang_c(3, 0.0) == 0.0 and service_level(3, 0.0, 5, 0) == 1.0

"""The words people read for the figures of goals, targets and satisfaction (the JSON keeps the values)."""

from __future__ import annotations

import pytest

from inbox.i18n import use_language
from inbox.reports.labels import value


@pytest.mark.parametrize(
    ("language", "column", "cell", "shown"),
    [
        ("en", "met", True, "Met"),
        ("fr", "met", False, "Non atteint"),
        ("en", "met", None, None),  # not judged: the table shows a dash
        ("fr", "template", None, "Sans modèle"),
        ("fr", "kpi", "goal_social_pct", "Objectif social (%)"),
        ("fr", "kpi", "goal_critical_pct", "Objectif critique (%)"),  # an urgency level is said in French
        ("en", "kpi", "goal_critical_pct", "Goal critical (%)"),
        ("fr", "goal", "critical", "critique"),
        ("fr", "goal", "vip", "vip"),  # the charter's own name otherwise
        ("fr", "metric", "next_response", "Réponse suivante"),
        ("fr", "kind", "private", "Privé"),
        ("fr", "survey", "csat", "CSAT"),
        ("fr", "channel", "all", "Tous les canaux"),
        ("fr", "kind", "all", "Tous types"),
        ("fr", "urgency", "all", "Toutes"),
        ("en", "kpi", "answer_rate_pct", "Answer rate (%)"),
        ("fr", "kpi", "dmc_mean_min", "Durée moyenne de conversation, DMC (min)"),
    ],
)
def test_words_for_people(language: str, column: str, cell: object, shown: object) -> None:
    with use_language(language):
        assert value(column, cell) == shown  # type: ignore[arg-type]

"""How alerts name customers and their urgency (inbox.automation.alert_text, spike_text), in both
languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inbox import i18n
from inbox.automation.alert_text import customer_words
from inbox.automation.spike_rule import Usual
from inbox.automation.spike_text import Scope, TopMessage, spike_payload


@pytest.mark.parametrize(
    ("handle", "name", "words"),
    [("jonas_k", "Jonas K.", "@jonas_k"), (None, "Léa Martin", "Léa Martin"), (None, None, "a customer")],
)
def test_a_customer_is_named_as_the_queue_names_them(
    handle: str | None, name: str | None, words: str
) -> None:
    with i18n.use_language("en"):
        assert customer_words(handle, name) == words


def _alert_text(language: str) -> str:
    top = [
        TopMessage(3, None, "Léa Martin", "Je n'arrive plus à me connecter", "high", None),
        TopMessage(5, "hugob", None, "Je veux être remboursé", "normal", None),
    ]
    at = datetime(2026, 12, 6, 5, 40, tzinfo=UTC)
    with i18n.use_language(language):
        payload = spike_payload(Scope("tg-acme"), 10, 10, Usual(0.4, 0.6, 0), timedelta(minutes=15), top, at)
    return str(payload["text"])


def test_a_spike_alert_names_a_customer_without_a_handle_and_says_the_urgency_in_english() -> None:
    lines = _alert_text("en").splitlines()
    assert lines[1:] == [
        "• Léa Martin (high): “Je n'arrive plus à me connecter” #3",
        "• @hugob: “Je veux être remboursé” #5",
    ]


def test_a_french_team_reads_its_own_words_in_a_spike_alert() -> None:
    lines = _alert_text("fr").splitlines()
    assert lines[1] == "• Léa Martin (haute)\u00a0: «\u00a0Je n'arrive plus à me connecter\u00a0» #3"

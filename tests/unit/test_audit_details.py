"""The audit log's details in words (the page), the stored JSON otherwise (and always in the CSV)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from inbox import i18n
from inbox.ui.audit_details import detail_words

USERS = {2: "Alex", 3: "Morgan"}


def said(action: str, detail: Mapping[str, object], language: str = "en") -> str:
    with i18n.use_language(language):
        return detail_words(action, json.dumps(detail), USERS)


@pytest.mark.parametrize(
    ("language", "assigned", "status", "reply"),
    [
        ("en", "nobody → Alex (by answering)", "Open → Resolved · spam", "reply #7, public"),
        ("fr", "personne → Alex (en répondant)", "Ouverte → Résolue · spam", "réponse n°\xa07, public"),
    ],
)
def test_the_commonest_details_read_as_words(language: str, assigned: str, status: str, reply: str) -> None:
    assert said("conversation.assigned", {"from": None, "to": 2, "rule": "reply"}, language) == assigned
    closed = {"from": "open", "to": "resolved", "reason": "spam"}
    assert said("conversation.status", closed, language) == status
    assert said("reply.queued", {"reply": 7, "visibility": "public"}, language) == reply


def test_other_details_stay_as_stored() -> None:
    assert said("conversation.assigned", {"from": 3, "to": 9}) == "Morgan → #9"  # a user since removed
    assert said("reply.failed", {"reply": 8, "error": "Rejected: 404"}) == "reply #8: Rejected: 404"
    unknown = {"filters": {"actor": "maya"}}
    assert said("audit.viewed", unknown) == json.dumps(unknown)
    assert said("conversation.tags", {"tags": ["x"]}) == json.dumps({"tags": ["x"]})  # not the usual shape
    assert detail_words("conversation.status", "not json", USERS) == "not json"


@pytest.mark.parametrize(
    ("language", "role", "languages", "capacity", "availability"),
    [
        (
            "en",
            "alice: Agent → Community manager",
            "alice: French, English → English, Spanish",
            "alice: 20 → 6",
            "Available → On a break",
        ),
        (
            "fr",
            "alice\u00a0: Conseiller → Community manager",
            "alice\u00a0: Français, Anglais → Anglais, Espagnol",
            "alice\u00a0: 20 → 6",
            "Disponible → En pause",
        ),
    ],
)
def test_account_changes_read_as_words(
    language: str, role: str, languages: str, capacity: str, availability: str
) -> None:
    assert said("user.role", {"name": "alice", "from": "agent", "to": "manager"}, language) == role
    spoken = {"name": "alice", "from": ["fr", "en"], "to": ["en", "es"]}
    assert said("user.languages", spoken, language) == languages
    assert said("user.capacity", {"name": "alice", "from": 20, "to": 6}, language) == capacity
    assert said("user.availability", {"from": "available", "to": "away"}, language) == availability


@pytest.mark.parametrize(
    ("action", "detail", "en", "fr"),
    [
        (
            "message.deleted_by_customer",
            {"message": 12, "clock_stopped": True},
            "message #12, conversation closed: nothing left to answer",
            "message n°\u00a012, conversation close\u00a0: plus rien à répondre",
        ),
        (
            "message.deleted_by_customer",
            {"message": 12, "clock_stopped": False},
            "message #12",
            "message n°\xa012",
        ),
        ("incident.joined", {"incident": 1, "score": 0.42}, "incident #1", "incident n°\xa01"),
        ("spike.started", {"count": 1}, "1 message", "1 message"),
        ("spike.started", {"count": 1870}, "1,870 messages", "1\u202f870 messages"),
        (
            "peak.started",
            {"backlog": 87, "forecast_breaches": 1},
            "87 waiting, 1 at risk or late",
            "87 en attente, 1 à risque ou en retard",
        ),
        ("escalation.sent", {"key": "critical"}, "critical message", "message critique"),
        ("escalation.sent", {"key": "breached:2"}, "late (response #2)", "en retard (réponse n°\xa02)"),
        (
            "charter.saved",
            {"comment": "DAF", "changes": ["sla.reasons.billing_payment: (none) → 20"]},
            "sla.reasons.billing_payment: (none) → 20 · DAF",
            "sla.reasons.billing_payment: (none) → 20 · DAF",
        ),
        (
            "conversation.snoozed",
            {"until": "2026-12-07T09:00:00+01:00"},
            "until 7 Dec 2026 09:00",
            "jusqu'au 7 déc. 2026 09:00",
        ),
        (
            "user.created",
            {"name": "sam", "role": "manager"},
            "sam (Community manager)",
            "sam (Community manager)",
        ),
        ("auth.sign_in_failed", {"reason": "bad password"}, "wrong password", "mot de passe erroné"),
        (
            "audit.viewed",
            {
                "filters": {
                    "since": "2026-11-29T00:00:00+01:00",
                    "until": "2026-12-07T00:00:00+01:00",
                    "actor": "maya",
                }
            },
            "29 Nov 2026 – 6 Dec 2026 · maya",  # the days picked: "until" is the next day's start, excluded
            "29 nov. 2026 – 6 déc. 2026 · maya",
        ),
    ],
)
def test_the_automations_and_accounts_details_read_as_words(
    action: str, detail: Mapping[str, object], en: str, fr: str
) -> None:
    assert (said(action, detail, "en"), said(action, detail, "fr")) == (en, fr)


def test_an_unknown_alert_or_failure_stays_as_stored() -> None:
    assert said("escalation.sent", {"key": "something_new"}) == json.dumps({"key": "something_new"})
    assert said("auth.sign_in_failed", {"reason": "new reason"}) == json.dumps({"reason": "new reason"})


@pytest.mark.parametrize(
    ("language", "budget", "checked", "failed", "paused", "added"),
    [
        (
            "en",
            "12,016 of 15,000 reads in December 2026",
            "Connected as @AcmeCare",
            "Connection failed: AuthFailed: 401",
            "Sending paused",
            "X @AcmeCare",
        ),
        (
            "fr",
            "12\u202f016 lectures sur 15\u202f000 en décembre 2026",
            "Connecté en tant que @AcmeCare",
            "Échec de la connexion\u00a0: AuthFailed: 401",
            "Envoi en pause",
            "X @AcmeCare",
        ),
    ],
)
def test_the_channels_actions_read_as_words(
    language: str, budget: str, checked: str, failed: str, paused: str, added: str
) -> None:
    """Shown in the audit log and under each channel on the Channels page (not ``reads_used 12016, …``)."""
    assert (
        said("budget.warning", {"reads_used": 12016, "budget": 15000, "month": "2026-12"}, language) == budget
    )
    assert (
        said("channel.checked", {"ok": True, "result": "@AcmeCare", "error_type": None}, language) == checked
    )
    assert said("channel.checked", {"ok": False, "result": "AuthFailed: 401"}, language) == failed
    assert said("channel.paused", {"what": "sending"}, language) == paused
    creds = {"bearer_token": "X_BEARER_TOKEN"}
    assert (
        said("channel.added", {"platform": "x", "account": "AcmeCare", "credentials": creds}, language)
        == added
    )
    assert said("budget.warning", {"month": "someday"}, language) == json.dumps({"month": "someday"})

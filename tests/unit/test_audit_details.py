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
        ("fr", "personne → Alex (en répondant)", "Ouverte → Résolue · spam", "réponse n° 7, public"),
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
            "alice : Conseiller → Community manager",
            "alice : Français, Anglais → Anglais, Espagnol",
            "alice : 20 → 6",
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

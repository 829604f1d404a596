"""The one permission table: ranked roles, each action's least role, a deactivated user may do nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from inbox import i18n
from inbox.access import ACTIONS, ROLES, PermissionDenied, allowed, can, require


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    active: bool = True


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("agent", {"work"}),
        (
            "manager",
            {
                "work",
                "moderate",
                "link",
                "distribute",
                "others_replies",
                "figures",
                "incidents",
                "templates",
                "privacy",
                "audit",
            },
        ),
        ("admin", set(ACTIONS)),
        ("guest", set()),  # a role the table does not rank may do nothing
    ],
)
def test_each_role_may_do_what_its_rank_allows(role: str, may: set[str]) -> None:
    assert {action for action in ACTIONS if can(role, action)} == may


def test_every_action_names_a_known_least_role() -> None:
    assert {least for least, _ in ACTIONS.values()} <= set(ROLES)


def test_require_says_who_may() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(Person("alice", "agent"), "link")
    assert str(refused.value) == (
        "alice (Agent) may not link or unlink a customer's accounts: Community manager or Admin only"
    )
    assert (refused.value.actor, refused.value.action) == ("alice", "link")
    require(Person("maya", "manager"), "link")


def test_a_deactivated_user_may_do_nothing() -> None:
    gone = Person("ada", "admin", active=False)
    assert not any(allowed(gone, action) for action in ACTIONS)
    with pytest.raises(PermissionDenied, match=r"ada \(deactivated\) may not work on conversations"):
        require(gone, "work")


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        can("admin", "launch")


def test_refusals_speak_the_users_language() -> None:
    with i18n.use_language("fr"), pytest.raises(PermissionDenied) as refused:
        require(Person("alice", "agent"), "link")
    assert str(refused.value) == (
        "alice (Conseiller) ne peut pas lier ou délier les comptes d'un client\u00a0: réservé à "
        "Community manager ou Administrateur"
    )

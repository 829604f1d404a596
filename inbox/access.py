"""Who may do what: one table of actions and the least role for each, and one check. Pure; imports i18n only.

Roles are ranked agent < manager < admin and a role may do everything the roles before it may do. Services
call ``require(user, action)`` before they change anything (the pages only hide what a role may not use),
so a refused call raises ``PermissionDenied`` whoever makes it. A deactivated user may do nothing. It lives
at the top of the package, below every stage, so the charter, config and ingest services can check too.
"""

from __future__ import annotations

from typing import Protocol

from inbox.i18n import N_, _

ROLES = ("agent", "manager", "admin")
ROLE_LABELS = {"agent": N_("Agent"), "manager": N_("Community manager"), "admin": N_("Admin")}

# action -> (the least role that may do it, what it is: "may not <what>")
ACTIONS: dict[str, tuple[str, str]] = {
    "work": ("agent", N_("work on conversations (answer, assign, tag, resolve, notes)")),
    "moderate": ("manager", N_('set or lift a moderation mark ("Not abuse")')),
    "link": ("manager", N_("link or unlink a customer's accounts")),
    "distribute": ("manager", N_("hand out the unassigned conversations")),
    "others_replies": ("manager", N_("edit or cancel another person's reply waiting to be sent")),
    "figures": ("manager", N_("see another person's figures")),
    "incidents": ("manager", N_("declare, answer and close incidents")),
    "templates": ("manager", N_("edit the charter and the templates")),
    "privacy": ("manager", N_("export or erase a customer's data")),
    "legal_hold": ("admin", N_("put a customer under legal hold or lift it")),
    "audit": ("manager", N_("read the audit log")),
    "channels": ("admin", N_("check or add channels")),
    "users": ("admin", N_("add users")),
}


class Actor(Protocol):
    """Who acts: a signed-in ``inbox.store.tables.User`` (read-only attributes, so any such record fits)."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def active(self) -> bool: ...


class PermissionDenied(PermissionError):
    """``actor`` may not do ``action``; the message says who may."""

    def __init__(self, actor: Actor, action: str) -> None:
        least, what = ACTIONS[action]
        who = _(" or ").join(_(ROLE_LABELS[r]) for r in ROLES[ROLES.index(least) :])
        state = _("deactivated") if not actor.active else _(ROLE_LABELS.get(actor.role, actor.role))
        message = _("{name} ({state}) may not {what}: {who} only")
        super().__init__(message.format(name=actor.name, state=state, what=_(what), who=who))
        self.actor, self.action = actor.name, action


def can(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (KeyError on an action the table does not know)."""
    least = ACTIONS[action][0]
    return role in ROLES and ROLES.index(role) >= ROLES.index(least)


def allowed(actor: Actor, action: str) -> bool:
    """Whether this (active) user may do ``action``."""
    return actor.active and can(actor.role, action)


def require(actor: Actor, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do ``action``."""
    if not allowed(actor, action):
        raise PermissionDenied(actor, action)

"""A user's own settings (the language of their screens). Session-taking, never commits; audited."""

from __future__ import annotations

from sqlmodel import Session

from inbox.access import can
from inbox.i18n import LANGUAGES
from inbox.store import records as store
from inbox.store.tables import User


class PreferenceError(ValueError):
    """A setting refused: unknown value, unknown user, or someone else's settings without being an admin."""


def set_language(session: Session, user_id: int, language: str | None, *, by: str, by_role: str) -> User:
    """Set ``user_id``'s screen language (None: the charter's default): their own, or anyone's for admins.

    Args:
        by: who changes it ("cli" for the operator, who may change anyone's).
        by_role: their role ("admin" for the operator).
    """
    if language is not None and language not in LANGUAGES:
        raise PreferenceError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
    user = session.get(User, user_id)
    if user is None:
        raise PreferenceError(f"no user with id {user_id}")
    if by != user.name and not can(by_role, "users"):  # inbox.access: managing users is an admin's
        raise PreferenceError(f"{by} may not change {user.name}'s language: admins only")
    if user.language != language:
        store.audit(
            session,
            by,
            "user.language",
            target=("user", user_id),
            detail={"from": user.language, "to": language},
        )
        user.language = language
        session.add(user)
    return user

"""A user's own settings: their screens' language, what they are notified of. Session-taking; audited."""

from __future__ import annotations

from sqlmodel import Session

from inbox.access import can
from inbox.i18n import LANGUAGES
from inbox.store import records as store
from inbox.store.tables import NotificationSettings, User


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


NOTIFICATION_SETTINGS = ("assigned", "customer_wrote", "at_risk", "browser", "title_count", "sound")


def set_notifications(
    session: Session, user_id: int, values: dict[str, bool], *, by: str
) -> NotificationSettings:
    """Turn the user's own notifications on or off (what they are told of, and how); audited when changed."""
    unknown = sorted(set(values) - set(NOTIFICATION_SETTINGS))
    if unknown:
        raise PreferenceError(f"unknown notification settings: {', '.join(unknown)}")
    user = session.get(User, user_id)
    if user is None:
        raise PreferenceError(f"no user with id {user_id}")
    if by != user.name:
        raise PreferenceError(f"{by} may not change {user.name}'s notifications")
    row = session.get(NotificationSettings, user_id) or NotificationSettings(user_id=user_id)
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(row, key, bool(value))
        session.add(row)
        store.audit(session, by, "user.notifications", target=("user", user_id), detail=changed)
    return row

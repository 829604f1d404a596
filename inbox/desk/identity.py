"""Sign-in through the team's identity provider (OpenID Connect, Streamlit's ``st.login``). Session-taking.

Rules: the provider vouches for an e-mail address; the local account it opens is the one named like the
address before ``@``, and only for the team's own domain (``INBOX_OIDC_DOMAIN``), so ``alice@acme.fr`` opens
``alice`` and ``alice@elsewhere.example`` opens nothing. The account must exist and may sign in
(``accounts.may_sign_in``): roles, deactivation and end dates are managed here as for local passwords.
Every attempt is audited (``auth.signed_in`` with ``via: oidc``, or ``auth.sign_in_failed``), never with the
address of someone who has no account.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from inbox.desk.accounts import may_sign_in
from inbox.desk.auth import user_by_name
from inbox.desk.sign_in import FAILED, UNKNOWN
from inbox.store import records as store
from inbox.store.tables import User


def account_name(email: str | None, domain: str) -> str | None:
    """The local account name an address of the team's domain stands for (None for any other address)."""
    local, at, host = (email or "").strip().lower().rpartition("@")
    if not at or not local or host != domain.strip().lower().lstrip("@"):
        return None
    return local


def sign_in(session: Session, email: str | None, domain: str, now: datetime) -> User | None:
    """The active local account the provider's ``email`` opens, or None; audited."""
    name = account_name(email, domain)
    user = user_by_name(session, name) if name else None
    if user is None or not may_sign_in(user, now):
        reason = "unknown identity" if user is None else "inactive"
        actor = user.name if user else UNKNOWN
        store.audit(session, actor, FAILED, detail={"reason": reason, "via": "oidc"}, at=now)
        return None
    store.audit(
        session, user.name, "auth.signed_in", target=("user", user.id), detail={"via": "oidc"}, at=now
    )
    return user

"""Which channels an agent works: an account restricted to some channels (an outsourcer, a point of sale).

``User.channels`` empty means every channel. A restricted agent is handed only their channels' conversations,
by live assignment (``desk.live_assignment``), the Team page's distribution (``desk.assignment``) and "Next
conversation" (``desk.claim.next_conversation``). Only an admin (or the operator at the command line) changes
it; audited as ``user.channels``. Session-taking, never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from inbox.access import Actor, require
from inbox.config.channels import load_channels
from inbox.config.loader import ConfigError
from inbox.desk.auth import AuthError, user_by_name
from inbox.i18n import _
from inbox.store import records as store
from inbox.store.tables import Channel, User


def known_channels(session: Session, config_dir: Path) -> list[str]:
    """The channel names of ``channels.toml`` and of the store (one may be read there but not yet here)."""
    try:
        configured = [c.name for c in load_channels(config_dir).channels]
    except ConfigError:
        configured = []
    stored = [str(n) for n in session.exec(select(Channel.name))]
    return sorted({*configured, *stored})


def works_on(channels: Sequence[str], channel: str) -> bool:
    """Whether an agent with this scope works ``channel`` (an empty scope works them all)."""
    return not channels or channel in channels


def set_channels(
    session: Session, by: Actor, name: str, channels: Sequence[str], known: Collection[str], now: datetime
) -> User:
    """Restrict ``name`` to ``channels`` (names among ``known``); an empty list lifts the restriction."""
    require(by, "users")
    user = user_by_name(session, name)
    if user is None:
        raise AuthError(_("no user named {name}").format(name=repr(name.strip().lower())))
    wanted = list(dict.fromkeys(c.strip() for c in channels if c.strip()))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise AuthError(
            _("unknown channel(s): {unknown}; known: {known}").format(
                unknown=", ".join(unknown), known=", ".join(sorted(known))
            )
        )
    before, user.channels = list(user.channels), wanted
    detail = {"name": user.name, "from": before, "to": wanted}
    store.audit(session, by.name, "user.channels", target=("user", user.id), detail=detail, at=now)
    return user

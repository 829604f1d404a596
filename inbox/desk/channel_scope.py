"""Which channels a user works: a role or an account restricted to some channels (outsourcers, a shop).

Two restrictions, each "every channel" when empty: the role's (``RoleScope``: every agent works x-acme and
mastodon-acme) and the account's own (``User.channels``). A user works the channels both allow
(``effective``: their intersection; none when they have none in common). That one set is what the user sees
and is given: the queue lists only its conversations; the conversation page and every action on a
conversation refuse the others (``sees``, ``refusal``); a conversation is assigned only to someone who
works its channel; live assignment (``desk.live_assignment``), the Team page's distribution
(``desk.assignment``), "Next conversation" (``desk.claim``), bulk actions (``desk.bulk``), notifications
(``desk.notifications``: the bell lists only those, whenever they were told) and the dashboard's figures
(``inbox.reports`` given the scope's channels) keep to it. Only an admin (or the operator at the command
line) changes either; audited as ``user.channels`` and ``role.channels``. A change takes back what the users
it narrows may no longer work (``release``): each of their open or pending conversations on another channel
goes back to the queue unassigned (its clock runs on). Session-taking, never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from inbox.access import ROLES, Actor, require
from inbox.config.channels import load_channels
from inbox.config.loader import ConfigError
from inbox.desk.auth import AuthError, user_by_name
from inbox.i18n import _, ngettext
from inbox.store import records as store
from inbox.store.tables import Channel, Conversation, RoleScope, User

Scope = frozenset[str] | None  # the channels one works; None: every channel (frozenset(): none)


def known_channels(session: Session, config_dir: Path) -> list[str]:
    """The channel names of ``channels.toml`` and of the store (one may be read there but not yet here)."""
    try:
        configured = [c.name for c in load_channels(config_dir).channels]
    except ConfigError:
        configured = []
    stored = [str(n) for n in session.exec(select(Channel.name))]
    return sorted({*configured, *stored})


def combine(role: Collection[str], account: Collection[str]) -> Scope:
    """The channels a user works, from their role's and their account's restrictions (each empty: all)."""
    if not role and not account:
        return None
    if not role:
        return frozenset(account)
    if not account:
        return frozenset(role)
    return frozenset(role) & frozenset(account)


def works_on(scope: Scope, channel: str) -> bool:
    """Whether someone with this scope works ``channel``."""
    return scope is None or channel in scope


def role_channels(session: Session) -> dict[str, list[str]]:
    """Each restricted role's channels (a role missing here works every channel)."""
    return {r.role: list(r.channels) for r in session.exec(select(RoleScope)) if r.channels}


def effective(session: Session, user: User, roles: Mapping[str, Sequence[str]] | None = None) -> Scope:
    """The channels ``user`` works: their role's restriction and their own, intersected. ``roles``: the
    ``role_channels`` already read, when scoping many users at once."""
    if roles is None:
        row = session.get(RoleScope, user.role)
        role = list(row.channels) if row is not None else []
    else:
        role = list(roles.get(user.role, ()))
    return combine(role, user.channels)


def sees(session: Session, user: User, conv: Conversation) -> bool:
    """Whether ``user`` works the channel of ``conv`` (may see it, act on it, be handed it)."""
    scope = effective(session, user)
    if scope is None:
        return True
    return _channel_name(session, conv) in scope


def refusal(session: Session, conv: Conversation, assignee: User | None = None) -> str:
    """Why ``conv`` is refused: the acting user does not work its channel, or ``assignee`` does not."""
    channel = _channel_name(session, conv)
    if assignee is not None:
        name = assignee.display_name or assignee.name
        return _("{name} does not work {channel}").format(name=name, channel=channel)
    return _("conversation #{id} is on {channel}, a channel you do not work").format(
        id=conv.id, channel=channel
    )


def released_words(n: int) -> str:
    """What the admin is told after a change: how many conversations ``release`` sent back to the queue."""
    if not n:
        return _("No open conversation went back to the queue.")
    return ngettext(
        "{n} open conversation went back to the queue: its assignee no longer works its channel.",
        "{n} open conversations went back to the queue: their assignees no longer work their channels.",
        n,
    ).format(n=n)


def within(session: Session, scope: Scope, conversation_ids: Iterable[int]) -> set[int]:
    """Those of ``conversation_ids`` on a channel of ``scope``."""
    ids = set(conversation_ids)
    if scope is None or not ids:
        return ids if scope is None else set()
    stmt = (
        select(Conversation.id)
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .where(col(Conversation.id).in_(ids), col(Channel.name).in_(scope))
    )
    return {i for i in session.exec(stmt) if i is not None}


def _channel_name(session: Session, conv: Conversation) -> str:
    channel = session.get(Channel, conv.channel_id)
    return channel.name if channel is not None else ""


def _checked(channels: Sequence[str], known: Collection[str]) -> list[str]:
    wanted = list(dict.fromkeys(c.strip() for c in channels if c.strip()))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise AuthError(
            _("unknown channel(s): {unknown}; known: {known}").format(
                unknown=", ".join(unknown), known=", ".join(sorted(known))
            )
        )
    return wanted


def set_channels(
    session: Session, by: Actor, name: str, channels: Sequence[str], known: Collection[str], now: datetime
) -> tuple[User, int]:
    """Restrict ``name`` to ``channels`` (names among ``known``); an empty list lifts the restriction.
    Returns the user and how many of their conversations went back to the queue (``release``)."""
    require(by, "users")
    user = user_by_name(session, name)
    if user is None:
        raise AuthError(_("no user named {name}").format(name=repr(name.strip().lower())))
    wanted = _checked(channels, known)
    before, user.channels = list(user.channels), wanted
    detail = {"name": user.name, "from": before, "to": wanted}
    store.audit(session, by.name, "user.channels", target=("user", user.id), detail=detail, at=now)
    return user, release(session, by, [user], now)


def set_role_channels(
    session: Session, by: Actor, role: str, channels: Sequence[str], known: Collection[str], now: datetime
) -> tuple[list[str], int]:
    """Restrict every account of ``role`` to ``channels`` (names among ``known``); an empty list lifts it.
    Returns the role's channels as saved and how many conversations went back to the queue (``release``)."""
    require(by, "users")
    if role not in ROLES:
        raise AuthError(
            _("unknown role {role}: one of {roles}").format(role=repr(role), roles=", ".join(ROLES))
        )
    wanted = _checked(channels, known)
    row = session.get(RoleScope, role) or RoleScope(role=role, changed_by=by.name, changed_at=now)
    before = list(row.channels)
    row.channels, row.changed_by, row.changed_at = wanted, by.name, now
    session.add(row)
    detail = {"role": role, "from": before, "to": wanted}
    store.audit(session, by.name, "role.channels", target=("role", role), detail=detail, at=now)
    return wanted, release(session, by, session.exec(select(User).where(User.role == role)).all(), now)


def unworkable(held: Iterable[tuple[int, str, int]], scopes: Mapping[int, Scope]) -> list[int]:
    """Of the conversations held as (conversation, its channel, its assignee), those whose assignee does not
    work that channel under ``scopes`` (by user id; a user missing there works every channel)."""
    return [conv for conv, channel, user in held if not works_on(scopes.get(user), channel)]


def release(session: Session, by: Actor, users: Iterable[User], now: datetime) -> int:
    """Unassign every open or pending conversation of ``users`` on a channel they no longer work (resolved
    ones keep their assignee): back to the queue, its clock running, for someone who works it. Each audited
    as ``conversation.assigned`` to nobody, rule ``channels``. Returns how many."""
    roles = role_channels(session)
    scopes = {u.id: effective(session, u, roles) for u in users if u.id is not None}
    if not scopes:
        return 0
    rows = session.exec(
        select(Conversation, Channel.name)
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .where(col(Conversation.assignee_id).in_(list(scopes)), Conversation.status != "resolved")
        .order_by(col(Conversation.id))
    ).all()
    held = [(c.id, name, c.assignee_id) for c, name in rows if c.id is not None and c.assignee_id is not None]
    gone = set(unworkable(held, scopes))
    for conv, channel in rows:
        if conv.id in gone:
            detail = {"from": conv.assignee_id, "to": None, "rule": "channels", "channel": channel}
            conv.assignee_id = None
            session.add(conv)
            target = ("conversation", conv.id)
            store.audit(session, by.name, "conversation.assigned", target=target, detail=detail, at=now)
    return len(gone)


def stranded(session: Session, role: str) -> list[User]:
    """Active accounts of ``role`` that work no channel at all (their own channels and the role's differ)."""
    roles = role_channels(session)
    users = session.exec(select(User).where(User.role == role, col(User.active).is_(True)))
    return [u for u in users if effective(session, u, roles) == frozenset()]

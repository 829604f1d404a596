"""The Mastodon sandbox's state: accounts, statuses, mention notifications, the brand's conversations. No I/O.

Ids follow Mastodon: statuses get snowflake ids from their creation time (``ms << 16 | sequence``), so
they sort by time as strings of equal length; notifications and conversations get serial ids from
``FIRST_SERIAL + id_base`` (``id_base`` 0 in tests; the demo's worlds pass ``_ids.world_base()`` so that they
number above every earlier world, as Mastodon never reuses an id a client holds as ``since_id``); an
account's id comes from its address (``account_id``), the same in every world. A status
that @mentions the brand notifies it; every direct status the brand is part of updates its conversation
(keyed by thread and participants, as Mastodon's AccountConversation). Callers hold the sandbox's lock.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.mastodon.parse import id_key
from connectors.mastodon.text import MENTION_RE
from connectors.sandbox._cycle import Cycler

FIRST_SERIAL = 110_000_000
IDEMPOTENCY_TTL = timedelta(hours=1)
HASHTAG_RE = re.compile(r"(?<![\w/])#(\w+)")


def account_id(username: str, domain: str) -> str:
    """An account's id from its address (case-insensitive), the same in every world of the sandbox, as a real
    account's id never changes: a restarted sandbox never gives an earlier world's id to another person (the
    inbox would take them for one customer). 18 digits, like Mastodon's."""
    digest = int(hashlib.sha256(f"{username}@{domain}".lower().encode()).hexdigest(), 16)
    return str(109_000_000_000_000_000 + digest % 890_000_000_000_000_000)


@dataclass
class Account:
    id: str
    username: str
    domain: str | None  # None: local to the sandbox instance
    display_name: str = ""
    followers: int = 0
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def acct(self) -> str:
        return f"{self.username}@{self.domain}" if self.domain else self.username


@dataclass
class Status:
    id: str
    account_id: str
    text: str
    created_at: datetime
    visibility: str = "public"
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    mentions: list[str] = field(default_factory=list)  # account ids
    tags: list[str] = field(default_factory=list)
    spoiler_text: str = ""
    language: str | None = "en"
    root_id: str = ""  # the thread's first status (Mastodon's conversation)
    edited_at: datetime | None = None  # the last edit (``PUT /api/v1/statuses/:id``); the id stays
    quote_id: str | None = None  # the status it quotes (Mastodon 4.5 quote posts)
    raw: dict[str, Any] | None = None  # sent verbatim instead of the rendered status (malformed tests)


@dataclass
class Notification:
    id: str
    type: str
    account_id: str
    status_id: str
    created_at: datetime
    filtered: bool = False  # held back by the default notification policy (private mention, stranger)


@dataclass
class Conversation:
    id: str
    key: tuple[str, frozenset[str]]  # (thread root, participants other than the brand)
    last_status_id: str
    unread: bool = True


class MastodonStore:
    """Everything the sandbox knows; the brand is account ``brand``."""

    def __init__(self, brand_handle: str, domain: str, *, id_base: int = 0) -> None:
        self.domain = domain
        self.accounts: dict[str, Account] = {}
        self.statuses: dict[str, Status] = {}
        self.notifications: list[Notification] = []
        self.conversations: dict[tuple[str, frozenset[str]], Conversation] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, datetime]] = {}
        self.sent: list[dict[str, Any]] = []
        self.stuck_cursor = False  # notifications and conversations link "next" to the page asked for
        self.cycler = Cycler()  # or to pages that cycle (A -> B -> A ...)
        self.stray: str | None = None  # a notification id slipped into every page, out of order
        self._serial = itertools.count(FIRST_SERIAL + id_base)
        self._sequence = itertools.count()
        self.brand = self.account(brand_handle, display_name="Acme Care", followers=48_000)

    # --- accounts -------------------------------------------------------------------------------
    def account(self, handle: str, display_name: str | None = None, followers: int | None = None) -> Account:
        """The account for ``user`` or ``user@domain`` (created if new; case-insensitive)."""
        username, _, domain = handle.removeprefix("@").partition("@")
        domain_or_none = None if not domain or domain.lower() == self.domain else domain.lower()
        found = self.find_account(username, domain_or_none)
        if found is None:
            ident = account_id(username, domain_or_none or self.domain)
            found = Account(ident, username, domain_or_none, display_name or username)
            self.accounts[found.id] = found
        if display_name is not None:
            found.display_name = display_name
        if followers is not None:
            found.followers = followers
        return found

    def find_account(self, username: str, domain: str | None) -> Account | None:
        for account in self.accounts.values():
            if account.username.lower() == username.lower() and account.domain == domain:
                return account
        return None

    def find_acct(self, acct: str) -> Account | None:
        username, _, domain = acct.partition("@")
        return self.find_account(username, None if not domain or domain.lower() == self.domain else domain)

    # --- statuses -------------------------------------------------------------------------------
    def snowflake(self, at: datetime) -> str:
        """Mastodon's id for a status created at ``at``: milliseconds << 16 plus a sequence."""
        return str((int(at.timestamp() * 1000) << 16) | (next(self._sequence) & 0xFFFF))

    def add_status(
        self,
        author: Account,
        text: str,
        *,
        visibility: str = "public",
        in_reply_to: str | None = None,
        created_at: datetime | None = None,
        spoiler_text: str = "",
        language: str | None = "en",
        raw: dict[str, Any] | None = None,
        quote_of: str | None = None,
    ) -> Status:
        """Post a status: mentions are the @accounts it names that the sandbox knows (local or remote);
        ``quote_of`` quotes a status (its author is notified, ``quote``, as Mastodon 4.5 does)."""
        at = created_at or datetime.now(UTC)
        parent = self.statuses.get(in_reply_to) if in_reply_to else None
        if in_reply_to and parent is None:
            raise KeyError(in_reply_to)
        if quote_of is not None and quote_of not in self.statuses:
            raise KeyError(quote_of)
        mentioned = [a.id for a in self._mentioned(text) if a.id != author.id]
        status = Status(
            id=self.snowflake(at),
            account_id=author.id,
            text=text,
            created_at=at,
            visibility=visibility,
            in_reply_to_id=parent.id if parent else None,
            in_reply_to_account_id=parent.account_id if parent else None,
            mentions=list(dict.fromkeys(mentioned)),
            tags=[t.lower() for t in HASHTAG_RE.findall(text)],
            spoiler_text=spoiler_text,
            language=language,
            raw=raw,
            quote_id=quote_of,
        )
        status.root_id = parent.root_id if parent else status.id
        self.statuses[status.id] = status
        self._notify(status)
        self._converse(status)
        return status

    def _mentioned(self, text: str) -> list[Account]:
        found = []
        for m in MENTION_RE.finditer(text):
            account = self.find_acct(m.group(1))
            if account is not None:
                found.append(account)
        return found

    def _notify(self, status: Status) -> None:
        quoted = self.statuses.get(status.quote_id or "")
        if quoted is not None and quoted.account_id == self.brand.id and status.account_id != self.brand.id:
            serial = str(next(self._serial))
            self.notifications.append(
                Notification(serial, "quote", status.account_id, status.id, status.created_at)
            )
            return
        if self.brand.id not in status.mentions or status.account_id == self.brand.id:
            return
        parent = self.statuses.get(status.in_reply_to_id or "")
        answers_brand = parent is not None and parent.account_id == self.brand.id
        filtered = status.visibility == "direct" and not answers_brand  # for_private_mentions: filter
        self.notifications.append(
            Notification(
                str(next(self._serial)), "mention", status.account_id, status.id, status.created_at, filtered
            )
        )

    def _converse(self, status: Status) -> None:
        if status.visibility != "direct":
            return
        people = {status.account_id, *status.mentions}
        if self.brand.id not in people:
            return
        key = (status.root_id, frozenset(people - {self.brand.id}))
        conversation = self.conversations.get(key)
        if conversation is None:
            conversation = Conversation(str(next(self._serial)), key, status.id)
            self.conversations[key] = conversation
        if id_key(status.id) >= id_key(conversation.last_status_id):
            conversation.last_status_id = status.id
        conversation.unread = status.account_id != self.brand.id

    def edit_status(self, status_id: str, text: str, at: datetime) -> None:
        """Its author edits a status (``PUT /api/v1/statuses/:id``): same id, new text, ``edited_at`` set.
        Mastodon notifies only the accounts that boosted it: the mention notification stays as it was, and
        a reader sees the new words only by reading the status again."""
        status = self.statuses[status_id]
        status.text, status.edited_at = text, at

    def delete_status(self, status_id: str) -> bool:
        """Its author deletes a status (``DELETE /api/v1/statuses/:id``): it answers 404 from then on, and
        its notifications go, as on Mastodon. False when there was no such status."""
        if self.statuses.pop(status_id, None) is None:
            return False
        self.notifications = [n for n in self.notifications if n.status_id != status_id]
        for key, conversation in list(self.conversations.items()):
            if conversation.last_status_id != status_id:
                continue
            left = [s.id for s in self.statuses.values() if s.root_id == key[0] and s.visibility == "direct"]
            if left:
                conversation.last_status_id = max(left, key=id_key)
            else:
                del self.conversations[key]
        return True

    def thread(self, status_id: str) -> tuple[list[Status], list[Status]]:
        """(ancestors oldest first, descendants in order) of a status."""
        ancestors: list[Status] = []
        parent = self.statuses[status_id].in_reply_to_id
        while parent and parent in self.statuses:
            ancestors.insert(0, self.statuses[parent])
            parent = self.statuses[parent].in_reply_to_id
        descendants, frontier = [], [status_id]
        while frontier:
            children = [s for s in self.statuses.values() if s.in_reply_to_id in frontier]
            descendants += children
            frontier = [c.id for c in children]
        return ancestors, sorted(descendants, key=lambda s: id_key(s.id))

    def remembered(self, account_id: str, key: str, now: datetime) -> Status | None:
        """The status an earlier request with this Idempotency-Key created (kept one hour)."""
        entry = self.idempotency.get((account_id, key))
        if entry is None or now - entry[1] > IDEMPOTENCY_TTL:
            return None
        return self.statuses.get(entry[0])

    def remember(self, account_id: str, key: str, status: Status, now: datetime) -> None:
        self.idempotency[(account_id, key)] = (status.id, now)

    def counts(self) -> dict[str, int]:
        return {
            "accounts": len(self.accounts),
            "statuses": len(self.statuses),
            "notifications": len(self.notifications),
            "conversations": len(self.conversations),
            "sent": len(self.sent),
        }

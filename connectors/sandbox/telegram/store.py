"""The Telegram sandbox's state: users, private chats, pending updates with offset semantics, sent messages.

Ids increase as on Telegram and are never reused: update ids from ``FIRST_UPDATE_ID + id_base``, each private
chat's message ids from ``1 + id_base`` (``id_base`` 0 in tests; the demo's worlds pass ``_ids.world_base()``
so they number above every earlier world). Not thread-safe on its own: the sandbox calls it under its lock.
No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox.telegram.media import media_fields

FIRST_UPDATE_ID = 500_000_001
UPDATE_KINDS = ("message", "edited_message", "channel_post", "callback_query", "my_chat_member")


def unix(at: datetime | None) -> int:
    return int((at or datetime.now(UTC)).timestamp())


class TelegramStore:
    """A bot, the users who write to it, and the updates not yet confirmed by ``getUpdates``."""

    def __init__(self, bot_id: int, bot_username: str, bot_name: str, *, id_base: int = 0) -> None:
        self.bot = {"id": bot_id, "is_bot": True, "first_name": bot_name, "username": bot_username}
        self.users: dict[int, dict[str, Any]] = {}
        self.groups: dict[int, dict[str, Any]] = {}  # groups the bot is in, by (negative) chat id
        self.migrated: dict[int, int] = {}  # a group upgraded to a supergroup -> the supergroup's id
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.updates: list[dict[str, Any]] = []  # delivered until confirmed by a higher offset
        self.sent: list[dict[str, Any]] = []
        self.allowed: list[str] = []  # empty: every kind but chat_member and reactions
        self.next_update_id = FIRST_UPDATE_ID + id_base
        self.first_message_id = 1 + id_base
        self.confirmed = 0  # updates dropped because a call carried a higher offset
        self._next_message: dict[int, int] = {}
        self._next_user = 600_000_001

    # --- customers ---------------------------------------------------------------------------
    def user(
        self,
        first_name: str,
        *,
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Create or update a user (by id, else by username); returns the Telegram ``User`` object."""
        found = self.users.get(user_id) if user_id is not None else None
        if found is None and username:
            found = next((u for u in self.users.values() if u.get("username") == username), None)
        if found is None:
            if user_id is None:
                user_id, self._next_user = self._next_user, self._next_user + 1
            found = {"id": user_id, "is_bot": False}
            self.users[user_id] = found
        found["first_name"] = first_name
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value:
                found[key] = value
        return found

    def chat_of(self, user: Mapping[str, Any]) -> dict[str, Any]:
        """The private chat with a user: its id is the user's id."""
        chat = {"id": user["id"], "type": "private", "first_name": user.get("first_name", "")}
        for key in ("last_name", "username"):
            if user.get(key):
                chat[key] = user[key]
        return chat

    def group(self, chat_id: int, title: str, kind: str = "supergroup") -> dict[str, Any]:
        """A supergroup (or a basic ``group``) the bot is a member of (its id negative, as Telegram's are)."""
        if chat_id >= 0:
            raise ValueError("a group's chat id is negative")
        if chat_id in self.migrated:
            raise ValueError(f"group {chat_id} was upgraded to supergroup {self.migrated[chat_id]}")
        return self.groups.setdefault(chat_id, {"id": chat_id, "type": kind, "title": title})

    def migrate(self, old: int, new: int, by: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Group ``old`` becomes supergroup ``new`` (upgraded by member ``by``), as Telegram tells it: a
        service message ``migrate_to_chat_id`` in the old chat, then ``migrate_from_chat_id`` in the new."""
        title = self.groups[old]["title"]
        self.migrated[old] = new
        supergroup = self.group(new, title)
        said = []
        for chat, key, value in (
            (self.groups[old], "migrate_to_chat_id", new),
            (supergroup, "migrate_from_chat_id", old),
        ):
            message = {
                "message_id": self._message_id(chat["id"]),
                "from": dict(by),
                "chat": dict(chat),
                "date": unix(None),
                key: value,
            }
            said.append(self.push({"message": message}))
        return said

    def chat(self, chat_id: int) -> dict[str, Any]:
        """The chat with that id: a user's private chat with the bot, or a group."""
        return dict(self.groups[chat_id]) if chat_id in self.groups else self.chat_of(self.users[chat_id])

    def _message_id(self, chat_id: int) -> int:
        value = self._next_message.get(chat_id, self.first_message_id)
        self._next_message[chat_id] = value + 1
        return value

    def customer_message(
        self,
        user: Mapping[str, Any],
        text: str,
        *,
        at: datetime | None = None,
        reply_to: int | None = None,
        group: int | None = None,
        attachment: str | None = None,
    ) -> dict[str, Any]:
        """A message from ``user`` to the bot (in its private chat, or in ``group``), queued as an update;
        returns the update."""
        chat = dict(self.groups[group]) if group is not None else self.chat_of(user)
        message: dict[str, Any] = {
            "message_id": self._message_id(chat["id"]),
            "from": dict(user),
            "chat": chat,
            "date": unix(at),
            "text": text,
        }
        if attachment is not None:  # the words become its caption
            message.pop("text")
            message |= media_fields(attachment) | ({"caption": text} if text else {})
        original = self.messages.get((chat["id"], reply_to)) if reply_to is not None else None
        if original is not None:
            message["reply_to_message"] = original
        self.messages[(chat["id"], message["message_id"])] = message
        return self.push({"message": message})

    def edit(self, chat_id: int, message_id: int, text: str, at: datetime | None = None) -> dict[str, Any]:
        """The customer edits an earlier message: an ``edited_message`` update."""
        original = self.messages[(chat_id, message_id)]
        edited = {**original, "text": text, "edit_date": max(unix(at), original["date"] + 1)}
        self.messages[(chat_id, message_id)] = edited
        return self.push({"edited_message": edited})

    def push(self, update: Mapping[str, Any], *, keep_id: bool = False) -> dict[str, Any]:
        """Queue an update (any shape, for malformed-payload tests); ``update_id`` is assigned unless kept."""
        entry = dict(update)
        if not keep_id or "update_id" not in entry:
            entry = {"update_id": self.next_update_id, **{k: v for k, v in entry.items() if k != "update_id"}}
        self.next_update_id += 1
        self.updates.append(entry)
        return entry

    # --- Bot API -----------------------------------------------------------------------------
    def confirm(self, offset: int | None) -> None:
        """``offset`` > id confirms (forgets) an update; a negative offset keeps only the last ``-offset``."""
        if offset is None:
            return
        before = len(self.updates)
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if _uid(u) >= offset]
        self.confirmed += before - len(self.updates)

    def pending(self, limit: int, allowed: Sequence[str] | None) -> list[dict[str, Any]]:
        """Up to ``limit`` unconfirmed updates of the allowed kinds (None: the last setting)."""
        if allowed is not None:
            self.allowed = list(allowed)
        kinds = set(self.allowed or ("message", "edited_message", "channel_post", "callback_query"))
        picked = [u for u in self.updates if not (set(u) & set(UPDATE_KINDS)) or set(u) & kinds]
        return picked[:limit]

    def send(self, chat_id: int, text: str, reply_to: int | None) -> dict[str, Any]:
        """The bot's message in a private chat or a group (bots never receive their own messages as
        updates)."""
        message: dict[str, Any] = {
            "message_id": self._message_id(chat_id),
            "from": dict(self.bot),
            "chat": self.chat(chat_id),
            "date": unix(None),
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(chat_id, reply_to)]
        self.messages[(chat_id, message["message_id"])] = message
        self.sent.append(
            {"chat_id": chat_id, "message_id": message["message_id"], "text": text, "reply_to": reply_to}
        )
        return message

    def counts(self) -> dict[str, int]:
        return {
            "users": len(self.users),
            "pending_updates": len(self.updates),
            "confirmed_updates": self.confirmed,
            "sent": len(self.sent),
        }


def _uid(update: Mapping[str, Any]) -> int:
    value = update.get("update_id")
    return value if isinstance(value, int) else 0

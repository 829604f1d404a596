"""Pure parsing of Telegram Bot API updates into InboundItems, and Telegram's length rule. No I/O.

A private chat with the bot is a private conversation (``thread_key``: the chat id). A group or supergroup
the bot is in is public: everyone in it reads what is said there (with the bot's default privacy mode it
receives the messages that mention it or answer it); each member's messages there are a public
conversation of their own (``"<chat id>/<user id>"``), answered in the group. A message id is unique only
within its chat, so an item's ``external_id`` is ``"<chat id>:<message id>"``; an edit is its own item
(``"<chat id>:<message id>:edit:<edit_date>"``) naming the original in ``edits``, so the inbox updates it.
Each update is parsed on its own: a malformed one becomes ``Malformed`` and never stops the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from connectors._payload import PayloadError, load_json, unix_time
from connectors.base import Author, InboundItem, Malformed
from connectors.boundary import parse_all, seal_malformed

TEXT_LIMIT = 4096
MESSAGE_KEYS = ("message", "edited_message")
GROUP_TYPES = ("group", "supergroup")  # everyone in the chat reads what is said there
# What Telegram tells about the chat itself (a member joined or left, a pinned message, a new title, the
# group moved to a supergroup, a video chat...): bots get these in every group, mentioned or not. No one
# wrote to the brand: not a message to answer.
SERVICE_KEYS = (
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "message_auto_delete_timer_changed",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "pinned_message",
    "chat_background_set",
    "boost_added",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
    "video_chat_scheduled",
    "video_chat_started",
    "video_chat_ended",
    "video_chat_participants_invited",
    "write_access_allowed",
    "proximity_alert_triggered",
    "giveaway_created",
    "giveaway_completed",
    "giveaway_winners",
)
# what a message carries, most telling first (a GIF comes as an animation and a document, a venue as a venue
# and a location)
MEDIA_KEYS = (
    "animation",
    "photo",
    "document",
    "voice",
    "video",
    "video_note",
    "audio",
    "sticker",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "story",
    "paid_media",
    "game",
    "invoice",
)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it for the 4,096 limit: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def _int(obj: Mapping[str, Any], key: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise PayloadError(f"field {key!r} should be an integer, got {value!r}")
    return value


def _obj(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = obj.get(key)
    if not isinstance(value, Mapping):
        raise PayloadError(f"field {key!r} should be an object, got {value!r}")
    return value


def _opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise PayloadError(f"field {key!r} should be a string, got {value!r}")
    return value


def _words(*values: Any) -> str:
    kept = [v for v in values if isinstance(v, str | int | float) and not isinstance(v, bool)]
    return " ".join(str(v).strip() for v in kept if str(v).strip())


def _place(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    lat, long = value.get("latitude"), value.get("longitude")
    return f"{lat},{long}" if isinstance(lat, int | float) and isinstance(long, int | float) else None


def media_note(kind: str, value: Any) -> str:
    """What a message carries in words: ``[photo]``, ``[sticker] 😡``, ``[location] 48.85,2.29``, ``[venue]
    <title> <address> <lat>,<long>``, ``[contact] <name> <phone>``, ``[document] <file name>``, ``[poll]
    <question>``, ``[dice] 🎲 4``."""
    got: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
    if kind == "sticker":
        return _words("[sticker]", got.get("emoji"))
    if kind == "location":
        return _words("[location]", _place(got))
    if kind == "venue":
        return _words("[venue]", got.get("title"), got.get("address"), _place(got.get("location")))
    if kind == "contact":
        names = (got.get("first_name"), got.get("last_name"))
        return _words("[contact]", *names, got.get("phone_number"))
    if kind in ("document", "animation", "audio"):
        return _words(f"[{kind}]", got.get("file_name") or got.get("title"))
    if kind == "poll":
        return _words("[poll]", got.get("question"))
    if kind == "dice":
        return _words("[dice]", got.get("emoji"), got.get("value"))
    return f"[{kind}]"


def message_text(message: Mapping[str, Any]) -> str:
    """The text, else the caption (each with the links under its words shown), followed by a note of what
    the message carries (``[photo]``, ``[location] 48.85,2.29``…, ``media_note``)."""
    kind = next((k for k in MEDIA_KEYS if k in message), None)
    note = media_note(kind, message.get(kind)) if kind else None
    for key, entities in (("text", "entities"), ("caption", "caption_entities")):
        text = _opt_str(message, key)
        if text:
            words = with_hidden_links(text, message.get(entities))
            return f"{words}\n{note}" if note else words
    return note or "[unsupported message]"


def with_hidden_links(text: str, entities: Any) -> str:
    """``text`` with the link of each ``text_link`` entity (words over a link, which the customer's app
    shows as a link and the text alone hides) written after its words: "pay here (https://…)". Offsets
    are UTF-16 code units; an odd or overlapping entity is ignored, and so are all of them in a text that
    cannot be encoded (a lone surrogate, which ``connectors.boundary`` repairs)."""
    if not isinstance(entities, list) or not entities:
        return text
    try:
        units = text.encode("utf-16-le")
    except UnicodeEncodeError:  # a lone surrogate: left as it is, for the boundary to repair
        return text
    spans = []
    for entity in entities:
        if not isinstance(entity, Mapping) or entity.get("type") != "text_link":
            continue
        offset, length, url = entity.get("offset"), entity.get("length"), entity.get("url")
        if type(offset) is int and type(length) is int and isinstance(url, str) and url and length > 0:
            end = offset + length
            if 0 <= offset and end * 2 <= len(units) and not any(c.isspace() for c in url):
                spans.append((end, offset, url))
    out, pos = "", 0
    for end, offset, url in sorted(spans):
        if offset < pos:
            continue
        try:
            before = units[pos * 2 : offset * 2].decode("utf-16-le")
            words = units[offset * 2 : end * 2].decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        out += before + (
            words if url.removeprefix("https://").removeprefix("http://") in words else f"{words} ({url})"
        )
        pos = end
    return out + units[pos * 2 :].decode("utf-16-le", errors="replace")


def author_of(message: Mapping[str, Any], chat: Mapping[str, Any]) -> Author:
    """The sender (``from``), or the chat itself for messages sent on behalf of a chat."""
    sender = message.get("from") or message.get("sender_chat") or chat
    if not isinstance(sender, Mapping):
        raise PayloadError(f"field 'from' should be an object, got {sender!r}")
    names = [_opt_str(sender, "first_name"), _opt_str(sender, "last_name"), _opt_str(sender, "title")]
    display = " ".join(n for n in names if n) or None
    return Author(
        platform_id=str(_int(sender, "id")), handle=_opt_str(sender, "username"), display_name=display
    )


def message_item(update: Mapping[str, Any], *, channel: str, bot_id: str) -> InboundItem | None:
    """The message or edited message of one update; None for update kinds the inbox does not read and for
    service messages (``SERVICE_KEYS``)."""
    key = next((k for k in MESSAGE_KEYS if k in update), None)
    if key is None:
        return None
    message = _obj(update, key)
    if any(k in message for k in SERVICE_KEYS):
        return None
    chat = _obj(message, "chat")
    chat_id, message_id = str(_int(chat, "id")), _int(message, "message_id")
    base_id = f"{chat_id}:{message_id}"
    sent, field = _int(message, "date"), "date"
    external_id, reply_to = base_id, None
    if key == "edited_message":
        sent, field = _int(message, "edit_date"), "edit_date"
        external_id, reply_to = f"{base_id}:edit:{sent}", base_id
    replied = message.get("reply_to_message")
    if reply_to is None and isinstance(replied, Mapping) and isinstance(replied.get("message_id"), int):
        reply_to = f"{chat_id}:{replied['message_id']}"
    author = author_of(message, chat)
    group = chat.get("type") in GROUP_TYPES
    return InboundItem(
        channel=channel,
        external_id=external_id,
        thread_key=f"{chat_id}/{author.platform_id}" if group else chat_id,
        kind="mention" if group else "dm",
        visibility="public" if group else "private",
        direction="out" if author.platform_id == bot_id else "in",
        author=author,
        text=message_text(message),
        created_at=unix_time(sent, field),
        reply_to=reply_to,
        raw={"update": dict(update)},
        edits=(base_id,) if key == "edited_message" else (),
    )


MAX_UPDATE_ID = 2**31 - 1  # the Bot API's update ids are positive 32-bit integers


def update_id_of(update: Any) -> int | None:
    """The update's id when it is one the Bot API gives (1 to ``MAX_UPDATE_ID``), to move the offset past
    it; else None. An offset past 10**12 would confirm (and Telegram forget) every later update."""
    if isinstance(update, Mapping):
        value = update.get("update_id")
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_UPDATE_ID:
            return value
    return None


MAX_CHAT_ID = 2**53  # Telegram's chat ids have at most 52 significant bits


def _chat_id(value: Any) -> str | None:
    """A group's chat id as Telegram gives them (negative, 52 bits at most), else None."""
    ok = isinstance(value, int) and not isinstance(value, bool) and -MAX_CHAT_ID < value < 0
    return str(value) if ok else None


def chat_move(update: Any) -> tuple[str, str] | None:
    """``(old chat id, new chat id)`` when the update is the service message of a group upgraded to a
    supergroup (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id`` in the new); else None.
    Group chat ids are negative: any other value is not a move."""
    message = update.get("message") if isinstance(update, Mapping) else None
    chat = message.get("chat") if isinstance(message, Mapping) else None
    here = _chat_id(chat.get("id")) if isinstance(chat, Mapping) else None
    if here is None or not isinstance(message, Mapping):
        return None
    to, origin = _chat_id(message.get("migrate_to_chat_id")), _chat_id(message.get("migrate_from_chat_id"))
    move = (here, to) if to else (origin, here) if origin else None
    return move if move and move[0] != move[1] else None


def chat_moves(updates: Sequence[Any]) -> list[tuple[str, str]]:
    """The group upgrades a page tells, each once, in order."""
    return list(dict.fromkeys(m for m in (chat_move(u) for u in updates) if m is not None))


def _parse(update: Any, *, channel: str, bot_id: str) -> InboundItem | None:
    if not isinstance(update, Mapping):
        raise PayloadError("update is not an object")
    if update_id_of(update) is None:
        given = update.get("update_id")
        raise PayloadError(
            f"field 'update_id' should be an integer from 1 to {MAX_UPDATE_ID}, got {given!r:.80}"
        )
    return message_item(update, channel=channel, bot_id=bot_id)


def _ident(update: Any) -> str | None:
    ident = update.get("update_id") if isinstance(update, Mapping) else None
    return f"update:{ident}" if isinstance(ident, str | int) and not isinstance(ident, bool) else None


def parse_updates(
    updates: Sequence[Any], *, channel: str, bot_id: str
) -> tuple[list[InboundItem], list[Malformed]]:
    """A getUpdates result (or one webhook update in a list) as items oldest first, plus the malformed
    (``connectors.boundary``: a bad date, a wrong type... quarantines that update alone)."""
    items, bad = parse_all(updates, partial(_parse, channel=channel, bot_id=bot_id), _ident)
    items.sort(key=lambda i: i.created_at)
    return items, bad


def parse_webhook_body(
    body: bytes, *, channel: str, bot_id: str
) -> tuple[list[InboundItem], list[Malformed]]:
    """One webhook delivery (a single Update as JSON) parsed as polling parses it."""
    try:
        update = load_json(body)
    except PayloadError as exc:
        text = body.decode("utf-8", errors="replace")[:10_000]
        return [], [seal_malformed(Malformed(external_id=None, error=str(exc), raw={"body": text}))]
    return parse_updates([update], channel=channel, bot_id=bot_id)

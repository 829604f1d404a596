"""Meta connectors: Facebook Page (comments, Messenger), Instagram (comments, DMs) and WhatsApp Cloud API.

One module serves the registry's three platforms; ``build(spec)`` picks the class from ``spec.platform``.
Comments are polled (stream ``comments``) and also arrive by webhook; messages arrive by webhook only
(``inbox webhooks``). Everything is sent through the Graph API with plain ``requests``.

Idempotency: Graph has no idempotency key. A public reply can be found again after a crash
(``find_delivery`` reads the comment's replies for our text); a private message cannot, so the outbox marks a
send it could not confirm as uncertain for a person to check.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from connectors.base import (
    Author,
    Batch,
    ConnectorError,
    ConnectorSpec,
    Identity,
    InboundItem,
    Rejected,
    Sent,
    sent_id,
)
from connectors.capabilities import (
    ConfirmsSends,
    FindsDeliveries,
    HidesComments,
    RepliesPrivatelyToComments,
    ReportsDeletions,
)
from connectors.meta.base import MetaConnector
from connectors.meta.comments import CommentSource
from connectors.meta.find import find_reply
from connectors.meta.graph import DEFAULT_VERSION, OutsideWindow
from connectors.meta.removals import echoed_keys, read_ids, removed_ids, unsent_ids
from connectors.meta.whatsapp import WhatsAppConnector

FB_COMMENT_FIELDS = "id,from{id,name},message,created_time,parent{id},attachment{type,url,media}"
IG_COMMENT_FIELDS = "id,text,timestamp,from{id,username},username,parent_id"
PROFILE_FIELDS = {"facebook": "first_name,last_name,name", "instagram": "name,username,follower_count"}


class PageMessaging(MetaConnector, HidesComments, RepliesPrivatelyToComments, FindsDeliveries):
    """Facebook and Instagram: comments polled and answered in their thread, messages through the Send API."""

    streams = ("comments",)
    reply_edge = "comments"  # POST /{comment-id}/<edge>
    hide_field = "is_hidden"

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.profiles: dict[str, Author] = {}  # sender id -> profile, looked up once per process

    @property
    def messages_path(self) -> str:
        return f"{self.options.get('page_id') or self.brand_id}/messages"

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        """Answer a comment in its thread. Graph has no idempotency key: see ``find_delivery``."""
        body = self.graph.post(f"{to_external_id}/{self.reply_edge}", {"message": text})
        return Sent(external_id=sent_id(body.get("id"), self.graph.where))

    def parse_webhook(self, body: bytes) -> Batch:
        """As the base parser, plus the sender's name from the User Profile API: message webhooks carry only
        the sender's id (PSID / IGSID). Best effort: a failed lookup leaves the id and the message is kept."""
        batch = super().parse_webhook(body)
        items = [self._with_profile(i) for i in batch.items]
        return dataclasses.replace(batch, items=items)

    def _with_profile(self, item: InboundItem) -> InboundItem:
        if item.direction != "in" or item.visibility != "private" or item.author.handle is not None:
            return item
        author = self.profiles.get(item.author.platform_id)
        if author is None:
            fields = PROFILE_FIELDS[self.platform]
            try:
                found = self.graph.get(item.author.platform_id, {"fields": fields})
            except ConnectorError:
                return item
            name = found.get("name") or " ".join(
                str(found.get(k)) for k in ("first_name", "last_name") if found.get(k)
            )
            followers = found.get("follower_count")
            author = self.profiles[item.author.platform_id] = Author(
                platform_id=item.author.platform_id,
                handle=found.get("username") or None,
                display_name=name or item.author.display_name,
                followers=followers if isinstance(followers, int) else None,
            )
        return dataclasses.replace(item, author=author)

    def hide_comment(self, external_id: str, hidden: bool = True) -> None:
        """Hide (or show again) a comment: others no longer see it, its author still does."""
        body = self.graph.post(external_id, {self.hide_field: hidden})
        if body.get("success") is not True:
            raise Rejected(f"{self.graph.where}: hiding comment {external_id} was not confirmed: {body}")

    echoes_metadata = False  # Messenger gives a message's ``metadata`` back in its echo (ConfirmsSends)

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent:
        """A message in the 24-hour window (``RESPONSE``); past it, with the ``human_agent`` option, the
        ``HUMAN_AGENT`` tag (7 days). Outside both, Rejected says why. On Messenger the outbox key rides
        along as ``metadata``."""
        message = {"text": text, **({"metadata": idempotency_key[:1000]} if self.echoes_metadata else {})}
        payload: dict[str, Any] = {
            "recipient": {"id": recipient_id},
            "messaging_type": "RESPONSE",
            "message": message,
        }
        try:
            body = self.graph.post(self.messages_path, payload)
        except OutsideWindow:
            if not self.options.get("human_agent"):
                raise
            body = self.graph.post(
                self.messages_path, {**payload, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
            )
        return Sent(
            external_id=sent_id(body.get("message_id"), self.graph.where),
            thread_key=str(body.get("recipient_id") or recipient_id),
        )

    def send_private_reply(self, comment_id: str, text: str) -> Sent:
        """A private message answering a comment (``recipient: {comment_id}``): once per comment, within
        7 days of it. Graph refuses a second one (code 10900) and a late one (10903)."""
        payload = {"recipient": {"comment_id": comment_id}, "message": {"text": text}}
        body = self.graph.post(self.messages_path, payload)
        thread = str(body.get("recipient_id") or "")
        return Sent(external_id=sent_id(body.get("message_id"), self.graph.where), thread_key=thread)

    def finds(self, visibility: str) -> bool:
        """Only public replies: they are read back among the comment's replies."""
        return visibility == "public"

    def find_delivery(
        self,
        visibility: str,
        in_reply_to: str | None,
        recipient_id: str | None,
        text: str,
        since: datetime | None,
        until: datetime | None = None,
    ) -> Sent | None:
        """Our reply to ``in_reply_to`` with this text, posted since ``since``, if an earlier attempt posted
        it; None for messages (Graph offers no lookup of a sent message by content here)."""
        if visibility != "public" or not in_reply_to:
            return None
        edge = f"{in_reply_to}/{self.reply_edge}"
        return find_reply(self.graph, edge, self._reply_fields, self.brand_id, text, since)

    _reply_fields = FB_COMMENT_FIELDS


class FacebookConnector(PageMessaging, ReportsDeletions, ConfirmsSends):
    platform, label = "facebook", "Facebook"
    echoes_metadata = True

    def confirmed_sends(self, body: bytes) -> list[tuple[str, str]]:
        """``(outbox key, mid)`` for each echo of a message the Page sent with the key as ``metadata``."""
        return read_ids(body, echoed_keys)

    def deletions(self, body: bytes) -> list[str]:
        """Comments and posts their authors removed (feed changes with ``verb: "remove"``), and messages their
        senders unsent (``message.is_deleted``)."""
        return read_ids(body, removed_ids) + read_ids(body, unsent_ids)

    def whoami(self) -> Identity:
        body = self.graph.get(self.brand_id, {"fields": "id,name,username"})
        return Identity(str(body.get("id")), str(body.get("username") or body.get("name")), body.get("name"))

    def _comment_source(self) -> CommentSource:
        return CommentSource(
            platform="facebook",
            channel=self.name,
            brand_id=self.brand_id,
            containers_path=f"{self.brand_id}/feed",
            container_fields="id,created_time",
            comment_fields=FB_COMMENT_FIELDS,
            watch=int(self.options.get("watch_posts", 10)),
            page_size=self.page_size,
            server_since=True,
        )


class InstagramConnector(PageMessaging, ReportsDeletions):
    platform, label = "instagram", "Instagram"

    def deletions(self, body: bytes) -> list[str]:
        """Messages their senders unsent (``message.is_deleted``)."""
        return read_ids(body, unsent_ids)

    reply_edge = "replies"
    hide_field = "hide"
    _reply_fields = IG_COMMENT_FIELDS

    def whoami(self) -> Identity:
        body = self.graph.get(self.brand_id, {"fields": "id,username,name"})
        return Identity(str(body.get("id")), str(body.get("username")), body.get("name"))

    def _comment_source(self) -> CommentSource:
        return CommentSource(
            platform="instagram",
            channel=self.name,
            brand_id=self.brand_id,
            containers_path=f"{self.brand_id}/media",
            container_fields="id,timestamp",
            comment_fields=f"{IG_COMMENT_FIELDS},replies{{{IG_COMMENT_FIELDS}}}",
            watch=int(self.options.get("watch_media", 10)),
            page_size=min(self.page_size, 50),
            server_since=False,
        )


CLASSES: dict[str, type[MetaConnector]] = {
    "facebook": FacebookConnector,
    "instagram": InstagramConnector,
    "whatsapp": WhatsAppConnector,
}
BRAND_OPTION = {"facebook": "page_id", "instagram": "ig_user_id", "whatsapp": "phone_number_id"}


def _check_options(spec: ConnectorSpec) -> None:
    """A typo in an option is an error at start, not at the first poll."""
    for key in ("watch_posts", "watch_media"):
        value = spec.options.get(key, 10)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
            raise ValueError(f"channel {spec.name!r}: option {key} must be an integer from 1 to 100")
    if not isinstance(spec.options.get("human_agent", False), bool):
        raise ValueError(f"channel {spec.name!r}: option human_agent must be true or false")


def build(spec: ConnectorSpec) -> MetaConnector:
    """The connector for one Facebook, Instagram or WhatsApp channel; ValueError names a missing option."""
    option = BRAND_OPTION.get(spec.platform)
    if option is None:
        raise ValueError(f"connectors.meta.connector does not serve platform {spec.platform!r}")
    brand_id = spec.options.get(option)
    if not brand_id:
        raise ValueError(f"channel {spec.name!r}: options.{option} is required for {spec.platform}")
    _check_options(spec)
    creds = spec.credentials
    version = str(spec.options.get("graph_version", DEFAULT_VERSION))
    return CLASSES[spec.platform](
        spec.name,
        token=creds["access_token" if spec.platform == "whatsapp" else "page_token"],
        app_secret=creds["app_secret"],
        brand_id=str(brand_id),
        verify_token=creds.get("verify_token") or None,
        base_url=spec.base_url,
        version=version if version.startswith("v") else f"v{version}",
        page_size=spec.page_size,
        options=spec.options,
    )


__all__ = ["FacebookConnector", "InstagramConnector", "WhatsAppConnector", "build"]

"""The WhatsApp Cloud API connector: messages arrive by webhook; text and approved templates are sent with
``POST /{phone-number-id}/messages``.

Free-form text reaches a customer only inside the 24-hour customer-service window (Graph error 131047
otherwise, raised as Rejected); outside it, ``send_template`` with an approved template is the only way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connectors.base import Batch, Identity, Rejected, Sent, sent_id
from connectors.capabilities import ConfirmsSends, ReportsDeletions, ReportsMovedCustomers, SendsTemplates
from connectors.meta.base import MetaConnector
from connectors.meta.events import statuses
from connectors.meta.removals import moved_ids, read_ids, revoked_ids


@dataclass(frozen=True, slots=True)
class Template:
    """An approved message template of the WhatsApp Business Account."""

    name: str
    language: str
    category: str
    body: str  # the BODY component's text with its {{1}} placeholders
    parameters: int  # how many placeholders the body has


def template_from(obj: dict[str, Any]) -> Template:
    body = next((c.get("text", "") for c in obj.get("components") or [] if c.get("type") == "BODY"), "")
    return Template(
        name=str(obj.get("name")),
        language=str(obj.get("language")),
        category=str(obj.get("category", "")),
        body=str(body),
        parameters=str(body).count("{{"),
    )


class WhatsAppConnector(
    MetaConnector, SendsTemplates, ReportsDeletions, ReportsMovedCustomers, ConfirmsSends
):
    platform, label = "whatsapp", "WhatsApp"
    streams: tuple[str, ...] = ()  # WhatsApp has no read API for messages: webhooks only

    @property
    def messages_path(self) -> str:
        return f"{self.brand_id}/messages"

    def whoami(self) -> Identity:
        body = self.graph.get(self.brand_id, {"fields": "id,display_phone_number,verified_name"})
        return Identity(str(body.get("id")), str(body.get("display_phone_number")), body.get("verified_name"))

    def fetch(self, stream: str, cursor: str | None) -> Batch:
        raise ValueError("WhatsApp has no polled streams: messages arrive through `inbox webhooks`")

    def deletions(self, body: bytes) -> list[str]:
        """Messages their senders deleted (``revoke`` messages, for numbers shared with the Business app)."""
        return read_ids(body, revoked_ids)

    def moved_customers(self, body: bytes) -> list[tuple[str, str]]:
        """Customers who changed number (or business-scoped user id): WhatsApp's ``system`` messages."""
        return read_ids(body, moved_ids)

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent:
        """Free-form text; Rejected (131047) outside the customer-service window."""
        message = {"type": "text", "text": {"body": text, "preview_url": False}}
        return self._send(recipient_id, message, idempotency_key)

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        raise Rejected(f"WhatsApp channel {self.name!r}: WhatsApp has no public replies, only messages")

    def send_template(
        self,
        recipient: str,
        template_name: str,
        language: str,
        parameters: Sequence[str] = (),
        *,
        idempotency_key: str | None = None,
    ) -> Sent:
        """An approved template, the only message allowed outside the 24-hour window."""
        template: dict[str, Any] = {"name": template_name, "language": {"code": language}}
        if parameters:
            values = [{"type": "text", "text": p} for p in parameters]
            template["components"] = [{"type": "body", "parameters": values}]
        return self._send(recipient, {"type": "template", "template": template}, idempotency_key)

    def templates(self) -> list[Template]:
        """The account's approved templates (``GET /{waba-id}/message_templates``), every page."""
        waba = self.options.get("waba_id")
        if not waba:
            raise Rejected(f"WhatsApp channel {self.name!r}: set options.waba_id to list message templates")
        found: list[Template] = []
        params: dict[str, Any] = {"fields": "name,status,language,category,components", "limit": 100}
        while True:
            body = self.graph.get(f"{waba}/message_templates", params)
            found += [template_from(t) for t in body.get("data") or [] if t.get("status") == "APPROVED"]
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                return found
            params = {**params, "after": after}

    def confirmed_sends(self, body: bytes) -> list[tuple[str, str]]:
        """``(outbox key, wamid)`` for each message a status webhook reports sent, delivered or read: its
        ``biz_opaque_callback_data`` is the key the send carried."""
        payload = read_ids(body, lambda p: [p])
        found = [s for p in payload for s in statuses(p) if s.callback and s.status != "failed"]
        return list(dict.fromkeys((s.callback, s.message_id) for s in found if s.callback))

    def _send(self, recipient: str, message: dict[str, Any], key: str | None) -> Sent:
        """One message; ``key`` (the outbox's) rides along and comes back in its status webhooks."""
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient,
            **message,
            **({"biz_opaque_callback_data": key[:512]} if key else {}),
        }
        body = self.graph.post(self.messages_path, payload)
        first = [_first(body.get(key)) for key in ("messages", "contacts")]
        return Sent(sent_id(first[0].get("id"), self.graph.where), str(first[1].get("wa_id") or recipient))


def _first(value: Any) -> Mapping[str, Any]:
    """The first object of a list in a send's answer (``messages``, ``contacts``), or an empty one."""
    return value[0] if isinstance(value, list) and value and isinstance(value[0], Mapping) else {}

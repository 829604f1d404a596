"""``POST /{phone-number-id}/messages`` of the Meta sandbox: WhatsApp text, templates and read receipts.

Free-form text to a customer whose last message is older than 24 hours is refused with Graph error 131047
at once; with ``async_window_errors`` it is accepted (a wamid comes back) and then fails through a ``failed``
status webhook carrying 131047, the two-step behaviour Meta documents. The inbox handles both.
Templates must exist, be APPROVED and get as many parameters as their body has placeholders (132001, 132000).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connectors.sandbox._server import Reply
from connectors.sandbox.meta.events import echo_event, status_event
from connectors.sandbox.meta.graph import GraphError

if TYPE_CHECKING:
    from connectors.sandbox.meta.api import MetaApi

STATUS_DELAY = 0.3  # seconds between the send's answer and its status webhook, as on the real platform

TEXT_LIMIT = 4096
REENGAGEMENT_DETAILS = (
    "Message failed to send because more than 24 hours have passed since the customer last replied to this "
    "number."
)


def _template_text(api: MetaApi, spec: Any) -> str:
    if not isinstance(spec, dict) or not spec.get("name"):
        raise GraphError("(#100) Param template['name'] is required", 100)
    language = (spec.get("language") or {}).get("code") if isinstance(spec.get("language"), dict) else None
    found = api.store.template(str(spec["name"]), str(language))
    if found is None:
        raise GraphError(
            "(#132001) Template name does not exist in the translation",
            132001,
            details=f"template name ({spec['name']}) does not exist in {language}",
        )
    body = next((c["text"] for c in found["components"] if c["type"] == "BODY"), "")
    values = [
        str(p.get("text", ""))
        for comp in spec.get("components") or []
        if isinstance(comp, dict) and comp.get("type") == "body"
        for p in comp.get("parameters") or []
        if isinstance(p, dict)
    ]
    if len(values) != body.count("{{"):
        raise GraphError(
            "(#132000) Number of parameters does not match the expected number of params",
            132000,
            details=f"body: number of localizable_params ({len(values)}) does not match the expected "
            f"number of params ({body.count('{{')})",
        )
    for i, value in enumerate(values, 1):
        body = body.replace(f"{{{{{i}}}}}", value)
    return str(body)


def _text_body(params: dict[str, Any]) -> str:
    text = params.get("text")
    body = text.get("body") if isinstance(text, dict) else None
    if not isinstance(body, str) or not body:
        raise GraphError("(#100) Param text['body'] is required", 100)
    if len(body) > TEXT_LIMIT:
        raise GraphError(f"(#100) Param text['body'] must be at most {TEXT_LIMIT} characters long", 100)
    return body


def send_whatsapp(api: MetaApi, params: dict[str, Any]) -> Reply:
    """Send text or a template, or mark a message read."""
    if params.get("messaging_product") != "whatsapp":
        raise GraphError("(#100) The parameter messaging_product is required and must be 'whatsapp'", 100)
    if params.get("status") == "read":
        return Reply(body={"success": True})
    to, kind = str(params.get("to") or ""), params.get("type", "text")
    if not to:
        raise GraphError("(#100) The parameter to is required", 100)
    late = False
    with api.lock:
        customer = api.store.customers.get(to)
        if kind == "template":
            text = _template_text(api, params.get("template"))
            customer = customer or api.store.customer("whatsapp", to, to)
        elif kind == "text":
            text = _text_body(params)
            late = customer is None or not api.store.window_open(customer, api.clock())
            if late and not api.async_window_errors:
                raise GraphError("(#131047) Re-engagement message", 131047, details=REENGAGEMENT_DETAILS)
            customer = customer or api.store.customer("whatsapp", to, to)
        else:
            raise GraphError(f"(#100) Unsupported message type {kind!r} in the sandbox", 100)
        sent = api.store.add_message("whatsapp", customer, text, api.clock(), inbound=False)
        callback = params.get("biz_opaque_callback_data")  # given back in its statuses, as Meta does
        if isinstance(callback, str) and callback:
            sent["callback"] = callback
        record = {"kind": kind, "platform": "whatsapp", "id": sent["id"], "to": to, "text": text}
        api.store.sent.append(
            {**record, "template": params.get("template"), "failed": 131047 if late else None}
        )
    if late:  # accepted, then failed: the asynchronous shape Meta documents
        error = {
            "code": 131047,
            "title": "Re-engagement message",
            "error_data": {"details": REENGAGEMENT_DETAILS},
        }
        api.push(
            "whatsapp",
            status_event(api.store, sent["id"], to, "failed", api.clock(), [error], sent.get("callback")),
            STATUS_DELAY,
        )
    else:
        api.push("whatsapp", echo_event(api.store, customer, sent), STATUS_DELAY)
    body = {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": sent["id"]}],
    }
    return Reply(body=body)

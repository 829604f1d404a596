"""The Meta connectors (Facebook, Instagram, WhatsApp) built through the registry on the Graph sandbox."""

from __future__ import annotations

from typing import Any

from connectors import registry
from connectors.base import ConnectorSpec
from connectors.meta.connector import FacebookConnector, InstagramConnector
from connectors.meta.whatsapp import WhatsAppConnector
from connectors.sandbox.meta.server import APP_SECRET, PAGE_TOKEN, WHATSAPP_TOKEN, MetaSandbox


def spec(sandbox: MetaSandbox, platform: str, **overrides: Any) -> ConnectorSpec:
    """The channel {platform}-acme on ``sandbox``; ``options=`` and ``credentials=`` add to the defaults."""
    s = sandbox.store
    creds = {"app_secret": APP_SECRET, "verify_token": "verify-me"}
    if platform == "whatsapp":
        creds["access_token"] = WHATSAPP_TOKEN
        options: dict[str, Any] = {"phone_number_id": s.phone_number_id, "waba_id": s.waba_id}
    else:
        creds["page_token"] = PAGE_TOKEN
        options = {"page_id": s.page_id}
        if platform == "instagram":
            options["ig_user_id"] = s.ig_user_id
    options.update(overrides.pop("options", {}))
    creds.update(overrides.pop("credentials", {}))
    base = {"name": f"{platform}-acme", "platform": platform, "account": "AcmeCare", "base_url": sandbox.url}
    return ConnectorSpec(**{**base, "credentials": creds, "options": options, **overrides})


def facebook(sandbox: MetaSandbox, **kw: Any) -> FacebookConnector:
    conn = registry.build(spec(sandbox, "facebook", **kw))
    assert isinstance(conn, FacebookConnector)
    return conn


def instagram(sandbox: MetaSandbox, **kw: Any) -> InstagramConnector:
    conn = registry.build(spec(sandbox, "instagram", **kw))
    assert isinstance(conn, InstagramConnector)
    return conn


def whatsapp(sandbox: MetaSandbox, **kw: Any) -> WhatsAppConnector:
    conn = registry.build(spec(sandbox, "whatsapp", **kw))
    assert isinstance(conn, WhatsAppConnector)
    return conn

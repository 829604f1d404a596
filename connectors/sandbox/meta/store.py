"""In-memory state of the Meta sandbox: posts and media, comments, conversations, templates, what was sent.

Pure data and rules (the 24-hour and 7-day messaging windows); no HTTP. Ids are numeric strings as Graph
hands them out; Messenger ids are ``m_…`` and WhatsApp ids ``wamid.…``. They are serial from
``FIRST_ID + id_base`` (``id_base`` 0 in tests; the demo's worlds pass ``_ids.world_base()``), so that a new
world never reissues the post, comment or message ids of an earlier one. Callers hold the sandbox lock.
"""

from __future__ import annotations

import base64
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

FIRST_ID = 1_790_000_000_000_001
WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
DEFAULT_TEMPLATES: tuple[dict[str, Any], ...] = (
    {
        "name": "order_update",
        "language": "en_US",
        "status": "APPROVED",
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hello {{1}}, we have news about your request {{2}}."}],
    },
    {
        "name": "reprise_contact",
        "language": "fr",
        "status": "APPROVED",
        "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Bonjour {{1}}, nous revenons vers vous au sujet de votre demande."}
        ],
    },
    {
        "name": "spring_sale",
        "language": "en_US",
        "status": "REJECTED",
        "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Big sale!"}],
    },
)


def ig_username(name: str) -> str:
    """An Instagram username for a display name, as Instagram allows them (letters, digits, "." and "_"):
    "Lina Z." is "lina_z"."""
    return re.sub(r"[^a-z0-9._]", "", name.lower().replace(" ", "_")).strip("._") or "user"


def graph_time(when: datetime) -> str:
    """Graph's REST time format: ``2026-01-02T03:04:05+0000``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Container:
    """A Facebook post or an Instagram media object."""

    id: str
    platform: str  # facebook | instagram
    text: str
    created_at: datetime


@dataclass
class Comment:
    id: str
    platform: str
    container_id: str
    parent_id: str | None  # the top-level comment this one answers
    author_id: str
    author_name: str
    text: str
    created_at: datetime
    hidden: bool = False
    photo: str | None = None  # the picture attached (Facebook), its URL


@dataclass
class Customer:
    id: str  # PSID, IGSID or wa_id
    platform: str  # messenger | instagram | whatsapp
    name: str
    last_inbound: datetime | None = None


@dataclass
class MetaStore:
    page_id: str = "104000000000001"
    page_name: str = "Acme Care"
    ig_user_id: str = "178400000000001"
    ig_username: str = "acmecare"
    phone_number_id: str = "106500000000001"
    display_phone_number: str = "+33 1 86 95 00 00"
    waba_id: str = "102290000000001"
    containers: dict[str, Container] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)  # every message in and out, in order
    sent: list[dict[str, Any]] = field(default_factory=list)  # what the API was asked to send
    hidden: list[str] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TEMPLATES])
    id_base: int = 0
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def new_id(self, prefix: str = "") -> str:
        return f"{prefix}{FIRST_ID + self.id_base + next(self._ids)}"

    def new_mid(self, platform: str) -> str:
        token = base64.urlsafe_b64encode(self.new_id().encode()).decode().rstrip("=")
        return f"wamid.HBgL{token}" if platform == "whatsapp" else f"m_{token}"

    def brand_of(self, platform: str) -> tuple[str, str]:
        """The brand's (id, name) on a platform."""
        if platform in ("instagram",):
            return self.ig_user_id, self.ig_username
        return self.page_id, self.page_name

    def add_container(self, platform: str, text: str, created_at: datetime) -> Container:
        ident = f"{self.page_id}_{self.new_id()}" if platform == "facebook" else self.new_id()
        self.containers[ident] = Container(ident, platform, text, created_at)
        return self.containers[ident]

    def latest_container(self, platform: str) -> Container | None:
        found = [c for c in self.containers.values() if c.platform == platform]
        return found[-1] if found else None

    def add_comment(
        self,
        container: Container,
        author_id: str,
        author_name: str,
        text: str,
        created_at: datetime,
        parent: str | None,
    ) -> Comment:
        top = self.comments.get(parent) if parent else None
        parent_id = (top.parent_id or top.id) if top else None  # replies nest one level deep
        ident = (
            f"{container.id.split('_')[-1]}_{self.new_id()}"
            if container.platform == "facebook"
            else self.new_id()
        )
        comment = Comment(
            ident, container.platform, container.id, parent_id, author_id, author_name, text, created_at
        )
        self.comments[ident] = comment
        return comment

    def customer(self, platform: str, ident: str, name: str) -> Customer:
        found = self.customers.get(ident)
        if found is None:
            found = self.customers[ident] = Customer(ident, platform, name)
        return found

    def add_message(
        self,
        platform: str,
        customer: Customer,
        text: str,
        created_at: datetime,
        *,
        inbound: bool,
        ident: str | None = None,
    ) -> dict[str, Any]:
        message = {
            "id": ident or self.new_mid(platform),
            "platform": platform,
            "customer_id": customer.id,
            "direction": "in" if inbound else "out",
            "text": text,
            "created_at": created_at,
        }
        if inbound and (customer.last_inbound is None or created_at > customer.last_inbound):
            customer.last_inbound = created_at
        self.messages.append(message)
        return message

    def window_open(self, customer: Customer, now: datetime, *, human_agent: bool = False) -> bool:
        """Free-form messages reach a customer for 24 hours after their last message (7 days with the
        HUMAN_AGENT tag on Messenger and Instagram)."""
        if customer.last_inbound is None:
            return False
        return now - customer.last_inbound <= (HUMAN_AGENT_WINDOW if human_agent else WINDOW)

    def template(self, name: str, language: str) -> dict[str, Any] | None:
        for t in self.templates:
            if t["name"] == name and t["language"] == language and t["status"] == "APPROVED":
                return t
        return None

    def counts(self) -> dict[str, int]:
        return {
            "posts": sum(c.platform == "facebook" for c in self.containers.values()),
            "media": sum(c.platform == "instagram" for c in self.containers.values()),
            "comments": len(self.comments),
            "customers": len(self.customers),
            "messages": len(self.messages),
            "sent": len(self.sent),
            "hidden": len(self.hidden),
        }


def now_utc() -> datetime:
    return datetime.now(UTC)

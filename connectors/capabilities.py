"""What a connector may do beyond ``base.Connector``: one runtime-checkable Protocol per capability. No I/O.

The inbox asks ``isinstance(connector, HidesComments)`` (never ``getattr``), so mypy checks each call against
the signature below; a connector class declares the capabilities it has by subclassing them, so mypy checks
its methods against the same signatures. Methods only: ``issubclass`` works on the classes too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from connectors.base import Batch, InboundItem, Sent


@runtime_checkable
class HidesComments(Protocol):
    """Hide a public comment from everyone but its author, or show it again (Facebook, Instagram)."""

    def hide_comment(self, external_id: str, hidden: bool = True) -> None: ...


@runtime_checkable
class SendsTemplates(Protocol):
    """Send a platform-approved template, the only message allowed outside the 24-hour window (WhatsApp)."""

    def send_template(
        self,
        recipient: str,
        template_name: str,
        language: str,
        parameters: Sequence[str] = (),
        *,
        idempotency_key: str | None = None,
    ) -> Sent: ...


@runtime_checkable
class RepliesPrivatelyToComments(Protocol):
    """Answer a public comment with a private message to its author (Meta's private replies)."""

    def send_private_reply(self, comment_id: str, text: str) -> Sent: ...


@runtime_checkable
class FindsDeliveries(Protocol):
    """Look on the platform for a reply an interrupted send may have posted: same target, same text, posted
    between ``since`` and ``until`` (now when None), however much traffic followed it. ``finds`` says for
    which visibility the platform offers a way to look; where it does not, the outbox marks such a reply
    uncertain for a person to check. A look that cannot be completed raises ``ConnectorError``."""

    def finds(self, visibility: str) -> bool: ...

    def find_delivery(
        self,
        visibility: str,
        in_reply_to: str | None,
        recipient_id: str | None,
        text: str,
        since: datetime | None,
        until: datetime | None = None,
    ) -> Sent | None: ...


@runtime_checkable
class ReceivesWebhooks(Protocol):
    """Receive events the platform pushes (``inbox webhooks``)."""

    def webhook_handshake(self, query: Mapping[str, str]) -> tuple[int, str, str] | None:
        """The answer (status, content type, body) to a GET subscription check, or None if not one."""
        ...

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise WebhookRejected unless the request carries the platform's valid signature."""
        ...

    def parse_webhook(self, body: bytes) -> Batch:
        """The items of one verified event, parsed exactly as polling parses them (``next_cursor`` None)."""
        ...


@runtime_checkable
class ReportsDeliveryFailures(Protocol):
    """Read, in a verified webhook body, the messages the platform accepted but could not deliver."""

    def delivery_failures(self, body: bytes) -> list[tuple[str, str]]:
        """``(platform message id, error)`` for each failed delivery."""
        ...


@runtime_checkable
class ReportsDeletions(Protocol):
    """Read, in a verified webhook body, the customer items the platform says were deleted."""

    def deletions(self, body: bytes) -> list[str]:
        """The platform ids of the deleted items (comments, posts, messages)."""
        ...


@runtime_checkable
class ConfirmsSends(Protocol):
    """Each send carries the outbox key, and the platform's delivery statuses (webhooks) give it back with
    the message's id: a send whose answer was lost is known to have gone out (WhatsApp's
    ``biz_opaque_callback_data``)."""

    def confirmed_sends(self, body: bytes) -> list[tuple[str, str]]:
        """``(outbox key, platform message id)`` for each message a verified webhook body reports accepted."""
        ...


@runtime_checkable
class ReportsMovedCustomers(Protocol):
    """Read, in a verified webhook body, the customers who now write from another id (WhatsApp: a changed
    phone number or business-scoped user id)."""

    def moved_customers(self, body: bytes) -> list[tuple[str, str]]:
        """``(old platform id, new platform id)`` for each customer who moved, in order."""
        ...


@runtime_checkable
class ChecksDeletions(Protocol):
    """Ask the platform again which of these customer items are gone (deleted by their author), where it
    pushes no deletion the connector reads: Mastodon (a deleted status answers 404), Bluesky (getPosts
    leaves a deleted post out)."""

    def checks(self, external_id: str) -> bool:
        """Whether ``gone`` asks the platform about this id (a Bluesky chat message: no)."""
        ...

    def gone(self, external_ids: Sequence[str]) -> list[str]:
        """The ids among ``external_ids`` the platform no longer serves; ids it cannot check are kept."""
        ...


@runtime_checkable
class ChecksEdits(Protocol):
    """Ask the platform again for customer items as they are now, where an edit keeps the item's id and
    no edit the connector reads is pushed (Mastodon): what ``gone`` answers, and each edited item's newest
    version in one pass (one request per item)."""

    def recheck(self, external_ids: Sequence[str]) -> tuple[list[str], list[InboundItem]]:
        """``(gone ids, edits)``: an edit is an item naming the id it edits in ``edits`` (its own id says
        which version it is, so reading it again changes nothing)."""
        ...


@runtime_checkable
class Backfills(Protocol):
    """Read a stream back to a point in time (``inbox backfill``)."""

    def history_cursor(self, stream: str, since: datetime) -> str | None:
        """The cursor with which ``fetch`` reads ``stream`` back to ``since``; None when it cannot."""
        ...


@runtime_checkable
class Closes(Protocol):
    """Release the connector's HTTP connections."""

    def close(self) -> None: ...


CAPABILITIES: tuple[type, ...] = (
    HidesComments,
    SendsTemplates,
    RepliesPrivatelyToComments,
    FindsDeliveries,
    ReceivesWebhooks,
    ReportsDeliveryFailures,
    ReportsDeletions,
    ReportsMovedCustomers,
    ConfirmsSends,
    ChecksDeletions,
    ChecksEdits,
    Backfills,
    Closes,
)


@runtime_checkable
class PacesReads(Protocol):
    """Knows from the platform's rate-limit answers how long to wait before reading a stream again."""

    def wait_before(self, stream: str) -> float:
        """Seconds until the stream may be read without spending its window faster than it resets (0: now)."""
        ...


@runtime_checkable
class BillsIdleReads(Protocol):
    """A stream costs billed reads even when nothing new has come (X's DM events have no ``since_id``)."""

    def idle_reads(self, stream: str) -> int:
        """The reads one poll of ``stream`` costs when nothing is new (0: only new items are read)."""
        ...

"""When the outbox tries a reply again: attempts and waits, and the replies never tried again. Pure."""

from __future__ import annotations

from datetime import timedelta

from connectors.base import ConnectorError
from inbox.backoff import backoff

MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS, RETRY_CAP_SECONDS = 10.0, 600.0  # 10 s, 20 s … 10 min (inbox.backoff)


def retry_wait(attempts: int, exc: ConnectorError) -> timedelta:
    """The platform's ``retry_after`` when it gave one, else the back-off after ``attempts`` attempts."""
    wait = exc.retry_after
    if wait is None:
        wait = backoff(attempts, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS)
    return timedelta(seconds=wait)


ERASED_REPLY = "cancelled: the customer's data was erased"  # last_error of a reply their erasure stopped
ERASED_MID_SEND = (
    f"{ERASED_REPLY} while a sender held it: it may be on the platform"  # its POST may have left
)
NAMED_ERASED = "cancelled: it named a customer whose data was erased"  # a reply elsewhere that named them


OPTED_OUT = "not sent: the customer opted out"  # an automatic message they said STOP to (privacy.opt_out)
ANSWERS_DELETED = "not sent: the customer deleted what it answers"  # written by inbox.ingest.deletions


def never_again(error: str | None) -> bool:
    """Whether a failed reply must not be tried again as it is: an erasure stopped it, the customer opted out
    of automatic messages, or deleted what it answers. A person's Retry is refused; they write another."""
    return erased(error) or (error or "").startswith((OPTED_OUT, ANSWERS_DELETED))


def erased(error: str | None) -> bool:
    """Whether a failed reply was stopped by an erasure (its customer's, or one it named): its words are
    partly or wholly ``[erased]``, so it is never tried again as it is."""
    return (error or "").startswith((ERASED_REPLY, NAMED_ERASED))

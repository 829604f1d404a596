"""What an X answer of 4xx (other than 401 and 429) means. Pure.

X says why it refuses in JSON (``title``, ``detail``, ``errors``): that is ``Rejected``, never retried as is.
A gateway's or proxy's page in its place (HTML, not JSON) says nothing of what X did: ``BadPayload``, so a
post that got it is a lost answer, looked for before any new attempt, and a read is retried with back-off.
Before, such a page after X had made the post read as X's refusal: the reply 'failed', no Retry offered,
though the customer saw it.
"""

from __future__ import annotations

from collections.abc import Mapping

import tweepy

from connectors.base import BadPayload, ConnectorError, Rejected


def refusal(exc: tweepy.HTTPException) -> ConnectorError:
    """The typed error for a 4xx other than 401 and 429 (those are told apart before)."""
    status = exc.response.status_code
    try:
        said = isinstance(exc.response.json(), Mapping)
    except ValueError:
        said = False
    if not said:
        return BadPayload(f"X answered HTTP {status} without X's JSON")
    if isinstance(exc, tweepy.Forbidden):
        return Rejected(f"X refused the request (403): {exc}")
    if isinstance(exc, tweepy.BadRequest | tweepy.NotFound):
        return Rejected(f"X rejected the request: {exc}")
    return Rejected(f"X answered HTTP {status}: {exc}")

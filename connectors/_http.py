"""The one HTTP transport of every connector: timeouts, proxies and what a network failure is. No parsing.

The same rules for every platform (X through tweepy's own session, Mastodon, Bluesky, Meta, Telegram, alerts):

- A request that cannot reach the platform (refused, reset, a connect or read timeout, a failing proxy) is
  ``Unavailable``: retryable. The message names the channel and the failure, never the URL (Telegram's URLs
  and alert webhook URLs hold a token). Its ``sent`` is False when no connection was made (refused, a
  connect timeout, an unknown host): nothing left, a POST may be sent again. Anything later (a read timeout,
  a reset, a dropped or a proxy's connection) leaves it None: the platform may have acted on it.
- A request to loopback (127.0.0.0/8, ::1, ``localhost``: the sandboxes) never goes through a proxy. Any other
  honours the standard ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` variables.
- A request sent without a timeout gets ``DEFAULT_TIMEOUT``.
- A redirect is never followed (``NotFollowed``, then ``Redirected``): requests would send a POST the platform
  may have acted on again to the new address, and a reply posted then answered ``307`` to a host that refused
  the connection was taken as never sent and posted twice.
- A response's ``json()`` keeps an integer too long for Python's int as its digits
  (``connectors._payload.long_int``): one such number in one item used to make the whole page unreadable.

Status codes are each platform's own map (``error_for`` in its package); ``retry_after`` reads the standard
header they share.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping, Sequence
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies
from urllib3.exceptions import ConnectTimeoutError, ProxyError

from connectors._payload import long_int
from connectors.base import BadPayload, ConnectorError, Redirected, Unavailable

Timeout = tuple[float, float]  # (connect, read) seconds
DEFAULT_TIMEOUT: Timeout = (5.0, 30.0)
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def is_loopback(url: str) -> bool:
    """The URL's host is ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or bool(mapped and mapped.is_loopback)


class Transport(HTTPAdapter):
    """The adapter mounted on every connector's session: no proxy for loopback, a default timeout, and, with
    ``base_url``, every request's scheme, host and path prefix rewritten to it (a gateway or a sandbox, for a
    client that hard-codes its host, like tweepy). Proxies of a rewritten request are resolved again, for the
    URL it is really sent to."""

    def __init__(
        self, base_url: str | None = None, timeout: Timeout = DEFAULT_TIMEOUT, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.base = urlsplit(base_url.rstrip("/")) if base_url else None
        self.default_timeout = timeout

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        url = request.url or ""
        if self.base is not None:
            parts = urlsplit(url)
            path = self.base.path + parts.path
            rebased = urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, parts.fragment))
            if rebased != url:
                url = request.url = rebased
                proxies = get_environ_proxies(url)
        if is_loopback(url):
            proxies = {}
        timeout = self.default_timeout if timeout is None else timeout
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )

    def build_response(self, req: PreparedRequest, resp: Any) -> Response:
        response = super().build_response(req, resp)
        response.__class__ = PlatformResponse
        if response.is_redirect or response.is_permanent_redirect:
            response.close()
            raise NotFollowed(response)
        return response


class NotFollowed(requests.RequestException):
    """A redirect answer, raised by the transport before requests could follow it."""

    def __init__(self, response: Response) -> None:
        target = urlsplit(response.headers.get("location", ""))
        self.status = response.status_code
        self.target = target.netloc or "another path of the same host"
        super().__init__(f"{self.status} redirect to {self.target}", response=response)


class PlatformResponse(Response):
    """A response whose JSON keeps an integer too long for Python's int as its digits."""

    def json(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_int", long_int)
        return super().json(**kwargs)


class Rebase(Transport):
    """A ``Transport`` that sends every request to ``base_url`` (on tweepy's session, for X's hosts)."""

    def __init__(self, base_url: str, timeout: Timeout = DEFAULT_TIMEOUT, **kwargs: Any) -> None:
        super().__init__(base_url, timeout, **kwargs)


def mount(
    session: requests.Session | None = None,
    *,
    timeout: Timeout = DEFAULT_TIMEOUT,
    base_url: str | None = None,
    rebased: Sequence[str] = (),
) -> requests.Session:
    """``session`` (a new one when None) with the transport mounted for every URL; the ``rebased`` prefixes
    (hosts a client library hard-codes) are sent to ``base_url`` when one is given."""
    session = session if session is not None else requests.Session()
    for prefix in ("https://", "http://"):
        session.mount(prefix, Transport(timeout=timeout))
    for prefix in rebased if base_url else ():
        session.mount(prefix, Transport(base_url, timeout))
    return session


def never_left(exc: BaseException) -> bool:
    """No connection to the platform was made, so nothing was sent: urllib3's connect timeout or failed
    connection (refused, unreachable, unknown host: ``NewConnectionError`` is a ``ConnectTimeoutError``),
    wherever requests wrapped it. Through a proxy nobody knows how far the request went: never."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        err = todo.pop()
        if not isinstance(err, BaseException) or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, ProxyError | requests.exceptions.ProxyError):
            return False
        if isinstance(err, ConnectTimeoutError | requests.ConnectTimeout):
            return True
        todo += [*err.args, getattr(err, "reason", None), err.__cause__, err.__context__]
    return False


def unreachable(where: str, exc: BaseException) -> Unavailable:
    """The error for a network failure: ``where`` (the channel) and the kind of failure, never the URL;
    ``sent`` False when the request never left (``never_left``), else unknown."""
    if never_left(exc):
        return Unavailable(
            f"{where} could not be reached, nothing was sent ({type(exc).__name__})", sent=False
        )
    return Unavailable(f"{where} could not be reached ({type(exc).__name__})")


UNDECODABLE = requests.exceptions.ContentDecodingError


def undecodable(where: str) -> BadPayload:
    """The error for an answer whose gzip or deflate body cannot be decoded (a proxy that cut or mangled it):
    the platform answered, so it may have acted on a send (looked for, never posted blindly again), and a
    read is retried with back-off."""
    return BadPayload(f"{where} answered a body that cannot be decoded (ContentDecodingError)")


def redirected(where: str, exc: NotFollowed) -> Redirected:
    """The error for a redirect answer: where it pointed (its host, never its path or query, which may hold
    a token), not followed; the platform may have acted on the request (``sent`` unknown)."""
    return Redirected(
        f"{where} answered a redirect ({exc.status}) to {exc.target}, not followed: check base_url "
        "(or the proxy in front of the platform)"
    )


def request(session: requests.Session, method: str, url: str, *, where: str, **kwargs: Any) -> Response:
    """One request through ``session``; a network failure is ``Unavailable``, any other failure of requests
    (a malformed URL, too many redirects) a ``ConnectorError``. The status code is left to the caller."""
    try:
        return session.request(method, url, **kwargs)
    except NETWORK_ERRORS as exc:
        raise unreachable(where, exc) from None
    except UNDECODABLE:
        raise undecodable(where) from None
    except NotFollowed as exc:
        raise redirected(where, exc) from None
    except requests.RequestException as exc:
        raise ConnectorError(f"{where}: the request failed ({type(exc).__name__})") from None


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The ``Retry-After`` header in seconds (never negative): a number of seconds or an HTTP date (RFC 9110;
    a gateway's or CDN's 429 often gives one), counted from ``now`` (epoch seconds, the clock's when None);
    None when absent or neither. A date used to be taken as no wait at all: the stream asked again after its
    30-second back-off while the platform had said to come back in two hours."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, says RFC 5322
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))

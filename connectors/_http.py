"""HTTP plumbing shared by connectors: a transport adapter that sends a client's requests elsewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter


class Rebase(HTTPAdapter):
    """Rewrites scheme, host and path prefix of every request to ``base_url`` (a gateway or a sandbox).

    Mounted on a client's own ``requests.Session`` (tweepy hard-codes its host). Proxies from the
    environment are ignored for the rewritten URL, and a default timeout applies when the client sets none.
    """

    def __init__(self, base_url: str, timeout: tuple[float, float] = (5.0, 30.0), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = urlsplit(base_url.rstrip("/"))
        self.default_timeout = timeout

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        parts = urlsplit(request.url or "")
        path = self.base.path + parts.path
        request.url = urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, parts.fragment))
        kwargs["proxies"] = {}
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().send(request, *args, **kwargs)

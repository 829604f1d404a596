"""Sessions and rate limits of the Bluesky sandbox: createSession/refreshSession and the PDS's token errors.

Access tokens expire after ``access_ttl`` seconds (400 ExpiredToken); a refresh token is single-use and only
valid on refreshSession; a missing token is 401 AuthMissing. Every XRPC answer carries ``RateLimit-*``
headers of one shared window. No I/O.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass


class Denied(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


@dataclass
class Token:
    did: str
    kind: str  # "access" or "refresh"
    expires: float
    dm_access: bool


class Sessions:
    """Tokens handed out for the brand's app password."""

    def __init__(self, password: str, *, access_ttl: float = 7200.0, dm_access: bool = True) -> None:
        self.password, self.access_ttl, self.dm_access = password, access_ttl, dm_access
        self.tokens: dict[str, Token] = {}
        self.created = 0
        self.refreshed = 0

    def _pair(self, did: str) -> dict[str, str]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        now = time.time()
        self.tokens[access] = Token(did, "access", now + self.access_ttl, self.dm_access)
        self.tokens[refresh] = Token(did, "refresh", now + 90 * 86400, self.dm_access)
        return {"accessJwt": access, "refreshJwt": refresh}

    def create(self, did: str, password: str) -> dict[str, str]:
        if password != self.password:
            raise Denied(401, "AuthenticationRequired", "Invalid identifier or password")
        self.created += 1
        return self._pair(did)

    def refresh(self, header: str | None) -> tuple[str, dict[str, str]]:
        token = self._token(header, "refresh")
        self.tokens = {k: v for k, v in self.tokens.items() if v is not token}
        self.refreshed += 1
        return token.did, self._pair(token.did)

    def caller(self, header: str | None, *, chat: bool = False) -> str:
        """The DID behind an access token; chat needs a token with DM access."""
        token = self._token(header, "access")
        if chat and not token.dm_access:
            raise Denied(400, "InvalidToken", "Bad token method")
        return token.did

    def _token(self, header: str | None, kind: str) -> Token:
        if not header or not header.startswith("Bearer "):
            raise Denied(401, "AuthMissing", "Authentication Required")
        token = self.tokens.get(header.removeprefix("Bearer ").strip())
        if token is None:
            raise Denied(400, "InvalidToken", "Token could not be verified")
        if token.kind != kind:
            raise Denied(400, "InvalidToken", "Bad token scope")
        if token.expires < time.time():
            raise Denied(400, "ExpiredToken", "Token has expired")
        return token

    def expire_access(self) -> int:
        """Expire every access token now (refresh tokens stay valid); returns how many."""
        expired = [t for t in self.tokens.values() if t.kind == "access"]
        for token in expired:
            token.expires = 0.0
        return len(expired)


class Window:
    """One fixed rate-limit window shared by all calls: ``limit`` per ``seconds``."""

    def __init__(self, limit: int = 3000, seconds: int = 300) -> None:
        self.limit, self.seconds = limit, seconds
        self.start, self.used = time.time(), 0

    def spend(self) -> tuple[bool, dict[str, str]]:
        now = time.time()
        if now >= self.start + self.seconds:
            self.start, self.used = now, 0
        allowed = self.used < self.limit
        if allowed:
            self.used += 1
        return allowed, self.headers(self.limit - self.used)

    def headers(self, remaining: int, reset: float | None = None) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(0, remaining)),
            "RateLimit-Reset": str(int(reset if reset is not None else self.start + self.seconds)),
            "RateLimit-Policy": f"{self.limit};w={self.seconds}",
        }

"""X API v2's error answers in the sandbox: problem details (RFC 7807) and the partial "not found". No I/O."""

from __future__ import annotations

from typing import Any

from connectors.sandbox._server import Reply
from connectors.sandbox.x.params import Invalid

PROBLEMS = "https://api.x.com/2/problems/"


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra: Any) -> Reply:
    """An RFC 7807 problem-details answer, as X sends its errors."""
    body = {"title": title, "detail": detail, "type": kind, "status": status, **extra}
    return Reply(status, body, content_type="application/problem+json")


def invalid(exc: Invalid) -> Reply:
    return problem(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid.",
        PROBLEMS + "invalid-request",
        errors=[{"parameters": {exc.parameter: [exc.value]}, "message": str(exc)}],
    )


def not_found(kind: str, value: str, parameter: str = "id") -> Reply:
    """X's partial error for a missing resource: 200 with ``errors`` and no ``data``."""
    return Reply(
        200,
        {
            "errors": [
                {
                    "value": value,
                    "detail": f"Could not find {kind} with {parameter}: [{value}].",
                    "title": "Not Found Error",
                    "resource_type": kind,
                    "parameter": parameter,
                    "resource_id": value,
                    "type": PROBLEMS + "resource-not-found",
                }
            ]
        },
    )

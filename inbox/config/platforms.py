"""Platform facts the screens show (label, credentials, length rule), through the domain.

The UI imports this module, never ``connectors``: the registry stays the one source; this is its public face.
"""

from __future__ import annotations

from connectors.registry import PLATFORMS, PlatformInfo

__all__ = ["PlatformInfo", "platform_info", "platform_label", "platform_names"]


def platform_names() -> list[str]:
    """Every platform the inbox speaks, in the registry's order (x first)."""
    return list(PLATFORMS)


def platform_info(platform: str) -> PlatformInfo:
    """The facts of one platform; KeyError for an unknown name (a channel file is validated against it)."""
    return PLATFORMS[platform]


def platform_label(platform: str | None) -> str:
    """The platform's display name ("X", "WhatsApp"), or the raw name when it is not a known platform."""
    info = PLATFORMS.get(platform or "")
    return info.label if info else (platform or "")

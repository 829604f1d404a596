"""The session-state keys of one conversation's composer, shared by its widgets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """Session-state keys of one conversation's composer."""

    conv: int

    def __getattr__(self, name: str) -> str:
        return f"composer-{self.conv}-{name}"

    def var(self, name: str) -> str:
        return f"composer-{self.conv}-var-{name}"

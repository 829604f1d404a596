"""Fixtures of the connector tests: the Meta Graph API sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.sandbox.meta.server import MetaSandbox


@pytest.fixture
def meta() -> Iterator[MetaSandbox]:
    """The Meta Graph API sandbox (Facebook, Instagram, WhatsApp) on loopback."""
    with MetaSandbox() as sandbox:
        yield sandbox

"""Which optional capabilities (connectors.capabilities) each real connector class has, and that the inbox's
``isinstance`` checks see them on built connectors and on plain objects alike."""

from __future__ import annotations

from typing import Any

import pytest

from connectors import registry
from connectors.base import ConnectorSpec, Sent
from connectors.bluesky.connector import BlueskyConnector
from connectors.capabilities import (
    CAPABILITIES,
    Backfills,
    ChecksDeletions,
    ChecksEdits,
    Closes,
    ConfirmsSends,
    FindsDeliveries,
    HidesComments,
    ReceivesWebhooks,
    RepliesPrivatelyToComments,
    ReportsDeletions,
    ReportsDeliveryFailures,
    ReportsMovedCustomers,
    SendsTemplates,
)
from connectors.mastodon.connector import MastodonConnector
from connectors.meta.connector import FacebookConnector, InstagramConnector
from connectors.meta.whatsapp import WhatsAppConnector
from connectors.telegram.connector import TelegramConnector
from connectors.x.connector import XConnector

META: set[type] = {ReceivesWebhooks, ReportsDeliveryFailures, Closes}
PAGES: set[type] = META | {HidesComments, RepliesPrivatelyToComments, FindsDeliveries}
EXPECTED: dict[type, set[type]] = {
    XConnector: {ReceivesWebhooks, FindsDeliveries, Backfills, Closes},
    # a deleted status answers 404; an edited one keeps its id, read again
    MastodonConnector: {FindsDeliveries, ChecksDeletions, ChecksEdits, Closes},
    BlueskyConnector: {FindsDeliveries, ChecksDeletions, Closes},  # getPosts leaves a deleted post out
    TelegramConnector: {ReceivesWebhooks, Closes},
    FacebookConnector: PAGES | {ReportsDeletions, ConfirmsSends},  # feed removals, unsends; echo metadata
    InstagramConnector: PAGES | {ReportsDeletions},  # unsent messages
    WhatsAppConnector: META | {SendsTemplates, ReportsDeletions, ReportsMovedCustomers, ConfirmsSends},
}


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_each_connector_class_has_exactly_its_capabilities(cls: type) -> None:
    assert {cap for cap in CAPABILITIES if issubclass(cls, cap)} == EXPECTED[cls]


def _spec(platform: str) -> ConnectorSpec:
    credentials = {
        "x": {
            "bearer_token": "b",
            "consumer_key": "ck",
            "consumer_secret": "cs",
            "access_token": "1-tok",
            "access_token_secret": "ts",
        },
        "mastodon": {"access_token": "tok"},
        "bluesky": {"app_password": "pw"},
        "telegram": {"bot_token": "123456:secret"},
        "facebook": {"page_token": "tok", "app_secret": "s"},
        "instagram": {"page_token": "tok", "app_secret": "s"},
        "whatsapp": {"access_token": "tok", "app_secret": "s"},
    }[platform]
    options = {"page_id": "1", "ig_user_id": "2", "phone_number_id": "3"}
    base_url = "https://mastodon.example" if platform == "mastodon" else None
    return ConnectorSpec(f"{platform}-acme", platform, "AcmeCare", credentials, base_url, options=options)


@pytest.mark.parametrize("platform", sorted(registry.PLATFORMS))
def test_every_platform_builds_a_connector_with_its_classes_capabilities(platform: str) -> None:
    """No I/O: building a connector calls nothing; each registry platform is one of the classes above."""
    connector: Any = registry.build(_spec(platform))
    try:
        assert type(connector) in EXPECTED
        assert {cap for cap in CAPABILITIES if isinstance(connector, cap)} == EXPECTED[type(connector)]
    finally:
        connector.close()


class _Plain:
    """A duck-typed connector, as in tests and scripts: no subclassing, only the methods."""

    def send_template(self, recipient: str, template_name: str, language: str, parameters: Any = ()) -> Sent:
        return Sent(external_id="t1")

    hide_comment = None  # a method set to None is not a capability


def test_a_duck_typed_object_has_the_capabilities_whose_methods_it_has() -> None:
    plain = _Plain()
    assert isinstance(plain, SendsTemplates)
    assert not isinstance(plain, HidesComments) and not isinstance(plain, FindsDeliveries)

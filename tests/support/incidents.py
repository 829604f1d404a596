"""An incident's story on two networks: X and Mastodon sandboxes, a burst of similar mentions, a manager."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import HttpUrl
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Contact, Conversation, User
from tests.support.clock import Clock
from tests.support.seed_desk import add_user

MASTODON_ENV = "MASTODON_ACCESS_TOKEN"
MINUTE = timedelta(minutes=1)
# (network, handle, language, text): the outage, in French and English, publicly and in a DM
OUTAGE = [
    ("x", "camille", "fr", "@AcmeCare encore une panne internet à Lyon, plus de connexion depuis ce matin"),
    ("x", "hugo", "fr", "@AcmeCare ma box est en panne, pas d'internet dans tout Lyon 3e !"),
    ("x", "emma", "en", "@AcmeCare internet down in Lyon since this morning, the box is blinking red"),
    ("mastodon", "lea", "fr", "panne internet à Lyon ?? la box ne se connecte plus"),
    ("mastodon", "paul", "fr", "Plus de connexion internet à Lyon depuis 8h, panne chez vous ?"),
]
OUTAGE_DM = ("x", "ines", "fr", "Bonjour, panne de box internet à Lyon, plus aucune connexion chez moi")
UNRELATED = [
    ("x", "bob", "en", "@AcmeCare my parcel never arrived, order 1234 is still not here"),
    ("mastodon", "zoe", "fr", "ma facture de novembre est fausse, merci de corriger"),
]


def mastodon_runtime(sandbox: MastodonSandbox) -> Runtime:
    """The channel mastodon-acme on ``sandbox`` (the caller sets ``MASTODON_ENV`` to ``TOKEN``)."""
    cfg = ChannelConfig(
        name="mastodon-acme",
        platform="mastodon",
        account="AcmeCare",
        base_url=HttpUrl(sandbox.url),
        page_size=20,
        credentials={"access_token": MASTODON_ENV},
    )
    return Runtime(cfg, build_connector(cfg))


@dataclass
class Networks:
    """Both sandboxes and their channels; ``posts`` maps a customer handle to the id of what they wrote."""

    x: XSandbox
    mastodon: MastodonSandbox
    x_rt: Runtime
    mastodon_rt: Runtime
    posts: dict[str, str] = field(default_factory=dict)

    def write(
        self, network: str, handle: str, language: str, text: str, at: datetime, dm: bool = False
    ) -> None:
        if network == "x" and dm:
            self.posts[handle] = self.x.add_dm(text, handle, created_at=at)
        elif network == "x":
            self.posts[handle] = self.x.add_mention(text, handle, created_at=at, lang=language)
        elif dm:
            self.posts[handle] = self.mastodon.add_dm(text, handle, created_at=at, language=language)
        else:
            self.posts[handle] = self.mastodon.add_mention(text, handle, created_at=at, language=language)

    def poll(self, engine: Engine, at: datetime, classifier: Any) -> None:
        for rt in (self.x_rt, self.mastodon_rt):
            poll_channel(engine, rt, clock=Clock(at), due=default_due, classifier=classifier)

    def connectors(self) -> Mapping[str, Any]:
        return {self.x_rt.name: self.x_rt.connector, self.mastodon_rt.name: self.mastodon_rt.connector}

    def drain(self, engine: Engine, at: datetime) -> int:
        return outbox.drain(engine, self.connectors(), Clock(at))

    def replies_to(self) -> dict[str, list[str]]:
        """What the brand sent, by the customer handle it went to (public replies and DMs, both networks)."""
        by_post = {post: handle for handle, post in self.posts.items()}
        out: dict[str, list[str]] = {}
        for tweet in self.x.sent_tweets:
            out.setdefault(by_post.get(tweet["in_reply_to"], "?"), []).append(tweet["text"])
        for dm in self.x.sent_dms:
            out.setdefault(dm["recipient"], []).append(dm["text"])
        for status in self.mastodon.sent:
            out.setdefault(by_post.get(status["in_reply_to_id"], "?"), []).append(status["text"])
        return out


def burst(nets: Networks, at: datetime) -> None:
    """The outage (one mention a minute from ``at``), its DM, and two unrelated messages."""
    for n, (network, handle, language, text) in enumerate(OUTAGE):
        nets.write(network, handle, language, text, at + n * MINUTE)
    network, handle, language, text = OUTAGE_DM
    nets.write(network, handle, language, text, at + 2 * MINUTE, dm=True)
    for n, (network, handle, language, text) in enumerate(UNRELATED):
        nets.write(network, handle, language, text, at + n * MINUTE)


def manager(engine: Engine, name: str = "maya", role: str = "manager") -> User:
    with Session(engine) as session, session.begin():
        user_id = add_user(session, name, role)
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        assert user is not None
        return user


def conversation_of(engine: Engine, handle: str) -> Conversation:
    """The conversation of the customer ``handle`` (one each in these stories)."""
    with Session(engine) as session:
        return session.exec(
            select(Conversation)
            .join(Contact, col(Contact.id) == col(Conversation.contact_id))
            .where(Contact.handle == handle)
        ).one()

"""The report tests' known set: what happened on Wednesday 4 March 2026.

Everything is written through the domain's own rules (thread times, the charter's due times, the outbox,
the desk's audited actions), so the reports read what production would store. Times below are UTC;
Paris is UTC+1 in March. The charter: 60 min 24/7 by default, 60 business minutes on mastodon-acme public
mentions (Mon-Fri 08-12 and 14-20 Paris), critical 15 min, vip 30 min, at risk from 75 %.

    conv  channel        kind    customer            agent  what happened
    A     x-acme         public  in 03-03 23:30      alice  opened 00:00, queued 00:05, sent 00:10;
                                                            resolved 00:20
    B     x-acme         public  in 08:20, 09:40     bruno  opened 09:00, queued 09:25, sent 09:30;
                                                            queued 09:50, sent 09:52; resolved 10:00
    C     x-acme         dm/vip  in 09:00, 09:40     alice  opened 09:10, queued 09:20, sent 09:25;
                                                            resolved 09:45
    D     mastodon-acme  public  in 05:00 (closed)   alice  opened 07:30, queued 07:40, sent 07:45;
                                                            resolved 08:00
    E     x-acme         public  in 10:00 critical   bruno  opened 10:05, queued 10:20, sent 10:20; left open
    F     x-acme         public  in 11:00            -      unanswered (due 12:00)
    G     x-acme         public  in 11:50            -      unanswered (due 12:50)
    H     mastodon-acme  dm      in 11:40 high       -      unanswered (due 12:40)
    I     x-acme         public  in 09:30 (no label) maya   resolved 09:35 without an answer
    J     x-acme         public  in 03-03 22:30      alice  opened 22:50, queued 22:55 (03-03), sent 23:10
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Sent
from inbox.charter.deadlines import CharterDue, DueSubject
from inbox.charter.model import Charter, load_charter
from inbox.desk import actions as desk
from inbox.ingest.threads import on_inbound, raise_urgency
from inbox.outbox import delivery as outbox
from inbox.store.tables import Channel, Contact, Conversation, Message, User
from tests.conftest import ROOT
from tests.support.seed_desk import add_user

CHARTER_TOML = """
[sla]
team = "care"

[sla.default.public]
first_response = { minutes = 60 }

[sla.default.private]
first_response = { minutes = 60 }

[sla.default.listening]
first_response = { minutes = 240 }

[sla.channels.mastodon-acme.public]
first_response = { minutes = 60, clock = "business_hours" }

[sla.urgency]
critical = 15

[sla.segments]
vip = 30

[teams.care]
timezone = "Europe/Paris"

[teams.care.week]
mon = ["08:00-12:00", "14:00-20:00"]
tue = ["08:00-12:00", "14:00-20:00"]
wed = ["08:00-12:00", "14:00-20:00"]
thu = ["08:00-12:00", "14:00-20:00"]
fri = ["08:00-12:00", "14:00-20:00"]

[escalation]
at_risk_fraction = 0.75
"""


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """A time on 3 or 4 March 2026, UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


NOW = utc(4, 12, 30)
EVIL = "=1+1 **bold** <img src=http://127.0.0.1:9/x.png onerror=alert(1)> :red[hi]"


def write_config(folder: Path) -> Path:
    """The repository's config folder with the test charter in place of the real one."""
    shutil.copytree(ROOT / "config", folder, dirs_exist_ok=True)
    (folder / "charter.toml").write_text(CHARTER_TOML, encoding="utf-8")
    return folder


@dataclass
class Story:
    """Writes conversations the way ingestion, the outbox and the desk do."""

    session: Session
    charter: Charter
    channels: dict[str, Channel] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    n: int = 0

    @classmethod
    def on_x_acme(cls, session: Session, charter: Charter, *agents: str) -> Story:
        """A story on the x-acme channel (X) with these agents."""
        story = cls(session, charter)
        story.channel("x-acme", "x")
        for name in agents:
            story.user(name)
        return story

    def channel(self, name: str, platform: str) -> Channel:
        channel = Channel(name=name, platform=platform, account="AcmeCare", account_id="brand")
        self.session.add(channel)
        self.session.flush()
        self.channels[name] = channel
        return channel

    def user(self, name: str, role: str = "agent") -> User:
        user = self.session.get(User, add_user(self.session, name, role))
        assert user is not None
        self.users[name] = user
        return user

    def conversation(
        self, channel: str, handle: str, visibility: str = "public", tags: tuple[str, ...] = ()
    ) -> int:
        ch = self.channels[channel]
        contact = Contact(channel_id=ch.id or 0, platform_id=f"u-{handle}", handle=handle, tags=list(tags))
        self.session.add(contact)
        self.session.flush()
        kind = "dm" if visibility == "private" else "mention"
        conv = Conversation(
            channel_id=ch.id or 0,
            thread_key=f"t-{handle}",
            visibility=visibility,
            kind=kind,
            contact_id=contact.id,
        )
        self.session.add(conv)
        self.session.flush()
        assert conv.id is not None
        return conv.id

    def _conv(self, conv_id: int) -> tuple[Conversation, Channel, Contact]:
        conv = self.session.get(Conversation, conv_id)
        assert conv is not None and conv.contact_id is not None
        channel, contact = (
            self.session.get(Channel, conv.channel_id),
            self.session.get(Contact, conv.contact_id),
        )
        assert channel is not None and contact is not None
        return conv, channel, contact

    def customer(
        self,
        conv_id: int,
        at: datetime,
        sentiment: str | None = "neutral",
        urgency: str = "normal",
        text: str = "",
    ) -> None:
        """A customer message, stored as ingestion stores it (due time from the charter in force)."""
        conv, channel, contact = self._conv(conv_id)
        self.n += 1
        message = Message(
            channel_id=channel.id or 0,
            conversation_id=conv_id,
            platform_id=f"in-{self.n}",
            direction="in",
            visibility=conv.visibility,
            kind=conv.kind,
            text=text or f"customer message {self.n}",
            author_platform_id=contact.platform_id,
            author_handle=contact.handle,
            contact_id=contact.id,
            created_at=at,
            ingested_at=at,
            sentiment=sentiment,
            urgency=urgency,
        )
        raise_urgency(conv, urgency)
        conv.sentiment = sentiment
        self.session.add(message)
        subject = DueSubject(channel.name, channel.platform, tuple(contact.tags))
        due = CharterDue(self.charter)
        on_inbound(conv, at, lambda c, since, is_next: due(c, since, is_next, subject))
        self.session.flush()

    def view(self, conv_id: int, agent: str, at: datetime) -> None:
        desk.record_view(self.session, conv_id, self.users[agent], at)

    def reply(self, conv_id: int, agent: str, queued: datetime, sent: datetime) -> None:
        conv, _, _ = self._conv(conv_id)
        reply = outbox.enqueue(
            self.session, conv, visibility=conv.visibility, text="Hello", actor=agent, now=queued
        )
        self.n += 1
        outbox.record_delivery(self.session, reply, Sent(f"out-{self.n}"), sent)
        self.session.flush()

    def private_reply(
        self, conv_id: int, agent: str, queued: datetime, sent: datetime, thread_key: str | None = None
    ) -> None:
        """A person's private reply; with ``thread_key`` the platform answers with its DM thread, and the
        outbox stores the message in that DM conversation (as ``record_delivery`` does)."""
        conv, _, _ = self._conv(conv_id)
        reply = outbox.enqueue(
            self.session, conv, visibility="private", text="En MP", actor=agent, now=queued
        )
        self.n += 1
        outbox.record_delivery(self.session, reply, Sent(f"dm-{self.n}", thread_key), sent)
        self.session.flush()

    def automatic(self, conv_id: int, at: datetime, visibility: str = "public") -> None:
        """One of the charter's automatic messages (out-of-hours reply), sent and delivered at ``at``."""
        conv, _, _ = self._conv(conv_id)
        reply = outbox.enqueue(
            self.session,
            conv,
            visibility=visibility,
            text="Absents",
            actor="automation",
            now=at,
            idempotency_key=f"auto-ooh:{conv_id}",
        )
        outbox.record_delivery(self.session, reply, Sent(f"auto-{conv_id}"), at)
        self.session.flush()

    def resolve(self, conv_id: int, agent: str, at: datetime) -> None:
        desk.set_status(self.session, conv_id, "resolved", self.users[agent], at)
        self.session.flush()


def seed_known_set(engine: Engine, config_dir: Path) -> dict[str, int]:
    """Write the table above; returns the conversation ids by letter."""
    charter = load_charter(config_dir)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        s.channel("mastodon-acme", "mastodon")
        for name, role in (("alice", "agent"), ("bruno", "agent"), ("maya", "manager")):
            s.user(name, role)
        ids = {
            "A": s.conversation("x-acme", "ann"),
            "B": s.conversation("x-acme", "ben"),
            "C": s.conversation("x-acme", "cat", "private", tags=("VIP",)),
            "D": s.conversation("mastodon-acme", "dan"),
            "E": s.conversation("x-acme", "eve"),
            "F": s.conversation("x-acme", "fay"),
            "G": s.conversation("x-acme", "gus"),
            "H": s.conversation("mastodon-acme", "hal", "private"),
            "I": s.conversation("x-acme", "ivy"),
            "J": s.conversation("x-acme", "jon"),
        }
        a, b, c, d, e, f, g, h, i, j = (ids[k] for k in "ABCDEFGHIJ")
        s.customer(j, utc(3, 22, 30), "negative")
        s.view(j, "alice", utc(3, 22, 50))
        s.reply(j, "alice", utc(3, 22, 55), utc(3, 23, 10))
        s.customer(a, utc(3, 23, 30))
        s.view(a, "alice", utc(4, 0, 0))
        s.reply(a, "alice", utc(4, 0, 5), utc(4, 0, 10))
        s.resolve(a, "alice", utc(4, 0, 20))
        s.customer(d, utc(4, 5, 0), "negative")
        s.view(d, "alice", utc(4, 7, 30))
        s.reply(d, "alice", utc(4, 7, 40), utc(4, 7, 45))
        s.resolve(d, "alice", utc(4, 8, 0))
        s.customer(b, utc(4, 8, 20))
        s.view(b, "bruno", utc(4, 9, 0))
        s.reply(b, "bruno", utc(4, 9, 25), utc(4, 9, 30))
        s.customer(b, utc(4, 9, 40))
        s.reply(b, "bruno", utc(4, 9, 50), utc(4, 9, 52))
        s.resolve(b, "bruno", utc(4, 10, 0))
        s.customer(c, utc(4, 9, 0), "positive")
        s.view(c, "alice", utc(4, 9, 10))
        s.reply(c, "alice", utc(4, 9, 20), utc(4, 9, 25))
        s.customer(c, utc(4, 9, 40), "positive")
        s.resolve(c, "alice", utc(4, 9, 45))
        s.customer(i, utc(4, 9, 30), None)
        s.resolve(i, "maya", utc(4, 9, 35))
        s.customer(e, utc(4, 10, 0), "negative", urgency="critical")
        s.view(e, "bruno", utc(4, 10, 5))
        s.reply(e, "bruno", utc(4, 10, 20), utc(4, 10, 20))
        s.customer(f, utc(4, 11, 0), "negative")
        s.customer(h, utc(4, 11, 40), urgency="high")
        s.customer(g, utc(4, 11, 50))
    return ids


def seed_recent_set(engine: Engine, config_dir: Path, now: datetime) -> dict[str, int]:
    """Four x-acme conversations relative to ``now`` (for ``--period 7d`` and the dashboard):

    P  two days ago: alice opened it 5 min after, queued 20, sent 30 (met), resolved 40
    Q  two days ago + 1 h: bruno opened it 10 min after, queued 80, sent 90 (missed); left open
    R  50 minutes ago, unanswered: at risk (50 of 60 minutes); its text is EVIL (Markdown, HTML, a formula)
    S  65 minutes ago, unanswered: breached 5 minutes ago
    """
    charter = load_charter(config_dir)
    minute = timedelta(minutes=1)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, charter)
        s.channel("x-acme", "x")
        for name, role in (("alice", "agent"), ("bruno", "agent"), ("maya", "manager")):
            s.user(name, role)
        ids = {
            k: s.conversation("x-acme", handle)
            for k, handle in zip("PQRS", ("pat", "quinn", "rob", "sue"), strict=True)
        }
        p0, q0 = now - timedelta(days=2), now - timedelta(days=2) + 60 * minute
        s.customer(ids["P"], p0)
        s.view(ids["P"], "alice", p0 + 5 * minute)
        s.reply(ids["P"], "alice", p0 + 20 * minute, p0 + 30 * minute)
        s.resolve(ids["P"], "alice", p0 + 40 * minute)
        s.customer(ids["Q"], q0, "negative")
        s.view(ids["Q"], "bruno", q0 + 10 * minute)
        s.reply(ids["Q"], "bruno", q0 + 80 * minute, q0 + 90 * minute)
        s.customer(ids["R"], now - 50 * minute, "positive", text=EVIL)
        s.customer(ids["S"], now - 65 * minute, "negative")
    return ids


def configured(folder: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``write_config`` into ``folder``, with the app's settings (database, config folder) pointed at it."""
    write_config(folder)
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder


def report_app() -> typer.Typer:
    """An ``inbox``-like command with ``report`` registered, for typer's CliRunner."""
    from inbox.cli.report import register

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """inbox"""

    register(app)
    return app

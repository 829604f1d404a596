"""The channel settings page through AppTest: admins only, polling state, a connection check against the X
sandbox (real tweepy over loopback), adding a channel to a temporary channels.toml, and no secret anywhere."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import load_channels
from inbox.ingest import read_budget
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.store import records as store
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent
from inbox.ui.common import USER, forget_engine
from tests.conftest import BRAND_ID, ROOT, X_ENV
from tests.support.seed_desk import Seeded, add_user, seed

APP = str(ROOT / "app.py")
PAGE = "inbox/ui/pages/channels.py"
CHANNEL = """# Our channels (this comment must survive an addition).

[[channels]]
name = "x-acme"
platform = "x"
account = "AcmeCare"
base_url = "{url}"
poll_interval_seconds = 20

[channels.credentials]
bearer_token = "X_BEARER_TOKEN"
consumer_key = "X_CONSUMER_KEY"
consumer_secret = "X_CONSUMER_SECRET"
access_token = "X_ACCESS_TOKEN"
access_token_secret = "X_ACCESS_TOKEN_SECRET"
"""


@pytest.fixture
def config(tmp_path: Path, sandbox: XSandbox) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    (folder / "channels.toml").write_text(CHANNEL.format(url=sandbox.url), encoding="utf-8")
    return folder


@pytest.fixture
def seeded(db_url: str, config: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    out = seed(engine, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        out.users["ada"] = add_user(session, "ada", "admin")
    yield out
    engine.dispose()
    forget_engine(db_url)


def page_as(seeded: Seeded, user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users[user]
    at.run()
    return at.switch_page(PAGE).run()


def everything(node: Any) -> str:
    """Every element the page sent to the browser, as text (protobuf dumps, so nothing hides in a widget)."""
    parts = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        parts.append(everything(child))
    return "\n".join(parts)


def plain(values: Any) -> list[str]:
    """Element values without the Markdown escapes the page adds to untrusted text."""
    return [str(v.value).replace("\\", "") for v in values]


def audit(db_url: str) -> list[AuditEvent]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        rows = list(s.exec(select(AuditEvent).order_by(col(AuditEvent.id))))
    engine.dispose()
    return rows


def test_only_admins_see_the_channels_page(seeded: Seeded) -> None:
    for user in ("alice", "maya"):  # agent, community manager: the page is not in their navigation
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            page_as(seeded, user)
    at = page_as(seeded, "ada")
    assert not at.exception and [t.value for t in at.title] == ["Channels"]


def test_check_connection_against_the_x_sandbox(
    seeded: Seeded, db_url: str, x_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("X_ACCESS_TOKEN_SECRET")
    at = page_as(seeded, "ada")
    shown = " ".join(plain(at.markdown))
    assert "X_BEARER_TOKEN :green-badge[set]" in shown
    assert "X_ACCESS_TOKEN_SECRET :red-badge[unset]" in shown
    at.button(key="check-x-acme").click().run()
    assert "Connection failed: not set: X_ACCESS_TOKEN_SECRET" in plain(at.error)
    monkeypatch.setenv("X_ACCESS_TOKEN_SECRET", X_ENV["X_ACCESS_TOKEN_SECRET"])
    at.button(key="check-x-acme").click().run()
    [ok] = plain(at.success)
    assert ok.startswith("Connected as @AcmeCare") and BRAND_ID in ok
    checks = [e for e in audit(db_url) if e.action == "channel.checked"]
    assert [e.detail["ok"] for e in checks] == [False, True] and checks[-1].actor == "ada"
    events = [c for c in plain(at.caption) if "Channel checked" in c]  # the channel's events, in words
    assert len(events) == 2 and "Connected as @AcmeCare" in events[0]
    assert "Connection failed: not set: X_ACCESS_TOKEN_SECRET" in events[1]
    assert not any("channel.checked" in c or "ok True" in c for c in plain(at.caption))


def test_a_credential_may_come_from_streamlit_secrets(
    seeded: Seeded, x_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("X_CONSUMER_SECRET")
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["X_CONSUMER_SECRET"] = X_ENV["X_CONSUMER_SECRET"]
    at.session_state[USER] = seeded.users["ada"]
    at.run()
    at.switch_page(PAGE).run()
    assert "X_CONSUMER_SECRET :green-badge[set]" in " ".join(plain(at.markdown))
    at.button(key="check-x-acme").click().run()
    assert plain(at.success)[0].startswith("Connected as @AcmeCare")
    assert X_ENV["X_CONSUMER_SECRET"] not in everything(at._tree)


def test_polling_state_cursor_and_rate_limit_are_shown(
    seeded: Seeded, db_url: str, config: Path, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    for i in range(3):
        sandbox.add_mention(f"@AcmeCare question {i}", author="jane")
    sandbox.inject_fault("/2/dm_events", status=429, count=1)
    [cfg] = load_channels(config).channels
    engine = open_engine(db_url)
    poll_channel(engine, Runtime(cfg, build_connector(cfg)), clock=lambda: datetime.now(UTC), due=default_due)
    engine.dispose()
    at = page_as(seeded, "ada")
    rows = {r["Stream"]: r for r in at.dataframe[0].value.to_dict("records")}
    rows |= {"mentions": rows["Mentions (mentions)"], "dms": rows["Private messages (dms)"]}
    assert rows["mentions"]["Cursor"] != "—" and rows["mentions"]["Failures in a row"] == 0
    assert rows["dms"]["Failures in a row"] == 1
    assert rows["dms"]["Last error"] == "The platform's rate limit was reached."  # in words, raw apart
    assert any(c.value.startswith("RateLimited: ") for c in at.code)
    assert rows["dms"]["Next try"] != "now"
    assert any("reads this month" in c.value for c in at.caption)


def test_dms_held_by_the_read_budget_share_say_when_they_are_read_next(
    seeded: Seeded, db_url: str, config: Path, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    """X's DMs cost reads even when nothing is new, so past the month's share the listener leaves them unread
    for a while; the page said "Next try: now" for them all the same."""
    path = config / "channels.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "poll_interval_seconds = 20", "poll_interval_seconds = 20\nmonthly_read_budget = 15000"
        ),
        encoding="utf-8",
    )
    [cfg] = load_channels(config).channels
    engine = open_engine(db_url)
    rt = Runtime(cfg, build_connector(cfg))
    poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due)
    with Session(engine) as s, s.begin():  # the month's reads have caught up with its share
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        channel.reads_used = int(read_budget.even_share(15_000, datetime.now(UTC)))
    sandbox.add_dm("are you there?", sender="ivy")
    [held] = [
        r
        for r in poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due)
        if r.stream == "dms"
    ]
    engine.dispose()
    assert held.skipped and "spread over the month" in held.skipped
    rows = {r["Stream"]: r for r in page_as(seeded, "ada").dataframe[0].value.to_dict("records")}
    rows |= {"mentions": rows["Mentions (mentions)"], "dms": rows["Private messages (dms)"]}
    assert rows["dms"]["Next try"].endswith("(monthly read budget share)"), rows["dms"]
    assert rows["mentions"]["Next try"] == "now"


def test_no_secret_reaches_the_page_the_session_or_the_audit(
    seeded: Seeded, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = {name: f"{name.lower()}-value-7f3a9c" for name in X_ENV}  # refused by the sandbox
    for name, value in wrong.items():
        monkeypatch.setenv(name, value)
    at = page_as(seeded, "ada")
    at.button(key="check-x-acme").click().run()
    assert at.error and plain(at.error)[0].startswith("Connection failed: AuthFailed")
    for name, value in X_ENV.items():  # then the right ones
        monkeypatch.setenv(name, value)
    at.button(key="check-x-acme").click().run()
    assert at.success
    page = everything(at._tree) + repr(at.session_state.to_dict())
    stored = repr([(e.action, e.detail) for e in audit(db_url)])
    assert (
        "Connected as @AcmeCare" in page and "channel.checked" in stored
    )  # the dumps hold the page and audit
    for value in [*wrong.values(), *X_ENV.values()]:
        assert value not in page and value not in stored


def fill(at: AppTest, **fields: str) -> AppTest:
    for key, value in fields.items():
        at.text_input(key=key).input(value) if key != "add-listening" else at.text_area(key=key).input(value)
    return at


def test_add_a_channel_writes_a_valid_file(seeded: Seeded, db_url: str, config: Path) -> None:
    at = page_as(seeded, "ada")
    at.selectbox(key="add-platform").select("mastodon").run()
    fill(
        at,
        **{
            "add-name": "mastodon-acme",
            "add-account": "@acme",
            "add-base-url": "https://mastodon.example",
            "add-cred-access_token": "MASTODON_ACCESS_TOKEN",
            "add-listening": "acme\n#AcmeCare",
        },
    )
    at.button(key="add-submit").click().run()
    assert not at.exception and not at.error
    assert "Channel mastodon-acme added" in plain(at.success)[-1]
    text = (config / "channels.toml").read_text(encoding="utf-8")
    assert text.startswith("# Our channels (this comment must survive an addition).")
    added = {c.name: c for c in load_channels(config).channels}["mastodon-acme"]
    assert (added.platform, added.account, added.listening) == ("mastodon", "acme", ["acme", "#AcmeCare"])
    assert added.credentials == {"access_token": "MASTODON_ACCESS_TOKEN"}
    assert [e.target_id for e in audit(db_url) if e.action == "channel.added"] == ["mastodon-acme"]
    assert "mastodon-acme" in " ".join(plain(at.markdown))  # listed with the others


@pytest.mark.parametrize(
    ("fields", "field_named"),
    [
        ({"add-name": "Bad Name", "add-account": "acme", "add-cred-bot_token": "TG_TOKEN"}, "name:"),
        ({"add-name": "tg", "add-account": "acme"}, "credentials must name the environment variable"),
        (
            {"add-name": "tg", "add-account": "acme", "add-cred-bot_token": "123:AAsecret"},
            "credentials.bot_token:",
        ),
        ({"add-name": "x-acme", "add-account": "acme", "add-cred-bot_token": "TG"}, "already exists"),
    ],
)
def test_invalid_input_names_the_field_and_leaves_the_file(
    seeded: Seeded, config: Path, fields: dict[str, str], field_named: str
) -> None:
    before = (config / "channels.toml").read_text(encoding="utf-8")
    at = page_as(seeded, "ada")
    at.selectbox(key="add-platform").select("telegram").run()
    fill(at, **fields)
    at.button(key="add-submit").click().run()
    assert any(field_named in e for e in plain(at.error)), plain(at.error)
    assert (config / "channels.toml").read_text(encoding="utf-8") == before


def test_a_channel_no_brand_speaks_for_is_flagged(seeded: Seeded, config: Path) -> None:
    """Its automatic messages would be the charter's own (French) text even to English customers."""
    path = config / "channels.toml"
    text = path.read_text(encoding="utf-8")
    second = text.split("[[channels]]", 1)[1].replace('name = "x-acme"', 'name = "x-support"')
    path.write_text(text + "\n[[channels]]" + second, encoding="utf-8")
    at = page_as(seeded, "ada")
    assert not at.exception and not at.error, plain(at.error)
    assert "Brand: Acme" in plain(at.caption)
    [warning] = plain(at.warning)
    assert warning.startswith("No brand speaks for this channel")


def test_a_spent_read_budget_says_listening_stopped_and_the_share_by_now(
    seeded: Seeded, config: Path, db_url: str
) -> None:
    """X's plan caps the posts read per month; once spent the listener stops until the next month, and the
    last poll's time alone would not tell the admin why."""
    path = config / "channels.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "poll_interval_seconds = 20", "poll_interval_seconds = 20\nmonthly_read_budget = 15000"
        ),
        encoding="utf-8",
    )
    at = page_as(seeded, "ada")
    assert not at.warning and any(
        "of 15,000 reads this month" in c or "no reads yet" in c for c in plain(at.caption)
    )
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        channel.read_month, channel.reads_used = datetime.now(UTC).strftime("%Y-%m"), 15_002
    engine.dispose()
    at = page_as(seeded, "ada")
    [warning] = plain(at.warning)
    assert warning.startswith("Listening stopped: this month's read budget is spent.")
    assert any("15,002 of 15,000 reads this month (" in c and "by now" in c for c in plain(at.caption))


def test_a_cursor_is_shown_without_the_listeners_bookkeeping() -> None:
    """A sweep's cursor holds the fingerprints of the pages it followed (about 250 characters on X): the
    admin sees the cursor without them; anything that is not a JSON object is shown as stored."""
    from inbox.ui.channel_words import cursor_shown

    stored = '{"since_id": "190", "token": "b2", "trail": ["3fa9c1d2e4b5", "77aa00bb11cc"], "cycling": 1}'
    assert cursor_shown(stored) == '{"since_id": "190", "token": "b2", "cycling": 1}'
    assert (
        cursor_shown("1234") == "1234" and cursor_shown(None) == "" and cursor_shown("{broken") == "{broken"
    )
    assert cursor_shown('["a"]') == '["a"]'


def test_streams_and_credentials_are_named_in_words_beside_their_names(
    seeded: Seeded, db_url: str, config: Path, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    """UI review 22: the page listed streams as ``dms`` and ``mentions`` and credentials as ``bearer_token``;
    they read "Private messages (dms)" (the name the listener's log lines use kept beside), "bearer token",
    in the reader's language."""
    from inbox import i18n
    from inbox.ui.channel_words import stream_label

    [cfg] = load_channels(config).channels
    engine = open_engine(db_url)
    poll_channel(engine, Runtime(cfg, build_connector(cfg)), clock=lambda: datetime.now(UTC), due=default_due)
    engine.dispose()
    at = page_as(seeded, "ada")
    streams = {r["Stream"] for r in at.dataframe[0].value.to_dict("records")}
    assert streams == {"Mentions (mentions)", "Private messages (dms)"}
    shown = " ".join(plain(at.markdown))
    assert "_bearer token_ X_BEARER_TOKEN :green-badge[set]" in shown and "`bearer_token`" not in shown
    with i18n.use_language("fr"):
        assert stream_label("dms") == "Messages privés (dms)"
        assert stream_label("search:acme") == "Recherche «\xa0acme\xa0» (search:acme)"
    assert stream_label("galaxy") == "galaxy"


def test_a_french_admin_reads_each_streams_error_and_what_to_do(
    seeded: Seeded, db_url: str, config: Path, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    """Before: the Last error column showed the connector's English ("AuthFailed: X refused the
    credentials (401) …"); now what happened and what to do in the admin's language, the raw text folded."""
    from inbox import i18n
    from inbox.desk import preferences

    sandbox.inject_fault("/2/users/", status=401, count=1)
    sandbox.inject_fault("/2/dm_events", status=429, count=1)
    [cfg] = load_channels(config).channels
    engine = open_engine(db_url)
    poll_channel(engine, Runtime(cfg, build_connector(cfg)), clock=lambda: datetime.now(UTC), due=default_due)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, seeded.users["ada"], "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):
        at = page_as(seeded, "ada")
    rows = {r["Flux"]: r for r in at.dataframe[0].value.to_dict("records")}
    assert (
        rows["Mentions (mentions)"]["Dernière erreur"] == "La plateforme a refusé les identifiants du canal."
    )
    assert (
        rows["Messages privés (dms)"]["Dernière erreur"]
        == "La limite de débit de la plateforme est atteinte."
    )
    warnings = " ".join(w.value for w in at.warning)
    assert "Vérifiez les identifiants" in warnings and "Rien à faire" in warnings, warnings
    raw = [c.value for c in at.code]
    assert any(v.startswith("AuthFailed: ") for v in raw) and any(v.startswith("RateLimited: ") for v in raw)
    assert at.expander and all(e.label == "Détail technique" for e in at.expander)

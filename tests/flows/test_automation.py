"""Out-of-hours replies and peak acknowledgements: once per conversation (and customer), via the outbox, to
the X sandbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.automation.auto_replies import automatic_text, out_of_hours_text
from inbox.automation.peak import peak_status
from inbox.automation.tick import run_automation
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.jobs import worker
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply
from tests.conftest import ROOT, x_channel_only
from tests.support.enforcement import (
    MINUTE,
    PARIS_MONDAY_10,
    PARIS_SUNDAY_10,
    agent_reply,
    charter,
    conversation,
    drain,
    outbox_keys,
    poll,
    templates,
)

CHARTER = charter()


@pytest.mark.parametrize(
    ("wrote", "now", "expected"),
    [
        (PARIS_SUNDAY_10, PARIS_SUNDAY_10 + 5 * MINUTE, "de retour lundi à 08:00"),
        (PARIS_MONDAY_10, PARIS_MONDAY_10 + 5 * MINUTE, None),  # open: an agent answers
        (PARIS_SUNDAY_10, PARIS_MONDAY_10, None),  # read when the team is back: no stale "back at 08:00"
        (  # the lunch break: back today, not "lundi" read on a Monday
            PARIS_MONDAY_10.replace(hour=11, minute=30),
            PARIS_MONDAY_10.replace(hour=11, minute=40),
            "de retour aujourd'hui à 14:00",
        ),
    ],
)
def test_out_of_hours_text_only_while_still_closed(wrote, now, expected) -> None:  # type: ignore[no-untyped-def]
    text = out_of_hours_text(CHARTER.team("care-fr"), wrote, now, templates(), {})
    assert (text is None) if expected is None else (text is not None and expected in text)


def test_a_template_needing_an_unknown_value_falls_back_to_the_charter_text() -> None:
    files = templates()
    assert automatic_text(files, "peak-en", "fallback {hours}", {"hours": "4"}) == (
        "Hi, we're receiving a lot of messages right now: we'll get back to you within 4 hours. "
        "Thanks for your patience!"
    )
    assert automatic_text(files, "ack-en", "Thanks {customer_name}", {}) == "Thanks"  # ack-en needs an agent
    assert (
        automatic_text(files, "missing", "Back {next_opening_day}", {"next_opening_day": "lundi"})
        == "Back lundi"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "passage-mp-fr",
            "Nous souhaitons vous aider, mais il nous faut quelques informations personnelles. Nous vous "
            "avons écrit en message privé : poursuivons là-bas.",
        ),
        (
            "ack-en",
            "Hi, thanks for reaching out! We're looking into this now and will come back to you shortly.",
        ),
        ("enquete-csat-fr", "Merci d'avoir contacté Acme ! Êtes-vous satisfait(e) de notre réponse ?"),
        ("survey-csat-en", "Thanks for contacting Acme! Are you happy with our answer?"),
    ],
)
def test_a_template_sent_without_name_or_signature_reads_as_if_written_so(name: str, expected: str) -> None:
    """No customer name known and no brand to sign (a channel no brand speaks for): the blanks take their
    comma and space with them, and no bare signature mark "^" ends the text."""
    text = automatic_text(templates(), name, None, {"ticket_ref": "INB-000042"})
    assert text is not None and text.startswith(expected)
    assert "^" not in text and ", ," not in text and ",," not in text and "  " not in text


def test_out_of_hours_reply_is_sent_once_per_conversation_public_and_private(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    tweet = sandbox.add_mention(
        "@AcmeCare mon colis n'est jamais arrivé", author="jane", created_at=PARIS_SUNDAY_10, lang="fr"
    )
    sandbox.add_dm("Bonjour, mon compte est bloqué", sender="kim", created_at=PARIS_SUNDAY_10 + MINUTE)
    now = PARIS_SUNDAY_10 + 5 * MINUTE
    poll(engine, rt, now, CHARTER)
    first = run_automation(engine, CHARTER, now, templates=templates())
    again = run_automation(engine, CHARTER, now + MINUTE, templates=templates())
    assert (first.out_of_hours, again.out_of_hours) == (2, 0)
    assert drain(engine, rt, now) == 2
    assert run_automation(engine, CHARTER, now + 2 * MINUTE, templates=templates()).out_of_hours == 0
    assert drain(engine, rt, now + 2 * MINUTE) == 0
    assert [t["in_reply_to"] for t in sandbox.sent_tweets] == [tweet]
    assert "de retour lundi à 08:00" in sandbox.sent_tweets[0]["text"]
    assert [d["recipient"].lower() for d in sandbox.sent_dms] == ["kim"]
    poll(engine, rt, now + 3 * MINUTE, CHARTER)  # our replies come back in the timelines: still no second one
    run_automation(engine, CHARTER, now + 4 * MINUTE, templates=templates())
    assert drain(engine, rt, now + 4 * MINUTE) == 0
    conv = conversation(engine, tweet)
    assert conv.first_response_at is None and conv.sla_due_at is not None  # an automatic reply is no answer
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == "out")).all()
    assert len(out) == 2


def test_a_customer_whose_out_of_hours_reply_failed_is_told_at_their_next_post(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """Told once per closed spell means told: a reply the platform refused told them nothing."""
    for n, text in enumerate(("mon colis n'est jamais arrivé", "toujours rien")):
        at = PARIS_SUNDAY_10 + 30 * n * MINUTE
        sandbox.add_mention(f"@AcmeCare {text}", author="jane", created_at=at, lang="fr")
        poll(engine, rt, at + MINUTE, CHARTER)
        run_automation(engine, CHARTER, at + MINUTE, templates=templates())
        if n == 0:
            sandbox.inject_fault("/2/tweets", status=403, count=1)  # refused: the first reply fails
        drain(engine, rt, at + 2 * MINUTE)
    assert len(sandbox.sent_tweets) == 1 and "de retour lundi" in sandbox.sent_tweets[0]["text"]
    with Session(engine) as s:
        statuses = sorted(r.status for r in s.exec(select(OutboundReply)))
    assert statuses == ["failed", "sent"]


def test_a_customer_writing_while_the_team_is_open_gets_no_automatic_reply(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare question", author="jane", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    assert run_automation(engine, CHARTER, PARIS_MONDAY_10 + MINUTE).out_of_hours == 0
    assert outbox_keys(engine) == []


def test_two_listeners_racing_queue_and_send_the_out_of_hours_reply_once(
    db_url: str, sandbox: XSandbox, rt: Runtime
) -> None:
    for n in range(4):
        sandbox.add_mention(f"@AcmeCare help {n}", author=f"user{n}", created_at=PARIS_SUNDAY_10 + n * MINUTE)
    one, two = open_engine(db_url), open_engine(db_url)
    try:
        now = PARIS_SUNDAY_10 + 10 * MINUTE
        poll(one, rt, now, CHARTER)
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def listener(engine: Engine) -> None:
            try:
                for tick in range(3):
                    barrier.wait(timeout=10)
                    run_automation(engine, CHARTER, now + tick * MINUTE, templates=templates())
                    drain(engine, rt, now + tick * MINUTE)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=listener, args=(e,)) for e in (one, two)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        run_automation(one, CHARTER, now + 5 * MINUTE, templates=templates())  # whatever a busy tick left
        drain(one, rt, now + 5 * MINUTE)
        assert outbox_keys(one) == sorted(f"auto-ooh:{i}" for i in range(1, 5))
        assert len(sandbox.sent_tweets) == 4 and len({t["in_reply_to"] for t in sandbox.sent_tweets}) == 4
    finally:
        one.dispose()
        two.dispose()


def test_peak_plan_acknowledges_each_new_public_mention_once_and_the_queue_says_so(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    c = charter(**{"peak.backlog_at_least": 3, "peak.forecast_breaches_at_least": None})
    start = PARIS_MONDAY_10
    for n in range(2):
        sandbox.add_mention(
            f"@AcmeCare panne {n}", author=f"early{n}", created_at=start + n * MINUTE, lang="fr"
        )
    poll(engine, rt, start + 2 * MINUTE, c)
    calm = run_automation(engine, c, start + 2 * MINUTE, templates=templates())
    with Session(engine) as s:
        assert not calm.peak_active and not peak_status(s, c, start + 2 * MINUTE).active
    sandbox.add_dm(
        "et en privé ?", sender="dmuser", created_at=start + 3 * MINUTE
    )  # private: no acknowledgement
    third = sandbox.add_mention(
        "@AcmeCare toujours en panne", author="third", created_at=start + 3 * MINUTE, lang="fr"
    )
    poll(engine, rt, start + 4 * MINUTE, c)
    on = run_automation(engine, c, start + 4 * MINUTE, templates=templates())
    assert on.peak_active and on.peak_acks == 3  # the mentions of the last 15 minutes, not the DM
    later = sandbox.add_mention(
        "@AcmeCare ça ne marche pas", author="later", created_at=start + 6 * MINUTE, lang="fr"
    )
    poll(engine, rt, start + 7 * MINUTE, c)
    assert run_automation(engine, c, start + 7 * MINUTE, templates=templates()).peak_acks == 1
    assert run_automation(engine, c, start + 8 * MINUTE, templates=templates()).peak_acks == 0
    assert drain(engine, rt, start + 8 * MINUTE) == 4
    assert drain(engine, rt, start + 9 * MINUTE) == 0
    texts = {t["in_reply_to"]: t["text"] for t in sandbox.sent_tweets}
    assert len(sandbox.sent_tweets) == 4 and {third, later} <= set(texts)
    assert all("d'ici 4 heures" in text for text in texts.values())
    with Session(engine) as s:
        status = peak_status(s, c, start + 9 * MINUTE)
        started = s.exec(select(AuditEvent).where(AuditEvent.action == "peak.started")).all()
    assert status.active and status.backlog == 5 and "within 4 h" in status.summary()
    assert len(started) == 1
    with Session(engine) as s:
        waiting = s.exec(select(Conversation).where(Conversation.sla_due_at.is_not(None))).all()  # type: ignore[union-attr]
    for conv in waiting[:3]:
        agent_reply(engine, conv.id or 0, f"Nous regardons (#{conv.id})", start + 10 * MINUTE)
    drain(engine, rt, start + 10 * MINUTE)
    off = run_automation(engine, c, start + 11 * MINUTE, templates=templates())
    with Session(engine) as s:
        assert not off.peak_active and not peak_status(s, c, start + 11 * MINUTE).active
        assert len(s.exec(select(AuditEvent).where(AuditEvent.action == "peak.ended")).all()) == 1


def test_a_customer_posting_again_during_a_peak_is_acknowledged_once(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    c = charter(**{"peak.backlog_at_least": 2, "peak.forecast_breaches_at_least": None})
    start = PARIS_MONDAY_10
    for n, (author, text) in enumerate((("ann", "panne"), ("ann", "toujours en panne"), ("bob", "panne"))):
        sandbox.add_mention(f"@AcmeCare {text}", author=author, created_at=start + n * MINUTE, lang="fr")
        poll(engine, rt, start + (n + 1) * MINUTE, c)
        run_automation(engine, c, start + (n + 1) * MINUTE, templates=templates())
    drain(engine, rt, start + 5 * MINUTE)
    told = sorted(t["text"].split()[0].lower() for t in sandbox.sent_tweets)
    assert told == ["@ann", "@bob"]  # ann's second post is not acknowledged again


def test_peak_status_is_not_claimed_when_no_listener_measured_it_lately(engine: Engine) -> None:
    c = charter(**{"peak.backlog_at_least": 1})
    with Session(engine) as s, s.begin():
        from inbox.automation.peak import record_peak

        record_peak(s, c, backlog=5, forecast_breaches=0, now=PARIS_MONDAY_10)
    with Session(engine) as s:
        assert peak_status(s, c, PARIS_MONDAY_10 + 4 * MINUTE).active
        assert not peak_status(s, c, PARIS_MONDAY_10 + 6 * MINUTE).active


def test_listen_once_runs_the_automation_before_sending(
    tmp_path: Path, db_url: str, sandbox: XSandbox, x_env: dict[str, str]
) -> None:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    channels = x_channel_only((config / "channels.toml").read_text())
    (config / "channels.toml").write_text(channels.replace("http://127.0.0.1:8701", sandbox.url))
    sandbox.add_mention("@AcmeCare hello", author="jane")
    env = {**os.environ, **x_env, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(config)}
    done = subprocess.run(
        [sys.executable, "-m", "inbox.cli.main", "listen", "--once"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "automation: " in done.stdout and "out-of-hours repl" in done.stdout
    assert done.stdout.index("automation: ") < done.stdout.index("outbox: ")


def test_the_listener_runs_the_automation_in_its_own_thread_until_stopped(engine: Engine) -> None:
    stop = threading.Event()
    ticks: list[datetime] = []

    def automate(now: datetime) -> None:
        ticks.append(now)
        if len(ticks) == 3:
            stop.set()

    worker.run(
        engine,
        [],
        stop,
        clock=lambda: PARIS_MONDAY_10,
        due=default_due,
        automate=automate,
        automate_every=0.01,
    )
    assert ticks == [PARIS_MONDAY_10] * 3

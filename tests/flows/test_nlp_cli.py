"""`inbox classify`, `train` and `reclassify` through typer's CliRunner on an app built by register()."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from inbox.cli.nlp import register
from inbox.store.engine import open_engine
from inbox.store.tables import Channel, Contact, Conversation, Message

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(app: typer.Typer, *args: str, stdin: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_classify_plain_lines_and_jsonl(app: typer.Typer) -> None:
    stdin = (
        "\n".join(
            [
                "@acme thank you, great service!",
                json.dumps({"id": 7, "text": "Mon compte a été piraté !!"}),
                "{not json, just braces}",
                "",
            ]
        )
        + "\n"
    )
    code, out, _ = run(app, "classify", "--config-dir", str(ROOT / "config"), stdin=stdin)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    for row in rows:
        assert set(row) >= {"language", "sentiment", "sentiment_scores", "urgency", "urgency_reasons", "pii"}
    assert rows[1]["language"] == "fr" and rows[1]["urgency"] == "critical"
    assert rows[3]["language"] == "und"


def test_classify_eval_jsonl(app: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "labelled.jsonl"
    f.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"text": "I love it, thank you!", "sentiment": "positive", "urgency": "low"},
                {"text": "My account was hacked", "sentiment": "negative", "urgency": "critical"},
                {"text": "the parcel is here", "sentiment": 1},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(app, "classify", "--config-dir", str(ROOT / "config"), "--eval", str(f))
    assert code == 0, out
    assert "sentiment: n=3" in out and "urgency: n=2" in out and "macro_recall=" in out


def test_classify_eval_reads_contact_reasons_of_the_configured_taxonomy(
    app: typer.Typer, tmp_path: Path
) -> None:
    f = tmp_path / "reasons.jsonl"
    rows = [
        {
            "text": "@acme I was charged twice for my subscription, please refund me",
            "reason": "billing_payment",
        },
        {"text": "@acme my parcel never arrived, where is my order?", "reason": "delivery_order"},
        {"text": "@acme thank you so much, it works now!", "reason": "praise_thanks", "urgency": "low"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    code, out, _ = run(app, "classify", "--config-dir", str(ROOT / "config"), "--eval", str(f))
    assert code == 0, out
    assert "reason: n=3" in out and "urgency: n=1" in out and "sentiment:" not in out
    line = out.split("reason:")[1].splitlines()[0]
    assert "accuracy=1.0000" in line and "macro_f1=1.0000" in line  # over the three reasons used, all right
    assert "account_access" not in out  # a reason neither the file nor the classifier used is not scored
    f.write_text(json.dumps({"text": "x", "reason": "warranty"}) + "\n", encoding="utf-8")
    code, _, err = run(app, "classify", "--config-dir", str(ROOT / "config"), "--eval", str(f))
    assert code == 2 and "reasons.jsonl:1" in err and "warranty" in err


def test_classify_eval_bad_label_fails(app: typer.Typer, tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps({"text": "x", "sentiment": "angry"}) + "\n", encoding="utf-8")
    code, _, err = run(app, "classify", "--config-dir", str(ROOT / "config"), "--eval", str(f))
    assert code == 2 and "bad.jsonl:1" in err


def test_classify_reports_a_config_typo(app: typer.Typer, tmp_path: Path) -> None:
    (tmp_path / "nlp.toml").write_text(
        '[language]\ncandidates = ["en", "fr"]\nmin_leters = 2\n', encoding="utf-8"
    )
    code, _, err = run(app, "classify", "--config-dir", str(tmp_path), stdin="hello\n")
    assert code == 2 and "nlp.toml: language.min_leters: unknown key" in err


def test_train_without_data_says_so(app: typer.Typer, tmp_path: Path) -> None:
    code, _, err = run(app, "train", "--data-dir", str(tmp_path / "nowhere"), "--output", str(tmp_path / "m"))
    assert code == 2 and "training data folder not found" in err and "nowhere" in err


def test_reclassify_updates_stored_inbound_messages(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    monkeypatch.setenv("INBOX_DATABASE_URL", url)
    engine = open_engine(url)
    at = datetime(2024, 5, 1, tzinfo=UTC)
    with Session(engine) as s, s.begin():
        ch = Channel(name="x-main", platform="x", account="acme")
        s.add(ch)
        s.flush()
        assert ch.id is not None
        contact = Contact(channel_id=ch.id, platform_id="u1", handle="star", followers=1_000_000)
        s.add(contact)
        s.flush()
        conv = Conversation(
            channel_id=ch.id, thread_key="t1", visibility="public", kind="mention", contact_id=contact.id
        )
        s.add(conv)
        s.flush()
        assert conv.id is not None
        texts = ["@acme thanks!", "@acme you charged me twice, this is a scam", "we answered"]
        for i, text in enumerate(texts):
            s.add(
                Message(
                    channel_id=ch.id,
                    conversation_id=conv.id,
                    platform_id=str(i),
                    text=text,
                    direction="out" if i == 2 else "in",
                    visibility="public",
                    kind="mention",
                    contact_id=contact.id,
                    created_at=at.replace(minute=i),
                )
            )
    code, out, err = run(app, "reclassify", "--config-dir", str(ROOT / "config"), "--batch-size", "1")
    assert code == 0, err
    assert "reclassified 2 inbound messages" in out
    with Session(engine) as s:
        msgs = {m.platform_id: m for m in s.exec(select(Message))}
        assert msgs["0"].urgency == "low" and msgs["0"].language == "en"
        assert msgs["1"].urgency == "critical" and "rule:fraud" in msgs["1"].urgency_reasons
        assert msgs["2"].urgency is None
        conv = s.exec(select(Conversation)).one()
        assert conv.urgency == "critical" and conv.sentiment == msgs["1"].sentiment

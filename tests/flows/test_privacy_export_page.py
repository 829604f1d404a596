"""`inbox privacy export --format html`: the same record as a page the person reads, in the DPO's language,
times in the team's zone, their words and ours, our agents' notes, the audit trail in words, and nothing of
anybody else; every value escaped (real listener from the X sandbox)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from connectors.sandbox.x.server import XSandbox
from inbox import i18n
from tests.support.privacy_flows import JANE, JANE_DM, JANE_PRO, cli_on, fill, inbox


@pytest.fixture
def config(tmp_path: Path, sandbox: XSandbox, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    return cli_on(sandbox, tmp_path, db_url, monkeypatch)


def export(capsys: pytest.CaptureFixture[str], form: str) -> str:
    args = ("privacy", "export", "--contact", "x-acme:janedoe77", "--reason", "DSAR 17", "--format", form)
    code, out, err = inbox(capsys, *args)
    assert code == 0, err
    return out


def test_the_page_holds_what_the_json_holds_in_words_a_person_reads(
    engine: Engine,
    db_url: str,
    config: Path,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(sandbox, engine, db_url, config, x_env)
    record = json.loads(export(capsys, "json"))
    monkeypatch.setenv("INBOX_LANGUAGE", "fr")
    page = export(capsys, "html")
    assert page.startswith("<!doctype html><html lang='fr'>")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for said in [*JANE, *JANE_PRO, JANE_DM, "@janedoe77 Hi Jane Doe, we are on it"]:
        assert " ".join(said.split()) in " ".join(text.split()), said
    assert "unicornfish" not in page  # bob's words, even in jane's thread
    assert "zebracorn note" in text  # an agent's note on her conversation
    assert "Données personnelles détenues sur" in text and "Vos conversations avec nous" in text
    assert "Données personnelles exportées" in text  # the audit trail in words
    assert "privacy.export" not in text
    raw_ids = [m["platform_id"] for c in record["conversations"] for m in c["messages"]]
    assert not any(i and i in page for i in raw_ids)  # platform payloads stay in the JSON
    first = datetime.fromisoformat(record["conversations"][0]["messages"][0]["created_at"])
    with i18n.use_language("fr"):
        assert i18n.when(first, ZoneInfo("Europe/Paris"), year=True) in text  # the team's zone, in French


def test_every_value_is_escaped() -> None:
    from inbox.privacy.readable import record_html

    record = {
        "subject": "x-acme:<b>eve</b>",
        "generated_at": "2026-12-07T10:00:00+00:00",
        "profiles": [{"channel": "x-acme", "handle": "<script>alert(1)</script>", "privacy": {}}],
        "conversations": [
            {
                "channel": "x-acme",
                "visibility": "public",
                "theirs": True,
                "first_inbound_at": "2026-12-07T09:00:00+00:00",
                "messages": [{"direction": "in", "text": "<img src=x onerror=alert(1)>", "created_at": None}],
                "notes": [{"text": "</div><script>", "created_at": "2026-12-07T09:05:00+00:00"}],
            }
        ],
        "audit_events": [{"at": "2026-12-07T10:00:00+00:00", "action": "<i>made.up</i>"}],
    }
    page = record_html(record, ZoneInfo("Europe/Paris"))
    assert "<script>" not in page and "<img" not in page and "<b>eve" not in page and "<i>made" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "7 Dec 2026 11:00" in page  # 10:00 UTC in Paris, in English by default


def test_the_audit_says_which_copy_was_exported(
    engine: Engine,
    db_url: str,
    config: Path,
    sandbox: XSandbox,
    x_env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill(sandbox, engine, db_url, config, x_env)
    export(capsys, "html")
    export(capsys, "json")
    code, out, err = inbox(capsys, "audit", "--since", "1d", "--action", "privacy.export", "--format", "csv")
    assert code == 0, err
    details = [json.loads(row["detail"]) for row in csv.DictReader(io.StringIO(out))]
    assert sorted(d["format"] for d in details) == ["html", "json"]  # the page was audited as "json"

"""Agents' corrections as training data (issues #14.5, #18.4): `inbox train` exports the corrections in force
from the database, and each job's training rows then carry the agent's label, outranking the data file's
(sentiment per language, urgency as urgent / not urgent, the contact reason)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.deadlines import default_due
from inbox.cli.nlp import export_corrections
from inbox.desk.corrections import correct
from inbox.nlp import corrections as nlp_corrections
from inbox.nlp.normalise import normalise
from inbox.nlp.reason_train import read_rows, with_corrections
from inbox.nlp.sentiment_vectors_train import labelled_rows
from inbox.nlp.train import JOBS
from inbox.nlp.urgency_train import gold_rows
from inbox.store.tables import Message, User
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
Found = list[nlp_corrections.Corrected]
KIM = "Bonjour, mon compte est bloqué"  # the seed's French DM
BOB = "@AcmeCare my parcel never arrived, order still not here"  # the seed's late mention
JANE = "@AcmeCare quick question about my bill"


@pytest.fixture
def corrected(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Found:
    """Three corrections by alice, exported as `inbox train` does."""
    seeded: Seeded = seed(engine, NOW)
    with Session(engine) as s, s.begin():
        alice = s.get(User, seeded.users["alice"])
        assert alice is not None
        by_text = {m.text: m for m in s.exec(select(Message)).all()}
        by_text[KIM].language = "fr"
        for text in (BOB, JANE):
            by_text[text].language = "en"
        for text, field, value in ((KIM, "sentiment", "negative"), (BOB, "urgency", "critical")):
            correct(s, by_text[text].id or 0, field, value, alice, NOW, default_due)
        correct(s, by_text[JANE].id or 0, "reason", "product_info", alice, NOW, default_due)
        correct(s, by_text[JANE].id or 0, "reason", "billing_payment", alice, NOW, default_due)  # the latest
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    found = export_corrections(tmp_path / "work")
    assert nlp_corrections.read(tmp_path / "work" / nlp_corrections.FILE) == found
    return found


def _labels_seen(data: Path, text: str, corrected: Found | None = None) -> list[str]:
    """The label of every training row of sentiment_fr whose text is ``text``."""
    rows = labelled_rows(data, JOBS["sentiment_fr"].corrected(corrected or []))
    return [label for t, label in rows if t == normalise(text)]


def test_the_export_holds_the_corrections_in_force(corrected: Found) -> None:
    assert sorted((c.field, c.label, c.language) for c in corrected) == [
        ("reason", "billing_payment", "en"),
        ("sentiment", "negative", "fr"),
        ("urgency", "critical", "en"),
    ]


def test_a_sentiment_correction_outranks_the_data_files_label(corrected: Found, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "xlmt-umsab-sentiment" / "french"
    folder.mkdir(parents=True)
    texts = [(KIM, 2), ("merci beaucoup", 2), ("c'est nul", 0), ("le colis arrive", 1)]
    (folder / "train_text.txt").write_text("\n".join(t for t, _ in texts) + "\n", encoding="utf-8")
    (folder / "train_labels.txt").write_text("\n".join(str(y) for _, y in texts) + "\n", encoding="utf-8")
    assert set(_labels_seen(tmp_path / "data", KIM)) == {"positive"}
    after = _labels_seen(tmp_path / "data", KIM, corrected)
    assert set(after) == {"negative"} and len(after) >= 1 + nlp_corrections.COPIES


def test_an_urgency_correction_makes_the_message_urgent_for_the_urgency_model(
    corrected: Found,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data" / "urgency-twcs"
    folder.mkdir(parents=True)
    rows = ["tweet_id,text,urgency", f"1,{BOB.replace(',', '')},normal", "2,my account was hacked,critical"]
    (folder / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    bob = normalise(BOB.replace(",", ""))
    fixed = [c for c in corrected if c.field != "urgency"] + [
        nlp_corrections.Corrected(BOB.replace(",", ""), "en", "urgency", "critical")
    ]
    before = gold_rows(tmp_path / "data")
    after = gold_rows(tmp_path / "data", JOBS["urgency_en"].corrected(fixed))
    assert [u for t, u in before if t == bob] == [False]
    assert [u for t, u in after if t == bob] == [True] * (1 + nlp_corrections.COPIES)
    assert JOBS["urgency_en"].corrected(corrected) == {normalise(BOB): "urgent"}


def test_a_reason_correction_outranks_the_annotators(corrected: Found, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "contact-reasons-twcs"
    folder.mkdir(parents=True)
    rows = ["tweet_id,text,reason", f"1,{JANE},product_info", "2,where is my parcel,delivery_order"]
    (folder / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    agreed, _ = read_rows(tmp_path / "data")
    laid = with_corrections(agreed, nlp_corrections.labels_for(corrected, "reason", "en"))
    assert [r.label for r in agreed if r.text == normalise(JANE)] == ["product_info"]
    assert [r.label for r in laid if r.text == normalise(JANE)] == ["billing_payment"] * (
        1 + nlp_corrections.COPIES
    )
    assert [r.label for r in laid if r.text == "where is my parcel"] == ["delivery_order"]

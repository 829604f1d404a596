"""A report cell's sentence (inbox.reports.table_base.Detail): English as a string for CSV and JSON, said in
the reader's language, and the same after a pickle (Streamlit's cache keeps tables so)."""

from __future__ import annotations

import json
import pickle

from inbox import i18n
from inbox.i18n import Nn_
from inbox.reports.table_base import Detail, Table
from inbox.reports.terminal import render


def test_a_detail_is_english_text_said_in_the_readers_language_also_after_a_pickle() -> None:
    detail = Detail("{met} met of {n}; goal {goal} %", met=3, n=8, goal=90.0)
    again = pickle.loads(pickle.dumps(detail))
    assert (
        detail == again == "3 met of 8; goal 90.0 %" and json.dumps([again]) == '["3 met of 8; goal 90.0 %"]'
    )
    with i18n.use_language("fr"):
        assert again.said() == detail.said() == "3 dans les délais sur 8\u00a0; objectif 90\u00a0%"


def test_a_counted_detail_takes_the_singular_or_the_plural_in_each_language() -> None:
    replies = Nn_("{n} reply measured", "{n} replies measured")
    one, three = Detail(replies, n=1), pickle.loads(pickle.dumps(Detail(replies, n=3)))
    assert (one, three) == ("1 reply measured", "3 replies measured")
    with i18n.use_language("fr"):
        assert (one.said(), three.said()) == ("1 réponse mesurée", "3 réponses mesurées")


def test_the_terminal_table_writes_numbers_as_the_language_does() -> None:
    rows: list[tuple[str | int | float | None, ...]] = [("rate", 0.0), ("messages", 12345), ("nps", 12.5)]
    table = Table("summary", "Summary", ("metric", "value"), rows)
    with i18n.use_language("en"):
        assert [line.split()[-1] for line in render(table).splitlines()[-3:]] == ["0.0", "12,345", "12.5"]
    with i18n.use_language("fr"):
        assert [line.split("  ")[-1].strip() for line in render(table).splitlines()[-3:]] == [
            "0,0",
            "12\u202f345",
            "12,5",
        ]
    with i18n.use_language("fr"):
        assert render(Table("empty", "Empty", ("a",), [])).endswith("(aucun)")

"""A report cell's sentence (inbox.reports.table_base.Detail): English as a string for CSV and JSON, said in
the reader's language, and the same after a pickle (Streamlit's cache keeps tables so)."""

from __future__ import annotations

import json
import pickle

from inbox import i18n
from inbox.reports.table_base import Detail


def test_a_detail_is_english_text_said_in_the_readers_language_also_after_a_pickle() -> None:
    detail = Detail("{met} met of {n}; goal {goal} %", met=3, n=8, goal=90.0)
    again = pickle.loads(pickle.dumps(detail))
    assert (
        detail == again == "3 met of 8; goal 90.0 %" and json.dumps([again]) == '["3 met of 8; goal 90.0 %"]'
    )
    with i18n.use_language("fr"):
        assert again.said() == detail.said() == "3 dans les délais sur 8\u00a0; objectif 90\u00a0%"

"""Every table an erasure changes is one it compacts afterwards (``erase.TOUCHED``: VACUUMed on PostgreSQL,
so no dead row version with the erased words stays reachable): an incident titled with the customer's name
and their linked person record included (real listener on the X sandbox; the tables compared row by row)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from inbox.privacy.erase import TOUCHED
from inbox.store.tables import Incident
from tests.support.privacy_flows import inbox


def _tables(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {
            t: sorted(str(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{t}"')))
            for t in inspect(conn).get_table_names()
        }


def test_the_erasure_compacts_every_table_it_changed(
    filled: int, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with Session(engine) as s, s.begin():
        now = datetime.now(UTC)
        s.add(Incident(title="Jane Doe's parcels", since=now, declared_by="mia", declared_at=now))
    before = _tables(engine)
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "DSAR", "--yes"
    )
    assert code == 0, err
    after = _tables(engine)
    changed = {t for t in after if after[t] != before.get(t)}
    assert {"incident", "message", "person"} <= changed  # the check can fail
    assert changed <= set(TOUCHED), changed - set(TOUCHED)

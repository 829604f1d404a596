"""The lines `inbox listen --once`, `inbox backfill` and `inbox privacy purge/erase` print say what was done
in the command's language, with singular and plural."""

from __future__ import annotations

from inbox import i18n
from inbox.automation.tick import AutomationReport
from inbox.ingest.poll import StreamReport
from inbox.privacy.erase import ErasureReport
from inbox.privacy.retention import PurgeReport

NB = "\u00a0"


def test_a_poll_line() -> None:
    report = StreamReport("x-acme", "mentions", new=2, duplicates=1, outbound=0, quarantined=1)
    assert report.line() == "x-acme/mentions: 2 new, 0 own, 1 already stored, 1 quarantined"
    with i18n.use_language("fr"):
        said = report.line()
    assert said == "x-acme/mentions: 2 nouveaux, 0 de la marque, 1 déjà enregistré, 1 en quarantaine"


def test_an_automation_line() -> None:
    report = AutomationReport(out_of_hours=1, surveys_queued=2, woken=1)
    english = report.line()
    assert english.startswith("automation: 1 out-of-hours reply, no peak, no webhook, 2 surveys queued")
    assert english.endswith("; 1 snoozed conversation back")
    with i18n.use_language("fr"):
        said = report.line()
    assert said.startswith(f"automatisation{NB}: 1 réponse hors horaires, pas de pic, pas de webhook")
    assert "2 enquêtes en file" in said and said.endswith("; 1 conversation reportée revenue")


def test_purge_and_erasure_lines() -> None:
    purge = PurgeReport(messages=2, quarantined=1)
    assert purge.line(dry_run=True).startswith(
        "purge: would remove 2 messages, 0 notes, 0 replies, 0 raw payloads, 1 quarantined"
    )
    erased = ErasureReport(contacts=1, messages=3)
    assert erased.line().startswith("1 contact, 0 conversations, 3 messages")
    with i18n.use_language("fr"):
        assert purge.line().startswith(
            f"purge{NB}: supprimés 2 messages, 0 note, 0 réponse, 0 charge brute, 1 en quarantaine"
        )
        assert erased.line().startswith("1 contact, 0 conversation, 3 messages")

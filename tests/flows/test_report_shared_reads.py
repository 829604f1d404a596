"""The dashboard reads the period once: its charts (``trends``) given the period's report reuse the report's
conversations, surveys and goal outcomes, and draw exactly what they draw when they read everything again;
the report's figures are those of each part judged on its own (the hand-computed set of
``test_reports_charter_figures``)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.charter.versions import CharterBook
from inbox.reports.calendar import ReportClocks
from inbox.reports.journeys import journeys
from inbox.reports.report import period_report
from inbox.reports.targets_kpis import goal_attainment, target_counts
from inbox.reports.trends import trends
from tests.flows.test_reports_charter_figures import DAY, NOW, make_charter, seed


def test_the_charts_given_the_report_draw_what_they_draw_alone(engine: Engine) -> None:
    charter = make_charter()
    seed(engine, charter)
    with Session(engine) as session:
        report = period_report(session, charter, DAY, NOW)
        shared = trends(session, charter, DAY, NOW, report.volume, None, report=report)
        alone = trends(session, charter, DAY, NOW, report.volume, None)
        other = period_report(session, charter, DAY, NOW, "x-acme")  # another channel: read again
        assert trends(session, charter, DAY, NOW, report.volume, None, report=other) == alone
    assert shared == alone
    assert [g.counts.within for g in shared.goal_days] == [4, 1]


def test_the_report_s_shared_judging_gives_each_part_s_own_answer(engine: Engine) -> None:
    charter = make_charter()
    seed(engine, charter)
    with Session(engine) as session:
        report = period_report(session, charter, DAY, NOW)
        cohort = journeys(session, DAY, None)
    clocks = ReportClocks(DAY.start, NOW)
    assert report.targets == target_counts(cohort, CharterBook(charter), NOW, clocks)
    assert report.goals == goal_attainment(cohort, charter, NOW, ReportClocks(DAY.start, NOW))

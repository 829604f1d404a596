"""The charter file: the real one loads; every mistake names the file, the dotted key and what is allowed."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from inbox.charter.model import load_charter, parse_charter
from inbox.charter.teams import Shift
from inbox.config.loader import ConfigError
from tests.conftest import ROOT
from tests.support.charter import DELETE, FILE, charter_data, make_charter, problems_with, set_in


def problems_for(changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    return problems_with(charter_data(), changes)


def test_the_test_charter_is_valid() -> None:
    charter = make_charter()
    assert charter.team("care").week.mon == (Shift(480, 720), Shift(840, 1200))
    assert charter.sla.urgency["critical"].minutes == 15  # `critical = 15` is short for {minutes = 15}


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"sla.urgency.critical": {"minutes": 15, "clock": "sometimes"}}, "sla.urgency.critical.clock",
         "Input should be '24/7' or 'business_hours' (got 'sometimes')"),
        ({"sla.urgency.urgent": 10}, "sla.urgency.urgent.[key]",
         "Input should be 'low', 'normal', 'high' or 'critical' (got 'urgent')"),
        ({"sla.default.public.first_response.minutes": 0}, "sla.default.public.first_response.minutes",
         "greater than 0"),
        ({"sla.default.public.first_response.minutes": 50000}, "sla.default.public.first_response.minutes",
         "less than or equal to 43200"),
        ({"sla.default.private.first_response": DELETE}, "sla.default.private.first_response",
         "required key is missing"),
        ({"sla.default.public.frist_response": {"minutes": 5}}, "sla.default.public.frist_response",
         "unknown key (typo?)"),
        ({"teams.care.colour": "blue"}, "teams.care.colour", "unknown key (typo?)"),
        ({"sla.segments.VIP": 30}, "sla.segments.VIP.[key]", "use lower-case letters, digits, '-' or '_'"),
        ({"sla.team": "care-be"}, "sla.team", "unknown team 'care-be'; teams defined: ['care']"),
        ({"sla.default.listening.first_response.team": "nobody"}, "sla.default.listening.first_response.team",
         "unknown team 'nobody'; teams defined: ['care']"),
        ({"teams.care.timezone": "Europe/Pariss"}, "teams.care.timezone",
         "unknown IANA time zone 'Europe/Pariss'"),
        ({"teams.care.week.mon": ["08:00-12:00", "11:00-14:00"]}, "teams.care.week.mon",
         "shifts 08:00-12:00 and 11:00-14:00 overlap or are out of order"),
        ({"teams.care.week.tue": ["8h-12h"]}, "teams.care.week.tue[0]", 'a shift looks like "08:00-12:00"'),
        ({"teams.care.week.wed": ["20:00-08:00"]}, "teams.care.week.wed[0]", "must end after it starts"),
        ({"teams.care.week.thu": ["08:00-24:30"]}, "teams.care.week.thu[0]", "times run from 00:00 to 24:00"),
        ({"teams.care.week": {}}, "teams.care.week", "the week has no opening hours"),
        ({"teams.care.holidays": [dt.date(2026, 5, 1), dt.date(2026, 5, 1)]}, "teams.care.holidays",
         "repeated: ['2026-05-01']"),
        ({"teams.care.holidays": ["2026-13-01"]}, "teams.care.holidays[0].date", "month value is outside"),
        ({"teams.care.public_holidays": "XX"}, "teams.care.public_holidays",
         "unknown country 'XX' for public holidays; give an ISO 3166-1 code such as 'FR'"),
        ({"teams.care.public_holidays": "fr"}, "teams.care.public_holidays", "write it in capitals: 'FR'"),
        ({"teams.care.public_holidays": "FR-99"}, "teams.care.public_holidays",
         "unknown subdivision '99' of FR; known: 57, 6AE,"),
        ({"teams.care.closed_days": ["12-32"]}, "teams.care.closed_days[0].date",
         'a date (2026-12-24) for that day only, or a text such as "12-24" for every year'),
        ({"teams.care.reduced_days": [{"date": "12-24", "shifts": []}]}, "teams.care.reduced_days[0].shifts",
         "a day without hours goes in closed_days"),
        ({"teams.care.closed_days": [dt.date(2026, 5, 1)]}, "teams.care",
         "2026-05-01 is listed twice (holidays and closed_days)"),
        ({"teams.care.out_of_hours.text": "Retour à {heure}"}, "teams.care.out_of_hours.text",
         "unknown variable(s) {heure}; allowed: {next_opening_time}, {next_opening_day}"),
        ({"escalation.webhook_url_env": "https://hooks.slack.com/services/T0/B0/XYZ"},
         "escalation.webhook_url_env", "never the URL itself"),
        ({"escalation.webhook_url_env": "slack hook"}, "escalation.webhook_url_env",
         "an environment variable name: upper-case letters, digits and '_', got 'slack hook'"),
        ({"escalation.at_risk_fraction": 1.5}, "escalation.at_risk_fraction", "less than 1"),
        ({"peak": {"promise_hours": 4, "template": "afflux-fr", "text": "{hours} h"}}, "peak",
         "set backlog_at_least, forecast_breaches_at_least or both"),
        ({"peak": {"backlog_at_least": 5, "promise_hours": 4, "template": "afflux-fr", "text": "{heures} h"}},
         "peak.text", "unknown variable(s) {heures}; allowed: {hours}"),
        ({"privacy.pii": ["passport"]}, "privacy.pii[0]",
         "Input should be 'email', 'phone', 'card', 'iban', 'rib', 'cvv', 'nir', 'address', 'order' or "
         "'account' (got 'passport')"),
        ({"moderation.spam": "delete"}, "moderation.spam", "Input should be 'hide' or 'mark' (got 'delete')"),
        ({"survey.kind": "stars"}, "survey.kind",
         "Input should be 'none', 'nps', 'csat' or 'ces' (got 'stars')"),
        ({"survey.kind": "nps"}, "survey", "a nps survey needs a template name, a text or both"),
        ({"brands.acme": {"display_name": "Acme", "tone": "sarcastic"}}, "brands.acme.tone",
         "Input should be 'formal', 'friendly' or 'playful' (got 'sarcastic')"),
        ({"brands.acme": {"display_name": "Acme", "signature": "^{agent}"}}, "brands.acme.signature",
         "allowed: {agent_name}, {agent_initials}"),
        ({"brands": {"a": {"display_name": "A", "channels": ["x-acme"]},
                     "b": {"display_name": "B", "channels": ["x-acme"]}}},
         "brands.b.channels", "channel 'x-acme' already belongs to 'a'"),
    ],
)  # fmt: skip
def test_a_wrong_value_names_file_key_and_allowed(changes: dict[str, Any], key: str, fragment: str) -> None:
    problems = problems_for(changes)
    matching = [(f, k, m) for f, k, m in problems if k == key]
    assert matching, problems
    file, _, message = matching[0]
    assert file == FILE
    assert fragment in message


def test_the_error_text_reads_file_key_message() -> None:
    data = charter_data()
    set_in(data, "sla.urgency.critical", {"minutes": 15, "clock": "sometimes"})
    with pytest.raises(ConfigError) as err:
        parse_charter(data, FILE)
    expected = "config/charter.toml: sla.urgency.critical.clock: Input should be '24/7' or 'business_hours'"
    assert str(err.value).startswith(expected)


def test_the_real_charter_loads() -> None:
    charter = load_charter(ROOT / "config")
    public, listening = charter.sla.default.public, charter.sla.default.listening
    assert (public.first_response.minutes, public.first_response.clock) == (60, "business_hours")
    assert charter.sla.default.private.first_response.minutes == 60
    assert (listening.first_response.minutes, listening.first_response.clock) == (240, "business_hours")
    assert charter.sla.urgency["critical"].minutes == 15
    assert charter.sla.segments["vip"].minutes == 30
    team = charter.team(charter.sla.team)
    assert team.timezone == "Europe/Paris"
    assert team.week.mon == (Shift(8 * 60, 12 * 60), Shift(14 * 60, 20 * 60))
    assert team.week.sun == ()
    assert team.public_holidays == "FR" and team.holidays == () and team.closed_days == ()
    assert team.shifts_on(dt.date(2027, 5, 17)) == ()  # Lundi de Pentecôte, from the holidays package
    assert [str(d.date) for d in team.reduced_days] == ["12-24", "12-31"]  # every year
    assert charter.escalation.webhook_url_env == "INBOX_ESCALATION_WEBHOOK_URL"
    assert charter.template_names()["peak.template"] == "afflux-fr"


def test_load_charter_names_the_file_on_a_wrong_value(tmp_path: Path) -> None:
    text = (ROOT / "config" / "charter.toml").read_text(encoding="utf-8")
    broken = text.replace("critical = 15", 'critical = "asap"')
    (tmp_path / "charter.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_charter(tmp_path)
    file, key, message = err.value.problems[0]
    assert (file, key) == (str(tmp_path / "charter.toml"), "sla.urgency.critical")
    assert message.endswith(
        "give minutes (e.g. 15) or a table such as { minutes = 15, clock = \"24/7\" }, got 'asap'"
    )


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(None, "file not found in"), ("[sla\nteam = 1", "not valid TOML")],
)
def test_load_charter_reports_missing_or_broken_files(
    tmp_path: Path, content: str | None, fragment: str
) -> None:
    if content is not None:
        (tmp_path / "charter.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_charter(tmp_path)
    assert err.value.problems[0][0] == str(tmp_path / "charter.toml")
    assert fragment in err.value.problems[0][2]


def test_a_missing_config_file_says_where_it_was_looked_for_and_how_to_point_elsewhere(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as err:
        load_charter(tmp_path / "config")
    message = err.value.problems[0][2]
    assert str((tmp_path / "config").resolve()) in message
    assert "INBOX_CONFIG_DIR" in message


def test_the_charter_round_trips_through_json_for_the_editor() -> None:
    charter = load_charter(ROOT / "config")
    dumped = charter.model_dump(mode="json")
    assert dumped["teams"]["care-fr"]["week"]["mon"] == ["08:00-12:00", "14:00-20:00"]
    assert parse_charter(copy.deepcopy(dumped)) == charter


def test_the_charter_is_frozen() -> None:
    charter = make_charter()
    with pytest.raises(ValidationError):
        charter.sla.urgency["critical"].minutes = 5

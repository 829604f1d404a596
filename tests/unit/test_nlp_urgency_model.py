"""The English urgency model (#14): guideline cues, a real fit, the spaCy component saved and loaded, and
rules the model confirms (``[urgency].model_confirms``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from inbox.nlp.settings import UrgencySettings
from inbox.nlp.urgency import Signals, decide
from inbox.nlp.urgency_model import CUES, FACTORY, UrgencyLinear, _slot, features, fit, predict


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("I can't log in to my account", "blocked"),
        ("the app is down again", "not_working"),
        ("you charged me $25 for nothing", "money"),
        ("it is not safe to wait here at night", "safety"),
        ("my account was hacked", "security"),
        ("I will contact my lawyer", "legal"),
        ("I'm cancelling my subscription", "leave"),
        ("you guys are trash", "insult"),
        ("still waiting after 3 days, nobody answers", "persist"),
    ],
)
def test_the_guideline_cues_fire(text: str, cue: str) -> None:
    assert CUES[cue].search(text.lower())
    assert features(text, 0.0, 0.0)[_slot("cue:" + cue)] == 1.0


def test_features_are_deterministic_and_carry_the_scores_and_the_shouting() -> None:
    row = features("WHY IS THIS STILL BROKEN!!!", 0.9, 0.8)
    assert row == features("WHY IS THIS STILL BROKEN!!!", 0.9, 0.8)
    assert row[_slot("negative")] == 0.9 and row[_slot("complaint")] == 0.8
    assert row[_slot("caps2")] == 1.0 and row[_slot("bang2")] == 1.0


def test_a_fitted_model_ships_in_a_spacy_component_and_loads_back(tmp_path: Path) -> None:
    urgent = ["I can't log in and nobody answers!!", "you took my money, I'm cancelling", "app is down again"]
    calm = ["thanks, all good now", "love the new playlist", "how do I change my avatar?"]
    rows = [features(t, 0.9 if i < 3 else 0.1, 0.5) for i, t in enumerate(urgent + calm)]
    w, b = fit(rows, [1.0] * 3 + [0.0] * 3, [1.0] * 6, steps=100)
    p = predict(rows, w, b)
    assert min(p[:3]) > max(p[3:])

    nlp = spacy.blank("en")
    component = nlp.add_pipe(FACTORY, name="urgency")
    assert isinstance(component, UrgencyLinear)
    component.set_weights(w, b)
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")
    text = "I can't log in again!!"
    assert loaded("x").cats["urgent"] == pytest.approx(nlp("x").cats["urgent"])
    assert loaded(text).cats["urgent"] == pytest.approx(nlp(text).cats["urgent"], abs=1e-6)


CONFIRM = UrgencySettings(urgent_threshold=0.7, model_confirms=("cannot_use",))


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        # the model disagrees: the rule is named but counts as normal
        (Signals([("cannot_use", "high")], "neutral", 0.2, urgent=0.3), ("normal", ["rule:cannot_use"])),
        (
            Signals([("cannot_use", "high")], "neutral", 0.2, urgent=0.8),
            ("high", ["rule:cannot_use", "model:urgency"]),
        ),
        # no urgency model (French, other languages): the rule stands as configured
        (Signals([("cannot_use", "high")], "neutral", None, urgent=None), ("high", ["rule:cannot_use"])),
        # rules not listed are untouched
        (Signals([("money_lost", "high")], "neutral", 0.2, urgent=0.1), ("high", ["rule:money_lost"])),
    ],
)
def test_rules_the_model_confirms(signals: Signals, expected: tuple[str, list[str]]) -> None:
    assert decide(signals, CONFIRM) == expected


def test_the_packaged_model_names_itself_and_confirms_a_wholly_blocked_customer() -> None:
    from inbox.nlp import load_classifier

    clf = load_classifier(Path(__file__).resolve().parents[2] / "config")
    assert clf.pipelines["en"].get_pipe_meta("urgency").factory == FACTORY
    blocked, calm = clf.classify(
        ["@acme I can't log in AGAIN and nobody answers!! 3 days now", "@acme thanks, all good now"]
    )
    assert blocked.urgency == "high" and "model:urgency" in blocked.urgency_reasons
    assert calm.urgency == "low" and "model:urgency" not in calm.urgency_reasons

"""The second annotation (inbox/nlp/annotations): well-formed labels, fresh tweets only, trustworthy against
the gold labels it was calibrated on, training the contact-reason and urgency models, weighted to stand for
the pool it was picked from."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import spacy

from inbox.nlp.annotations import CENSUS, LABELS, NATURAL, Annotated, kappa, read_annotated, round_of
from inbox.nlp.annotations.weights import pool_size, pool_weights
from inbox.nlp.classifier import MODEL_DIR
from inbox.nlp.normalise import normalise
from inbox.nlp.reason_train import annotated_rows, training_rows
from inbox.nlp.reasons import ReasonDecider
from inbox.nlp.settings import load_nlp_config
from inbox.nlp.types import LEVELS
from inbox.nlp.urgency_model import UrgencyLinear
from inbox.nlp.urgency_train import annotated_urgency, gold_rows, train_urgency

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / "twcs-customer-support").is_dir(), reason="needs ../shared/data (twcs-customer-support)"
)


def _shipped() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_shipped_labels_are_ids_and_labels_from_the_guidelines_only() -> None:
    rows = _shipped()
    reasons = set(ReasonDecider(load_nlp_config().reasons, {}, "en").labels)
    assert set(rows[0]) == {"tweet_id", "pick", "batch", "urgency_1", "urgency_2", "reason_1", "reason_2"}
    assert len({r["tweet_id"] for r in rows}) == len(rows)  # no tweet twice
    assert {r["pick"] for r in rows} == {"random", "urgent", "rare", CENSUS, "calibration"}
    assert all({r["urgency_1"], r["urgency_2"]} <= set(LEVELS) for r in rows)
    assert all({r["reason_1"], r["reason_2"]} <= reasons for r in rows)
    assert sum(r["pick"] in ("random", CENSUS) for r in rows) >= len(rows) // 2  # by chance, or all left


def test_kappa_is_cohens() -> None:
    assert kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    # half agree, and half is what chance gives when both say "a" half the time
    assert kappa(["a", "a", "b", "b"], ["a", "b", "b", "a"]) == pytest.approx(0.0)
    # 3 of 4 agree; chance 0.5 (3/4 x 2/4 + 1/4 x 2/4): (0.75 - 0.5) / (1 - 0.5)
    assert kappa(["a", "a", "a", "b"], ["a", "a", "b", "b"]) == pytest.approx(0.5)


def test_agreement_decides_what_trains() -> None:
    both_urgent = Annotated("1", "t", "random", ("high", "critical"), ("other", "other"))
    split = Annotated("2", "t", "random", ("high", "normal"), ("other", "billing_payment"))
    neither = Annotated("3", "t", "random", ("low", "normal"), ("praise_thanks", "praise_thanks"))
    assert (both_urgent.urgent, split.urgent, neither.urgent) == (True, None, False)
    assert (both_urgent.agreed_urgency, neither.agreed_urgency) == (None, None)
    reasons = (both_urgent.agreed_reason, split.agreed_reason, neither.agreed_reason)
    assert reasons == ("other", None, "praise_thanks")


@needs_data
def test_fresh_tweets_are_inbound_support_tweets_no_labelled_file_holds() -> None:
    with (DATA / "twcs-customer-support" / "train.csv").open(encoding="utf-8", newline="") as fh:
        inbound = {r["tweet_id"] for r in csv.DictReader(fh) if r["inbound"] == "True"}
    labelled_ids, labelled_texts = set(), set()
    for name in ("urgency-twcs", "contact-reasons-twcs"):
        for file in ("train.csv", "disagreements.csv"):
            with (DATA / name / file).open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    labelled_ids.add(r["tweet_id"])
                    labelled_texts.add(normalise(r["text"]))
    fresh = read_annotated(DATA)
    assert fresh and all(a.tweet_id in inbound for a in fresh)
    assert not {a.tweet_id for a in fresh} & labelled_ids
    assert not {normalise(a.text) for a in fresh} & labelled_texts
    calibration = read_annotated(DATA, calibration=True)
    with (DATA / "urgency-twcs" / "train.csv").open(encoding="utf-8", newline="") as fh:
        gold = {r["tweet_id"]: r["urgency"] for r in csv.DictReader(fh)}
    assert calibration and all(a.tweet_id in gold for a in calibration)
    # each annotator, blind, against the gold labels (urgent or not): the bar the README states
    for k in (0, 1):
        mine = [a.urgency[k] in ("high", "critical") for a in calibration]
        theirs = [gold[a.tweet_id] in ("high", "critical") for a in calibration]
        assert kappa(mine, theirs) >= 0.8


@needs_data
def test_contact_reason_training_adds_the_agreed_fresh_tweets() -> None:
    fresh = annotated_rows(DATA)
    agreed = [a for a in read_annotated(DATA) if a.agreed_reason is not None]
    assert len(fresh) == len(agreed) and all(sum(row.gold.values()) == 1.0 for _, row in fresh)
    rows, extra = training_rows(DATA)
    _, without = training_rows(DATA, annotated=False)
    assert len(extra) - len(without) == len(fresh) and len(rows) == 822


def test_batches_fall_in_the_rounds_that_picked_them() -> None:
    assert [round_of(b) for b in (1, 4, 5, 8, 9, 12, 13, 22, 23, 31)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert {round_of(int(r["batch"])) for r in _shipped()} == {1, 2, 3, 4, 5}


@needs_data
def test_pool_weights_make_the_fresh_tweets_stand_for_the_whole_pool() -> None:
    fresh = read_annotated(DATA)
    size = pool_size(DATA)
    census = [a for a in fresh if a.pick == CENSUS]
    assert census and {round_of(a.batch) for a in census} == {5}
    # round 5 labelled every tweet the earlier rounds had left: the whole pool is labelled, each once
    assert len({a.tweet_id for a in fresh}) == len(fresh) and size - 10 <= len(fresh) <= size
    assert pool_weights(DATA, fresh) == [1.0] * len(fresh)
    # before it, round 4's random picks stood for the rest of the pool (Horvitz-Thompson)
    before = [a for a in fresh if a.pick != CENSUS]
    weights = pool_weights(DATA, before, fresh=before)
    assert sum(weights) == pytest.approx(size)
    last = [w for a, w in zip(before, weights, strict=True) if a.pick == NATURAL and round_of(a.batch) == 4]
    assert last and min(last) > 1 and {w for w in weights} == {1.0, last[0]}


@needs_data
def test_the_packaged_english_urgency_model_is_what_training_gives_today(tmp_path: Path) -> None:
    assert len(gold_rows(DATA)) == 1116
    fresh = annotated_urgency(DATA)
    assert len(fresh) > 8000 and sum(urgent for _, urgent in fresh) > 500  # the second annotation trains it
    trained = spacy.load(train_urgency(DATA, MODEL_DIR, tmp_path / "en")).get_pipe("urgency")
    packaged = spacy.load(MODEL_DIR / "en", exclude=["tokenizer"]).get_pipe("urgency")
    assert isinstance(trained, UrgencyLinear) and isinstance(packaged, UrgencyLinear)
    # the same to float32 rounding: sums differ in their last bit from one CPU to another (3e-8 seen, where a
    # retraining on other rows moves weights by 1e-4 and more)
    assert np.allclose(trained.weights, packaged.weights, rtol=0, atol=1e-6)
    assert trained.bias == pytest.approx(packaged.bias)

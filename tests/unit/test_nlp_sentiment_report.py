"""The unseen-distribution sentiment report keeps only tweets the English model was not trained on."""

from __future__ import annotations

from pathlib import Path

from inbox.nlp.sentiment_report import unseen_english


def _write(folder: Path, split: str, rows: list[tuple[str, int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{split}_text.txt").write_text("\n".join(t for t, _ in rows), encoding="utf-8")
    (folder / f"{split}_labels.txt").write_text("\n".join(str(y) for _, y in rows), encoding="utf-8")


def test_tweets_seen_in_training_are_left_out(tmp_path: Path) -> None:
    _write(tmp_path / "tweeteval-sentiment", "train", [("@bob I love it http://x.co", 2), ("meh", 1)])
    _write(tmp_path / "tweeteval-sentiment", "val", [("fine", 1)])
    xlmt = tmp_path / "xlmt-umsab-sentiment" / "english"
    _write(xlmt, "train", [("@alice I love it https://y.co", 2), ("awful day", 0)])
    _write(xlmt, "val", [("so good", 2)])
    assert [(e.text, e.sentiment) for e in unseen_english(tmp_path)] == [
        ("awful day", "negative"),
        ("so good", "positive"),
    ]

"""Classification metrics (macro recall, macro F1, accuracy): pure functions of gold and predicted labels."""

from __future__ import annotations

from collections.abc import Sequence


def report(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str], weight: Sequence[float] | None = None
) -> dict[str, float]:
    """Macro recall (TweetEval's metric), macro F1 (XLM-T's), accuracy, and per-label recall and F1; with
    ``weight``, each item counts its weight (a sample weighted to stand for its population)."""
    if len(gold) != len(pred) or (weight is not None and len(weight) != len(gold)):
        raise ValueError("gold, predictions and weights differ in length")
    w = [1.0] * len(gold) if weight is None else list(weight)
    rows = list(zip(gold, pred, w, strict=True))
    out: dict[str, float] = {"n": float(len(gold))}
    recalls, f1s = [], []
    for label in labels:
        tp = sum(x for g, p, x in rows if g == label and p == label)
        n_gold, n_pred = sum(x for g, _, x in rows if g == label), sum(x for _, p, x in rows if p == label)
        recall = tp / n_gold if n_gold else 0.0
        precision = tp / n_pred if n_pred else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f"recall_{label}"], out[f"f1_{label}"] = recall, f1
        recalls.append(recall)
        f1s.append(f1)
    out["macro_recall"] = sum(recalls) / len(labels)
    out["macro_f1"] = sum(f1s) / len(labels)
    total = sum(w)
    out["accuracy"] = sum(x for g, p, x in rows if g == p) / total if total else 0.0
    return out

"""Classification metrics (macro recall, macro F1, accuracy): pure functions of gold and predicted labels."""

from __future__ import annotations

from collections.abc import Sequence


def report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    """Macro recall (TweetEval's metric), macro F1 (XLM-T's), accuracy, and per-label recall and F1."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    out: dict[str, float] = {"n": float(len(gold))}
    recalls, f1s = [], []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        n_gold, n_pred = sum(g == label for g in gold), sum(p == label for p in pred)
        recall = tp / n_gold if n_gold else 0.0
        precision = tp / n_pred if n_pred else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f"recall_{label}"], out[f"f1_{label}"] = recall, f1
        recalls.append(recall)
        f1s.append(f1)
    out["macro_recall"] = sum(recalls) / len(labels)
    out["macro_f1"] = sum(f1s) / len(labels)
    out["accuracy"] = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    return out

"""Phrase rules that overrule the sentiment model: a stated complaint is never positive. Pure.

The sentiment models learnt from general tweets, where "charged twice… I want a refund" or "prélevé deux fois,
je veux être remboursé" read as calm or even positive. When a rule named in ``[sentiment] never_positive`` of
config/nlp.toml matched (money lost, service unusable, a threat to leave, fraud, a hacked account, a legal
threat…) and the model's top score is positive, the positive score swaps places with the higher of the
negative and neutral ones: the scores still sum to 1 and their top is the label.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping


def never_positive(
    scores: Mapping[str, float], fired: Iterable[str], rules: Collection[str]
) -> dict[str, float]:
    """``scores`` with positive demoted when one of ``rules`` is among the ``fired`` rule names."""
    out = dict(scores)
    if not rules or not any(name in rules for name in fired):
        return out
    top = max(out, key=out.__getitem__)
    if top != "positive":
        return out
    other = max(("negative", "neutral"), key=lambda label: out.get(label, 0.0))
    out["positive"], out[other] = out.get(other, 0.0), out["positive"]
    return out

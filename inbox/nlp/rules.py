"""The ``urgency_rules`` spaCy component: editable Matcher/PhraseMatcher rules, matches go to doc.spans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

SPANS_KEY = "urgency_rules"


class UrgencyRules:
    """Matches every configured rule; each match becomes a span labelled with the rule name."""

    def __init__(self, nlp: Language, name: str, rules: dict[str, dict[str, Any]]) -> None:
        self.name = name
        self.levels: dict[str, str] = {rule: spec["level"] for rule, spec in rules.items()}
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrase_matchers: dict[str, PhraseMatcher] = {}
        for rule, spec in rules.items():
            if spec.get("patterns"):
                self.matcher.add(rule, spec["patterns"])
            if spec.get("phrases"):
                attr = spec.get("attr", "LOWER")
                pm = self.phrase_matchers.setdefault(attr, PhraseMatcher(nlp.vocab, attr=attr))
                pm.add(rule, [nlp.make_doc(phrase) for phrase in spec["phrases"]])

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.matcher(doc))
        for pm in self.phrase_matchers.values():
            matches.extend(pm(doc))
        doc.spans[SPANS_KEY] = [
            Span(doc, start, end, label=match_id) for match_id, start, end in sorted(matches)
        ]
        return doc


@Language.factory("urgency_rules", default_config={"rules": {}})
def make_urgency_rules(nlp: Language, name: str, rules: dict[str, dict[str, Any]]) -> UrgencyRules:
    return UrgencyRules(nlp, name, rules)


def fired(doc: Doc) -> list[str]:
    """Names of the rules that matched ``doc``, first match first, each once."""
    spans: Iterable[Span] = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else ()
    return list(dict.fromkeys(span.label_ for span in spans))

"""The ``urgency_rules`` spaCy component: editable Matcher/PhraseMatcher rules, matches go to doc.spans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

SPANS_KEY = "urgency_rules"
PLAIN_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "NORM": "NORM"}
MAX_EXPANSION = 256


def _values(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return list(value["IN"])
    return None


def as_phrases(pattern: list[dict[str, Any]]) -> tuple[str, list[list[str]]] | None:
    """A token pattern spelled out as word sequences on one attribute, when that means the same matches.

    spaCy's Matcher tries every pattern at every token (and evaluates ``IN`` in Python); a PhraseMatcher
    looks phrases up in a trie. Tokens must each test one plain attribute (ORTH/TEXT, LOWER or NORM, the same
    one), by value or ``IN`` list, with no operator or ``OP: "?"``. Returns (attr, sequences) or None.
    """
    attr: str | None = None
    seqs: list[list[str]] = [[]]
    for token in pattern:
        op = token.get("OP")
        keys = [k for k in token if k != "OP"]
        if op not in (None, "?") or len(keys) != 1 or keys[0].upper() not in PLAIN_ATTRS:
            return None
        this = PLAIN_ATTRS[keys[0].upper()]
        values = _values(token[keys[0]])
        if values is None or attr not in (None, this):
            return None
        attr = this
        alternatives = [[v] for v in values] + ([[]] if op == "?" else [])
        seqs = [s + alt for s in seqs for alt in alternatives]
        if len(seqs) > MAX_EXPANSION:
            return None
    seqs = [s for s in seqs if s]
    return (attr, seqs) if attr and seqs else None


def phrase_doc(nlp: Language, phrase: str) -> Doc:
    """A phrase tokenised as it is inside a text: one ending in an elided word ("merci de m'") keeps "m'"
    whole, as before the word that follows it, instead of "m" + "'"."""
    if not phrase.endswith(("'", "’")):
        return nlp.make_doc(phrase)
    words = [t.text for t in nlp.make_doc(phrase + "x")]
    return Doc(nlp.vocab, words=words[:-1] if words[-1] == "x" else words)


class UrgencyRules:
    """Matches every configured rule; each match becomes a span labelled with the rule name, unless it lies
    inside one of the rule's ``unless`` phrases."""

    def __init__(self, nlp: Language, name: str, rules: dict[str, dict[str, Any]]) -> None:
        self.name = name
        self.levels: dict[str, str] = {rule: spec["level"] for rule, spec in rules.items()}
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrase_matchers: dict[str, PhraseMatcher] = {}
        self.unless = PhraseMatcher(nlp.vocab, attr="LOWER")
        for rule, spec in rules.items():
            if spec.get("unless"):
                self.unless.add(rule, [phrase_doc(nlp, p) for p in spec["unless"]])
            if spec.get("phrases"):
                self._phrases(
                    nlp, spec.get("attr", "LOWER"), rule, [phrase_doc(nlp, p) for p in spec["phrases"]]
                )
            for pattern in spec.get("patterns") or []:
                plain = as_phrases(pattern)
                if plain is None:
                    self.matcher.add(rule, [pattern])
                else:
                    self._phrases(nlp, plain[0], rule, [Doc(nlp.vocab, words=words) for words in plain[1]])

    def _phrases(self, nlp: Language, attr: str, rule: str, docs: list[Doc]) -> None:
        pm = self.phrase_matchers.setdefault(attr, PhraseMatcher(nlp.vocab, attr=attr))
        pm.add(rule, docs)

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.matcher(doc)) if len(self.matcher) else []
        for pm in self.phrase_matchers.values():
            matches.extend(pm(doc))
        if len(self.unless):
            inside = self.unless(doc)
            matches = [
                (rule, start, end)
                for rule, start, end in matches
                if not any(r == rule and s <= start and end <= e for r, s, e in inside)
            ]
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

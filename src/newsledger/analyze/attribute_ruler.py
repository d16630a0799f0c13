"""spaCy's attribute ruler with its one-token patterns matched by dictionary lookups.

The English models' ``attribute_ruler`` maps tags to coarse parts of speech and morphology with 180
Matcher patterns, 171 of them of one token ({"TAG": "DT", "LOWER": "this"}). spaCy's Matcher tries
every pattern on every token, which took an eighth of en_core_web_sm's time on news
(docs/benchmarks.md). ``IndexedAttributeRuler`` finds the same matches by looking up each token's tag
and lower-cased form; patterns it cannot index (several tokens, regular expressions, operators) still
go through a Matcher. Matches are applied in rule order by spaCy's own code, so the annotations are
the same as the original component's. ``build_pipeline`` swaps it in for the model's
``attribute_ruler``, keeping its patterns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "newsledger_attribute_ruler"

# the token attributes a one-token pattern may test by value, read with Doc.to_array; patterns are
# filed under the value they require of the first of these they test
COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")

Check = tuple[int, bool, frozenset[int]]  # column, whether the value must be in (else out of) the set
Match = tuple[int, int, int, int]  # rule, match id, start, end


def _checks(vocab: Vocab, pattern: Sequence[dict[str, Any]]) -> list[Check] | None:
    """The value tests of a one-token pattern, or None when the Matcher must handle it."""
    if len(pattern) != 1:
        return None
    checks: list[Check] = []
    for attr, value in pattern[0].items():
        if attr.upper() not in COLUMNS:
            return None
        if isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((operator, values),) = value.items()
            inside = operator == "IN"
        else:
            values, inside = [value], True
        kind = bool if attr.upper() == "IS_SPACE" else str
        if not isinstance(values, list) or not all(type(v) is kind for v in values):
            return None
        hashes = frozenset(int(v) if isinstance(v, bool) else vocab.strings.add(v) for v in values)
        checks.append((COLUMNS.index(attr.upper()), inside, hashes))
    return checks


def _filed_under(checks: list[Check]) -> list[tuple[int, int]]:
    """(column, value) keys a pattern is filed under: each value it requires of the first column it
    tests by inclusion; [(-1, 0)] (tried on every token) when it only excludes values."""
    required = [(column, values) for column, inside, values in checks if inside]
    if not required:
        return [(-1, 0)]
    column, values = min(required, key=lambda check: check[0])
    return [(column, value) for value in values]


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` (same patterns, serialisation and annotations) whose one-token patterns
    are matched by dictionary lookups instead of spaCy's Matcher."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", *, validate: bool = False) -> None:
        self._rest = Matcher(vocab, validate=validate)
        # per column: value -> (rule, match id, the rule's other checks); column -1: every token
        self._filed: dict[int, dict[int, list[tuple[int, int, list[Check]]]]] = {}
        super().__init__(vocab, name, validate=validate)

    def clear(self) -> None:
        super().clear()
        self._rest = Matcher(self.vocab, validate=self.validate)
        self._filed = {}

    def add(self, patterns: Iterable[Any], attrs: dict[str, Any], index: int = 0) -> None:
        patterns = list(patterns)
        rule = len(self.attrs)
        super().add(patterns, attrs, index)
        for pattern in patterns:
            checks = _checks(self.vocab, pattern)
            if checks is None:
                self._rest.add(self.vocab.strings.add(str(rule)), [pattern])
                continue
            match_id = self.vocab.strings.add(str(rule))
            for column, value in _filed_under(checks):
                rest = [check for check in checks if check[0] != column or not check[1]]
                self._filed.setdefault(column, {}).setdefault(value, []).append((rule, match_id, rest))

    def match(self, doc: Doc) -> list[Match]:
        strings = self.vocab.strings
        matches: list[Match] = []
        if len(self._rest):  # an empty Matcher warns on every call
            matches += [
                (int(strings[match_id]), match_id, start, end)
                for match_id, start, end in self._rest(doc, allow_missing=True, as_spans=False)
            ]
        anywhere = self._filed.get(-1, {}).get(0, [])
        filed = [(column, values) for column, values in self._filed.items() if column >= 0]
        for i, row in enumerate(doc.to_array(list(COLUMNS)).tolist()):
            for column, values in filed:
                for rule, match_id, checks in values.get(row[column], ()):
                    for other, inside, allowed in checks:
                        if (row[other] in allowed) != inside:
                            break
                    else:
                        matches.append((rule, match_id, i, i + 1))
            for rule, match_id, checks in anywhere:
                for other, inside, allowed in checks:
                    if (row[other] in allowed) != inside:
                        break
                else:
                    matches.append((rule, match_id, i, i + 1))
        matches.sort()
        return matches


@Language.factory(FACTORY, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Replace ``nlp``'s attribute ruler by an ``IndexedAttributeRuler`` with the same patterns (a
    pipeline without one, or with another kind of component under that name, is left alone)."""
    if name not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe(name)
    if type(ruler) is not AttributeRuler:
        return
    patterns = ruler.patterns
    nlp.replace_pipe(name, FACTORY, config={"validate": ruler.validate})
    indexed = nlp.get_pipe(name)
    assert isinstance(indexed, IndexedAttributeRuler)
    indexed.add_patterns(patterns)

"""From tagged spans to Attribution records: pairing, quote kind, source type, certainty, channel, relay.

The trained tagger (``tagger.py``) marks source, cue and content spans sentence by sentence. This
module groups them into attributions with rules over the dependency parse and the lexicons:

- each cue takes the content and source spans of its sentence, preferring those syntactically tied to
  it; a content that runs on over the next sentences (a multi-sentence quote) or that precedes the
  sentence of its cue ("... ." / He said.) is joined to it;
- pronouns and descriptions ("she", "the think tank", "the newspaper") resolve to the actor the article
  names, through ``doc._.actors`` when the actors component ran, else to the previous spaCy entity;
- a claim told to an outlet ("told the FT", "met with the FT", "sources connected to the FT") is
  relayed: the outlet becomes a conduit in ``via``.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.attributions.labels import bio_spans
from newsledger.analyze.attributions.lexicon import Lexicon
from newsledger.model import (
    Actor,
    ActorKind,
    Attribution,
    Certainty,
    Channel,
    Conduit,
    QuoteKind,
    SourceType,
    Span,
    TimeExpression,
)

_ACTOR_KIND_TYPE = {
    ActorKind.PERSON: SourceType.NAMED_PERSON,
    ActorKind.ORGANISATION: SourceType.NAMED_ORGANISATION,
    ActorKind.MEDIA: SourceType.MEDIA,
    ActorKind.PLACE: SourceType.NAMED_ORGANISATION,  # "Beijing said": a government by metonymy
    ActorKind.GROUP: SourceType.ANONYMOUS_GROUP,
    ActorKind.INDIVIDUAL: SourceType.ANONYMOUS_INDIVIDUAL,
    ActorKind.DOCUMENT: SourceType.DOCUMENT,
}
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "i", "me", "my"})
_GROUP_PRONOUNS = frozenset({"they", "them", "their", "we", "us", "our"})
_THING_PRONOUNS = frozenset({"it", "its"})
_PRONOUNS = _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS | {"you", "this", "that", "which"}
_COLLECTIVES = frozenset({"percent", "majority", "half", "third", "quarter", "crowd"})
_RELATIVES = frozenset({"who", "which", "that", "whom"})
_NEGATIONS = frozenset({"not", "n't", "n’t", "never", "no"})
_HEDGE_MODALS = frozenset({"may", "might", "could", "would", "reportedly", "apparently", "allegedly"})
_FINITE_VERB_TAGS = frozenset({"VBZ", "VBD", "VBP"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
#: Quotation marks as tokens (PTB's `` and '' included); the straight " is either, so neither.
OPENING_MARKS = frozenset({"``", "\u201c", "\u00ab", "\u201e"})
CLOSING_MARKS = frozenset({"''", "\u201d", "\u00bb"})
_SENTENCE_ENDS = frozenset({".", "!", "?", ";", ":"})
#: How many sentences back a quotation's opening is looked for.
_MAX_QUOTED_SENTENCES = 4
_OPEN_QUOTES = frozenset('“"«‘„')
_CLOSE_QUOTES = frozenset('”"»’')
#: Words that open a clause the cue introduces ("said that ...", "asked whether ...").
_COMPLEMENT_OPENERS = frozenset({"that", "to", "what", "how", "whether", "if", "why", "when"})
#: Verbs whose subject belongs to the content that follows them ("the plan | seems | to work").
_RAISING_VERBS = frozenset({"seem", "appear"})
#: Marks that close a quotation nested in another ("“... the term ‘outreach,’”").
_INNER_CLOSING = frozenset({"'", "\u2019"})
_DOUBLE_QUOTES = frozenset('“”"«»„')
_ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC"})
#: Words that bring in examples of a group, not its name ("officials like X", "five people, including X").
_EXAMPLE_WORDS = frozenset({"like", "including", "such", "among", "especially", "notably"})
#: Labels the small model gives to surnames of people it has tagged in full elsewhere in the article.
_MISTAKEN_SURNAME_LABELS = frozenset({"ORG", "GPE", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})
#: Most tokens between two quotations of one speaker around their cue
#: ("“...,” she told reporters in Brussels. “...”").
_MAX_FRAME = 25
#: Most tokens in a frame set off by commas inside one content ("The plan, she said on Monday, ...").
_MAX_COMMA_FRAME = 12
_SENTENCE_TABLES: weakref.WeakKeyDictionary[Doc, tuple[tuple[tuple[int, int], ...], tuple[int, ...]]] = (
    weakref.WeakKeyDictionary()
)
_TEXTS: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()
# The entities of the last Doc the rules read. Not a WeakKeyDictionary: its spans point back to their Doc,
# so no entry would ever be dropped (that leaked every Doc, +0.8 GB over 1,000 articles); this keeps
# at most one Doc alive.
_LAST_ENTS: list[tuple[Doc, tuple[SpacySpan, ...]]] = []
_SINGULAR_DETERMINERS = frozenset({"one", "a", "an", "another", "this", "that"})


@dataclasses.dataclass(slots=True)
class _Group:
    """One attribution being assembled, in token offsets."""

    cue: tuple[int, int]
    content: list[tuple[int, int]]
    source: tuple[int, int] | None
    score: float | None  # the tagger's mean cue probability; None for a rule's own record


#: Verbs that name the source a speaker relies on ("citing officials", "quoting a diplomat").
_CITING = frozenset({"cite", "quote"})


@dataclasses.dataclass(frozen=True, slots=True)
class _Referent:
    """What a source or conduit mention stands for."""

    type: SourceType
    actor_id: str | None
    span: tuple[int, int] | None  # the antecedent's token span when resolved from a pronoun/description


#: Dependencies of words that qualify the noun after them and never end a phrase.
_NOUN_MODIFIERS = frozenset({"amod", "compound", "det", "nummod", "quantmod", "poss", "nmod"})


def tagged_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(role, start, end) token spans of a document-wide tag sequence."""
    return bio_spans(list(tags))


def verb_out_of_source(doc: Doc, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``spans`` with the cue given back where the tagger ran a source on over its sentence's main verb.

    "The Financial Times reports that ..." reads to the tagger like the noun "reports"; the parse
    says it is the finite verb heading the sentence. A source never holds that verb, so where the
    sentence has no cue of its own, the verb becomes the cue.
    """
    sentence_of = _sentences(doc)[1]
    cued = {sentence_of[start] for role, start, _ in spans if role == "cue"}
    out: list[tuple[str, int, int]] = []
    for role, start, end in spans:
        last = doc[end - 1]
        if (
            role == "source"
            and end - start > 1
            and sentence_of[start] not in cued
            and last.dep_ == "ROOT"
            and last.tag_ in _FINITE_VERB_TAGS
        ):
            out += [(role, start, end - 1), ("cue", end - 1, end)]
        else:
            out.append((role, start, end))
    return out


def spans_to_their_noun(doc: Doc, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``spans`` where a source or content that stops on a word modifying the noun right after it
    takes that noun in: the tagger's "in recent" or "the presidential" is "in recent weeks", "the
    presidential nominees" in the parse."""
    taken = {i for _, start, end in spans for i in range(start, end)}
    out: list[tuple[str, int, int]] = []
    for role, start, end in spans:
        if role != "cue":
            while end < len(doc) and end not in taken and _modifies_next(doc[end - 1]):
                end += 1
        out.append((role, start, end))
    return out


def _modifies_next(token: Token) -> bool:
    after = token.doc[token.i + 1]
    return (
        token.head.i == after.i
        and token.dep_ in _NOUN_MODIFIERS
        and after.pos_ in ("NOUN", "PROPN")
        and not after.is_sent_start
    )


def no_cue_in_names(doc: Doc, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``spans`` without the cues that start in the middle of a name when their sentence has another
    cue. In "Putin spoke with Xi Jinping about ...", the tagger took "Jinping about" for a second cue
    of the same content. A lone cue stays, and so does one that starts a name: the entity recogniser
    often runs a name on over a verb, in title-case headlines ("Obama Says ...") and at the start of
    a line ("Quoting diplomats, the agency reports ...")."""
    sentence_of = _sentences(doc)[1]
    in_name = {
        start
        for role, start, _ in spans
        if role == "cue" and doc[start].ent_iob_ == "I" and doc[start].ent_type_ in _NAME_LABELS
    }
    plain = {sentence_of[start] for role, start, _ in spans if role == "cue" and start not in in_name}
    return [
        (role, start, end)
        for role, start, end in spans
        if role != "cue" or start not in in_name or sentence_of[start] not in plain
    ]


def group_spans(doc: Doc, spans: list[tuple[str, int, int]], scores: Sequence[float]) -> list[_Group]:
    """Cue-centred groups: each cue with its sentence's content and source spans."""
    sentence_of = _sentences(doc)[1]
    by_sentence: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for role, start, end in spans:
        by_sentence.setdefault(sentence_of[start], {}).setdefault(role, []).append((start, end))
    groups: list[_Group] = []
    used_contents: set[tuple[int, int]] = set()
    for number in sorted(by_sentence):
        roles = by_sentence[number]
        taken_sources: set[tuple[int, int]] = set()
        for cue in roles.get("cue", []):
            # the quotation may end the sentence before: the parser splits "“...,” | Trump said"
            quotations = [*by_sentence.get(number - 1, {}).get("content", []), *roles.get("content", [])]
            content = _framed_quote(doc, cue, quotations, roles.get("source", []), used_contents) or _best(
                doc, cue, roles.get("content", []), used_contents
            )
            source = _best(doc, cue, roles.get("source", []), taken_sources)
            contents = (
                _around_cue(doc, cue, content, roles.get("content", []), used_contents) if content else []
            )
            if content is None:
                contents = _content_before(doc, number, by_sentence, used_contents)
            if not contents:
                continue
            used_contents.update(contents)
            if source:
                taken_sources.add(source)
            score = sum(scores[cue[0] : cue[1]]) / max(1, cue[1] - cue[0])
            groups.append(_Group(cue=cue, content=contents, source=source, score=score))
    _continue_contents(doc, groups, by_sentence, used_contents, sentence_of)
    _quotations_after(doc, groups, by_sentence, used_contents, sentence_of)
    return groups


def _sentences(doc: Doc) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Sentence (start, end) token bounds and each token's sentence number, computed once per Doc.

    ``doc.sents`` and ``token.sent`` rescan the whole Doc on every call (measured: half the
    component's time on 1,000-word articles), so the table is cached while the Doc lives.
    """
    cached = _SENTENCE_TABLES.get(doc)
    if cached is not None and len(cached[1]) == len(doc):
        return cached
    bounds = tuple((s.start, s.end) for s in doc.sents)
    of = [0] * len(doc)
    for number, (start, end) in enumerate(bounds):
        for i in range(start, end):
            of[i] = number
    table = (bounds, tuple(of))
    _SENTENCE_TABLES[doc] = table
    return table


def _sentence_around(doc: Doc, token: int) -> tuple[int, int]:
    bounds, of = _sentences(doc)
    return bounds[of[token]]


def _link(doc: Doc, cue: tuple[int, int], span: tuple[int, int]) -> int:
    """0: the span's root hangs on the cue; 1: a short dependency path ties them; 2: no tie."""
    cue_tokens = set(range(*cue))
    token: Token = doc[span[0] : span[1]].root
    for steps in range(4):
        if token.i in cue_tokens:
            return 0 if steps <= 1 else 1
        if token.head.i == token.i:
            break
        token = token.head
    cue_root = doc[cue[0] : cue[1]].root
    return 1 if cue_root.head.i in range(*span) else 2


def _best(
    doc: Doc, cue: tuple[int, int], candidates: list[tuple[int, int]], taken: set[tuple[int, int]]
) -> tuple[int, int] | None:
    """The candidate span tied to the cue by the parse, else the nearest; untaken ones first, then
    those after the cue (the usual order in news)."""
    if not candidates:
        return None

    def distance(span: tuple[int, int]) -> int:
        return cue[0] - span[1] if span[1] <= cue[0] else span[0] - cue[1]

    ranked = sorted(
        candidates, key=lambda s: (s in taken, _link(doc, cue, s), abs(distance(s)), s[0] < cue[0])
    )
    return ranked[0]


def _around_cue(
    doc: Doc,
    cue: tuple[int, int],
    content: tuple[int, int],
    candidates: list[tuple[int, int]],
    taken: set[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The content, with the content on the cue's other side when both touch the cue: "the truce | is
    expected | to hold", "the plan | may seem | to be a compromise" (one content that the cue
    interrupts, as in PolNeAR). Only a cue with an auxiliary, a participle ("with both leaders |
    expected | to attend"), a raising verb ("seems") or an adverb alone ("Campaign | Reportedly |
    Scrambling") raises its subject so: before an active verb ("Sadat | said | it") the words are its
    source, whatever the tagger says."""
    words = doc[cue[0] : cue[1]]
    raising = (
        any(t.pos_ == "AUX" for t in words)
        or all(t.pos_ == "ADV" for t in words)  # "Campaign | Reportedly | Scrambling"
        or words.root.tag_ == "VBN"  # "with both leaders | expected | to visit"
        or words.root.lemma_ in _RAISING_VERBS  # "Melania | seems | to have vanished"
    )
    if not raising:
        return [content]
    for other in candidates:
        if other in taken or other == content:
            continue
        if content[0] == cue[1] and other[1] == cue[0]:
            return [other, content]
        if content[1] == cue[0] and other[0] == cue[1]:
            return [content, other]
    return [content]


def _framed_quote(
    doc: Doc,
    cue: tuple[int, int],
    contents: list[tuple[int, int]],
    sources: list[tuple[int, int]],
    taken: set[tuple[int, int]],
) -> tuple[int, int] | None:
    """The quotation that the cue closes: "“Talks are over,” the minister said after ...". It wins
    over a content after the cue, which in this frame is the circumstance ("after the envoy left").

    A frame's quotation starts its sentence and ends in a comma ("“...,” she said", "“...”, she said")
    or in a question or exclamation mark that the sentence runs on after ("“...?” he asked"); only
    the source, commas and spaces within the paragraph stand between it and the cue. A quotation
    that ends its sentence ("... agenda”. Corbyn called", "... overcome!” According to CBS") or sits
    inside one (described as a “historic mandate”, saying) is not the cue's.
    """
    inside_source = {i for start, end in sources for i in range(start, end)}
    for content in sorted(contents, key=lambda c: -c[1]):
        if content in taken or content[1] > cue[0]:
            continue
        first, last = content[0], content[1] - 1
        if not doc[last].is_quote or not any(t.is_alpha for t in doc[first:last]):
            return None  # the nearest content before the cue is no quotation
        if doc[last].text not in CLOSING_MARKS and not doc[last].whitespace_:
            return None  # a straight mark stuck to the next word opens a quotation: ', "Jeremy'
        sentence_start = _sentence_around(doc, first)[0]
        if not all(doc[i].is_punct or doc[i].is_space for i in range(sentence_start, first)):
            return None  # a quotation inside the writer's sentence
        gap = range(content[1], cue[0])
        if any(doc[i].text in _SENTENCE_ENDS or "\n" in doc[i].text for i in gap) or not all(
            i in inside_source or doc[i].is_punct or doc[i].is_space for i in gap
        ):
            return None
        inner = last - 1
        while inner > first and doc[inner].text in _INNER_CLOSING:
            inner -= 1  # "“... the term ‘outreach,’ ”": the comma sits inside the nested quote
        before_mark = doc[inner].text
        after_mark = next((doc[i] for i in gap if not doc[i].is_space), doc[cue[0]])
        if before_mark == "," or after_mark.text == ",":
            return content
        if before_mark in ("?", "!") and after_mark.text[:1].islower():
            return content
        return None
    return None


def _is_gap(doc: Doc, start: int, end: int) -> bool:
    """Only punctuation, quote marks or space between two token offsets."""
    return all(doc[i].is_punct or doc[i].is_space or doc[i].is_quote for i in range(start, end))


def _content_before(
    doc: Doc,
    number: int,
    by_sentence: dict[int, dict[str, list[tuple[int, int]]]],
    used: set[tuple[int, int]],
) -> list[tuple[int, int]]:
    """A cue with no content in its sentence ("He said.") takes the unclaimed content just before."""
    previous = by_sentence.get(number - 1, {})
    if previous.get("cue"):
        return []
    contents = [c for c in previous.get("content", []) if c not in used]
    if not contents:
        return []
    last = contents[-1]
    if not _is_gap(doc, last[1], _sentences(doc)[0][number][0]):
        return []
    return [last]


def _continue_contents(
    doc: Doc,
    groups: list[_Group],
    by_sentence: dict[int, dict[str, list[tuple[int, int]]]],
    used: set[tuple[int, int]],
    sentence_of: Sequence[int],
) -> None:
    """Join later contents that continue a group's content (quotes over several sentences).

    A content continues when only punctuation and the group's own source and cue stand between
    ("“...,” she said. “...”"), or when it opens the next sentence, which has no cue of its own.
    """
    for group in groups:
        _open_quotation(doc, group, by_sentence, used, sentence_of)
        own = set(range(*group.cue)) | (set(range(*group.source)) if group.source else set())
        first = group.content[0]
        before = [
            c
            for c in by_sentence.get(sentence_of[first[0]], {}).get("content", [])
            if c not in used
            and c[1] <= first[0]
            and ((doc[c[0]].is_quote and doc[first[0]].is_quote) or _parenthetical(doc, c, first))
        ]
        if before and (
            all(i in own or doc[i].is_punct for i in range(before[-1][1], first[0]))
            or _comma_frame(doc, group.cue, before[-1], first)
        ):
            used.add(before[-1])  # "“...,” she said, “...”": the quotation before the cue opens it
            group.content.insert(0, before[-1])
        while True:
            last = group.content[-1]
            # a quotation that ends the sentence before its cue ("“...,” | he said, “...”") resumes in
            # the cue's sentence
            here = max(sentence_of[last[1] - 1], sentence_of[group.cue[0]])
            candidates = [
                c
                for number in (here, here + 1)
                for c in by_sentence.get(number, {}).get("content", [])
                if c not in used
                and c[0] >= last[1]
                # within a sentence only a quotation resumes after its cue ("“...,” she said, “...”")
                and (
                    not by_sentence[number].get("cue")
                    if number != here
                    else (doc[c[0]].is_quote and doc[last[0]].is_quote)
                    # "The truce held, the envoy said, until the shelling resumed"
                    or (_parenthetical(doc, last, c) and last[1] <= group.cue[0] < c[0])
                )
            ]
            if not candidates:
                break
            following = min(candidates)
            between = range(last[1], following[0])
            bare = all(i in own or doc[i].is_punct or doc[i].is_space or doc[i].is_quote for i in between)
            if (
                not bare
                and not _comma_frame(doc, group.cue, last, following)
                and not (
                    _quote_frame(doc, group.cue, last, following)
                    # "“...,” he replied": a quotation followed by a cue of its own is that cue's
                    and not any(
                        c[0] >= following[1]
                        for c in by_sentence.get(sentence_of[following[1] - 1], {}).get("cue", [])
                    )
                )
            ):
                break
            opener = doc[group.content[0][0]]
            if (
                sentence_of[following[0]] != here
                and opener.lower_ in _COMPLEMENT_OPENERS
                and not any(t.is_quote or t.text == ":" for t in doc[group.content[0][0] : following[1]])
            ):
                # "She said that the plan failed. The council met": the clause ends with its sentence
                # (unless a colon or a quotation carries it on: "explained why: ...")
                break
            used.add(following)
            if (
                sentence_of[following[0]] != here
                and doc[following[0]].text in OPENING_MARKS
                and doc[group.content[0][0]].text not in OPENING_MARKS
            ):
                # "She criticised the plan. “It will fail.”": the quotation is a claim of its own by
                # the same source, not the end of the reported one (PolNeAR keeps them apart)
                groups.append(dataclasses.replace(group, content=[following]))
                break
            group.content.append(following)


def _quotations_after(
    doc: Doc,
    groups: list[_Group],
    by_sentence: dict[int, dict[str, list[tuple[int, int]]]],
    used: set[tuple[int, int]],
    sentence_of: Sequence[int],
) -> None:
    """A sentence that is one quotation and has no cue of its own is a claim by the speaker of the
    sentence before: "“...,” the minister said on the radio show “Morning Edition.” “The terms are
    unfair.”" (PolNeAR marks it as a content of that cue), also where the frame between cannot join
    the two quotations. A run of such sentences follows the same speaker."""
    bounds = _sentences(doc)[0]
    last_group: dict[int, _Group] = {}
    for group in groups:
        number = sentence_of[group.cue[0]]
        if number not in last_group or last_group[number].cue[0] < group.cue[0]:
            last_group[number] = group
    for number in sorted(by_sentence):
        roles = by_sentence[number]
        speaker = last_group.get(number - 1)
        if roles.get("cue") or speaker is None:
            continue
        start, end = bounds[number]
        for content in roles.get("content", []):
            if (
                content not in used
                and doc[content[0]].text in OPENING_MARKS
                and _is_gap(doc, start, content[0])
                and _is_gap(doc, content[1], end)
                and doc[content[1] - 1].text in CLOSING_MARKS
            ):
                used.add(content)
                groups.append(dataclasses.replace(speaker, content=[content]))
                last_group[number] = speaker


def _open_quotation(
    doc: Doc,
    group: _Group,
    by_sentence: dict[int, dict[str, list[tuple[int, int]]]],
    used: set[tuple[int, int]],
    sentence_of: Sequence[int],
) -> None:
    """Prepend the sentences of a quotation that the group's content closes: "“The talks failed.
    Nobody came. We will try again,” the envoy said." The contents of earlier sentences with no cue
    of their own join when each runs up to the next and the first opens the quotation."""
    first = group.content[0]
    closing = range(first[0], min(first[1] + 1, len(doc)))
    if doc[first[0]].text in OPENING_MARKS or not any(doc[i].text in CLOSING_MARKS for i in closing):
        return
    bounds = _sentences(doc)[0]
    chain: list[tuple[int, int]] = []
    number = sentence_of[first[0]]
    for _ in range(_MAX_QUOTED_SENTENCES):
        if number == 0 or not _is_gap(doc, bounds[number][0], first[0]):
            return
        previous = by_sentence.get(number - 1, {})
        before = [c for c in previous.get("content", []) if c not in used and _is_gap(doc, c[1], first[0])]
        if previous.get("cue") or not before:
            return
        first = before[-1]
        if any(doc[i].text in CLOSING_MARKS for i in range(*first)):
            return
        chain.insert(0, first)
        if doc[first[0]].text in OPENING_MARKS:
            used.update(chain)
            group.content[:0] = chain
            return
        number -= 1


def _parenthetical(doc: Doc, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether a frame set off by commas splits one content ("The plan, he said, will fail")."""
    return before[1] < after[0] and doc[before[1]].text == "," and doc[after[0] - 1].text == ","


def _comma_frame(doc: Doc, cue: tuple[int, int], last: tuple[int, int], following: tuple[int, int]) -> bool:
    """Whether two contents of one sentence are one content split by a frame set off by commas that
    holds their cue and a few words of its own ("The truce, the envoy explained later in the
    day, was holding")."""
    return (
        _parenthetical(doc, last, following)
        and last[1] <= cue[0] < following[0]
        and following[0] - last[1] <= _MAX_COMMA_FRAME
        and _sentence_around(doc, last[0]) == _sentence_around(doc, following[0])
        and not any(doc[i].is_quote or doc[i].text in _SENTENCE_ENDS for i in range(last[1], following[0]))
    )


def _quote_frame(doc: Doc, cue: tuple[int, int], last: tuple[int, int], following: tuple[int, int]) -> bool:
    """Whether two quotations are one speaker's, split by the frame that holds their cue and some
    words of its own ("“...,” the minister said on Monday. “...”", "“...,” she said in a radio
    interview. “...”")."""
    if not (doc[last[0]].is_quote and doc[following[0]].is_quote):
        return False
    if not (last[1] <= cue[0] and cue[1] <= following[0]) or following[0] - last[1] > _MAX_FRAME:
        return False
    return not any(doc[i].is_quote for i in range(last[1], following[0]))


# --- source types and resolution ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ActorIndex:
    """Actor mentions by character offset, for looking up which actor a token belongs to."""

    actors: tuple[Actor, ...]
    by_char: dict[int, Actor]
    mentions: tuple[tuple[int, int, Actor], ...]  # (start, end, actor), in text order

    @classmethod
    def of(cls, actors: Sequence[Actor] | None) -> ActorIndex:
        by_char: dict[int, Actor] = {}
        mentions: list[tuple[int, int, Actor]] = []
        for actor in actors or ():
            for mention in actor.mentions:
                mentions.append((mention.start, mention.end, actor))
                for offset in range(mention.start, mention.end):
                    by_char.setdefault(offset, actor)
        return cls(
            actors=tuple(actors or ()), by_char=by_char, mentions=tuple(sorted(mentions, key=lambda m: m[0]))
        )

    def at(self, token: Token) -> Actor | None:
        return self.by_char.get(token.idx)


def _outlet_at(doc: Doc, start: int, end: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The first media outlet name (lexicon) within doc[start:end]."""
    words = [t.text for t in doc[start:end]]
    for i in range(len(words)):
        for n in range(min(lexicon.longest_outlet, len(words) - i), 0, -1):
            if "".join(words[i : i + n]) in lexicon.outlets:
                return (start + i, start + i + n)
    return None


def _is_media_entity(doc: Doc, ent: SpacySpan, lexicon: Lexicon) -> bool:
    return _outlet_at(doc, ent.start, ent.end, lexicon) is not None


def _entity_type(doc: Doc, ent: SpacySpan, lexicon: Lexicon) -> SourceType | None:
    if ent.label_ == "PERSON":
        return SourceType.NAMED_PERSON
    if ent.label_ in _ORG_LABELS or _is_media_entity(doc, ent, lexicon):
        return SourceType.MEDIA if _is_media_entity(doc, ent, lexicon) else SourceType.NAMED_ORGANISATION
    return None


def _antecedent(
    doc: Doc, before: int, wanted: frozenset[SourceType], lexicon: Lexicon, actors: ActorIndex
) -> _Referent | None:
    """The nearest earlier actor mention or entity of a wanted type, within the last 12 sentences."""
    bounds, of = _sentences(doc)
    here = of[before] if before < len(doc) else len(bounds) - 1
    window_start = bounds[max(0, here - 12)][0] if bounds else 0
    best: _Referent | None = None
    best_at = -1
    start_char = doc[before].idx if before < len(doc) else len(_text(doc))
    for m_start, m_end, actor in actors.mentions:
        if m_end <= start_char and m_start >= doc[window_start].idx:
            kind = _ACTOR_KIND_TYPE.get(actor.kind)
            if kind in wanted and m_start > best_at:
                span = doc.char_span(m_start, m_end, alignment_mode="expand")
                if span is not None:
                    best, best_at = _Referent(kind, actor.id, (span.start, span.end)), m_start
    for ent in _ents(doc):
        if window_start <= ent.start and ent.end <= before and ent.start_char > best_at:
            kind_of = _entity_type(doc, ent, lexicon)
            if kind_of in wanted:
                linked = actors.at(ent[0])
                best = _Referent(kind_of, linked.id if linked else None, (ent.start, ent.end))
                best_at = ent.start_char
    outlet_from = window_start
    while SourceType.MEDIA in wanted and (found := _outlet_at(doc, outlet_from, before, lexicon)):
        if doc[found[0]].idx > best_at:
            linked = actors.at(doc[found[0]])
            best = _Referent(SourceType.MEDIA, linked.id if linked else None, found)
            best_at = doc[found[0]].idx
        outlet_from = found[1]
    return best


def head_of(span: SpacySpan) -> Token:
    """The span's syntactic head; without a parse, its last token (English noun phrases end in theirs)."""
    return span.root if span.doc.has_annotation("DEP") else span[-1]


def classify_source(doc: Doc, start: int, end: int, lexicon: Lexicon, actors: ActorIndex) -> _Referent:
    """The source type and actor of the source mention doc[start:end]."""
    span = doc[start:end]
    root = head_of(span)
    if root.lower_ in _RELATIVES and root.head.dep_ == "relcl" and root.head.head.i < root.i:
        # "X, who said ...": the source is the noun the relative clause hangs on
        # with what stands between it and the clause: "the port's engineer Tomas Berg, who ..."
        antecedent = root.head.head
        if (
            antecedent.dep_ == "appos"
            and antecedent.head.ent_type_ == "PERSON"
            and antecedent.head.i < antecedent.i
        ):
            # "Tomas Berg, a port engineer who said ...": the person the description is of
            person = antecedent.head
            end = _trimmed_end(doc, person.i + 1, antecedent.i)
            return classify_source(doc, person.left_edge.i, end, lexicon, actors)
        end = _trimmed_end(doc, antecedent.i + 1, max(antecedent.i + 1, root.head.left_edge.i))
        return classify_source(doc, antecedent.left_edge.i, end, lexicon, actors)
    actor = actors.at(root)
    actor_id = actor.id if actor else None
    lower = root.lower_
    outlet = _outlet_at(doc, start, end, lexicon)
    if outlet and outlet[0] <= root.i < outlet[1]:
        return _Referent(SourceType.MEDIA, actor_id, None)
    entity = next((e for e in _ents_in(doc, start, end) if e.start <= root.i < e.end), None)
    if entity is not None and entity.label_ == "PERSON":
        # NER's person label is more reliable than a KB kind given to an ambiguous surname
        return _Referent(SourceType.NAMED_PERSON, actor_id, None)
    if (titled := _ends_with_name(doc, start, end)) is not None:
        linked = actors.at(doc[titled.end - 1])
        return _Referent(SourceType.NAMED_PERSON, linked.id if linked else None, None)
    if entity is not None and entity.label_ == "NORP":
        return _Referent(SourceType.ANONYMOUS_GROUP, actor_id, None)
    if entity is not None and _surname_of_person(doc, entity):
        return _Referent(SourceType.NAMED_PERSON, actor_id, None)
    if actor is not None and actor.kind in _ACTOR_KIND_TYPE:
        if any(e.label_ == "PERSON" for e in _mention_entities(doc, actor)):
            return _Referent(SourceType.NAMED_PERSON, actor.id, None)
        return _Referent(_ACTOR_KIND_TYPE[actor.kind], actor.id, None)
    if lower in _COLLECTIVES:
        return _Referent(SourceType.ANONYMOUS_GROUP, None, None)
    if root.pos_ == "PRON" or lower in _PRONOUNS:
        return _pronoun(doc, start, lower, lexicon, actors)
    if entity is None and (people := _people_of_untagged_surname(root, actors)):
        # the actor only when the surname is one person's ("Trump" with Donald and Ivanka named: neither)
        return _Referent(SourceType.NAMED_PERSON, people[0].id if len(people) == 1 else None, None)
    if _counts_people(root, entity):
        # "Around 4,700 said", "Another 3,000 wrote": a count of respondents, like "63 percent"
        return _Referent(SourceType.ANONYMOUS_GROUP, None, None)
    if lower == "one" and not any(
        child.dep_ in {"det", "amod", "poss", "compound"} for child in root.children
    ):
        # "Two aides spoke. One said ...", "One of them said"; not "no one", "a hands-off one, which"
        return _Referent(SourceType.ANONYMOUS_INDIVIDUAL, None, None)
    if entity is not None and (kind := _entity_type(doc, entity, lexicon)):
        return _Referent(kind, None, None)
    noun = lexicon.nouns.get(lower)
    definite = any(
        t.lower_ in {"the", "this", "that"} or t.dep_ == "poss" or t.tag_ == "POS"
        for t in doc[start : root.i]
    )
    if noun is not None and noun.label != "person_noun":
        return _noun_referent(doc, start, noun.label, definite, lexicon, actors)
    plural = root.tag_ in {"NNS", "NNPS"} or (not root.tag_ and lower.endswith("s"))
    inside = _ents_in(doc, start, end)
    # "the union's founder and chairwoman, Maria Olsen": one person, with two titles
    # (a name before the head only modifies it: "a Biden voter", "a Berg Logistics driver")
    named = any(e.label_ == "PERSON" and e.start > root.i and _names_head(e.root, root) for e in inside)
    if named and not plural:
        return _Referent(SourceType.NAMED_PERSON, None, None)
    if any(t.lower_ == "and" for t in span) or (
        plural and not any(c.lower_ in _SINGULAR_DETERMINERS for c in root.children)
    ):
        if any(e.label_ == "PERSON" for e in inside) and not noun:
            return _Referent(SourceType.NAMED_PERSON, None, None)
        return _Referent(SourceType.ANONYMOUS_GROUP, None, None)
    # "her daughter", "the ad's narrator": someone else's relation, not the person named before
    possessed = any(t.dep_ == "poss" or t.tag_ == "POS" for t in doc[start : root.i])
    if noun is not None:
        if definite and not possessed and noun.names_antecedent:
            found = _antecedent(doc, start, frozenset({SourceType.NAMED_PERSON}), lexicon, actors)
            if found:  # "the senator": the person named before
                return found
        return _Referent(SourceType.ANONYMOUS_INDIVIDUAL, None, None)
    for ent in inside:
        if ent.end <= root.i and doc[ent.end].tag_ == "POS":
            continue  # an owner ("North Korea's missile test", "Olsen's deputy") is not the source
        if kind := _entity_type(doc, ent, lexicon):
            return _Referent(kind, None, None)
    if root.pos_ == "PROPN":
        return _Referent(SourceType.NAMED_PERSON, None, None)
    return _Referent(SourceType.UNSPECIFIED, None, None)


def _trimmed_end(doc: Doc, start: int, end: int) -> int:
    """``end`` moved back over trailing punctuation and spaces, never before ``start``."""
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end


def _ends_with_name(doc: Doc, start: int, end: int) -> SpacySpan | None:
    """The person's name that ends a source after its titles ("Harbour police Chief Tomas Berg",
    "the union's chairwoman, Maria Olsen,"), whatever the parse made its head. None when the words
    before the name hold a clause, a list or an example ("the people who elected X", "aides and X",
    "officials like X"), or the name follows no title ("a spokesman for X", "the late X")."""
    end = _trimmed_end(doc, start, end)
    name = next((e for e in _ents(doc) if e.end == end and e.start > start and e.label_ == "PERSON"), None)
    if name is None:
        return None
    before = doc[name.start - 1]
    if not (before.pos_ in ("NOUN", "PROPN") or before.text == ","):
        return None
    for token in doc[start : name.start]:
        if (token.pos_ in ("VERB", "AUX") and not token.ent_type_) or token.pos_ == "CCONJ":
            return None
        if token.lower_ in _EXAMPLE_WORDS:
            return None
    return name


def _names_head(name: Token, head: Token) -> bool:
    """Whether ``name`` names the person ``head`` stands for, beside it ("port engineer Tomas Berg",
    "Berg, an engineer"), not an owner or a relation ("Berg's lawyer", "a spokesman for Berg")."""
    if not head.doc.has_annotation("DEP"):
        return name.i == head.i
    token = name
    for _ in range(8):
        if token.i == head.i:
            return True
        if token.dep_ in ("pobj", "poss") or token.tag_ == "POS" or token.head.i == token.i:
            return False
        token = token.head
    return False


def _surname_of_person(doc: Doc, entity: SpacySpan) -> bool:
    """Whether a one-word name the small model did not label a person ("Trump" as ORG, "Berg" as
    GPE) is the last name of a person the article names ("Donald Trump", "Tomas Berg")."""
    if entity.label_ not in _MISTAKEN_SURNAME_LABELS or len(entity) != 1 or entity[0].pos_ != "PROPN":
        return False
    name = entity[0].text
    return any(e.label_ == "PERSON" and len(e) > 1 and e[-1].text == name for e in _ents(doc))


def _people_of_untagged_surname(token: Token, actors: ActorIndex) -> list[Actor]:
    """The people of the article whose full name ends with ``token``, when the small model gave that
    word no entity at all: at a paragraph's start it tags "Trump boasted" as a common noun."""
    if token.ent_type_ or not token.is_title or len(token.text) < 2:
        return []
    if any(child.dep_ == "conj" for child in token.children):
        return []  # "Trump and his political base": a group, as with a tagged name
    return [
        actor
        for actor in actors.actors
        if actor.kind is ActorKind.PERSON
        and any(
            " " in mention.text and mention.text.rsplit(" ", 1)[1] == token.text for mention in actor.mentions
        )
    ]


def _counts_people(token: Token, entity: SpacySpan | None) -> bool:
    """Whether a source's head is a bare number of more than one: "726 said", "Another 3,000 said"."""
    if entity is not None and entity.label_ != "CARDINAL":
        return False
    return (token.tag_ == "CD" or token.like_num) and token.lower_ not in {"one", "1"}


def _mention_entities(doc: Doc, actor: Actor) -> Iterator[SpacySpan]:
    """spaCy entities that coincide with one of the actor's mentions."""
    starts = {(m.start, m.end) for m in actor.mentions}
    return (e for e in _ents(doc) if (e.start_char, e.end_char) in starts)


def _pronoun(doc: Doc, start: int, lower: str, lexicon: Lexicon, actors: ActorIndex) -> _Referent:
    """Person pronouns resolve to the person named before; "they" stays a group unless linked."""
    if lower in _PERSON_PRONOUNS:
        found = _antecedent(doc, start, frozenset({SourceType.NAMED_PERSON}), lexicon, actors)
        return found or _Referent(SourceType.NAMED_PERSON, None, None)
    if lower in _GROUP_PRONOUNS:
        return _Referent(SourceType.ANONYMOUS_GROUP, None, None)
    if lower in _THING_PRONOUNS:
        wanted = frozenset({SourceType.NAMED_ORGANISATION, SourceType.MEDIA})
        return _antecedent(doc, start, wanted, lexicon, actors) or _Referent(
            SourceType.UNSPECIFIED, None, None
        )
    return _Referent(SourceType.UNSPECIFIED, None, None)


def _noun_referent(
    doc: Doc, start: int, label: str, definite: bool, lexicon: Lexicon, actors: ActorIndex
) -> _Referent:
    """Media, organisation, document, group and "reports" nouns; definite media and organisation nouns
    resolve to the actor named before."""
    if label == "media_noun":
        found = _antecedent(doc, start, frozenset({SourceType.MEDIA}), lexicon, actors) if definite else None
        return found or _Referent(SourceType.MEDIA, None, None)
    if label == "org_noun":
        wanted = frozenset({SourceType.NAMED_ORGANISATION, SourceType.MEDIA})
        found = _antecedent(doc, start, wanted, lexicon, actors) if definite else None
        return found or _Referent(
            SourceType.NAMED_ORGANISATION if definite else SourceType.ANONYMOUS_GROUP, None, None
        )
    if label == "document_noun":
        return _Referent(SourceType.DOCUMENT, None, None)
    if label == "group_noun":  # "his legal team", "the jury": unnamed people acting as one
        return _Referent(SourceType.ANONYMOUS_GROUP, None, None)
    return _Referent(SourceType.UNSPECIFIED, None, None)


def affiliation(doc: Doc, start: int, end: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """An organisation named inside a person's source description ("X, a researcher at Y")."""
    root = head_of(doc[start:end])
    for ent in _ents_in(doc, start, end):
        if ent.start <= root.i < ent.end:
            continue
        if (
            _entity_type(doc, ent, lexicon) in {SourceType.NAMED_ORGANISATION, SourceType.MEDIA}
            and ent.label_ != "NORP"
        ):
            return (ent.start, ent.end)
    return None


def conduits(
    doc: Doc, group: _Group, source_root: int | None, lexicon: Lexicon, actors: ActorIndex
) -> list[tuple[tuple[int, int], _Referent]]:
    """Outlets a claim went through: "told the FT", "met with the FT", "sources connected to the FT"."""
    found: list[tuple[tuple[int, int], _Referent]] = []
    content_tokens = {i for start, end in group.content for i in range(start, end)}
    cue_root = doc[group.cue[0] : group.cue[1]].root
    candidates: list[Token] = []
    content_start = group.content[0][0]
    for token in (cue_root, *cue_root.children):
        for child in token.children:
            # an addressee inside the content only where it opens it ("told [the FT that ...]")
            if child.i in content_tokens and child.left_edge.i != content_start:
                continue
            addressed = child.dep_ in {"dative", "dobj"} and token is cue_root
            prepositional = child.dep_ == "pobj" and token.dep_ == "prep" and token.lower_ in {"to", "with"}
            if addressed or prepositional:
                candidates.append(child)
    for noun in candidates:
        left, right = noun.left_edge.i, noun.i + 1
        if group.source is not None and left < group.source[1] and group.source[0] < right:
            continue  # "according to [Reuters]": the source itself, not a conduit
        referent = classify_source(doc, left, right, lexicon, actors)
        outlet = _outlet_at(doc, left, right, lexicon)
        if outlet and not outlet[0] <= noun.i < outlet[1]:
            continue  # "rejects [New York Times] request": the outlet only names whose request
        if referent.type is SourceType.MEDIA:
            found.append(((left, right), referent))
    if group.source is not None and source_root is not None:
        outlet = _outlet_at(doc, group.source[0], group.source[1], lexicon)
        if outlet and not outlet[0] <= source_root < outlet[1]:
            actor = actors.at(doc[outlet[0]])
            found.append((outlet, _Referent(SourceType.MEDIA, actor.id if actor else None, None)))
    return found


# --- cue properties ----------------------------------------------------------------------------------


def certainty(doc: Doc, cue: tuple[int, int], lexicon: Lexicon) -> Certainty:
    """Asserted, hedged, denied, questioned, or negated ("did not say") from the cue and its verb."""
    tokens = list(doc[cue[0] : cue[1]])
    root = doc[cue[0] : cue[1]].root
    around = [*tokens, *(c for c in root.children if c.dep_ in {"neg", "aux", "advmod"} and c not in tokens)]
    labels = {
        e.label for t in tokens if (e := lexicon.cues.get(t.lemma_.lower()) or lexicon.cues.get(t.lower_))
    }
    if Certainty.DENIED.value in labels:
        return Certainty.DENIED
    if Certainty.NEGATED.value in labels or any(t.dep_ == "neg" or t.lower_ in _NEGATIONS for t in around):
        return Certainty.NEGATED
    if Certainty.QUESTIONED.value in labels:
        return Certainty.QUESTIONED
    if Certainty.HEDGED.value in labels or any(t.lower_ in _HEDGE_MODALS for t in around):
        return Certainty.HEDGED
    return Certainty.ASSERTED


def quote_kind(text: str, start: int, end: int) -> QuoteKind:
    """Direct when the content is a quotation (balanced or running on unclosed), mixed when it holds one."""
    inner = text[start:end].strip()
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    opens = inner[:1] in _OPEN_QUOTES or (before in _OPEN_QUOTES and before != "")
    if opens:
        body = inner[1:] if inner[:1] in _OPEN_QUOTES else inner
        marks = [c for c in body if c in _DOUBLE_QUOTES]
        closes_at_end = body.rstrip(".,;:!?)").endswith(tuple(_CLOSE_QUOTES)) or after in _CLOSE_QUOTES
        # a closing mark only at the very end (or none: a quote running on to the paragraph's end)
        if not marks or (len(marks) == 1 and closes_at_end) or (closes_at_end and len(marks) % 2 == 1):
            return QuoteKind.DIRECT
        return QuoteKind.MIXED
    if any(c in _DOUBLE_QUOTES for c in inner):
        return QuoteKind.MIXED
    return QuoteKind.INDIRECT


def channel_markers(words: Sequence[str], lexicon: Lexicon) -> set[str]:
    """Channel labels whose markers occur in ``words`` (lower case)."""
    found: set[str] = set()
    for i in range(len(words)):
        for n in range(min(lexicon.longest_channel, len(words) - i), 0, -1):
            entry = lexicon.channels.get(tuple(words[i : i + n]))
            if entry is not None:
                found.add(entry.label)
    return found


def channel(doc: Doc, group: _Group, source_type: SourceType, lexicon: Lexicon) -> Channel:
    """Private, published or on record, from markers around the cue, else from the kind of source."""
    content_tokens = {i for start, end in group.content for i in range(start, end)}
    sentence_start, sentence_end = _sentence_around(doc, group.cue[0])
    start = min(sentence_start, group.source[0]) if group.source else sentence_start
    found = channel_markers([t.lower_ for t in doc[start:sentence_end] if t.i not in content_tokens], lexicon)
    for label in (Channel.PRIVATE, Channel.PUBLISHED, Channel.ON_RECORD):
        if label.value in found:
            return label
    if source_type in {SourceType.MEDIA, SourceType.DOCUMENT}:
        return Channel.PUBLISHED
    if source_type in {SourceType.NAMED_PERSON, SourceType.NAMED_ORGANISATION}:
        return Channel.ON_RECORD
    return Channel.UNKNOWN


# --- records -----------------------------------------------------------------------------------------


def _text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it on every access (measured: 40 % of the
    component's time on news articles when read per record)."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def _ents(doc: Doc) -> tuple[SpacySpan, ...]:
    """``doc.ents``, built once per Doc (``build_attributions`` refreshes it): spaCy rebuilds the
    tuple on every access, and ``span.ents`` does so for the whole Doc (measured: a third of the
    rules' time)."""
    if not _LAST_ENTS or _LAST_ENTS[0][0] is not doc:
        _LAST_ENTS[:] = [(doc, tuple(doc.ents))]
    return _LAST_ENTS[0][1]


def _ents_in(doc: Doc, start: int, end: int) -> list[SpacySpan]:
    """The entities wholly inside doc[start:end], as ``span.ents`` gives them."""
    return [e for e in _ents(doc) if start <= e.start and e.end <= end]


def _char_span(doc: Doc, start: int, end: int) -> Span:
    first, last = doc[start], doc[end - 1]
    return Span.of(_text(doc), first.idx, last.idx + len(last.text))


def build_attributions(
    doc: Doc,
    tags: Sequence[str],
    scores: Sequence[float],
    *,
    lexicon: Lexicon,
    actors: Sequence[Actor] | None = None,
    times: Sequence[TimeExpression] | None = None,
) -> Iterator[Attribution]:
    """Attribution records for ``doc`` from its token tags, then those relayed inside their contents."""
    _LAST_ENTS[:] = [(doc, tuple(doc.ents))]
    index = ActorIndex.of(actors)
    spans = spans_to_their_noun(doc, no_cue_in_names(doc, verb_out_of_source(doc, tagged_spans(tags))))
    groups = group_spans(doc, spans, scores)
    groups = signed_quotations(doc, groups)
    built: list[tuple[_Group, Attribution]] = []
    for group in groups:
        record = _record(doc, group, lexicon, index, times)
        if record is not None:
            built.append((group, record))
            yield record
    cues = {i for group, _ in built for i in range(*group.cue)}
    citing: set[int] = set()
    for group, record in built:
        for inner in [*relayed(doc, group, lexicon, cues), *cited(doc, group, lexicon, index, citing)]:
            relay = _record(doc, inner, lexicon, index, times, outer=record)
            if relay is not None:
                yield relay


#: Dashes that sign a quotation with its speaker's name: "“...” ― Ana Ruiz".
_SIGNING_DASHES = frozenset({"―", "—", "–", "--"})
_OPENING_MARKS = frozenset({"“", "”", '"', "``"})  # "”" too: texts that reverse their marks
_CLOSING_MARKS = frozenset({"”", '"', "''"})
#: The most words a signature may have: a name, an age, a job, a place and a date ("― Ana Ruiz, 34,
#: a nurse in Lima", "– Rep. Ana Ruiz, D-Ohio, on a Sunday talk show").
_SIGNATURE_WORDS = 20
#: The most words of the name that signs it.
_NAME_WORDS = 8


#: Lower-case words inside names: "House of Commons", "Mohammed bin Salman".
_NAME_LINKS = frozenset({"of", "for", "and", "de", "del", "da", "van", "von", "bin", "al"})


def _ends_name(token: Token) -> bool:
    """Whether a signature's name stops before ``token``: at a comma or bracket, or at a lower-case
    word of the sentence around the name ("on", "during", "said") that joins no two parts of it."""
    if token.text in (",", ";", "(", "[", "|"):
        return True
    if not token.is_lower or token.pos_ == "PROPN":
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return not (token.lower_ in _NAME_LINKS and following is not None and following.is_title)


def _signature(doc: Doc, start: int) -> list[Token] | None:
    """The words from ``start`` to the end of their line; None when they are more than a signature
    has, found without reading on to the end of a long paragraph: read to the end at every dash of
    an article printed as one line, that was 1.5 % of the whole analysis."""
    words: list[Token] = []
    for token in doc[start:]:
        if "\n" in token.text:
            break
        if not token.is_space:
            if len(words) == _SIGNATURE_WORDS:
                return None
            words.append(token)
    return words


def signed_quotations(doc: Doc, groups: list[_Group]) -> list[_Group]:
    """``groups`` with the paragraphs that are a quotation signed with a dash and a name, as in vox pops
    and epigraphs: "“The schools come first. ...” ― Ana Ruiz". The dash is the cue, the name up
    to its first comma the source, the whole quotation the content. A record that gives the
    quotation, or part of it, to a source outside it (the signature of the paragraph before) is
    replaced; one whose source speaks inside it is nested and stays."""
    signed: list[_Group] = []
    for dash in doc:
        if dash.text not in _SIGNING_DASHES:
            continue
        close = dash.i - 1  # the quotation's closing mark, checked first because it is cheap
        while close > 0 and doc[close].is_space:
            close -= 1
        if doc[close].text not in _CLOSING_MARKS:
            continue
        signature = _signature(doc, dash.i + 1)
        if not signature or not signature[0].is_title:
            continue
        # the name ends at a comma or at a word of the sentence around it ("― Ana Ruiz, 34",
        # "– Sen. Ana Ruiz on a talk show", "—Press Secretary Ana Ruiz during Tuesday's briefing")
        stop = next((t.i for t in signature if _ends_name(t)), signature[-1].i + 1)
        while stop > signature[0].i and doc[stop - 1].is_punct:
            stop -= 1
        name = doc[signature[0].i : stop]
        named = any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in name)
        if not name or len(name) > _NAME_WORDS or not named:
            continue
        start = close
        while start > 0 and "\n" not in doc[start - 1].text:
            start -= 1
        if start >= close or doc[start].text not in _OPENING_MARKS:
            continue
        cue, content, source = (dash.i, dash.i + 1), (start, close + 1), (name.start, stop)
        signed.append(_Group(cue=cue, content=[content], source=source, score=None))

    def replaced(group: _Group) -> bool:
        for quotation in signed:
            start, end = quotation.content[0]
            overlaps = any(a < end and start < b for a, b in group.content)
            inside = group.source is not None and start <= group.source[0] and group.source[1] <= end
            if overlaps and not inside:
                return True
        return False

    return [*(g for g in groups if not replaced(g)), *signed]


def cited(doc: Doc, outer: _Group, lexicon: Lexicon, index: ActorIndex, taken: set[int]) -> list[_Group]:
    """The sources a speaker cites for the same content: "Reuters, citing anonymous sources, reported
    X" holds "anonymous sources" said X, which Reuters relays. Only a cited party counts: a person,
    an organisation, an outlet or anonymous people ("citing security concerns" cites no one). The
    tagger may have marked "citing" as a cue of its own, with the cited party as its content (as
    PolNeAR does); that record stays. ``taken`` (the citing verbs used so far) grows."""
    if outer.source is None:
        return []
    cue_root = doc[outer.cue[0] : outer.cue[1]].root
    source_root = head_of(doc[outer.source[0] : outer.source[1]])
    found: list[_Group] = []
    # the citing verb hangs on the cue or on the source, or is the cue itself ("The agency, quoting
    # two diplomats, [said] that ..." tagged with "quoting" as the cue of what the diplomats said)
    for token in (cue_root, *cue_root.children, *source_root.children):
        if token.i in taken or token.lemma_.lower() not in _CITING or token.tag_ != "VBG":
            continue
        cited_noun = next((c for c in token.children if c.dep_ == "dobj"), None)
        if cited_noun is None:
            continue
        source = (cited_noun.left_edge.i, cited_noun.right_edge.i + 1)
        if any(start < source[1] and source[0] < end for start, end in outer.content):
            continue  # the cited party is what the speaker says ("citing X" tagged as a cue of its own)
        kind = classify_source(doc, *source, lexicon, index).type
        party = (
            kind in (SourceType.NAMED_PERSON, SourceType.MEDIA)
            or (kind is SourceType.NAMED_ORGANISATION and cited_noun.ent_type_ == "ORG")
            or any(lexicon.nouns.get(word) for word in (cited_noun.lower_, cited_noun.lemma_.lower()))
        )
        if not party:
            continue  # "citing security concerns", "citing Iran as an example": no one is cited
        taken.add(token.i)
        found.append(
            _Group(cue=(token.i, token.i + 1), content=list(outer.content), source=source, score=outer.score)
        )
    return found


def relayed(doc: Doc, outer: _Group, lexicon: Lexicon, cues: set[int]) -> list[_Group]:
    """Attributions inside another one's content: "The FT reported that officials said X" holds
    "officials said X", which the FT relays. A reporting verb of the lexicon with its subject and its
    clausal complement, all inside the outer content, is one; the tagger's own cues are left alone.
    ``cues`` (token indices of the cues so far) grows with the ones found."""
    start, end = outer.content[0][0], outer.content[-1][1]
    found: list[_Group] = []
    if quote_kind(_text(doc), doc[start].idx, doc[end - 1].idx + len(doc[end - 1])) is not QuoteKind.INDIRECT:
        return found  # "I think ..." inside a quotation is the speaker's own voice, not a relay
    for token in doc[start:end]:
        if token.pos_ != "VERB" or token.i in cues:
            continue
        entry = lexicon.cues.get(token.lower_) or lexicon.cues.get(token.lemma_.lower())
        if entry is None or not entry.relays:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if subject is None or clause is None or subject.pos_ == "PRON":
            continue  # "Rubio said [he] believes ...": a pronoun is most often the speaker again
        source = (subject.left_edge.i, subject.right_edge.i + 1)
        content = (clause.left_edge.i, clause.right_edge.i + 1)
        if start <= min(source[0], content[0]) and max(source[1], content[1]) <= end:
            found.append(
                _Group(cue=(token.i, token.i + 1), content=[content], source=source, score=outer.score)
            )
            cues.add(token.i)
    return found


def _record(
    doc: Doc,
    group: _Group,
    lexicon: Lexicon,
    index: ActorIndex,
    times: Sequence[TimeExpression] | None,
    *,
    outer: Attribution | None = None,
) -> Attribution | None:
    """The record of one group; ``outer``: the attribution whose content relays this one, whose
    source and conduits become this one's outer conduits."""
    referent = _Referent(SourceType.UNSPECIFIED, None, None)
    source_root: int | None = None
    if group.source is not None:
        referent = classify_source(doc, group.source[0], group.source[1], lexicon, index)
        source_root = head_of(doc[group.source[0] : group.source[1]]).i
    relays = conduits(doc, group, source_root, lexicon, index)
    while len(group.content) > 1 and _opens_next_paragraph(doc, group.content[-1]):
        group.content.pop()  # the tagger ran on over the break: "... to them.\n\n''I have never"
    for span, _ in relays:
        if span[0] == group.content[0][0] and span[1] < group.content[0][1]:  # the addressee is no content
            group.content[0] = (span[1], group.content[0][1])
    group.content[0] = (_with_preposition(doc, group.cue, group.content[0]), group.content[0][1])
    group.content[0] = (_quote_opening(doc, group.content[0]), group.content[0][1])
    group.content[-1] = (group.content[-1][0], _trim_end(doc, group.content[-1]))
    group.content[-1] = (
        group.content[-1][0],
        _close_quotation(doc, group.content[0][0], group.content[-1][1]),
    )
    content = _char_span(doc, group.content[0][0], group.content[-1][1])
    if not any(c.isalnum() for c in content.text):
        return None  # a stray quote mark tagged as content says nothing
    via = [
        Conduit(span=_char_span(doc, *span), actor_id=ref.actor_id, source_type=ref.type)
        for span, ref in relays
    ]
    if outer is not None:
        if outer.source is not None:
            via.append(Conduit(span=outer.source, actor_id=outer.source_actor, source_type=outer.source_type))
        via.extend(outer.via)
    cue = _char_span(doc, *group.cue)
    return Attribution(
        cue=cue,
        content=content,
        source=_char_span(doc, *group.source) if group.source else None,
        source_type=referent.type,
        direct=quote_kind(_text(doc), content.start, content.end),
        certainty=certainty(doc, group.cue, lexicon),
        channel=channel(doc, group, referent.type, lexicon),
        source_actor=referent.actor_id,
        source_resolved=_char_span(doc, *referent.span) if referent.span else None,
        source_affiliation=(
            _char_span(doc, *aff)
            if group.source
            and referent.type is SourceType.NAMED_PERSON
            and (aff := affiliation(doc, group.source[0], group.source[1], lexicon))
            else None
        ),
        via=tuple(via),
        times=_times_in(doc, group, content, times),
        confidence=round(group.score, 3) if group.score is not None else None,
    )


def _opens_next_paragraph(doc: Doc, piece: tuple[int, int]) -> bool:
    """Whether a content piece is only the quote mark that opens a paragraph."""
    start, end = piece
    return end - start == 1 and doc[start].is_quote and start > 0 and "\n" in doc[start - 1].text


def _quote_opening(doc: Doc, span: tuple[int, int]) -> int:
    """The content's start, moved onto the quote mark that opens it right before, as PolNeAR marks
    quotations (the tagger often starts after a mark written ''); a mark that closes a quote stays out."""
    start = span[0]
    if start == 0 or doc[start].is_quote or not doc[start - 1].is_quote:
        return start
    mark = doc[start - 1]
    before = doc[start - 2] if start >= 2 else None
    opens = (
        before is None
        or before.is_punct
        or before.is_space  # a paragraph's first mark opens, even one written ''
        or mark.text in _OPEN_QUOTES - _CLOSE_QUOTES
        or mark.text in OPENING_MARKS
    )
    # "... “without delay.” Clinton plans": the mark closes the quotation open before it (looked for
    # from the sentence before, as the parser may put a closing mark in the next sentence)
    bounds, sentence_of = _sentences(doc)
    since = bounds[max(0, sentence_of[start - 1] - 1)][0]
    marks = [t.text for t in doc[since : start - 1] if t.is_quote]
    still_open = sum(m in OPENING_MARKS for m in marks) > sum(m in CLOSING_MARKS for m in marks) or (
        mark.text == '"' and marks.count('"') % 2 == 1
    )
    return start - 1 if opens and not still_open else start


def _trim_end(doc: Doc, span: tuple[int, int]) -> int:
    """The content's end without a trailing comma, or a final period outside a quotation: PolNeAR
    leaves both out of indirect contents."""
    end = span[1]
    if end - span[0] > 1 and doc[end - 1].text == ",":
        return end - 1
    if end - span[0] > 1 and doc[end - 1].text == "." and not doc[span[0]].is_quote:
        return end - 1
    return end


def _with_preposition(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> int:
    """The content's start moved onto the preposition that introduces it when that preposition is the
    cue verb's and not part of the cue: "responded | to requests for comment", "railed | against the
    procedure" (PolNeAR counts the preposition in the content)."""
    start = content[0]
    if start == 0 or cue[0] <= start - 1 < cue[1]:
        return start
    before = doc[start - 1]
    verb = doc[cue[0] : cue[1]].root
    if before.dep_ == "prep" and before.head.i == verb.i and doc[start].head.i == before.i:
        return start - 1
    return start


def _close_quotation(doc: Doc, start: int, end: int) -> int:
    """The content's end, moved onto the mark that closes a quotation it opens and leaves open ("“The
    talks failed. Nobody came. We will try again,” | the envoy said" tagged one sentence at a time):
    the quotation runs to its closing mark, within the paragraph and a few sentences, unless another
    quotation opens first."""
    words = [t.text for t in doc[start:end]]
    straight = words[0] == '"'
    if straight:
        still_open = words.count('"') % 2 == 1
    else:
        still_open = sum(w in OPENING_MARKS for w in words) > sum(w in CLOSING_MARKS for w in words)
    if not still_open:
        return end
    sentence_of = _sentences(doc)[1]
    last_sentence = sentence_of[end - 1] + _MAX_QUOTED_SENTENCES
    for i in range(end, len(doc)):
        token = doc[i]
        if sentence_of[i] > last_sentence or (token.is_space and "\n" in token.text):
            break
        if token.text in CLOSING_MARKS or (straight and token.text == '"'):
            return i + 1
        if token.text in OPENING_MARKS:
            break
    return end


def _times_in(
    doc: Doc, group: _Group, content: Span, times: Sequence[TimeExpression] | None
) -> tuple[str, ...]:
    """Ids of time expressions inside the content or the cue's sentence."""
    if not times:
        return ()
    sentence = _char_span(doc, *_sentence_around(doc, group.cue[0]))
    lo, hi = min(sentence.start, content.start), max(sentence.end, content.end)
    ids = [time.id for time in times if lo <= time.span.start and time.span.end <= hi]
    return tuple(ids)

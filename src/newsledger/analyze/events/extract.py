"""Event extraction over a parsed Doc: triggers, arguments, mode, date, place and attribution.

Triggers are verbs found in the lexicons (hand-written entries first, then PETRARCH's CAMEO verb
dictionary with its object patterns) and nominal triggers ("talks", "sanctions", "the invasion").
Arguments come from the dependency parse: subject -> source, object or prepositional object -> target;
passives swap them ("was attacked by"); xcomp chains and conjoined verbs inherit the governing
subject; pronoun subjects of reported clauses fall back to the speaker. Frames such as "threatened to"
or "urged ... to" make one event with a mode instead of coding the governed action as a fact; the
``statement`` frame (CAMEO 01: "rejected accusations", "expressed condolences") is itself the event
(type ``STATEMENT``), never what it speaks of.
Implicit parties: the government of a dismissed office holder's country, the parties of a known
reference event ("the special operation in Ukraine"), and, for an event with no actor as target, the
closest named actor of another country. Dates come from the trigger's clause, a governing clause or
the known event, else the publication date. With the learned argument tagger (``arguments.py``), the
parties it tags go to the closest trigger and redraw, fill or replace that event's parties where the
rules' coding allows (``_tagged_parties``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.attributions.tagger import SpanTagger
from newsledger.analyze.events.arguments import TaggedArguments, tag_arguments
from newsledger.analyze.events.coding import NON_STATE, PLACE_PREPS, ActorCoder, Coded, counted_noun
from newsledger.analyze.events.lexicon import ARMED_SECTORS, STATEMENT, KnownEvent, Lexicon, load_lexicon
from newsledger.analyze.events.targets import Chooser, candidate_spans, target_features
from newsledger.analyze.times.events import EventIndex, ReferenceEvent, event_index
from newsledger.model import Event, EventActor, EventDate, EventMode, Location, Span, TimeExpression

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECTS = frozenset({"dobj", "obj", "dative", "attr", "oprd"})
_TARGET_PREPS = (
    "with",
    "to",
    "against",
    "on",
    "into",
    "from",
    "for",
    "toward",
    "towards",
    "over",
    "of",
    "between",
    "upon",
    "onto",
    "at",
)
#: Entity types of times, which are never a party ("met on Monday").
_TIMES = frozenset({"DATE", "TIME"})
_NOT_ACTORS = _TIMES | {"CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
_SOURCE_PREPS = ("by",)
#: Prepositional phrases that belong to the noun phrase: "civilians in Syria", "a request from the Times".
_PHRASE_PREPS = frozenset(
    {"of", "in", "from", "near", "at", "by", "inside", "outside", "within", "across", "around"}
)
#: Prepositions of an object that name the verb's target: "held talks with Xi", "sanctions on Russia".
_OBJECT_PREPS = frozenset(_TARGET_PREPS) - _PHRASE_PREPS
#: Dependents that leave a noun phrase: its clauses and conjuncts ("X and Y" are two actors).
_PHRASE_STOPS = frozenset({"relcl", "acl", "conj", "advcl", "ccomp", "xcomp", "parataxis", "npadvmod"})
#: Prepositions that tie a thing to the place or people it belongs to or applies to.
_THING_PREPS = frozenset({"in", "of", "on", "by", "from", "against", "over", "to", "for", "inside", "across"})
#: Clauses below these relations are other events: their words do not belong to this trigger's context.
_CLAUSES = frozenset({"ccomp", "advcl", "conj", "parataxis", "relcl", "acl", "xcomp", "csubj"})
_SPEECH = frozenset(
    {
        "say",
        "tell",
        "report",
        "claim",
        "add",
        "state",
        "announce",
        "write",
        "insist",
        "argue",
        "note",
        "believe",
        "think",
        "confirm",
        "suggest",
        "according",
        "declare",
        "reiterate",
        "conclude",
        "stress",
        "warn",
        "demand",
        "maintain",
        "assert",
        "repeat",
    }
)
#: Verbs whose nominal object names the event: "held talks", "staged a protest", "carried out strikes".
_LIGHT_VERBS = frozenset(
    {
        "hold",
        "stage",
        "organize",
        "organise",
        "launch",
        "carry",
        "conduct",
        "mount",
        "begin",
        "start",
        "resume",
        "continue",
        "undertake",
        "impose",
        "announce",
        "make",
        "step",
        "intensify",
        "escalate",
        "call",
        "issue",
        "declare",
        "reach",
    }
)
#: Speech verbs that only report; "warned that" and "demanded that" are events themselves.
_REPORTING = _SPEECH - {"warn", "demand"}
#: Subjects that deny anyone did it ("nobody claimed responsibility"; "no one" is "one" with "no").
_NOBODY = frozenset({"nobody", "none", "noone"})
#: Speech acts whose refusal is no event ("declined to comment", "refused to elaborate").
_NO_COMMENT = _SPEECH | {
    "comment",
    "elaborate",
    "speculate",
    "respond",
    "answer",
    "disclose",
    "reveal",
    "speak",
}
_DEMAND_AUX = frozenset({"must", "should"})
#: Nouns that count or carry what a verb acts on: "sent hundreds of troops", "delivered a shipment of
#: vaccines", "returned dozens of artifacts" act on the troops, vaccines and artifacts.
_MEASURE_NOUNS = frozenset(
    {
        "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
        "score", "scores", "number", "lot", "lots", "batch", "shipment", "consignment", "cargo",
        "load", "truckload", "truckloads", "planeload", "convoy", "ton", "tons", "tonne", "tonnes",
        "package", "supply", "stock", "stockpile", "cache",
    }
)  # fmt: skip
#: Nouns naming an intention: the act their "to" clause names has not happened ("an intent to launch").
_INTENT_NOUNS = frozenset(
    {"intent", "intention", "plan", "plans", "readiness", "willingness", "bid", "desire", "wish", "ambition"}
)
#: Words whose "to" complement is an act intended or planned, not done: "is willing to provide aid",
#: "stands ready to help", "is due to visit" (adjectives), "is set to meet" (participles); and adjectives
#: that refuse it ("is reluctant to lift the ban").
_INTENT_ADJECTIVES = frozenset({"willing", "ready", "prepared", "determined", "eager", "keen", "due"})
_PLANNED_PARTICIPLES = frozenset({"set", "poised", "scheduled", "slated"})
_UNWILLING_ADJECTIVES = frozenset({"unwilling", "reluctant", "loath", "loth"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "can", "should", "ca", "must"})
_HYPOTHETICAL_MODIFIERS = frozenset({"possible", "potential", "hypothetical", "eventual", "prospective"})
_FUTURE_MODIFIERS = frozenset({"upcoming", "planned", "forthcoming", "future", "proposed", "scheduled"})
#: PLOVER/CAMEO convention: an intention to cooperate is AGREE, an intention to use force is THREATEN.
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "AGREE"})
_MATERIAL_CONFLICT = frozenset({"SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"})
#: Prepositions naming what an accusation is about ("complained to the UN over the raids").
_GRIEVANCE_PREPS = frozenset({"over", "about", "against"})
#: Acts done together: "A and B" as subject are partners, the second the target ("Putin and Xi met").
_SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
#: Sectors of office holders whose dismissal or demotion is done by their government (CAMEO 172).
_OFFICIAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "SPY", "LEG"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


class _DocCache:
    """What several events of one Doc look up: its entities by sentence, coded entity spans."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._ents: list[SpacySpan] | None = None
        self.coded: dict[tuple[int, int, dt.date | None], Coded] = {}

    def ents(self, sent: SpacySpan) -> list[SpacySpan]:
        if self._ents is None:
            self._ents = list(self.doc.ents)  # doc.ents builds new spans on every access
        return [e for e in self._ents if sent.start <= e.start < sent.end]


@dataclasses.dataclass(slots=True)
class _Trigger:
    token: Token
    type: str
    cameo: str | None
    frame: str | None = None
    nominal: bool = False
    #: the objects that make the verb this event ("lifted the ban", "sent troops"): part of the
    #: predicate, so a party only when the clause names no other ("lifted the ban on the LTTE")
    objects: frozenset[int] = frozenset()
    #: each party does the act with the other (the lexicon's ``reciprocal``: "met", "held talks with")
    reciprocal: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class EventSentence:
    """A sentence with event triggers: all of them (some only absorb others), the ones that make
    events, and the parties the argument tagger found (None without a tagger)."""

    sent: SpacySpan
    triggers: dict[int, _Trigger]
    live: list[_Trigger]
    parties: TaggedArguments | None


def find_triggers(
    doc: Doc, *, lexicon: Lexicon | None = None, arguments: SpanTagger | None = None
) -> list[EventSentence]:
    """The sentences of ``doc`` that hold triggers, tagged by ``arguments`` when given. This is the
    part of ``extract_events`` that may run ahead in a helper thread (``analyze.ahead``)."""
    if not doc.has_annotation("DEP"):
        return []
    lexicon = lexicon or load_lexicon()
    found: list[tuple[SpacySpan, dict[int, _Trigger], list[_Trigger]]] = []
    for sent in doc.sents:
        triggers = _triggers(sent, lexicon)
        absorbed = _absorbed(triggers)
        live = [trigger for trigger in triggers.values() if trigger.token.i not in absorbed]
        if live:
            found.append((sent, triggers, live))
    tagged: list[TaggedArguments | None] = [None] * len(found)
    if arguments is not None and found:
        tagged = list(
            tag_arguments(
                arguments,
                [sent for sent, _, _ in found],
                [{t.token.i for t in live if t.token.pos_ in ("VERB", "AUX")} for _, _, live in found],
            )
        )
    return [
        EventSentence(sent, triggers, live, parties)
        for (sent, triggers, live), parties in zip(found, tagged, strict=True)
    ]


def extract_events(
    doc: Doc,
    *,
    lexicon: Lexicon | None = None,
    coder: ActorCoder | None = None,
    arguments: SpanTagger | None = None,
    found: list[EventSentence] | None = None,
    chooser: Chooser | None = None,
) -> Iterator[Event]:
    """The coded events of ``doc`` in text order (needs a parsed Doc; uses doc._ records if present).

    With an ``arguments`` tagger (``arguments.load_argument_tagger``), each sentence with a trigger is
    tagged, and the event its tagged parties belong to takes them as its source and target; a
    ``chooser`` (``targets.load_target_chooser``) then picks that event's target among the sentence's
    phrases. ``found``: what ``find_triggers`` returned for this doc, when it ran already.
    """
    if not doc.has_annotation("DEP"):
        return
    lexicon = lexicon or load_lexicon()
    coder = coder or ActorCoder()
    if found is None:
        found = find_triggers(doc, lexicon=lexicon, arguments=arguments)
    published: dt.date | None = doc._.published if isinstance(doc._.published, dt.date) else None
    times: Sequence[TimeExpression] = doc._.times or ()
    attributions = doc._.attributions
    cache = _DocCache(doc)
    for sentence in found:
        sent, triggers, parties = sentence.sent, sentence.triggers, sentence.parties
        main = _tagged_trigger(sentence.live, parties) if parties is not None else None
        for trigger in sentence.live:
            own = (
                _own_parties(trigger.token, parties, statement=trigger.type == STATEMENT)
                if trigger is main and parties is not None
                else None
            )
            event = _event(
                doc,
                sent,
                trigger,
                triggers,
                coder,
                published,
                times,
                attributions,
                lexicon,
                cache,
                own,
                chooser,
            )
            if event is not None and (
                event.source is not None or event.target is not None
            ):  # no participants: nothing to code
                yield event
                yield from _conjoined(doc, coder, event, own)
                yield from _conjoined(doc, coder, event, own, role="source")
                if (back := _reciprocated(doc, event, own, trigger, coder, lexicon.party_nouns)) is not None:
                    yield back


def _reciprocated(
    doc: Doc,
    event: Event,
    parties: TaggedArguments | None,
    trigger: _Trigger,
    coder: ActorCoder,
    party_nouns: frozenset[str],
) -> Event | None:
    """The same act the other way round when each party did it with the other: a meeting or talks
    between two parties (the lexicon's ``reciprocal``: "Lavrov held talks with Safadi", as the
    ConfliBERT annotators mark both parties of 13 of 14 such meetings), or parties the tag layer marks
    as reciprocal ("Chile and Peru signed an accord", where both show the same words coded as Chile and
    as Peru). Tagged words are compared drawn whole, as the event's parties are (``whole_party``)."""
    source, target = _token_span(doc, event.source), _token_span(doc, event.target)
    if event.source is None or event.target is None or source is None or target is None:
        return None
    if (
        trigger.reciprocal
        and source != target
        and _is_party(doc, coder, source, party_nouns)
        and _is_party(doc, coder, target, party_nouns)
    ):
        return dataclasses.replace(event, source=event.target, target=event.source)
    if parties is None:
        return None
    both = {whole_party(doc, *span) for span in parties.sources} & {
        whole_party(doc, *span) for span in parties.targets
    }
    if event.source == event.target or source not in both or target not in both:
        return None
    return dataclasses.replace(event, source=event.target, target=event.source)


def _conjoined(
    doc: Doc, coder: ActorCoder, event: Event, parties: TaggedArguments | None, role: str = "target"
) -> Iterator[Event]:
    """One more event for each party conjoined with the event's target, or its source with ``role``
    "source": "imposed sanctions on Pompeo, Azar and Bannon" is three dyads, and so is "Mexico and
    Canada lifted tariffs on ..." two, as PETRARCH codes compound actors. Names conjoined with a named
    party are parties of their own; for other phrases the tag layer, when it ran, decides ("sanctions
    on Libya and Iraq", "Syrian refugees and vulnerable Jordanians" are two; "Abdullah and four members
    of his family" is one, as the annotators marked it). Each new party spans its own words, which
    never take in the trigger, the other party or another conjunct."""
    party = _token_span(doc, getattr(event, role))
    if party is None:
        return
    head = _span_root(doc, *party)
    conjuncts: tuple[Token, ...] = head.conjuncts
    named = [c for c in conjuncts if c.pos_ == "PROPN"] if head.pos_ == "PROPN" else []
    # the parse may join the next party to a word inside this one ("the airport of Abha and the
    # military base": "base" to "Abha"); the tag layer says whether it is a party of its own
    inner = {c for t in doc[party[0] : party[1]] for c in t.conjuncts if not party[0] <= c.i < party[1]}
    spans = (parties.targets if role == "target" else parties.sources) if parties else ()
    tagged = [root for span in spans if (root := _span_root(doc, *span)) in conjuncts or root in inner]
    conjuncts = (*conjuncts, *(c for c in inner if c not in conjuncts))
    other = _token_span(doc, event.source if role == "target" else event.target)
    taken = [party, *([other] if other else [])]
    trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    avoid = [*(trigger or ()), head, *([_span_root(doc, *other)] if other else [])]
    when = _when(event.date)
    for root in sorted({*named, *tagged}):
        actor = _actor(
            doc, coder, root, when, role=role, avoid=[*avoid, *(c for c in conjuncts if c != root)]
        )
        span = _token_span(doc, actor)
        if actor is None or span is None or any(span[0] < end and start < span[1] for start, end in taken):
            continue
        taken.append(span)
        drawn = _drawn_whole(doc, actor)
        if role == "target":
            yield dataclasses.replace(event, target=drawn)
        else:
            yield dataclasses.replace(event, source=drawn)


def _span_root(doc: Doc, start: int, end: int) -> Token:
    """The token of ``doc[start:end]`` whose head lies outside it (the last such, as for "X and Y")."""
    roots = [t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i]
    return roots[-1] if roots else doc[end - 1]


def _own_parties(trigger: Token, parties: TaggedArguments, *, statement: bool = False) -> TaggedArguments:
    """The tagged parties less those of another predicate: a party that hangs from a verb coordinated
    with one of the trigger's governors, not with the trigger itself ("the decision to invade was
    taken by a few and warned against Germany ...": Germany is what "warned" is about), or from an
    adverbial clause with a subject of its own ("After his release, Mugabe led ...; Mugabe was
    hailed"). A verb coordinated with the trigger shares its object ("attacked and occupied the town").

    A ``statement`` (CAMEO 01) never takes a party from what it speaks of either: a clause with a
    subject of its own ("rejected accusations that it had tortured prisoners") keeps only that
    subject. Other events do take such parties: the ConfliBERT annotators drew the target of "launched
    an attack that included troops ... on the SDF headquarters" or "will return weapons they seized
    from the Iraqi army" inside the clause. Nor is a word of the clauses above the trigger that
    it does not act on a target (``_governing_words``: "the decision to invade was taken by a few")."""
    governing = _governing_words(trigger)
    return dataclasses.replace(
        parties,
        sources=tuple(span for span in parties.sources if _owned(trigger, span, statement=statement)),
        targets=tuple(
            span
            for span in parties.targets
            if _owned(trigger, span, statement=statement)
            and _span_root(trigger.doc, *span).i not in governing
        ),
    )


def _owned(trigger: Token, span: tuple[int, int], *, statement: bool = False) -> bool:
    """Whether the phrase ``span`` can be a party of ``trigger`` and not of another predicate
    (``_own_parties``)."""
    return _owned_head(trigger, _span_root(trigger.doc, *span), statement=statement)


def _owned_head(trigger: Token, node: Token, *, statement: bool = False) -> bool:
    """``_owned`` for the phrase headed by ``node``."""
    governors = {trigger.i, *(t.i for t in trigger.ancestors)}
    below: Token | None = None  # the node the walk came up from
    while node.i not in governors and node.head.i != node.i:
        if node.pos_ in ("VERB", "AUX") and (
            (node.dep_ == "conj" and node.head.i != trigger.i)
            or (node.dep_ == "advcl" and _first_child(node, _SUBJECTS) is not None)
            or (
                statement
                and node.dep_ in ("ccomp", "acl", "relcl")
                and below is not None
                and below.dep_ not in _SUBJECTS
                and _first_child(node, _SUBJECTS) is not None
            )
        ):
            return False
        below, node = node, node.head
    return True


def _tagged_trigger(live: list[_Trigger], parties: TaggedArguments) -> _Trigger | None:
    """The trigger the tagged parties are arguments of: outside them, and the closest to them in the
    parse (then the highest, then the first)."""
    spans = [*parties.sources, *parties.targets]
    if not spans:
        return None
    doc = live[0].token.doc
    roots = [_span_root(doc, start, end) for start, end in spans]
    outside = [t for t in live if not any(start <= t.token.i < end for start, end in spans)]
    if not outside:
        return None
    return min(
        outside,
        key=lambda t: (
            sum(_tree_distance(t.token, root) for root in roots),
            sum(1 for _ in t.token.ancestors),
            t.token.i,
        ),
    )


def _tagged_parties(
    doc: Doc,
    coder: ActorCoder,
    parties: TaggedArguments,
    source: EventActor | None,
    target: EventActor | None,
    when: dt.date | None,
    trigger: Token,
    *,
    fallback: bool = False,
    party_nouns: frozenset[str] = frozenset(),
) -> tuple[EventActor | None, EventActor | None]:
    """What the tagged parties change in the parties the rules found and coded.

    A tagged span that holds the head of the rules' party is that party in the annotators' words: the
    words change, the code stays (the rules code with more context: a protest's government, an office
    holder's country). A tagged span fills a party the rules did not find, or replaces one they could
    not code; a coded party the tagger disagrees with stays. A span tagged as both parties ("Chile and
    Peru signed") is reciprocal: both parties show its words, coded as its first and next conjunct. The
    speaker of a reporting verb around the trigger ("The FT reports that ... the statement issued by
    China") is never a tagged party. A ``fallback`` target (the closest actor of another country, for
    want of a target in the clause) gives way to the tagged target, coded by its own words only: an
    unknown party stays uncoded rather than take another's code.
    """
    sources = [span for span in parties.sources if not _speaker(doc, span, trigger)]
    for span in sources:
        if span in parties.targets and (source is None or _holds(doc, span, source)):
            both = _reciprocal(doc, coder, span, when)
            if both is not None:
                return both
    # one party is never both: a span holding the other party's head, or naming it again ("Mugabe
    # led ...; Mugabe was hailed"), is that party's
    sources = [span for span in sources if target is None or not _holds_or_names(doc, span, target)]
    source = _settle(doc, coder, source, sources, "source", when, trigger, party_nouns=party_nouns)
    others = [span for span in parties.targets if source is None or not _holds_or_names(doc, span, source)]
    if fallback and target is not None and others and not any(_holds(doc, t, target) for t in others):
        target = None  # only a guess: the tagged target, coded by its own words, comes first
    return source, _settle(
        doc, coder, target, others, "target", when, trigger, source=source, party_nouns=party_nouns
    )


def _names_two(doc: Doc, span: Span) -> bool:
    """Whether the words hold a coordination ("the ACLU and the Kochs")."""
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    return words is not None and any(t.dep_ == "conj" for t in words)


def _holds_or_names(doc: Doc, span: tuple[int, int], actor: EventActor) -> bool:
    """Whether the token span holds the head of ``actor``'s words or repeats them."""
    return _holds(doc, span, actor) or doc[span[0] : span[1]].text.casefold() == actor.span.text.casefold()


def _holds(doc: Doc, span: tuple[int, int], actor: EventActor) -> bool:
    """Whether the token span holds the head of ``actor``'s words."""
    words = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return words is not None and span[0] <= _span_root(doc, words.start, words.end).i < span[1]


def _settle(
    doc: Doc,
    coder: ActorCoder,
    actor: EventActor | None,
    spans: list[tuple[int, int]],
    role: str,
    when: dt.date | None,
    trigger: Token,
    *,
    source: EventActor | None = None,
    party_nouns: frozenset[str] = frozenset(),
) -> EventActor | None:
    """One role's party; see ``_tagged_parties``. A tagged span that cuts through the rules' party
    without holding its head ("The two" of "The two sides") is a broken span and changes nothing.
    ``source``: the event's source, for a target. A source, or a target whose head word names a thing,
    not people or a group ("the situation in Mali", "an appeal"), or a place where or whither
    something happens ("deported migrants to Honduras", "held civilians in Raqqa"), gives way to a
    tagged party elsewhere that names people or a group, whatever its own code (``party_nouns``: the
    lexicon's nouns for people); a known event's parties, which span its name ("the invasion of
    Iraq", holding the ``trigger``), keep theirs."""
    words = None if actor is None else doc.char_span(actor.span.start, actor.span.end, "expand")
    head = _span_root(doc, words.start, words.end) if words is not None and len(words) else None
    weak = (
        actor is not None
        and head is not None
        and words is not None
        and not words.start <= trigger.i < words.end  # a known event's parties span its name
        and (
            role == "source"
            or (actor.sector is None and not _names_party(head, party_nouns))
            or (head.ent_type_ in _PLACES and head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPS)
        )
    )
    known = actor is not None and (
        actor.country is not None or actor.sector is not None or _named(doc, actor)
    )
    pronoun = words is not None and len(words) == 1 and words[0].pos_ == "PRON"
    if pronoun and actor is not None and source is not None and words is not None:
        # "Modi called Kishida to congratulate him": an object pronoun that is not reflexive never
        # stands for its own clause's subject, so an antecedent that codes as the source is wrong
        reflexive = words[0].lower_.endswith(("self", "selves"))
        if not reflexive and (actor.country, actor.sector) == (source.country, source.sector):
            known = False
    if actor is not None and known and words is not None and pronoun:
        # "called Scott Morrison to congratulate him": the tagged name the pronoun stands for, when
        # it codes as the pronoun's antecedent does (another name is the tagger's mistake)
        for start, end in spans:
            named = doc[start:end]
            if start <= words.start < end or not _names_someone(named):
                continue
            coded = coder.code_tokens(doc, list(named), when)
            if (coded.country, coded.sector) == (actor.country, actor.sector):
                return dataclasses.replace(
                    actor, span=Span(start=named.start_char, end=named.end_char, text=named.text)
                )
    for start, end in spans:
        if actor is not None and _holds(doc, (start, end), actor):
            shown = doc[start:end]
            if not known:  # the annotators' words may name what codes it ("hideouts in Waziristan")
                return _actor(doc, coder, _span_root(doc, start, end), when, role=role, avoid=[], words=shown)
            return dataclasses.replace(
                actor, span=Span(start=shown.start_char, end=shown.end_char, text=shown.text)
            )
    if known and not weak:
        return actor
    for start, end in spans:
        if words is None or end <= words.start or words.end <= start:
            root = _span_root(doc, start, end)
            tagged = _actor(doc, coder, root, when, role=role, avoid=[], words=doc[start:end])
            if known and (tagged is None or tagged.sector is None) and not _names_party(root, party_nouns):
                continue  # a coded party gives way only to people or a group, never to a thing
            return tagged
    return actor


#: Entity labels of places, and the prepositions that name where or whither something happens.
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPS = frozenset({"in", "at", "to", "near", "inside", "into", "across", "throughout"})


def _acting_group(noun: Token) -> bool:
    """Whether ``noun`` names people who can act: a name ("a quote from Indyk criticizing"), or a
    plural its own modifiers or "of" phrase name ("Saudi women demanding", "Ukrainian forces
    fighting", "members of Congress considering"). A thing
    that speaks for its issuer ("a statement urging calm", "comments by X defending") and a medium
    ("a message on Twitter blaming") are none."""
    if noun.dep_ == "pobj" and noun.head.lower_ in ("on", "in", "at", "via", "through"):
        return False
    if noun.pos_ == "PROPN" or noun.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    named = ("GPE", "NORP", "ORG")
    return noun.tag_ == "NNS" and any(
        (c.dep_ in ("amod", "compound") and (c.pos_ == "PROPN" or c.ent_type_ in named))
        or (  # "members of Congress considering sanctions"
            c.dep_ == "prep"
            and c.lower_ == "of"
            and any(g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.ent_type_ in named) for g in c.children)
        )
        for c in noun.children
    )


def _names_someone(words: SpacySpan) -> bool:
    return any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in words)


def _speaker(doc: Doc, span: tuple[int, int], trigger: Token) -> bool:
    """Whether ``span`` is the subject of a reporting verb whose reported clause holds the trigger and
    has a subject of its own ("The FT reports that Beijing's reading contrasts with ..."). A pronoun
    subject ("The army says it has killed ...") stands for the speaker, who is then the party."""
    root = _span_root(doc, *span)
    verb = root.head
    if root.dep_ not in _SUBJECTS or verb.lemma_.lower() not in _REPORTING:
        return False
    for clause in (trigger, *trigger.ancestors):
        if clause.head.i == verb.i and clause.dep_ in ("ccomp", "parataxis"):
            subject = _first_child(clause, _SUBJECTS)
            return subject is not None and subject.pos_ != "PRON"
    return False


def _reciprocal(
    doc: Doc, coder: ActorCoder, span: tuple[int, int], when: dt.date | None
) -> tuple[EventActor, EventActor] | None:
    """The two parties of a coordinated span ("The US and China"), each spanning all of its words."""
    start, end = span
    first = _span_root(doc, start, end)
    second = next((c for c in first.children if c.dep_ == "conj" and start <= c.i < end), None)
    words = doc[start:end]
    shown = Span(start=words.start_char, end=words.end_char, text=words.text)
    if second is None:
        return _coordinated_modifiers(doc, coder, first, span, shown, when)
    parties = []
    for head, other in ((first, second), (second, first)):
        actor = _actor(doc, coder, head, when, role="source", avoid=[other])
        if actor is None:
            return None
        parties.append(dataclasses.replace(actor, span=shown))
    return parties[0], parties[1]


def _coordinated_modifiers(
    doc: Doc, coder: ActorCoder, head: Token, span: tuple[int, int], shown: Span, when: dt.date | None
) -> tuple[EventActor, EventActor] | None:
    """The two parties of one noun with coordinated owners ("Nigerian and British armed forces", "UK
    and EU negotiators", "the armies of Brazil and Argentina"), each coded as its owner's ``head``."""
    start, end = span
    owners = [
        *(c for c in head.children if c.dep_ in ("amod", "compound", "nmod", "poss")),
        *_prep_objects(head, "of"),
    ]
    for owner in owners:
        partner = next((c for c in owner.children if c.dep_ == "conj" and start <= c.i < end), None)
        if partner is None or not start <= owner.i < end:
            continue
        parties = []
        sector = coder.code_tokens(doc, [head], when).sector  # "armed forces": MIL for both
        for name in (owner, partner):
            coded = coder.code_tokens(doc, [name], when)
            if coded.country is None:
                return None
            own = sector or coded.sector
            code = coded.country + (own or "") if coded.country not in NON_STATE else coded.code
            parties.append(
                EventActor(span=shown, actor_id=None, country=coded.country, sector=own, code=code)
            )
        return parties[0], parties[1]
    return None


# --- triggers ----------------------------------------------------------------------------------------


def _triggers(sent: SpacySpan, lexicon: Lexicon) -> dict[int, _Trigger]:
    found: dict[int, _Trigger] = {}
    for token in sent:
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT" and token.lemma_ != "be"):
            trigger = _verb_trigger(token, lexicon)
        elif (
            token.pos_ == "ADJ"
            and token.dep_ == "acomp"
            and token.head.pos_ in ("VERB", "AUX")
            and token.lemma_.lower() in lexicon.verbs
        ):
            # a stance told by an adjective ("is pessimistic about"), looked up like a verb
            trigger = _verb_trigger(token, lexicon)
        elif token.pos_ in ("NOUN", "PROPN"):
            trigger = _noun_trigger(token, lexicon)
        else:
            trigger = None
        if trigger is not None and token.dep_ not in ("amod", "compound", "prep", "agent"):
            found[token.i] = trigger
    return found


def _particle(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "prt":
            return child.lower_
    return None


def _verb_trigger(token: Token, lexicon: Lexicon) -> _Trigger | None:
    lemma = token.lemma_.lower()
    if lemma in _REPORTING and (
        token.dep_ == "parataxis" or any(c.dep_ in ("ccomp", "parataxis") for c in token.children)
    ):
        return None  # a reporting verb ("he added"): what it reports is the event
    particle = _particle(token)
    # "on Wednesday" is a date, not the "on" of "call on"
    preps = {
        c.lower_
        for c in token.children
        if (c.dep_ in ("prep", "agent") or (c.dep_ == "dative" and c.pos_ == "ADP"))
        and not any(g.ent_type_ in _NOT_ACTORS for g in c.children)
    }
    acted_on = _logical_objects(token)
    # what a measure counts or carries: "hundreds of troops" -> troops (with its measure, never a party)
    measured = {counted: measure for measure in acted_on if (counted := _counted(measure)) is not None}
    objects = {c.lemma_.lower() for c in [*acted_on, *measured]}
    best = None
    best_score = -1
    for entry in lexicon.verbs.get(lemma, ()):
        if entry.particle and entry.particle != particle and entry.particle not in preps:
            continue
        if entry.prep and entry.prep not in preps:
            continue
        if entry.prep_objects and not _prep_objects_of(token, entry.prep or "", entry.prep_objects):
            continue
        if entry.objects and not objects & set(entry.objects):
            continue
        if entry.acts_on == "party" and not _acts_on_party(token, lexicon.party_nouns):
            continue
        if entry.acts_on == "any" and not acted_on:
            continue  # "returned the paintings to Italy", not "returned to Italy"
        if entry.by == "party" and not _done_by_party(token, lexicon):
            continue  # "the minister arrived in Baghdad", not "the storm" or "the troops arrived"
        score = bool(entry.particle) + bool(entry.prep) + bool(entry.objects) + bool(entry.prep_objects)
        if score > best_score:
            best, best_score = entry, score
    if _reported(token) and any(c.dep_ == "aux" and c.lower_ in _DEMAND_AUX for c in token.children):
        # "X said Y must withdraw": a demand by the speaker, whatever the action (CAMEO 10)
        return _Trigger(token, "REQUEST", "100", frame="demand")
    cameo = None
    if lemma in lexicon.cameo_verbs:  # only with imported PETRARCH dictionaries: skip the walk otherwise
        after, before = _context(token)
        cameo = lexicon.cameo_match(lemma, particle, before, after)
    if best is not None:
        # a specific PETRARCH pattern refines the CAMEO code when it agrees on the PLOVER type
        refined = lexicon.plover_of(cameo)
        code = cameo if refined is not None and refined.type == best.type else best.cameo
        if best.type is None:
            code = best.cameo
        licensing = (
            frozenset(c.i for c in acted_on if c.lemma_.lower() in best.objects)
            | frozenset(
                t.i
                for counted, measure in measured.items()
                if counted.lemma_.lower() in best.objects
                for t in (counted, measure)
            )
            | frozenset(g.i for g in _prep_objects_of(token, best.prep or "", best.prep_objects))
        )
        return _Trigger(
            token, best.type or "", code, frame=best.frame, objects=licensing, reciprocal=best.reciprocal
        )
    plover = lexicon.plover_of(cameo)
    if plover is None:
        return None
    return _Trigger(token, plover.type, cameo)


def _forces(coder: ActorCoder, noun: Token) -> list[int]:
    """The token indices of armed forces ``noun`` names, with its measure ("hundreds of troops")."""
    if _armed(coder, noun):
        return [noun.i]
    counted = _counted(noun)
    return [noun.i, counted.i] if counted is not None and _armed(coder, counted) else []


def _counted(noun: Token) -> Token | None:
    """What a measure noun counts or carries ("hundreds of troops", "a shipment of vaccines")."""
    if noun.lower_ not in _MEASURE_NOUNS and noun.lemma_.lower() not in _MEASURE_NOUNS:
        return None
    return next(iter(_prep_objects(noun, "of")), None)


def _logical_objects(token: Token) -> list[Token]:
    """What a verb acts on: its objects, its passive subject ("the ban was lifted") and the noun its
    participle qualifies ("the curfew imposed on the city")."""
    found = [c for c in token.children if c.dep_ in _OBJECTS or c.dep_ == "nsubjpass"]
    if not found and token.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in token.children):
        # "the sanctions are expected to be lifted": the governing verb's subject is acted on
        found = [c for c in token.head.children if c.dep_ in _SUBJECTS]
    if token.dep_ in ("acl", "relcl") and token.tag_ == "VBN" and token.head.dep_ not in _SUBJECTS:
        # not on a clause's subject: "the missiles fired by X struck Y" is X's strike, told by "struck"
        found.append(token.head)
    return found


#: Where people are held: "freed from prison", "released on bail" act on a person, whatever the noun.
_HELD_IN = frozenset({"prison", "jail", "custody", "captivity", "detention", "bail", "arrest"})
# Names of things; a place name is kept, because it is seldom what is released and the small model
# often takes a foreign person's name for one ("released Anna Kowalczyk" as GPE or FAC).
_THING_ENTITIES = _NOT_ACTORS | {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
_PERSONAL_PRONOUNS = frozenset(
    {"him", "her", "them", "us", "me", "you", "he", "she", "they", "we", "i", "who", "whom", "those"}
    | {"himself", "herself", "themselves", "someone", "somebody", "anyone", "anybody", "everyone"}
)
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
#: Pronouns that name someone acted on, uncoded when unresolved: "released him from prison" acts on
#: him, not on the prison ("us", "you" are mostly the writer's or reader's side, not a party).
_ACTED_ON = frozenset({"him", "her", "them"})
#: What is done to people before they are released: a noun so qualified names captives.
_HOLDING_VERBS = frozenset(
    {"hold", "detain", "kidnap", "abduct", "capture", "arrest", "jail", "imprison", "seize", "take"}
)


def _acts_on_party(token: Token, party_nouns: frozenset[str]) -> bool:
    """Whether verb ``token`` acts on people or a group ("released two journalists", "the hostages
    were freed", "freed him from prison"), not on a thing ("released a poll", "a video released
    on Monday")."""
    held = [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in ("from", "on", "under")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    # with the compounds the parse sometimes makes of it: "freed on bail two ministers"
    places = [w for g in held for w in (g, *g.lefts) if w is g or w.dep_ == "compound"]
    if any(w.lemma_.lower() in _HELD_IN for w in places):
        return True
    nouns = _logical_objects(token)
    if token.dep_ in ("acl", "relcl") and token.tag_ == "VBN":
        nouns.append(token.head)  # "the three Cubans released", even as a clause's subject
    if not nouns and token.dep_ == "conj" and any(c.dep_ == "auxpass" for c in token.children):
        nouns = [c for c in token.head.children if c.dep_ in _SUBJECTS]  # "escaped or were released"
    if not nouns:  # "capturing or killing its leaders": the last verb holds the shared object
        nouns = [
            n for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB" for n in _logical_objects(c)
        ]
    return any(_names_party(n, party_nouns) for noun in nouns for n in (noun, *noun.conjuncts))


def _done_by_party(token: Token, lexicon: Lexicon) -> bool:
    """Whether verb ``token``'s subject, when the parse gives it one, names a party that is not armed
    forces: by the words that name parties (``_names_party``) or by a nationality, place or
    organisation qualifying it ("the Kenyan delegation"). Troops that arrive ("a contingent of
    peacekeeping troops") are deployed, not visiting."""
    subjects = [c for c in token.children if c.dep_ == "nsubj"]
    return all(
        not any(
            w.lemma_.lower() in lexicon.armed_nouns or w.lower_ in lexicon.armed_nouns
            for w in (subject, *_prep_objects(subject, "of"))
        )
        and (
            _names_party(subject, lexicon.party_nouns)
            or any(c.ent_type_ in _PARTY_QUALIFIERS for c in subject.subtree if c.i != subject.i)
        )
        for subject in subjects
    )


#: Entity labels whose words make a noun a party's ("the Kenyan delegation", "UN troops").
_PARTY_QUALIFIERS = frozenset({"NORP", "GPE", "ORG"})


def _is_party(doc: Doc, coder: ActorCoder, span: tuple[int, int], party_nouns: frozenset[str]) -> bool:
    """Whether a phrase names people or a group, not a thing, by its head: a name, a party noun or a
    word with a sector of its own ("the Kenyan president"). The code of the whole phrase is not
    enough: "the Ukraine crisis" has a country, "the president's impeachment trial" a sector."""
    head = _span_root(doc, *span)
    return _names_party(head, party_nouns) or coder.code_tokens(doc, [head], None).sector is not None


def _names_party(noun: Token, party_nouns: frozenset[str]) -> bool:
    if noun.lower_ in _RELATIVE_PRONOUNS and noun.head.dep_ == "relcl":
        noun = noun.head.head  # "detainees that have been released"
    for _ in range(3):  # "some 200 hostages", "three of the dozens of hostages"
        noun = counted_noun(noun) or noun
    if any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in _HOLDING_VERBS for c in noun.children):
        return True  # "two guards held captive by them", "the men it had abducted"
    if noun.ent_type_:
        return noun.ent_type_ not in _THING_ENTITIES
    if noun.pos_ == "PRON":
        return noun.lower_ in _PERSONAL_PRONOUNS
    return (
        noun.pos_ == "PROPN"
        or noun.lemma_.lower() in party_nouns
        or noun.lower_ in party_nouns
        # people described by their nationality ("two Italian engineers")
        or (noun.tag_ == "NNS" and any(c.ent_type_ == "NORP" for c in noun.children if c.dep_ == "amod"))
    )


def _prep_objects_of(token: Token, preposition: str, lemmas: tuple[str, ...]) -> list[Token]:
    """The objects of ``token``'s ``preposition`` whose lemma is one of ``lemmas`` ("went on strike")."""
    return [g for g in _prep_objects(token, preposition) if g.lemma_.lower() in lemmas]


def _context(token: Token) -> tuple[list[str], list[str]]:
    """Words after and before ``token`` within its own clause (lower-case forms and lemmas)."""
    after: list[str] = []
    before: list[str] = []
    for child in token.children:
        if child.dep_ in _CLAUSES and child.dep_ != "xcomp":
            continue
        target = after if child.i > token.i else before
        for word in child.subtree:
            target.append(word.lower_)
            if word.lemma_.lower() != word.lower_:
                target.append(word.lemma_.lower())
    return after, before


def _noun_trigger(token: Token, lexicon: Lexicon) -> _Trigger | None:
    modifiers = {c.lemma_.lower() for c in token.children}
    for entry in lexicon.nouns.get(token.lemma_.lower()) or lexicon.nouns.get(token.lower_) or ():
        if not entry.modifiers or modifiers & set(entry.modifiers):
            return _Trigger(token, entry.type, entry.cameo, nominal=True, reciprocal=entry.reciprocal)
    return None


def _absorbed(triggers: dict[int, _Trigger]) -> set[int]:
    """Triggers folded into another event: a frame's complement, a verb's nominal object."""
    absorbed: set[int] = set()
    for trigger in triggers.values():
        token = trigger.token
        for child in token.children:
            if child.i not in triggers:
                continue
            if (trigger.frame and child.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "prep")) or (
                not trigger.nominal and child.dep_ in _OBJECTS and triggers[child.i].nominal
            ):
                absorbed.add(child.i)
        if trigger.frame:
            for child in token.children:
                if child.dep_ in ("dobj", "prep"):
                    for word in child.subtree:
                        if word.i in triggers and word.i != token.i and word.head.dep_ != "relcl":
                            absorbed.add(word.i)
    # a nominal trigger of the same type that a verb trigger acts on ("the curfew imposed on the
    # city", "sanctions were imposed") is the same event, told by the verb with its parties
    for trigger in triggers.values():
        if not trigger.nominal:
            for thing in trigger.objects:
                acted_on = triggers.get(thing)
                if acted_on is not None and acted_on.nominal and acted_on.type == trigger.type:
                    absorbed.add(thing)
    # a nominal trigger inside a verb trigger's object phrase ("imposed new sanctions") is the same event
    for trigger in triggers.values():
        if trigger.nominal and trigger.token.dep_ == "pobj" and trigger.token.head.head.i in triggers:
            head = triggers[trigger.token.head.head.i]
            if not head.nominal and head.type == trigger.type:
                absorbed.add(trigger.token.i)
    return absorbed


# --- the event ---------------------------------------------------------------------------------------


def _event(
    doc: Doc,
    sent: SpacySpan,
    trigger: _Trigger,
    triggers: dict[int, _Trigger],
    coder: ActorCoder,
    published: dt.date | None,
    times: Sequence[TimeExpression],
    attributions: Sequence[object] | None,
    lexicon: Lexicon,
    cache: _DocCache,
    parties: TaggedArguments | None = None,
    chooser: Chooser | None = None,
) -> Event | None:
    token = trigger.token
    kind, cameo = trigger.type, trigger.cameo
    mode, negated = _mode(token)
    # a verb that undoes what its object names ("called off the strike") is the event itself
    undoing = trigger.type in ("CONCEDE", "RETREAT")
    light = _light_object(token, triggers) if not (trigger.nominal or undoing) else None
    if light is not None:
        kind, cameo = light.type, light.cameo  # "held talks", "staged a protest": the noun names the event
    if trigger.frame in ("refuse", "deny") and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in _NO_COMMENT for c in token.children
    ):
        return None  # "declined to comment": no act towards anyone
    governed = _governed(token, triggers) if trigger.frame else None
    if trigger.frame in ("consider", "claim"):
        governed = _stated_act(token, governed)
    if trigger.frame:
        framed = _frame(trigger, governed, mode)
        if framed is None or not framed[1]:
            return None  # a frame over no typed act is no event
        mode, kind, cameo = framed
    elif mode is EventMode.FUTURE and _conditional(token):
        kind, cameo = "THREATEN", "13"  # "will withdraw ... unless ...": a conditional threat
    elif mode is EventMode.FUTURE:
        if kind in _COOPERATIVE:
            kind, cameo = "AGREE", "03"
        elif kind in _MATERIAL_CONFLICT:
            kind, cameo = "THREATEN", "13"
    if (
        negated
        and (mode is EventMode.FUTURE or trigger.frame in ("agree", "intend"))
        and (kind in _COOPERATIVE)
    ):
        # "will not accept", "vowed not to return": a refusal (CAMEO 12), not a negated fact
        kind, cameo = "REJECT", "12"
    if negated:
        mode = EventMode.NEGATED
    if trigger.frame == "demand":
        speaker = _first_child(token.head, _SUBJECTS)
        own, _ = _subject(token)
        source_head, targets = speaker, ([own] if own is not None else [])
    elif trigger.nominal:
        source_head, targets = _noun_arguments(
            token,
            mediation=(trigger.cameo or "").startswith("045"),
            forces=kind in _FORCE_MOVES,
            hostile=kind not in _COOPERATIVE,
        )
    else:
        source_head, targets = _verb_arguments(token)
        if kind in _FORCE_MOVES and source_head is None and not (cameo or "").startswith("084"):
            subject, passive = _subject(token)
            if passive and subject is not None and subject.i not in trigger.objects:
                # "guerrillas have been demobilized", "troops were withdrawn": the forces' own move;
                # one released ("a journalist was freed", CAMEO 084) is acted on
                source_head, targets = subject, []
        if source_head is None and undoing:
            # "UN sanctions against Iran were lifted": who imposed the measure lifts it
            measures = [triggers[i].token for i in trigger.objects if i in triggers and triggers[i].nominal]
            source_head = next(
                (owner for m in measures if (owner := _noun_arguments(m)[0]) is not None), None
            )
        if kind == "ACCUSE":
            # "complained to the United Nations over Israeli air raids": who is accused, not the audience
            targets = sorted(targets, key=lambda t: t.head.lower_ not in _GRIEVANCE_PREPS)
    if kind in _SYMMETRIC and source_head is not None:
        # "China and Russia issued a joint statement", "Putin and Xi discuss ...": the partners
        partner = _first_child(source_head, {"conj"})
        if partner is not None and _is_actorish(partner):
            targets = [partner, *targets]
    if trigger.frame and not trigger.nominal:
        clause = governed.token if governed is not None else _first_child(token, {"ccomp", "xcomp"})
        if clause is not None and clause.pos_ in ("VERB", "AUX"):
            if trigger.frame in ("request", "demand") and clause.dep_ == "ccomp":
                own, _ = _subject(clause)  # "demanded that Hamas renounce": Hamas is asked
                targets = [*targets, *([own] if own is not None else [])]
            else:
                targets = [*targets, *_verb_arguments(clause)[1]]
        elif trigger.frame == "claim" and governed is not None and governed.nominal:
            # "claimed responsibility for the attack on the army's sites": the attack's own target,
            # never the attack or the responsibility
            targets = _noun_arguments(governed.token)[1]
    predicate = trigger.objects | (governed.objects if governed is not None else frozenset())
    moved = governed.token if governed is not None and governed.type in _FORCE_MOVES else None
    if kind in _FORCE_MOVES and not trigger.nominal:
        moved = token
    own_forces: frozenset[int] = frozenset()
    if moved is not None:
        # "deployed 300 troops to Mali", "offered to send troops", "withdrew its troops from the zone":
        # the forces moved are the source's own, never the target; the place or party they move to or
        # from, or where they are sent ("sent 200 troops in Syria"), is the target
        own_forces = frozenset(i for t in targets if t.dep_ in _OBJECTS for i in _forces(coder, t))
        predicate |= own_forces
        if predicate:
            targets = [*targets, *_prep_objects(moved, "in")]
    if kind in _DEPLOYING:
        # "contributed troops to the NATO-led force in Afghanistan", "extend their peacekeeping mission
        # in Bosnia": forces and missions are the means, the country they serve in is the party
        forces = {t.i for t in targets if _force(coder, t)}
        if forces:
            predicate |= forces
            targets = [p for t in targets for p in ([*_stationed(t), t] if t.i in forces else [t])]
            targets += [p for p in _stationed(token) if p not in targets]  # "... to the UN force in Haiti"
    event_date = _event_date(_time(token, times), published)
    known = _known_event(sent, token, lexicon, published) if trigger.nominal else None
    if known is not None:
        entry, reference, _ = known
        kind, cameo = entry.type, entry.cameo or cameo
        event_date = _reference_date(reference, times)
    when = _when(event_date)
    unmoved = predicate if kind == STATEMENT else own_forces  # what is said or moved: never the target
    # an argument's words never take in the trigger or the other party ("China and Russia issued")
    source = _actor(doc, coder, source_head, when, role="source", avoid=[token, *targets])
    target = _predicate_target(
        doc,
        coder,
        targets,
        predicate,
        when,
        kind=kind,
        avoid=[token, *([source_head] if source_head else [])],
        never=unmoved,
    )
    if target is not None and source is not None and target.span == source.span:
        target = None
    if source is not None and target is not None and _overlap(source.span, target.span):
        # found apart, the two parties' words ran into each other ("a Turkish-Libyan deal")
        taken = doc.char_span(target.span.start, target.span.end, alignment_mode="expand")
        source = _actor(doc, coder, source_head, when, role="source", avoid=[token, *targets, *(taken or ())])
        if source is not None and _overlap(source.span, target.span):
            taken = doc.char_span(source.span.start, source.span.end, alignment_mode="expand")
            avoid = [token, *(taken or ())]
            target = _target(doc, coder, targets, when, kind=kind, avoid=avoid) if targets else target
    if known is not None:
        entry, _, (first, last) = known
        named = Span(start=first, end=last, text=doc.text[first:last])
        # the text's own party wins when it is an actor; a thing ("Sanctions followed the annexation
        # of Crimea") or a part of the name ("September" of "the September 11 attacks") does not
        if entry.source is not None and (source is None or source.country is None):
            source = _implicit(named, *entry.source)
        if entry.target is not None and (target is None or target.country is None):
            target = _implicit(named, *entry.target)
    if (
        source is None
        and cameo is not None
        and cameo.startswith("172")
        and target is not None
        and target.country
        and target.country not in NON_STATE
        and target.sector in _OFFICIAL_SECTORS
    ):
        # "the demotion of Le Yucheng", "the minister was sacked": an office holder is demoted or
        # dismissed by the government of the country whose office they hold
        source = _government(doc, sent, coder, target.country, token, when)
    fallback: EventActor | None = None
    if target is None or (target.country is None and target.sector is None and not _named(doc, target)):
        # no actor as the target ("Iran threatened to launch a new offensive ... unless Baghdad
        # accepted"): the named actor of another country closest to the trigger is the party acted on.
        # A named target the knowledge base does not know stays, uncoded ("Ana Morales was detained by
        # Peruvian police for a march against Chile" is not a detention of Chile).
        other = _other_party(doc, sent, coder, when, token, source, cache)
        if other is not None:
            target = fallback = other
    if (source is not None and source.country is None and source.sector) or (
        target is not None and target.country is None and target.sector
    ):
        only = _sentence_country(doc, sent, coder, when)
        if only is not None:
            visit = (trigger.cameo or "").startswith(("042", "043"))
            # a visitor is not of the country visited ("the president will visit Japan"), nor a host of
            # the visitor's
            source = source if visit and _is_country(target, only) else _placed(source, only)
            target = target if visit and _is_country(source, only) else _placed(target, only)
    placed: str | None = None  # the country of a thing placed by ``_domestic``
    if source is not None and source.country and source.country not in NON_STATE:
        thing = target
        target = _domestic(doc, sent, coder, when, token, kind, source, target)
        if thing is not None and target is not None and thing.country is None and target.country:
            placed = target.country
    if parties is not None:
        source, target = _tagged_parties(
            doc,
            coder,
            parties,
            source,
            target,
            when,
            token,
            fallback=target is not None and (target is fallback or placed is not None),
            party_nouns=lexicon.party_nouns,
        )
        if chooser is not None:
            target = _chosen_target(
                doc,
                sent,
                token,
                kind,
                coder,
                when,
                parties,
                source,
                target,
                chooser,
                lexicon.party_nouns,
                unmoved,
            )
        if (
            source is not None
            and target is not None
            and source.span.text.casefold() == target.span.text.casefold()
            and (source.country, source.sector) == (target.country, target.sector)
            and not _names_two(doc, source.span)
        ):
            # one party is never both, even named twice; words that name two ("Chile and Peru") are partners
            target = None
        if placed is not None and target is not None and target.country is None and not _proper(doc, target):
            # the tagged words of what a domestic measure acts on ("parts of the province", "the
            # teachers") are in the country the measure was placed in; a name the knowledge base does
            # not know stays uncoded ("lifted the ban on Huawei")
            target = dataclasses.replace(target, country=placed, code=placed + (target.sector or ""))
    source, target = _drawn_whole(doc, source), _drawn_whole(doc, target)
    location = _location(doc, token, coder, source, target)
    return Event(
        type=kind,
        trigger=Span(start=token.idx, end=token.idx + len(token), text=token.text),
        cameo=cameo,
        mode=mode,
        source=source,
        target=target,
        date=event_date,
        location=location,
        reported_by=_reported_by(token, attributions),
        negated=negated,
        sentence=Span(start=sent.start_char, end=sent.end_char, text=sent.text),
    )


def _drawn_whole(doc: Doc, actor: EventActor | None) -> EventActor | None:
    """The party with its words drawn whole (``whole_party``)."""
    span = _token_span(doc, actor)
    if actor is None or span is None or (drawn := whole_party(doc, *span)) == span:
        return actor
    words = doc[drawn[0] : drawn[1]]
    return dataclasses.replace(actor, span=Span(start=words.start_char, end=words.end_char, text=words.text))


def whole_party(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token span [start, end) of a party from its article on and with its brackets closed, as
    the annotators of news events draw parties ("the Senate", not "Senate", in about nine of ten
    ConfliBERT targets that could have one; "at least 165 Venezuelans"; "the Lebanese Armed Forces
    (LAF)"): a phrase that starts just after a determiner, predeterminer or count word of its own, or
    after the first words of its name, takes them in, and one that opens a bracket runs to its
    closing one in the sentence."""
    while start > 0 and _opens(doc[start - 1], doc[start]) and start <= doc[start - 1].head.i < end:
        start -= 1
    words = doc[start:end]
    if sum(t.text == "(" for t in words) > sum(t.text == ")" for t in words):
        closing = next((t.i for t in doc[end : words.sent.end] if t.text == ")"), None)
        end = closing + 1 if closing is not None else end
    return start, _apposition_end(doc, start, end)


def _apposition_end(doc: Doc, start: int, end: int) -> int:
    """Where a person's party ends with the title or name a comma sets off after it ("Angela
    Merkel, the German chancellor"; "his counterpart, Michel Aoun"): one person, drawn as one party
    (the ConfliBERT annotators did so for nine of ten such targets), without a clause on the
    title ("the minister who told governors ..." ends at "minister")."""
    if end >= len(doc) or doc[end].text != ",":
        return end
    root = _span_root(doc, start, end)
    for title in root.rights:
        if title.dep_ == "appos" and title.left_edge.i == end + 1 and _names_and_titles(root, title):
            last = title.i
            for word in title.rights:
                if word.dep_ in _APPOSITION_STOPS:
                    break
                last = word.right_edge.i
            return last + 1
    return end


def _names_and_titles(first: Token, second: Token) -> bool:
    """Whether one of two words in apposition names a person and the other is a common noun."""
    return {first.ent_type_ == "PERSON", second.ent_type_ == "PERSON"} == {True, False} and "NOUN" in {
        first.pos_,
        second.pos_,
    }


#: Dependencies that end an apposition's title: a clause or another apposition or conjunct.
_APPOSITION_STOPS = frozenset({"relcl", "acl", "advcl", "punct", "appos", "cc", "conj"})


def _opens(word: Token, first: Token) -> bool:
    """Whether ``word`` belongs to the phrase that ``first`` begins: a determiner or count word of
    its own, or a name's first word left off ("Support Forces" of "the Rapid Support Forces")."""
    return word.dep_ in _OPENERS or (word.dep_ == "compound" and word.pos_ == first.pos_ == "PROPN")


#: Dependencies of the words that open a noun phrase before its modifiers ("all the", "at least").
_OPENERS = frozenset({"det", "predet", "advmod", "quantmod", "nummod"})


def _token_span(doc: Doc, actor: EventActor | None) -> tuple[int, int] | None:
    words = None if actor is None else doc.char_span(actor.span.start, actor.span.end, "expand")
    return (words.start, words.end) if words is not None and len(words) else None


def _chosen_target(
    doc: Doc,
    sent: SpacySpan,
    token: Token,
    kind: str,
    coder: ActorCoder,
    when: dt.date | None,
    parties: TaggedArguments,
    source: EventActor | None,
    target: EventActor | None,
    chooser: Chooser,
    party_nouns: frozenset[str],
    unmoved: frozenset[int],
) -> EventActor | None:
    """The target the learned chooser (``targets.py``) picks among the trigger's own phrases
    (``_owned``), given what the rules and the tag layer chose: the rules' party when it picks that, a
    phrase coded by its own words, or none. Besides the rules' target (which shares the source's
    words when both are the conjuncts of "Chile and Peru"), no phrase that overlaps the source is a
    candidate: one party is never both, and neither is a phrase headed by what a statement says or
    by the forces the source moves (``unmoved``: "expressed doubts", "sent troops"), by a word of
    the clauses above the trigger that is not acted on (``_governing_words``) or by a time ("met on
    Monday").

    The rules' target stays when it names a party (coded, or people or a group) and the chooser
    picks none (only a thing is dropped: "will not end the strike"), a thing, a phrase inside it
    without its head ("Mali" of "the UN mission in Mali"), another conjunct of it ("between the
    Emirates and Saudi Arabia"), or anything else while the parse says the trigger acts on it
    (``_acted_on``). A coded target whose head the chosen phrase holds keeps its code in the new
    words."""
    if parties.log_probs is None:  # tagged without scores: nothing to choose by
        return target
    rule = _token_span(doc, target)
    taken = _token_span(doc, source)
    heads = candidate_spans(sent)
    for span in parties.targets:
        heads.setdefault(span, _span_root(doc, *span).i)
    owned = {head: _owned_head(token, doc[head]) for head in set(heads.values())}
    never = unmoved | _governing_words(token) | {t.i for t in sent if t.ent_type_ in _TIMES}
    spans = {span for span, head in heads.items() if owned[head] and head not in never}
    if taken is not None:
        spans = {(start, end) for start, end in spans if end <= taken[0] or taken[1] <= start}
    if rule is not None:
        spans.add(rule)
    features = target_features(
        doc,
        spans,
        log_probs=parties.log_probs,
        rows=parties.rows,
        trigger=token,
        event_type=kind,
        rule_target=rule,
        source=taken,
        tagged_targets=parties.targets,
        tagged_sources=parties.sources,
    )
    chosen = chooser.choose(features)
    if chosen == rule:
        return target
    head = _span_root(doc, *rule) if rule is not None else None
    coded = target is not None and (target.country is not None or target.sector is not None)
    party = coded or (head is not None and _names_party(head, party_nouns))
    if chosen is None:
        return target if party else None
    if target is None or head is None:
        return _chosen_actor(doc, coder, chosen, when)
    start, end = chosen
    root = _span_root(doc, start, end)
    if coded and _holds(doc, chosen, target):
        shown = doc[start:end]  # the same party in other words: its code stays
        return dataclasses.replace(
            target, span=Span(start=shown.start_char, end=shown.end_char, text=shown.text)
        )
    if (
        (party and _acted_on(head, token))
        or root in head.conjuncts  # "between the Emirates and Saudi Arabia": one stands for both
        # "Mali" of "the mission in Mali": a part of the party, not its head
        or (coded and rule is not None and rule[0] <= start and end <= rule[1])
    ):
        return target
    picked = _chosen_actor(doc, coder, chosen, when)
    if (
        party
        and (picked is None or (picked.sector is None and picked.country is None))
        and not _names_party(root, party_nouns)
    ):
        return target  # a party never gives way to a thing
    return picked


def _governing_words(trigger: Token) -> frozenset[int]:
    """Words of the clauses above an infinitive trigger that are never the party it acts on: the noun
    it completes ("the decision to invade", "plans to attack": what is decided or planned) and the
    agents of the verbs that govern it ("was taken by a small circle", "was asked by France to send":
    who decides or asks)."""
    infinitive = trigger.dep_ == "acl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children)
    framing = [trigger.head.i] if infinitive and trigger.head.pos_ == "NOUN" else []
    agents = [
        pobj.i
        for governor in trigger.ancestors
        for agent in governor.children
        if agent.dep_ == "agent"
        for pobj in agent.children
        if pobj.dep_ == "pobj"
    ]
    return frozenset([*framing, *agents])


def _chosen_actor(
    doc: Doc, coder: ActorCoder, span: tuple[int, int], when: dt.date | None
) -> EventActor | None:
    start, end = span
    return _actor(
        doc, coder, _span_root(doc, start, end), when, role="target", avoid=[], words=doc[start:end]
    )


def _acted_on(head: Token, trigger: Token) -> bool:
    """Whether ``head`` is what the trigger acts on by the parse alone: its direct object, its passive
    subject ("hostages were freed"), the noun its passive participle describes ("migrants deported
    by Hungary"), the subject of its complement clause ("demanded that the rebels disarm") or the owner
    of its object ("demanded the withdrawal of foreign troops")."""
    governor = head.head
    if governor.i == trigger.i and head.dep_ in ("dobj", "nsubjpass"):
        return True
    if head.dep_ == "nsubj" and governor.dep_ in ("ccomp", "xcomp") and governor.head.i == trigger.i:
        return True
    if head.dep_ == "pobj" and governor.lower_ == "of" and governor.head.dep_ == "dobj":
        return governor.head.head.i == trigger.i
    return trigger.dep_ == "acl" and trigger.tag_ == "VBN" and trigger.head.i == head.i


def _known_event(
    sent: SpacySpan, token: Token, lexicon: Lexicon, published: dt.date | None
) -> tuple[KnownEvent, ReferenceEvent, tuple[int, int]] | None:
    """The known reference event a nominal trigger's words name ("the special operation in Ukraine",
    "the 9/11 attacks"), with the character range of the name; None when the words name none."""
    if not lexicon.known:
        return None
    index = event_index()
    if index.regex is None or token.lower_ not in _alias_words(index):
        return None
    for match in index.regex.finditer(sent.text):
        first, last = sent.start_char + match.start("alias"), sent.start_char + match.end("alias")
        if not first <= token.idx < last:
            continue
        reference = index.resolve(match["alias"], published)
        alias = match["alias"].lower()
        if (
            reference is not None
            and alias not in (a.lower() for a in reference.aliases)
            and not any(c.dep_ == "poss" or c.lower_ in ("the", "this", "that") for c in token.children)
        ):
            continue  # a generic alias ("invasion") names the event only when definite: "the invasion"
        if reference is not None and reference.id in lexicon.known:
            return lexicon.known[reference.id], reference, (first, last)
    return None


@functools.cache
def _alias_words(index: EventIndex) -> frozenset[str]:
    """Every word of every alias of the reference events: a cheap test before the regex."""
    return frozenset(
        w
        for e in index.events
        for a in (*e.aliases, *e.contextual_aliases)
        for w in re.findall(r"\w+", a.lower())
    )


def _reference_date(reference: ReferenceEvent, times: Sequence[TimeExpression]) -> EventDate:
    """The date of a known reference event (linked to a time record anchored to it, when one is)."""
    day = reference.point.day.isoformat() if reference.point.gran == "D" else None
    linked = next((t.id for t in times if t.anchor == reference.id and t.value == reference.date), None)
    return EventDate(value=reference.date, interval=(day, day) if day else None, time_id=linked)


def _implicit(span: Span, country: str, sector: str | None) -> EventActor:
    """A party the text implies but does not name, spanning the words that imply it."""
    code = country if country in NON_STATE else country + (sector or "")
    return EventActor(span=span, country=country, sector=sector, code=code)


def _government(
    doc: Doc, sent: SpacySpan, coder: ActorCoder, country: str, token: Token, when: dt.date | None
) -> EventActor:
    """The government of ``country`` as an implicit party: spanning the country's name in the sentence
    ("China's deputy foreign minister"), else the trigger."""
    for ent in sent.ents:
        if ent.label_ == "GPE" and coder.code_tokens(doc, list(ent), when).country == country:
            coded = coder.code_tokens(doc, list(ent), when)
            return EventActor(
                span=Span(start=ent.start_char, end=ent.end_char, text=ent.text),
                actor_id=coded.actor_id,
                country=country,
                sector="GOV",
                code=country + "GOV",
            )
    return _implicit(Span(start=token.idx, end=token.idx + len(token), text=token.text), country, "GOV")


def _conditional(token: Token) -> bool:
    """Whether the trigger has an "unless"/"if not" condition attached."""
    return any(
        child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in child.children)
        for child in token.children
    )


def _light_object(token: Token, triggers: dict[int, _Trigger]) -> _Trigger | None:
    """The nominal trigger that is the object of a light verb ("launched an offensive")."""
    if token.lemma_.lower() not in _LIGHT_VERBS:
        return None
    for child in token.children:
        if child.dep_ in _OBJECTS and child.i in triggers and triggers[child.i].nominal:
            return triggers[child.i]
    return None


def _mode(token: Token) -> tuple[EventMode, bool]:
    """Mode from the trigger's own auxiliaries, negation and conditional marker."""
    negated = False
    mode = EventMode.FACT
    heads = [token]
    # "did not agree to cooperate": negation and modals of the governing verb reach the complement
    if token.dep_ in ("xcomp", "acomp"):  # "is not optimistic": the copula holds them
        heads.append(token.head)
    if token.dep_ == "pobj" or token.dep_ in _OBJECTS:
        head = token.head.head if token.dep_ == "pobj" else token.head
        heads.append(head)
    for head in heads:
        for child in head.children:
            if child.dep_ == "neg" or (
                child.lower_ in ("never", "no") and child.dep_ in ("neg", "advmod", "det")
            ):
                negated = True
            elif child.dep_ == "aux":
                word = child.lower_
                if word in _FUTURE_AUX:
                    mode = EventMode.FUTURE
                elif word == "would":
                    mode = EventMode.FUTURE if _reported(head) else EventMode.HYPOTHETICAL
                elif word in _HYPOTHETICAL_AUX:
                    mode = EventMode.HYPOTHETICAL
            elif child.dep_ == "mark" and child.lower_ in ("if", "unless"):
                mode = EventMode.HYPOTHETICAL
        if head.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in head.children
        ):
            mode = EventMode.HYPOTHETICAL
    if _set_aside(token):
        negated = True
    if token.pos_ in ("NOUN", "PROPN") and mode is EventMode.FACT:
        mode = _nominal_mode(token)
    if (
        token.dep_ == "xcomp"
        and token.head.lemma_ in ("be", "go")
        and any(c.dep_ == "aux" for c in token.children)
    ):
        mode = EventMode.FUTURE  # "is going to attack", "is to visit"
    verb = token if token.pos_ in ("VERB", "AUX") else heads[-1]  # the clause a noun is the object of
    # a noun only as the object of the intended act ("ready to hold talks", not "eager to see signs after
    # the attacks")
    intended = token.pos_ in ("VERB", "AUX") or token.dep_ in _OBJECTS
    stance = verb.head if verb.dep_ == "xcomp" and intended else None
    if stance is not None and (
        (stance.pos_ == "ADJ" and stance.lower_ in _INTENT_ADJECTIVES | _UNWILLING_ADJECTIVES)
        or (stance.tag_ == "VBN" and stance.lower_ in _PLANNED_PARTICIPLES)
    ):
        # "is (not) willing to provide aid", "was prepared to resume talks": an intention, negated
        # with the copula that holds it
        if mode is EventMode.FACT:
            mode = EventMode.FUTURE
        copula = stance.head if stance.dep_ == "acomp" else stance
        if stance.lower_ in _UNWILLING_ADJECTIVES or any(c.dep_ == "neg" for c in copula.children):
            negated = True
    # "Ankara had not announced an intention to launch an offensive": an act an intention names is future,
    # and negated with the verb that holds the intention
    if (
        verb.dep_ == "acl"
        and verb.head.lemma_.lower() in _INTENT_NOUNS
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    ):
        if mode is EventMode.FACT:
            mode = EventMode.FUTURE
        holder = verb.head.head
        if verb.head.dep_ in _OBJECTS and any(c.dep_ == "neg" for c in holder.children):
            negated = True
    return mode, negated


def _nominal_mode(token: Token) -> EventMode:
    """Mode a nominal trigger's own modifiers give: "any attack", "a possible invasion" name no act
    that happened; "upcoming talks" one that has not happened yet."""
    for child in token.children:
        word = child.lower_
        if (child.dep_ == "det" and word == "any") or (
            child.dep_ == "amod" and word in _HYPOTHETICAL_MODIFIERS
        ):
            return EventMode.HYPOTHETICAL
        if child.dep_ == "amod" and word in _FUTURE_MODIFIERS:
            return EventMode.FUTURE
    return EventMode.FACT


def _set_aside(token: Token) -> bool:
    """Whether the act is the one set aside in "X rather than Y" or "X instead of Y": it did not
    happen ("a limited incursion rather than a full invasion")."""
    if token.dep_ in ("pobj", "pcomp"):
        markers = [token.head]  # "than" or "of" as a preposition
    elif token.dep_ == "conj":  # "talks instead of an attack": the parser may join the two as conjuncts
        markers = [c for c in token.head.children if c.dep_ == "cc" and c.i < token.i]
    else:
        return False
    for marker in markers:
        words = {marker.lower_, marker.head.lower_} | {c.lower_ for c in marker.children}
        if words >= {"rather", "than"} or words >= {"instead", "of"}:
            return True
    return False


def _reported(token: Token) -> bool:
    """Whether ``token`` heads a clause reported by a speech verb ("said they would ...")."""
    return token.dep_ in ("ccomp", "parataxis") and token.head.lemma_.lower() in _SPEECH


def _governed(token: Token, triggers: dict[int, _Trigger]) -> _Trigger | None:
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp") and child.i in triggers:
            return triggers[child.i]
    for child in token.children:
        if child.dep_ in ("dobj", "prep"):
            for word in child.subtree:
                if word.i in triggers and word.i != token.i:
                    return triggers[word.i]
    return None


def _stated_act(token: Token, governed: _Trigger | None) -> _Trigger | None:
    """The act that "considering" or "claimed responsibility for" speaks of: only the speaker's own
    possible or claimed act counts. A judgment ("long considered a threat", "considers that ..."),
    someone else's act ("would not consider Iran's request") and a claim nobody made ("No group
    claimed responsibility") speak of none."""
    if governed is None or any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
        return None
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in token.children)
    own_subject = any(c.dep_ == "nsubj" for c in token.children)
    if (token.tag_ == "VBN" and not perfect) or (
        token.tag_ == "VBD" and token.dep_ in ("advcl", "acl", "ccomp") and not own_subject
    ):
        return None  # "Long considered a threat, ...": a participle, passive in sense
    subject, _ = _subject(token)
    if subject is not None and (
        subject.lower_ in _NOBODY or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)
    ):
        return None
    act = governed.token
    if act.head.i != token.i and token.lemma_.lower() == "consider":
        return None  # "consider the fact that the war ...", "considering ways to resist": no act considered
    if governed.nominal:
        if governed.type == "REQUEST" or any(
            c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("by", "from")) for c in act.children
        ):
            return None  # "consider requests", "Iran's proposal": another party's act
        return governed
    if any(c.dep_ == "mark" and c.lower_ == "that" for c in act.children):
        return None  # "considers that violence ...": an opinion
    return governed


def _frame(
    trigger: _Trigger, governed: _Trigger | None, mode: EventMode
) -> tuple[EventMode, str, str | None] | None:
    """(mode, type, cameo) of a frame verb with the event it governs; None when there is no event."""
    frame = trigger.frame
    if frame == "statement":
        # "expressed condolences to Japan": the statement is the event, never what it speaks of
        # ("rejected accusations that it had tortured ..."); "released a video": no event at all
        return (mode, trigger.type, trigger.cameo) if trigger.type else None
    if governed is not None and not governed.type:
        governed = None  # "preparing to release a statement": what is governed is no event either
    if frame in ("consider", "claim"):
        if governed is None:
            return None  # "is considering its options", "claimed victory": no act to code
        # "is considering sending aid": an act that may happen; "claimed responsibility for the
        # bombing": the claimant's act. The CAMEO code stays the statement's (014, 015).
        return (EventMode.HYPOTHETICAL if frame == "consider" else mode), governed.type, trigger.cameo
    if frame == "threaten":
        return EventMode.THREATENED, trigger.type or "THREATEN", trigger.cameo
    if frame in ("request", "demand"):
        if (
            governed is not None
            and governed.type in _MATERIAL_CONFLICT
            and (trigger.cameo or "").startswith("02")
        ):
            # "called for sanctions against Turkey": a demand that hurts a party (CAMEO 10), not an appeal
            return EventMode.REQUESTED, trigger.type or "REQUEST", "10"
        return EventMode.REQUESTED, trigger.type or "REQUEST", trigger.cameo
    if frame == "refuse":
        return (EventMode.NEGATED if governed is not None else mode), trigger.type or "REJECT", trigger.cameo
    if governed is None:
        return (mode, trigger.type, trigger.cameo) if trigger.type else None
    if frame == "intend":
        if governed.type in _MATERIAL_CONFLICT:
            return EventMode.FUTURE, "THREATEN", "13"
        if governed.type in _COOPERATIVE:
            return EventMode.FUTURE, "AGREE", "03"
        return EventMode.FUTURE, governed.type, governed.cameo
    if frame == "hypothetical":
        return EventMode.HYPOTHETICAL, governed.type, governed.cameo
    if frame == "deny":
        return EventMode.NEGATED, governed.type, governed.cameo
    if frame == "decide":
        return mode, governed.type, governed.cameo
    return mode, trigger.type or governed.type, trigger.cameo if trigger.type else governed.cameo


# --- arguments ---------------------------------------------------------------------------------------


def _phrase(head: Token) -> list[Token]:
    """The noun phrase headed by ``head``: the head's subtree (modifiers, appositions, prepositional
    phrases: "a request from The New York Times", "civilians in eastern Syria") without its clauses
    (relative clauses, participles), conjuncts and dates, and without edge punctuation."""
    if _modifier_actor(head):
        return _own_name(head)  # "Russian invasion": the modifier alone is the actor
    tokens = [head]
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in _PHRASE_STOPS or (
                child.dep_ == "prep" and any(g.ent_type_ in _TIMES for g in child.children)
            ):
                continue
            if child.dep_ == "cc" or (child.dep_ == "punct" and child.i > head.i and child.lower_ != "("):
                continue
            if child.dep_ == "prep" and token.i == head.i and child.lower_ not in _PHRASE_PREPS:
                continue  # "support to the Palestinians", "sanctions on Russia": the verb's argument
            tokens.append(child)
            stack.append(child)
    tokens.sort(key=lambda t: t.i)
    while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].dep_ == "case"):
        tokens.pop()
    while len(tokens) > 1 and tokens[0].is_punct:
        tokens.pop(0)
    return tokens


def _own_name(head: Token) -> list[Token]:
    """``head`` with the words of its own name before it ("United Nations" of "United Nations
    sanctions"), when they run up to it."""
    name = [head]
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.lefts:
            if child.dep_ in ("compound", "flat"):
                name.append(child)
                stack.append(child)
    name.sort(key=lambda t: t.i)
    return name if name[-1].i - name[0].i == len(name) - 1 else [head]


def _modifier_actor(head: Token) -> bool:
    """Whether ``head`` is a modifier that names an actor by itself ("Russian" of "Russian invasion");
    its neighbours may name other parties ("a Turkish-Libyan deal")."""
    return head.dep_ in ("amod", "compound", "nmod") and head.head.pos_ in ("NOUN", "PROPN")


def _first_child(token: Token, deps: frozenset[str] | set[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _subject(token: Token) -> tuple[Token | None, bool]:
    """(subject head, passive) of a verb, inherited along xcomp/conj/relcl when it has none."""
    current = token
    for _ in range(6):
        subject = _first_child(current, _SUBJECTS)
        if subject is not None:
            passive = subject.dep_ == "nsubjpass"
            if current is not token and token.dep_ == "xcomp":
                # "Iran was urged to withdraw", "the president is set to visit": the subject of the
                # governing passive does the complement's act, in the complement's own voice
                passive = any(c.dep_ == "auxpass" for c in token.children)
            if (
                subject.pos_ == "PRON"
                and subject.lower_ not in ("who", "which", "that")
                and _reported(current)
            ):
                speaker = _first_child(current.head, _SUBJECTS)
                if speaker is not None:
                    return speaker, passive
            if subject.lower_ in ("who", "which", "that") and current.dep_ == "relcl":
                return current.head, passive
            return subject, passive
        if current.dep_ == "relcl":
            return current.head, False
        group = _gerund_object(current)
        if group is not None:
            return group, False
        if current.dep_ == "xcomp":
            # object control: "urged Iran to stop" -> Iran stops
            obj = _first_child(current.head, _OBJECTS)
            if obj is not None and current.head.lemma_ in (
                "urge",
                "ask",
                "call",
                "force",
                "press",
                "tell",
                "order",
                "invite",
                "persuade",
                "encourage",
            ):
                return obj, False
            current = current.head
            continue
        if current.dep_ in ("conj", "advcl", "acl") and current.head.pos_ in ("VERB", "AUX"):
            current = current.head
            continue
        if current.dep_ == "acl" and _misparsed_clause(current):
            return current.sent.root, False  # "Hundreds of ethnic Hungarians protested ..."
        if current is token and current.dep_ in ("acl", "relcl") and current.tag_ == "VBN":
            return current.head, True  # "protesters killed by police": the noun is acted on
        if current.dep_ == "acomp" and current.head.pos_ in ("VERB", "AUX"):
            current = current.head  # "Norway is willing to send": the subject of "is" sends
            continue
        if current.dep_ == "acl" and current.tag_ == "VBG" and _acting_group(current.head):
            return current.head, False  # "members of Congress considering sanctions": the members consider
        if (
            current.dep_ == "acl"
            and current.head.dep_ in _OBJECTS
            and current.head.head.pos_ in ("VERB", "AUX")
        ):
            current = current.head.head  # "X issued a statement urging Y": X urges
            continue
        break
    return None, False


def _gerund_object(verb: Token) -> Token | None:
    """The group a gerund right after it qualifies: "criticised members of Congress considering new
    sanctions" (the members consider). Set off by a comma, the gerund is the subject's own act
    ("squashed al Qaeda, capturing its leaders"), and a thing does not act ("attacked the convoy
    killing ...")."""
    if verb.tag_ != "VBG" or verb.dep_ != "xcomp" or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    obj = _first_child(verb.head, _OBJECTS)
    start = verb.left_edge.i
    if obj is None or obj.i > verb.i or start != verb.i or start == 0 or verb.doc[start - 1].is_punct:
        return None  # "while trying to", "by sending": a marked gerund is the subject's
    return obj if _acting_group(obj) else None


def _misparsed_clause(verb: Token) -> bool:
    """Whether a participle attached to a noun is really the main verb of a sentence that the parser
    read as one noun phrase ("Hundreds of ethnic Hungarians protested in Romania."): the sentence's
    root is that noun phrase's head, it holds no other verb and it ends with a full stop, which a
    headline ("Weapons seized in raid") does not."""
    sent = verb.sent
    root = sent.root
    if root.pos_ not in ("NOUN", "PROPN") or sent[-1].text != ".":
        return False
    token = verb.head
    while token.i != root.i:
        if token.dep_ not in ("pobj", "prep", "compound", "conj", "appos"):
            return False
        token = token.head
    return not any(t.pos_ == "VERB" and t.i < verb.i for t in sent)


def _is_actorish(token: Token) -> bool:
    """A proper name or named entity that can act (not a date or number)."""
    if token.ent_type_ in _NOT_ACTORS:
        return False
    return (
        token.pos_ == "PROPN"
        or token.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
        or any(t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") for t in token.lefts)
    )


def _verb_arguments(token: Token) -> tuple[Token | None, list[Token]]:
    """Source head and target candidates (best first) of a verb trigger."""
    subject, passive = _subject(token)
    agent = None
    for child in token.children:
        if child.dep_ == "agent":
            agent = _first_child(child, {"pobj"})
    candidates: list[Token] = []
    for child in token.children:
        if child.dep_ == "dative" and child.pos_ == "ADP":
            # "gave firearms to the Marines" (parsed as a dative "to"): its object is the recipient
            candidates.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in _OBJECTS:
            # "the captives that the militia released": a relative pronoun stands for the noun qualified
            relative = child.lower_ in _RELATIVE_PRONOUNS and token.dep_ == "relcl"
            acted_on = token.head if relative else child
            # "held talks with Xi", "imposed sanctions on Russia": the object's own preposition first
            for grand in acted_on.children:
                if grand.dep_ == "prep" and grand.lower_ in _OBJECT_PREPS:
                    candidates.extend(g for g in grand.children if g.dep_ == "pobj")
            candidates.append(acted_on)
    for prep in _TARGET_PREPS:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == prep:
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    candidates.append(pobj)
                    # "called for sanctions against Nigeria": the object's own preposition
                    candidates.extend(
                        g
                        for p in pobj.children
                        if p.dep_ == "prep" and p.lower_ != "of"
                        for g in p.children
                        if g.dep_ == "pobj"
                    )
    if token.dep_ == "xcomp":
        # "agreed to help Lebanon" has its target on the complement; "urged Iran to" on the frame
        obj = _first_child(token.head, _OBJECTS)
        if obj is not None and (subject is None or obj.i != subject.i):
            candidates.append(obj)
    if passive and subject is not None and subject.i == token.head.i and token.dep_ in ("acl", "relcl"):
        # "troops backed by Russian airstrikes", "a curfew imposed on the port city by the army": the
        # noun the participle qualifies is acted on, after any party the verb names itself
        return agent, [*(c for c in candidates if c.i != subject.i), subject]
    if passive:
        return agent, ([subject] if subject is not None else [])
    return subject, candidates


def _noun_arguments(
    token: Token, *, mediation: bool = False, forces: bool = False, hostile: bool = False
) -> tuple[Token | None, list[Token]]:
    """Source and target of a nominal trigger: "Russia's invasion of Ukraine", "talks with Xi". The
    parties "between A and B" are source and target, except for a mediation, whose source is the
    mediator ("X launched a mediation effort between A and B"). For a move of ``forces`` the "of"
    phrase names who moves: "the withdrawal of Russian troops from Syria". A ``hostile`` act that the
    verb's subject is taken away from is not that subject's ("hoping for relief from sanctions",
    "fled from the shelling"), unlike talks one returns from."""
    source = None
    target = None
    moved: Token | None = None
    between: Token | None = None
    for child in token.children:
        if (child.dep_ == "poss" and child.ent_type_ not in _NOT_ACTORS) or (
            child.dep_ in ("amod", "compound", "nmod") and _is_actorish(child)
        ):
            source = source or child
        elif child.dep_ == "prep":
            pobj = _first_child(child, {"pobj"})
            if pobj is None:
                continue
            if child.lower_ == "by":
                source = pobj
            elif child.lower_ == "of" and forces and _is_actorish(pobj):
                moved = moved or pobj  # "of Russian troops", not "of heavy weapons"
            elif child.lower_ == "between":
                between = pobj
            elif child.lower_ in _TARGET_PREPS and target is None:
                target = pobj
            elif child.lower_ == "in" and target is None and pobj.ent_type_ == "GPE":
                target = pobj  # "the war in Ukraine", "an operation in Syria": the country fought in
        elif child.dep_ == "acl" and child.tag_ == "VBN" and source is None:
            # "the joint statement signed by China and Russia", "sanctions imposed by the EU on Iran"
            for grand in child.children:
                pobj = _first_child(grand, {"pobj"})
                if pobj is None:
                    continue
                if grand.dep_ == "agent":
                    source = pobj
                elif (
                    grand.dep_ == "prep"
                    and grand.lower_ in _OBJECT_PREPS
                    and target is None
                    and _is_actorish(pobj)
                ):
                    target = pobj
    if source is not None and source.pos_ == "PRON":
        source = None  # "mounted its invasion": the possessive stands for the verb's subject
    source = source or moved
    if between is not None and not mediation:
        source, target = between, _first_child(between, {"conj"}) or target
    if source is None and token.dep_ in _OBJECTS | {"pobj"} and not _circumstance(token):
        verb = token.head if token.dep_ != "pobj" else token.head.head
        escaped = hostile and _away_from(token)
        for _ in range(2):
            # "present himself as a peacemaker in talks with Putin": up the noun phrases
            # that hold the trigger to the verb whose subject takes part
            if (
                verb.pos_ not in ("NOUN", "PROPN")
                or verb.dep_ not in _OBJECTS | {"pobj"}
                or _circumstance(verb)
            ):
                break
            escaped = escaped or (hostile and _away_from(verb))
            verb = verb.head if verb.dep_ != "pobj" else verb.head.head
        if (
            not escaped
            and verb.pos_ in ("VERB", "AUX")
            and not _circumstance(verb.head if verb.dep_ == "pcomp" else verb)
        ):
            subject, passive = _subject(verb)
            # "were engaged in ethnic cleansing": a passive form whose subject is the agent
            if subject is not None and (not passive or verb.lemma_.lower() in _AGENTIVE_PASSIVES):
                source = subject
    if target is None and token.dep_ in _OBJECTS:
        # "launched an attack on the main ISIS depot": the light verb's preposition
        target = next(
            (
                g
                for p in token.head.children
                if p.dep_ == "prep" and p.lower_ in _LIGHT_VERB_PREPS
                for g in p.children
                if g.dep_ == "pobj"
            ),
            None,
        )
    if source is None and token.dep_ in ("nsubj", "nsubjpass") and target is None:
        obj = _first_child(token.head, _OBJECTS)
        target = obj if obj is not None and _is_actorish(obj) else None
    if between is not None and mediation:
        if source is None:
            source, target = between, _first_child(between, {"conj"}) or target
        else:
            target = between
    return source, ([target] if target is not None else [])


#: Prepositions that set an event in time or circumstance: "Prices rose after the invasion" does not make
#: the prices invaders.
_CIRCUMSTANCE_PREPS = frozenset(
    {
        "after",
        "before",
        "since",
        "following",
        "until",
        "till",
        "amid",
        "despite",
        "during",
        "ahead",
        "because",
    }
)


#: Prepositions of a verb that name the target of the event its object names: "launched an assault on",
#: "staged a protest against", "held talks with".
_LIGHT_VERB_PREPS = frozenset({"against", "on", "upon", "onto", "into", "with", "to", "toward", "towards"})
#: What an authority does to things within its own country: lifting or imposing measures, demands,
#: warnings, refusals ("lifted a state of emergency", "will extend the curfew", "denied land allocation").
_DOMESTIC_ACTS = frozenset({"CONCEDE", "COERCE", "REQUEST", "THREATEN", "REJECT", "SANCTION", "RETREAT"})
_PLACE_OR_PEOPLE = frozenset({"GPE", "NORP", "LOC"})
#: Verbs whose passive subject takes part in the event the object of their preposition names.
_AGENTIVE_PASSIVES = frozenset({"engage", "involve"})
#: Event types whose forces (troops, police, fighters) are the acting party when named as the thing
#: moved: "the deployment of NATO troops", "the withdrawal of Russian troops", "were demobilized".
_FORCE_MOVES = frozenset({"MOBILIZE", "RETREAT"})
#: Acts whose forces or missions serve somewhere: that place is the party ("sent troops to the UN
#: mission in Mali"). An attack on a mission is an attack on the mission, so conflict acts are left out.
_DEPLOYING = frozenset({"MOBILIZE", "RETREAT", "AID", "AGREE"})
_MISSION_NOUNS = frozenset({"mission", "force", "operation", "contingent", "deployment"})
_MISSION_KINDS = frozenset(
    {"peacekeeping", "security", "military", "stabilization", "stabilisation", "monitoring"}
)
_STATION_PREPS = ("in", "from", "to", "into", "inside")


def _prep_objects(head: Token, preposition: str) -> list[Token]:
    """The objects of ``head``'s ``preposition`` phrases."""
    return [
        g
        for c in head.children
        if c.dep_ == "prep" and c.lower_ == preposition
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _force(coder: ActorCoder, noun: Token) -> bool:
    """Whether a noun names armed forces or a mission of them ("peacekeepers", "the UN peacekeeping
    mission", "a security force")."""
    return _armed(coder, noun) or (
        noun.lemma_.lower() in _MISSION_NOUNS
        and any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in _MISSION_KINDS for c in noun.children)
    )


def _stationed(noun: Token) -> list[Token]:
    """The places a force or mission serves in, comes from or goes to ("the mission in Mali")."""
    return [
        place
        for preposition in _STATION_PREPS
        for place in _prep_objects(noun, preposition)
        if any(w.ent_type_ in ("GPE", "LOC", "NORP") for w in place.subtree)
    ]


def _armed(coder: ActorCoder, noun: Token) -> bool:
    """Whether a noun names armed forces ("troops", "peacekeepers", "police")."""
    sector = coder.agents.get(noun.lower_) or coder.agents.get(noun.lemma_.lower())
    return sector in ARMED_SECTORS


def _away_from(token: Token) -> bool:
    """Whether a noun is the object of "from": what one escapes, is spared or suffers from."""
    return token.dep_ == "pobj" and token.head.lower_ == "from"


def _circumstance(token: Token) -> bool:
    """Whether a noun is the object of a temporal or circumstantial preposition."""
    return token.dep_ == "pobj" and token.head.lower_ in _CIRCUMSTANCE_PREPS


def _target(
    doc: Doc,
    coder: ActorCoder,
    candidates: list[Token],
    when: dt.date | None,
    *,
    kind: str,
    avoid: list[Token],
) -> EventActor | None:
    """The first candidate that codes as an actor or is a named one; else a named actor inside a
    candidate ("demanded an admission by Moscow"); else the first candidate noun phrase or "him",
    "her", "them", uncoded (the thing or person acted on: "attacked an army camp")."""
    fallback: EventActor | None = None
    own: EventActor | None = None
    for candidate in candidates:
        if candidate.ent_type_ in _NOT_ACTORS and counted_noun(candidate) is None:
            continue  # a date or a sum, not "dozens of demonstrators"
        actor = _actor(doc, coder, candidate, when, role="target", avoid=avoid)
        if actor is None:
            continue
        if actor.country is None and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in candidate.children):
            # "offered its troops to Lebanon's president": the source's own troops are not the target
            own = own or actor
            continue
        if actor.country and not (actor.sector or _is_actorish(candidate)) and kind != "ASSAULT":
            # "agreed a ceasefire in Afghanistan", "lifted the blockade of Qatar": a measure is not a
            # party; the place or people it applies to is (an attack keeps what it hit: "a depot of
            # the army")
            party = _party_of_thing(doc, coder, candidate, actor.country, when, avoid)
            if party is not None:
                return party
        if actor.country or actor.sector or _is_actorish(candidate):
            return actor
        if fallback is None and (candidate.pos_ in ("NOUN", "PROPN") or candidate.lower_ in _ACTED_ON):
            fallback = actor
    for candidate in candidates:
        for inner in _inner_actors(candidate):
            actor = _actor(doc, coder, inner, when, role="target", avoid=avoid)
            if actor is not None and actor.country:
                if not _modifies(inner, candidate):
                    return actor
                # "an attack on the main ISIS depot": coded as ISIS, spanning the words acted on
                phrase = _words(doc, coder, candidate, "target", avoid)
                start = min(phrase.start_char, actor.span.start)
                end = max(phrase.end_char, actor.span.end)
                return dataclasses.replace(actor, span=Span(start=start, end=end, text=doc.text[start:end]))
    return own if own is not None and own.sector else fallback or own


def _predicate_target(
    doc: Doc,
    coder: ActorCoder,
    candidates: list[Token],
    predicate: frozenset[int],
    when: dt.date | None,
    *,
    kind: str,
    avoid: list[Token],
    never: frozenset[int] = frozenset(),
) -> EventActor | None:
    """``_target``, where the objects in ``predicate`` come last: the parties their own phrases name
    come first ("lifted the ban imposed on the LTTE", "withdrew its troops from the border zone"),
    and the object itself only when nothing else is found ("lifted a state of emergency"), unless it
    is in ``never``: what a statement says ("expressed doubts") or the forces moved ("offered to send
    troops"). A statement's object names its addressee or accuser first ("rejected accusations by
    Maduro"), before the parties of what it speaks of."""
    held = [c for c in candidates if c.i in predicate]
    if not held:
        return _target(doc, coder, candidates, when, kind=kind, avoid=avoid)
    statement = kind == STATEMENT
    beyond = [
        pobj
        for thing in held
        for holder in (
            thing,
            *(c for c in thing.children if c.dep_ == "acl" and c.tag_ == "VBN"),
            *(c for c in [_counted(thing)] if c is not None),  # "thousands of soldiers in Crimea"
        )
        for prep in holder.children
        if prep.dep_ == "prep" and (prep.lower_ != "by" or (statement and holder is thing))
        for pobj in prep.children
        if pobj.dep_ == "pobj" and pobj.i not in predicate  # "hundreds of troops": the troops are too
    ]
    rest = [c for c in candidates if c.i not in predicate]
    if statement:
        primary = [*beyond, *(c for c in rest if c not in beyond)]
    else:
        primary = [*rest, *(b for b in beyond if b not in rest)]
    found = _target(doc, coder, primary, when, kind=kind, avoid=avoid) if primary else None
    if found is not None:
        return found
    allowed = [c for c in candidates if c.i not in never]
    return _target(doc, coder, allowed, when, kind=kind, avoid=avoid) if allowed else None


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _party_of_thing(
    doc: Doc, coder: ActorCoder, thing: Token, country: str, when: dt.date | None, avoid: list[Token]
) -> EventActor | None:
    """The object of a preposition of ``thing`` that codes as ``country``: the place or people a
    thing acted on belongs to ("a curfew in parts of Kashmir", "the demands of the truck drivers")."""
    for prep in thing.children:
        if prep.dep_ != "prep" or prep.lower_ not in _THING_PREPS:
            continue
        for noun in prep.children:
            if noun.dep_ != "pobj" or noun.ent_type_ in _NOT_ACTORS:
                continue
            party = _actor(doc, coder, noun, when, role="target", avoid=avoid)
            if party is not None and party.country == country:
                return party
    return None


def _modifies(inner: Token, head: Token) -> bool:
    """Whether a named actor inside a noun phrase only qualifies its head ("the ISIS bastion", "Russia's
    request", "a camp for refugees"), rather than naming a party or place of its own ("aid to Lebanon",
    "arms in Colombia")."""
    token = inner
    while token.i != head.i:
        if token.dep_ == "pobj" and token.head.lower_ not in ("of", "for"):
            return False
        if token.dep_ not in ("poss", "compound", "amod", "nmod", "pobj", "prep"):
            return False
        token = token.head
    return True


def _inner_actors(head: Token) -> Iterator[Token]:
    """Named actors inside a noun phrase, outside its own clauses: possessors and objects of its
    prepositions ("Serbia's suppression", "an admission by Moscow", "an offer from Kabul")."""
    for child in head.children:
        if child.dep_ in _CLAUSES or child.dep_ == "punct":
            continue
        if child.dep_ in ("poss", "pobj", "compound", "nmod", "appos", "conj") and _is_actorish(child):
            yield child
        if child.dep_ in ("prep", "poss", "pobj"):
            yield from _inner_actors(child)


def _words(doc: Doc, coder: ActorCoder, head: Token, role: str, avoid: list[Token]) -> SpacySpan:
    """The words of the argument headed by ``head``: chosen by the learned span model, else the
    head's noun phrase."""
    if coder.spans is not None and not _modifier_actor(head):
        start, end = coder.spans.bounds(head, role, avoid)
        return doc[start:end]
    tokens = _phrase(head)
    return doc[tokens[0].i : tokens[-1].i + 1]


def _actor(
    doc: Doc,
    coder: ActorCoder,
    head: Token | None,
    date: dt.date | None,
    *,
    role: str,
    avoid: list[Token],
    words: SpacySpan | None = None,
) -> EventActor | None:
    """The argument headed by ``head``, coded from its noun phrase, spanning its words (``_words``,
    unless the tagger gave them)."""
    if head is None:
        return None
    tokens = _phrase(head)
    tagged = words is not None
    if words is None:
        words = _words(doc, coder, head, role, avoid)
    coded: Coded = coder.code_tokens(doc, tokens, date)
    if tagged:
        shown = coder.code_tokens(doc, list(words), date)
        if shown.known or not coded.known:
            coded = shown  # the tagged words are what the reader sees; their code comes first
    elif coded.known and not (words.start <= tokens[0].i and tokens[-1].i < words.end):
        shown = coder.code_tokens(doc, list(words), date)
        if (shown.country, shown.sector) != (coded.country, coded.sector):
            # the words that gave the code stay visible: "an admission by Moscow", coded as Russia
            words = doc[min(words.start, tokens[0].i) : max(words.end, tokens[-1].i + 1)]
    if coded.country is None:
        # "rebels in the Ivory Coast": a group placed in a country belongs to it
        head = max(
            tokens, key=lambda t: t.i if t.head.i not in {u.i for u in tokens} or t.head.i == t.i else -1
        )
        # "guerrillas operating in Macedonia", "Kurds living in Iraq": also through a participle
        holders = [head, *(c for c in head.children if c.dep_ == "acl" and c.tag_ in ("VBG", "VBN"))]
        place = [
            g
            for holder in holders
            for c in holder.children
            if c.dep_ == "prep" and c.lower_ in ("in", "from")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if place:
            located = coder.code_tokens(doc, _phrase(place[0]), date)
            if located.country is not None:
                sector = coded.sector
                code = located.country + (sector or "") if sector else located.code
                coded = Coded(country=located.country, sector=sector, code=code, actor_id=coded.actor_id)
    return EventActor(
        span=Span(start=words.start_char, end=words.end_char, text=words.text),
        actor_id=coded.actor_id,
        country=coded.country,
        sector=coded.sector,
        code=coded.code,
    )


def _sentence_country(
    doc: Doc,
    sent: SpacySpan,
    coder: ActorCoder,
    when: dt.date | None,
    labels: frozenset[str] = frozenset({"GPE", "NORP", "LOC", "ORG"}),
) -> str | None:
    """The one country the sentence names (places, demonyms, organisations: entities of ``labels``), or
    None when it names none or several. An ethnic group's demonym ("ethnic Albanians in Serbia") names
    no country."""
    found: set[str] = set()
    for ent in sent.ents:
        if ent.label_ not in labels:
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_ == "ethnic":
            continue
        coded = coder.code_tokens(doc, list(ent), when)
        if coded.country is not None and coded.country not in NON_STATE:
            found.add(coded.country)
            if len(found) > 1:
                return None
    return next(iter(found)) if found else None


def _other_party(
    doc: Doc,
    sent: SpacySpan,
    coder: ActorCoder,
    when: dt.date | None,
    token: Token,
    source: EventActor | None,
    cache: _DocCache,
) -> EventActor | None:
    """The named actor of another country than the source's closest to the trigger in the parse of
    its clause ("Albania denounced ... Serbia's suppression of unrest in Montenegro" -> Serbia); None
    when there is none, or two of different countries are equally close."""
    clause = _clause_verb(token)
    lo, hi = clause.left_edge.i, clause.right_edge.i
    best: tuple[int, EventActor] | None = None
    best_ent: SpacySpan | None = None
    tie = False
    for ent in cache.ents(sent):
        if ent.label_ not in ("GPE", "NORP", "ORG", "PERSON", "LOC", "FAC") or not (
            lo <= ent.start and ent.end - 1 <= hi
        ):
            continue
        if source is not None and ent.start_char < source.span.end and source.span.start < ent.end_char:
            continue
        if ent.start <= token.i < ent.end or (ent.start > 0 and doc[ent.start - 1].lower_ == "ethnic"):
            continue
        key = (ent.start, ent.end, when)
        coded = cache.coded.get(key)
        if coded is None:
            coded = cache.coded[key] = coder.code_tokens(doc, list(ent), when)
        if coded.country is None or (source is not None and coded.country == source.country):
            continue
        distance = _tree_distance(token, ent.root)
        actor = EventActor(
            span=Span(start=ent.start_char, end=ent.end_char, text=ent.text),
            actor_id=coded.actor_id,
            country=coded.country,
            sector=coded.sector,
            code=coded.code,
        )
        if best is None or distance < best[0]:
            best, best_ent, tie = (distance, actor), ent, False
        elif distance == best[0] and actor.country != best[1].country:
            tie = True
    if best is None or best_ent is None or tie:
        return None
    return _with_its_noun(doc, cache.ents(sent), coder, best_ent, best[1], when, avoid=[token])


def _with_its_noun(
    doc: Doc,
    ents: list[SpacySpan],
    coder: ActorCoder,
    ent: SpacySpan,
    actor: EventActor,
    when: dt.date | None,
    *,
    avoid: list[Token],
) -> EventActor:
    """A party named by a modifier spans the noun it qualifies ("lifted a ban on [Chadian students]",
    "protests against [the Chinese government]"), unless that noun phrase names another party too
    ("a Turkish-Libyan deal") or takes in the trigger; the phrase's own code wins when it agrees on
    the country ("the Saudi ambassador": Saudi Arabia's government)."""
    root = ent.root
    if not (_modifier_actor(root) and root.head.pos_ == "NOUN" and not ent.start <= root.head.i < ent.end):
        return actor
    words = _words(doc, coder, root.head, "target", avoid)
    inside = range(words.start, words.end)
    if ent.start not in inside or ent.end > words.end or any(t.i in inside for t in avoid):
        return actor
    if any(
        other.label_ in ("GPE", "NORP", "ORG", "PERSON") and other.start in inside and other.end <= words.end
        for other in ents
        if other.start != ent.start
    ):
        return actor
    span = Span(start=words.start_char, end=words.end_char, text=words.text)
    coded = coder.code_tokens(doc, list(words), when)
    if coded.country == actor.country and coded.sector:
        return EventActor(
            span=span, actor_id=coded.actor_id, country=coded.country, sector=coded.sector, code=coded.code
        )
    return dataclasses.replace(actor, span=span)


def _named(doc: Doc, actor: EventActor) -> bool:
    """Whether an argument's words name a person (spaCy's organisations are too often things with a
    name: "the Amazon rainforest", "the AfCFTA agreement")."""
    words = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return words is not None and any(t.ent_type_ == "PERSON" and t.pos_ == "PROPN" for t in words)


def _proper(doc: Doc, actor: EventActor) -> bool:
    """Whether an argument's head word is a name ("Huawei", "the Kurdish PKK"), not a common noun."""
    words = doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
    return words is not None and len(words) > 0 and _span_root(doc, words.start, words.end).pos_ == "PROPN"


def _tree_distance(a: Token, b: Token) -> int:
    """Number of dependency arcs between two tokens of one sentence."""
    up = {a.i: 0}
    for n, ancestor in enumerate(a.ancestors, 1):
        up[ancestor.i] = n
    if b.i in up:
        return up[b.i]
    for n, ancestor in enumerate(b.ancestors, 1):
        if ancestor.i in up:
            return n + up[ancestor.i]
    return len(up) + 99


def _domestic(
    doc: Doc,
    sent: SpacySpan,
    coder: ActorCoder,
    when: dt.date | None,
    token: Token,
    kind: str,
    source: EventActor,
    target: EventActor | None,
) -> EventActor | None:
    """The target of a domestic act: when the sentence names no country but the source's, by a place or
    demonym, the thing a measure acts on ("Peru's government lifted a state of emergency") is within
    that country, and a protest with no named target ("Thousands of Chilean students demonstrated in
    Santiago") is against its government, as CAMEO coders code them. Other acts on things ("endorsed
    the plan", "apologized for the comments") get no country for them: that would be a guess."""
    if target is not None and (target.country or target.sector):
        return target
    if target is None and kind != "PROTEST":
        return None
    if target is not None and (kind not in _DOMESTIC_ACTS or _proper(doc, target)):
        return target  # a name the knowledge base does not know stays uncoded ("the ban on Huawei")
    country = source.country
    # places and demonyms only: the small model tags people as organisations ("Trump apologized")
    if country is None or _sentence_country(doc, sent, coder, when, _PLACE_OR_PEOPLE) != country:
        return target
    if target is None:
        return _government(doc, sent, coder, country, token, when)
    return dataclasses.replace(target, country=country, code=country)


def _is_country(actor: EventActor | None, country: str) -> bool:
    """Whether ``actor`` is ``country`` itself, named as a place ("Japan"), with no sector."""
    return actor is not None and actor.country == country and actor.sector is None


def _placed(actor: EventActor | None, country: str) -> EventActor | None:
    """An unnamed or titled actor of known sector ("the president", "rebels") with no country of its
    own belongs to the one country its sentence names: news names the country once."""
    if actor is None or actor.country is not None or not actor.sector or actor.sector in NON_STATE:
        return actor
    return dataclasses.replace(actor, country=country, code=country + actor.sector)


# --- date, place, attribution ------------------------------------------------------------------------


def _clause_verb(token: Token) -> Token:
    """The verb heading the trigger's clause (the trigger itself for a verb)."""
    clause = token
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause


def _dated(time: TimeExpression) -> bool:
    """A time expression that gives a calendar date: a DATE/TIME, or a duration anchored to a date
    ("20 days before the invasion" resolves to the day it points at)."""
    kind = time.type.value
    return kind in _TIMES or (kind == "DURATION" and bool(time.resolved) and time.interval is not None)


#: Clauses whose time expressions also date the clauses below them: "In late December, Xi tried to
#: present himself as a peacemaker in talks with Putin" (xcomp), "On Monday troops entered and shelled ..."
#: (conj), "... after talks on Friday" (advcl). Reported speech (ccomp) keeps its own time.
_GOVERNING = frozenset({"xcomp", "conj", "advcl"})


def _time(token: Token, times: Sequence[TimeExpression]) -> TimeExpression | None:
    """The dated time expression of the trigger's clause nearest to the trigger; else one attached
    directly to a governing clause (up to three levels up xcomp/conj/advcl), outside its other clauses."""
    dated = [t for t in times if _dated(t)]
    if not dated:
        return None
    clause = _clause_verb(token)
    start, end = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
    best: TimeExpression | None = None
    for time in dated:
        if not (start <= time.span.start and time.span.end <= end):
            continue
        if best is None or abs(time.span.start - token.idx) < abs(best.span.start - token.idx):
            best = time
    if best is not None:
        return best
    for _ in range(3):
        if clause.dep_ not in _GOVERNING or clause.head.i == clause.i:
            return None
        clause = clause.head
        for child in clause.children:
            if child.dep_ in _CLAUSES or child.dep_ in _SUBJECTS or child.dep_ in _OBJECTS:
                continue
            first, last = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            for time in dated:
                if first <= time.span.start and time.span.end <= last:
                    return time
    return None


def _event_date(time: TimeExpression | None, published: dt.date | None) -> EventDate | None:
    if time is not None:
        return EventDate(value=time.resolved or time.value, interval=time.interval, time_id=time.id)
    if published is not None:
        day = published.isoformat()
        return EventDate(value=day, interval=(day, day), from_publication=True)
    return None


def _when(date: EventDate | None) -> dt.date | None:
    if date is None or not date.value:
        return None
    try:
        return dt.date.fromisoformat(date.value[:10])
    except ValueError:
        return None


def _location(
    doc: Doc,
    token: Token,
    coder: ActorCoder,
    source: EventActor | None,
    target: EventActor | None,
) -> Location | None:
    """A place attached to the trigger (or to its object) by in/at/near...: "met in Beijing"."""
    taken = [(a.span.start, a.span.end) for a in (source, target) if a is not None]
    anchors = [token, *(c for c in token.children if c.dep_ in _OBJECTS)]
    anchors += [g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for anchor in anchors:
        for prep in anchor.children:
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                continue
            for place in prep.children:
                if place.dep_ != "pobj" or place.ent_type_ not in _PLACE_LABELS:
                    continue
                first, last = place.i, place.i + 1
                while first > 0 and doc[first].ent_iob_ == "I":
                    first -= 1
                while last < len(doc) and doc[last].ent_iob_ == "I":
                    last += 1
                span = doc[first:last]
                if any(s < span.end_char and span.start_char < e for s, e in taken):
                    continue
                coded = coder.code_tokens(doc, list(span), None)
                return Location(
                    span=Span(start=span.start_char, end=span.end_char, text=span.text),
                    country=coded.country,
                    name=span.text,
                )
    return None


def _reported_by(token: Token, attributions: Sequence[object] | None) -> int | None:
    """Index of the innermost attribution whose content holds the trigger; else of one whose content
    is an anaphoric phrase opening the next sentence and so stands for this one ("Putin spoke with Xi by
    phone. These exchanges were described by unnamed aides ...")."""
    if not attributions:
        return None
    best: tuple[int, tuple[int, int]] | None = None
    for index, attribution in enumerate(attributions):
        content = getattr(attribution, "content", None)
        if content is None or not (content.start <= token.idx < content.end):
            continue
        # the narrowest content; of equal ones, the longest chain ("Reuters, citing officials,
        # reported X": the officials, via Reuters)
        rank = (content.end - content.start, -len(getattr(attribution, "via", ())))
        if best is None or rank < best[1]:
            best = (index, rank)
    if best is not None:
        return best[0]
    sent = token.sent
    if sent.end >= len(token.doc):
        return None
    following = token.doc[sent.end].sent
    for index, attribution in enumerate(attributions):
        content = getattr(attribution, "content", None)
        if (
            content is not None
            and following.start_char <= content.start < following.end_char
            and _anaphoric(token.doc, content.start, content.end)
        ):
            return index
    return None


#: Determiners and pronouns of a phrase that stands for what the previous sentence said.
_ANAPHORS = frozenset({"the", "this", "that", "these", "those", "such", "it"})


def _anaphoric(doc: Doc, start: int, end: int) -> bool:
    """Whether the text ``start:end`` is a short phrase pointing back: "The remarks", "This", "Such
    claims" (no name in it)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not 1 <= len(span) <= 3:
        return False
    words = [t for t in span if not t.is_punct]
    return (
        bool(words)
        and words[0].lower_ in _ANAPHORS
        and (len(words) == 1 or words[-1].pos_ == "NOUN")
        and not any(t.ent_type_ for t in words)
    )

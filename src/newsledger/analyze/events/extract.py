"""Event extraction over a parsed Doc: triggers, arguments, mode, date, place and attribution.

Triggers are verbs found in the lexicons (hand-written entries first, then PETRARCH's CAMEO verb
dictionary with its object patterns) and nominal triggers ("talks", "sanctions", "the invasion").
Arguments come from the dependency parse: subject -> source, object or prepositional object -> target;
passives swap them ("was attacked by"); xcomp chains and conjoined verbs inherit the governing
subject; pronoun subjects of reported clauses fall back to the speaker. Frames such as "threatened to"
or "urged ... to" make one event with a mode instead of coding the governed action as a fact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.events.coding import ActorCoder, Coded
from newsledger.analyze.events.lexicon import Lexicon, load_lexicon
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
_NOT_ACTORS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_SOURCE_PREPS = ("by",)
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
_DEMAND_AUX = frozenset({"must", "should"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "can", "should", "ca", "must"})
#: PLOVER/CAMEO convention: an intention to cooperate is AGREE, an intention to use force is THREATEN.
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "AGREE"})
_MATERIAL_CONFLICT = frozenset({"SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "around", "throughout"})


@dataclasses.dataclass(slots=True)
class _Trigger:
    token: Token
    type: str
    cameo: str | None
    frame: str | None = None
    nominal: bool = False


def extract_events(
    doc: Doc, *, lexicon: Lexicon | None = None, coder: ActorCoder | None = None
) -> Iterator[Event]:
    """The coded events of ``doc`` in text order (needs a parsed Doc; uses doc._ records if present)."""
    if not doc.has_annotation("DEP"):
        return
    lexicon = lexicon or load_lexicon()
    coder = coder or ActorCoder()
    published: dt.date | None = doc._.published if isinstance(doc._.published, dt.date) else None
    times: Sequence[TimeExpression] = doc._.times or ()
    attributions = doc._.attributions
    for sent in doc.sents:
        triggers = _triggers(sent, lexicon)
        absorbed = _absorbed(triggers)
        for trigger in triggers.values():
            if trigger.token.i in absorbed:
                continue
            event = _event(doc, sent, trigger, triggers, coder, published, times, attributions)
            if event is not None and (
                event.source is not None or event.target is not None
            ):  # no participants: nothing to code
                yield event


# --- triggers ----------------------------------------------------------------------------------------


def _triggers(sent: SpacySpan, lexicon: Lexicon) -> dict[int, _Trigger]:
    found: dict[int, _Trigger] = {}
    for token in sent:
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT" and token.lemma_ != "be"):
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
        if c.dep_ in ("prep", "agent") and not any(g.ent_type_ in _NOT_ACTORS for g in c.children)
    }
    objects = {c.lemma_.lower() for c in token.children if c.dep_ in _OBJECTS}
    best = None
    best_score = -1
    for entry in lexicon.verbs.get(lemma, ()):
        if entry.particle and entry.particle != particle and entry.particle not in preps:
            continue
        if entry.prep and entry.prep not in preps:
            continue
        if entry.objects and not objects & set(entry.objects):
            continue
        score = bool(entry.particle) + bool(entry.prep) + bool(entry.objects)
        if score > best_score:
            best, best_score = entry, score
    if _reported(token) and any(c.dep_ == "aux" and c.lower_ in _DEMAND_AUX for c in token.children):
        # "X said Y must withdraw": a demand by the speaker, whatever the action (CAMEO 10)
        return _Trigger(token, "REQUEST", "100", frame="demand")
    after, before = _context(token)
    cameo = lexicon.cameo_match(lemma, particle, before, after)
    if best is not None:
        # a specific PETRARCH pattern refines the CAMEO code when it agrees on the PLOVER type
        refined = lexicon.plover_of(cameo)
        code = cameo if refined is not None and refined.type == best.type else best.cameo
        if best.type is None:
            code = best.cameo
        return _Trigger(token, best.type or "", code, frame=best.frame)
    plover = lexicon.plover_of(cameo)
    if plover is None:
        return None
    return _Trigger(token, plover.type, cameo)


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
            return _Trigger(token, entry.type, entry.cameo, nominal=True)
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
) -> Event | None:
    token = trigger.token
    kind, cameo = trigger.type, trigger.cameo
    mode, negated = _mode(token)
    # a verb that undoes what its object names ("called off the strike") is the event itself
    undoing = trigger.type in ("CONCEDE", "RETREAT")
    light = _light_object(token, triggers) if not (trigger.nominal or undoing) else None
    if light is not None:
        kind, cameo = light.type, light.cameo  # "held talks", "staged a protest": the noun names the event
    if trigger.frame:
        framed = _frame(trigger, _governed(token, triggers), mode)
        if framed is None:
            return None
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
        source_head, targets = _noun_arguments(token)
    else:
        source_head, targets = _verb_arguments(token)
    if trigger.frame and not trigger.nominal:
        governed = _governed(token, triggers)
        clause = governed.token if governed is not None else _first_child(token, {"ccomp", "xcomp"})
        if clause is not None and clause.pos_ in ("VERB", "AUX"):
            if trigger.frame in ("request", "demand") and clause.dep_ == "ccomp":
                own, _ = _subject(clause)  # "demanded that Hamas renounce": Hamas is asked
                targets = [*targets, *([own] if own is not None else [])]
            else:
                targets = [*targets, *_verb_arguments(clause)[1]]
    event_date = _event_date(_time(token, times), published)
    when = _when(event_date)
    source = _actor(doc, coder, _phrase(source_head) if source_head is not None else [], when)
    target = _target(doc, coder, targets, when)
    if target is not None and source is not None and target.span == source.span:
        target = None
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
    if token.dep_ == "xcomp":
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
    if (
        token.dep_ == "xcomp"
        and token.head.lemma_ in ("be", "go")
        and any(c.dep_ == "aux" for c in token.children)
    ):
        mode = EventMode.FUTURE  # "is going to attack", "is to visit"
    return mode, negated


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


def _frame(
    trigger: _Trigger, governed: _Trigger | None, mode: EventMode
) -> tuple[EventMode, str, str | None] | None:
    """(mode, type, cameo) of a frame verb with the event it governs; None when there is no event."""
    frame = trigger.frame
    if frame == "threaten":
        return EventMode.THREATENED, trigger.type or "THREATEN", trigger.cameo
    if frame in ("request", "demand"):
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
    """The noun phrase headed by ``head``: its left modifiers, itself, appositions and "of" phrases."""
    if head.dep_ in ("amod", "compound", "nmod") and head.head.pos_ in ("NOUN", "PROPN"):
        return [head]  # "Russian invasion": the modifier alone is the actor
    tokens = [t for t in head.left_edge.doc[head.left_edge.i : head.i + 1] if t.dep_ != "punct"] or [head]
    for child in head.rights:
        if child.dep_ in ("appos", "compound", "flat", "nmod") or (
            child.dep_ == "prep" and child.lower_ == "of"
        ):
            tokens.extend(t for t in child.subtree if t.dep_ != "punct")
    return sorted(set(tokens), key=lambda t: t.i)


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
        if (
            current.dep_ == "acl"
            and current.head.dep_ in _OBJECTS
            and current.head.head.pos_ in ("VERB", "AUX")
        ):
            current = current.head.head  # "X issued a statement urging Y": X urges
            continue
        break
    return None, False


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
        if child.dep_ in _OBJECTS:
            candidates.append(child)
            # "held talks with Xi", "imposed sanctions on Russia": the object's own preposition
            for grand in child.children:
                if grand.dep_ == "prep" and grand.lower_ in _TARGET_PREPS and grand.lower_ != "of":
                    candidates.extend(g for g in grand.children if g.dep_ == "pobj")
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
    if passive:
        return agent, ([subject] if subject is not None else [])
    return subject, candidates


def _noun_arguments(token: Token) -> tuple[Token | None, list[Token]]:
    """Source and target of a nominal trigger: "Russia's invasion of Ukraine", "talks with Xi"."""
    source = None
    target = None
    for child in token.children:
        if child.dep_ == "poss" or (child.dep_ in ("amod", "compound", "nmod") and _is_actorish(child)):
            source = source or child
        elif child.dep_ == "prep":
            pobj = _first_child(child, {"pobj"})
            if pobj is None:
                continue
            if child.lower_ == "by":
                source = pobj
            elif child.lower_ == "between":
                source = pobj
                target = _first_child(pobj, {"conj"}) or target
            elif child.lower_ in _TARGET_PREPS and target is None:
                target = pobj
            elif child.lower_ == "in" and target is None and pobj.ent_type_ == "GPE":
                target = pobj  # "the war in Ukraine", "an operation in Syria": the country fought in
    if source is not None and source.pos_ == "PRON":
        source = None  # "mounted its invasion": the possessive stands for the verb's subject
    if source is None and token.dep_ in _OBJECTS | {"pobj"}:
        verb = token.head if token.dep_ != "pobj" else token.head.head
        if verb.pos_ in ("VERB", "AUX"):
            subject, passive = _subject(verb)
            if subject is not None and not passive:
                source = subject
    if source is None and token.dep_ in ("nsubj", "nsubjpass") and target is None:
        obj = _first_child(token.head, _OBJECTS)
        target = obj if obj is not None and _is_actorish(obj) else None
    return source, ([target] if target is not None else [])


def _target(doc: Doc, coder: ActorCoder, candidates: list[Token], when: dt.date | None) -> EventActor | None:
    """The first candidate that codes as an actor or is a named one; none when no candidate is."""
    for candidate in candidates:
        if candidate.ent_type_ in _NOT_ACTORS:
            continue
        actor = _actor(doc, coder, _phrase(candidate), when)
        if actor is not None and (actor.country or actor.sector or _is_actorish(candidate)):
            return actor
    return None


def _actor(doc: Doc, coder: ActorCoder, tokens: list[Token], date: dt.date | None) -> EventActor | None:
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    coded: Coded = coder.code_tokens(doc, tokens, date)
    if coded.country is None:
        # "rebels in the Ivory Coast": a group placed in a country belongs to it (the place stays
        # out of the actor's span)
        head = max(
            tokens, key=lambda t: t.i if t.head.i not in {u.i for u in tokens} or t.head.i == t.i else -1
        )
        place = [
            g
            for c in head.children
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
        span=Span(start=start, end=end, text=doc[tokens[0].i : tokens[-1].i + 1].text),
        actor_id=coded.actor_id,
        country=coded.country,
        sector=coded.sector,
        code=coded.code,
    )


# --- date, place, attribution ------------------------------------------------------------------------


def _clause_range(token: Token) -> tuple[int, int]:
    """Character range of the trigger's clause: its verb's subtree."""
    clause = token
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)


def _time(token: Token, times: Sequence[TimeExpression]) -> TimeExpression | None:
    """The dated time expression of the trigger's clause nearest to the trigger."""
    start, end = _clause_range(token)
    best: TimeExpression | None = None
    for time in times:
        if time.type.value not in ("DATE", "TIME") or not (start <= time.span.start and time.span.end <= end):
            continue
        if best is None or abs(time.span.start - token.idx) < abs(best.span.start - token.idx):
            best = time
    return best


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
            if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
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
    """Index of the innermost attribution whose content holds the trigger."""
    if not attributions:
        return None
    best: tuple[int, int] | None = None
    for index, attribution in enumerate(attributions):
        content = getattr(attribution, "content", None)
        if content is None or not (content.start <= token.idx < content.end):
            continue
        size = content.end - content.start
        if best is None or size < best[1]:
            best = (index, size)
    return best[0] if best else None

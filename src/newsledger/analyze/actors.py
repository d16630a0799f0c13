"""Actors: who an article talks about, with every mention linked and resolved to the knowledge base.

Within one article the extractor links repeated names ("Vladimir Putin" ... "Putin", "Xi Jinping" ...
"Xi"), acronyms ("Financial Times" ... "FT"), nominal mentions ("the newspaper" -> the outlet named
before), person pronouns, and unnamed groups or individuals that speak or act ("five senior Chinese
officials", "One source"). Each actor is then resolved against the KB at the article's date: kb_id,
country, sector, role. Places stay places; :func:`acting_government` says which government a place
stands for when it acts ("Beijing said" -> CHN GOV).

Everything per article is dictionary probes over mentions: the KB and lexicons are compiled once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.extensions import register_extensions
from newsledger.kb import EntryKind, KBMatch, KnowledgeBase, normalise
from newsledger.kb.agents import Agent
from newsledger.model import Actor, ActorKind, Span

_NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE"})
_MAYBE_LABELS = frozenset(
    {"LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART"}
)  # actors only when the KB knows them
_KB_KIND_TO_ACTOR = {
    EntryKind.PERSON: ActorKind.PERSON,
    EntryKind.MEDIA: ActorKind.MEDIA,
    EntryKind.IGO: ActorKind.ORGANISATION,
    EntryKind.ORGANISATION: ActorKind.ORGANISATION,
    EntryKind.COUNTRY: ActorKind.PLACE,
    EntryKind.PLACE: ActorKind.PLACE,
}
_ALLOWED_KB_KINDS = {
    "PERSON": frozenset({EntryKind.PERSON, EntryKind.ACTOR}),
    "ORG": frozenset(
        {EntryKind.ORGANISATION, EntryKind.IGO, EntryKind.MEDIA, EntryKind.ACTOR, EntryKind.PLACE}
    ),
    "GPE": frozenset({EntryKind.COUNTRY, EntryKind.PLACE, EntryKind.IGO}),
    "ACRONYM": frozenset({EntryKind.ORGANISATION, EntryKind.IGO, EntryKind.MEDIA, EntryKind.COUNTRY}),
}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her", "himself", "herself"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
# Words that may precede an unnamed-actor noun inside its phrase ("five senior Chinese officials").
_GROUP_MODIFIERS = frozenset(
    "a an one another some several many few two three four five six seven eight nine ten dozens dozen "  # noqa: SIM905
    "hundreds of senior junior top high-ranking high ranking unnamed anonymous other former current local "
    "foreign western european government military intelligence security administration party state "
    "police health trade defence defense diplomatic official well-placed informed".split()
)
_SINGULAR_DETERMINERS = frozenset({"a", "an", "one", "another"})
_MODIFIER_SECTORS = {
    "military": "MIL",
    "intelligence": "SPY",
    "police": "COP",
    "health": "HLH",
    "government": "GOV",
    "administration": "GOV",
    "party": "PTY",
    "defence": "MIL",
    "defense": "MIL",
    "diplomatic": "GOV",
    "security": "GOV",
}
_APPOSITION_PREPOSITIONS = frozenset({"at", "of", "with", "for", "from"})
_PRONOUN_WINDOW = 3  # sentences looked back for a pronoun's antecedent


@dataclasses.dataclass(slots=True)
class _Cluster:
    """An actor being assembled."""

    label: str  # PERSON, ORG, GPE, GROUP, INDIVIDUAL
    names: list[str]  # cleaned mention names, in text order
    mentions: list[tuple[int, int]]  # token offsets (start, end)
    match: KBMatch | None = None
    category: str | None = None  # from a descriptor: "the think tank Chatham House"
    role: str | None = None
    country: str | None = None
    sector: str | None = None
    affiliation: _Cluster | None = None

    @property
    def first(self) -> int:
        return min(start for start, _ in self.mentions)

    @property
    def name(self) -> str:
        return max(self.names, key=lambda n: (len(n.split()), len(n)))

    def words(self) -> list[str]:
        return normalise(self.name).split()


def _published(doc: Doc, date: dt.date | None) -> dt.date:
    if date is not None:
        return date
    value = doc._.published if Doc.has_extension("published") else None
    return value if isinstance(value, dt.date) else dt.date.today()


def _clean_name(span: SpacySpan, kb: KnowledgeBase) -> tuple[str, int]:
    """The name without leading titles, demonyms or "the", nor trailing possessive; and the index of
    the first name token."""
    lexicon = kb.lexicon
    start = span.start
    while start < span.end - 1:
        word = span.doc[start].lower_.rstrip(".")
        if (
            word in lexicon.title_words
            or word in {"the", "mr", "mrs", "ms", "dr", "former"}
            or (kb.is_country_word(word) and span.label_ == "PERSON")
        ):
            start += 1
        else:
            break
    end = span.end
    if end - 1 > start and span.doc[end - 1].lower_ in {"'s", "’s", "'", "’"}:
        end -= 1
    text = span.doc[start:end].text
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip(), start


def _preceding_title(doc: Doc, index: int, kb: KnowledgeBase) -> tuple[str | None, str | None, str | None]:
    """A title written before a name: its text as written, sector and country ("Russian President" ->
    RUS GOV, "China's deputy foreign minister", "former Sen." -> ELI, a former office holder)."""
    lexicon = kb.lexicon
    i = index - 1
    while i >= 0 and index - i <= 4 and doc[i].lower_.rstrip(".") in lexicon.title_words:
        i -= 1
    start = i + 1
    while start < index and doc[start].lower_ in {"of", "and"}:  # "of" joins titles, never starts one
        start += 1
    words = [t.lower_.rstrip(".") for t in doc[start:index]]
    agent = None
    for size in range(len(words), 0, -1):
        agent = lexicon.titles.get(" ".join(words[-size:]))
        if agent is not None:
            break
    if agent is None:
        return None, None, None
    country = None
    j = start - 1
    if j >= 0 and doc[j].lower_ in {"'s", "’s"}:
        j -= 1
    for size in (1, 2):
        if j - size + 1 >= 0 and doc[j].is_title:
            country = kb.country_of(doc[j - size + 1 : j + 1].text)
            if country:
                start = j - size + 1
                break
    former = start > 0 and doc[start - 1].lower_ in {"former", "ex"}
    if former:
        start -= 1
    return doc[start:index].text, ("ELI" if former else agent.sector), country


def extract_actors(doc: Doc, *, kb: KnowledgeBase | None = None, date: dt.date | None = None) -> list[Actor]:
    """The actors of ``doc``, numbered "A1", "A2"... in order of first mention."""
    kb = kb or KnowledgeBase.default()
    day = _published(doc, date)
    # Token objects are costly to create: read the words once, as strings, from the Doc's arrays.
    strings = doc.vocab.strings
    texts = [strings[h] for h in doc.to_array("ORTH").tolist()]
    lowers = [strings[h] for h in doc.to_array("LOWER").tolist()]
    in_entity = [False] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            in_entity[i] = True

    clusters: list[_Cluster] = []
    named = _named_mentions(doc, kb, day)
    _surnames_as_persons(doc, named, kb, day)
    clusters.extend(_link_persons([m for m in named if m.label == "PERSON"], kb, day))
    clusters.extend(_link_by_key([m for m in named if m.label != "PERSON"]))
    clusters = _merge_same_kb_entry(clusters)
    _add_acronyms(texts, clusters, in_entity, kb, day)
    _add_descriptors(lowers, clusters, kb)
    _add_appositions(doc, clusters, kb)
    _add_nominals(doc, lowers, clusters, in_entity, kb)
    clusters.extend(_unnamed_actors(doc, lowers, in_entity, kb))
    clusters.sort(key=lambda c: c.first)
    _add_pronouns(doc, lowers, clusters)
    clusters.sort(key=lambda c: c.first)
    ids = {id(c): f"A{n}" for n, c in enumerate(clusters, start=1)}
    return [_to_actor(doc, c, ids) for c in clusters]


# --- named mentions --------------------------------------------------------------------------------


def _named_mentions(doc: Doc, kb: KnowledgeBase, day: dt.date) -> list[_Cluster]:
    mentions: list[_Cluster] = []
    for ent in doc.ents:
        if ent.label_ not in _NAMED_LABELS and ent.label_ not in _MAYBE_LABELS:
            continue
        name, first = _clean_name(ent, kb)
        if not name or not any(c.isalpha() for c in name):
            continue
        label = ent.label_
        match = kb.best(name, date=day, kinds=_ALLOWED_KB_KINDS.get(label))
        if label not in _NAMED_LABELS:
            # spaCy's small model calls some people FAC or NORP: trust the KB when it knows the name.
            match = kb.best(name, date=day)
            if match is None or match.matched_as == "demonym":
                continue
            label = (
                "PERSON"
                if match.kind is EntryKind.PERSON
                else "GPE"
                if match.kind in (EntryKind.COUNTRY, EntryKind.PLACE)
                else "ORG"
            )
        start = ent.start
        joined = _with_demonym(doc, ent, name, kb, day)
        if joined is not None:
            # "Pakistani Taliban", "Pakistan Taliban": the KB names the group with its country word
            # (tagged apart as NORP or GPE), and that group is another one than the bare name's
            match, name, start = joined
        cluster = _Cluster(label=label, names=[name], mentions=[(start, ent.end)], match=match)
        if label == "PERSON":
            cluster.role, cluster.sector, cluster.country = _preceding_title(doc, first, kb)
        mentions.append(cluster)
    return mentions


def _surnames_as_persons(doc: Doc, mentions: list[_Cluster], kb: KnowledgeBase, day: dt.date) -> None:
    """Relabel PERSON a one-word name the small model tagged otherwise ("Horowitz" as ORG) when the
    article names a person of that surname in full, tags the bare name a person at least as often as
    not ("Trump", not "Tesla"), or the KB knows it as a person's name only."""
    votes: Counter[str] = Counter()
    for mention in mentions:
        if len(words := mention.words()) == 1:
            votes[words[0]] += 1 if mention.label == "PERSON" else -1
    surnames = {words[-1] for m in mentions if m.label == "PERSON" and len(words := m.words()) > 1} | {
        word for word, vote in votes.items() if vote >= 0
    }
    for mention in mentions:
        start, end = mention.mentions[0]
        if (
            mention.label == "PERSON"
            or mention.match is not None
            or end - start != 1
            or not doc[start].text[:1].isupper()
            or mention.words() != [normalise(doc[start].text)]
        ):
            continue
        known = kb.best(mention.name, date=day)
        if mention.words()[0] in surnames or (known is not None and known.kind is EntryKind.PERSON):
            mention.label = "PERSON"


def _with_demonym(
    doc: Doc, ent: SpacySpan, name: str, kb: KnowledgeBase, day: dt.date
) -> tuple[KBMatch, str, int] | None:
    """The KB entry named by the country word right before ``ent`` and ``ent`` together, with the
    joined name and its first token; None when the KB has no such name."""
    if ent.start == 0:
        return None
    word = doc[ent.start - 1]
    if word.ent_type_ not in ("NORP", "GPE") and not (word.pos_ == "PROPN" and kb.is_country_word(word.text)):
        return None
    joined = f"{word.text} {name}"
    match = kb.best(joined, date=day, min_score=0.95)  # the whole joined name, as name or alias
    if match is None or match.kind not in (EntryKind.ORGANISATION, EntryKind.ACTOR):
        return None
    return match, joined, word.i


def _link_persons(mentions: list[_Cluster], kb: KnowledgeBase, day: dt.date) -> list[_Cluster]:
    """Join a short name to the longer one it is part of ("Putin" -> "Vladimir Putin"); when several
    longer names fit, the one mentioned last before it wins."""
    clusters: list[_Cluster] = []
    words_of = {id(m): m.words() for m in mentions}
    for mention in sorted(mentions, key=lambda m: (-len(words_of[id(m)]), m.first)):
        words = words_of[id(mention)]
        fitting = [c for c in clusters if _contains(words_of[id(c)], words)]
        if fitting:
            before = [c for c in fitting if c.first < mention.first]
            target = max(before, key=lambda c: c.first) if before else fitting[0]
            _absorb(target, mention)
        else:
            clusters.append(mention)
    for cluster in clusters:
        if cluster.match is None or len(cluster.names) > 1:
            cluster.match = kb.best(cluster.name, date=day, kinds=_ALLOWED_KB_KINDS["PERSON"])
    return clusters


def _contains(long: list[str], short: list[str]) -> bool:
    if not short or len(short) > len(long):
        return False
    return all(word in long for word in short)


def _absorb(target: _Cluster, other: _Cluster) -> None:
    target.names.extend(other.names)
    target.mentions.extend(other.mentions)
    target.role = target.role or other.role
    target.country = target.country or other.country
    target.sector = target.sector or other.sector
    target.category = target.category or other.category
    if target.match is None:
        target.match = other.match


def _link_by_key(mentions: list[_Cluster]) -> list[_Cluster]:
    by_key: dict[tuple[str, str], _Cluster] = {}
    for mention in mentions:
        key = ("kb", mention.match.key) if mention.match else (mention.label, normalise(mention.name))
        if key in by_key:
            _absorb(by_key[key], mention)
        else:
            by_key[key] = mention
    return list(by_key.values())


def _merge_same_kb_entry(clusters: list[_Cluster]) -> list[_Cluster]:
    merged: dict[str, _Cluster] = {}
    result: list[_Cluster] = []
    for cluster in sorted(clusters, key=lambda c: c.first):
        key = cluster.match.key if cluster.match else None
        if key and key in merged:
            _absorb(merged[key], cluster)
            continue
        if key:
            merged[key] = cluster
        result.append(cluster)
    return result


def _initials(name: str) -> str:
    words = [
        w for w in name.replace("-", " ").split() if w[:1].isupper() and w.lower() not in {"the", "of", "and"}
    ]
    return "".join(w[0] for w in words)


def _add_acronyms(
    texts: list[str], clusters: list[_Cluster], in_entity: list[bool], kb: KnowledgeBase, day: dt.date
) -> None:
    """Upper-case tokens spaCy left untagged: the initials of an organisation named in the article
    ("FT" for "Financial Times"), or an acronym the KB knows ("NATO")."""
    initials = {id(c): _initials(c.name) for c in clusters if c.label == "ORG" and len(c.name.split()) > 1}
    for index, word in enumerate(texts):
        if in_entity[index] or not word.isupper():
            continue
        text = word.replace(".", "")
        if not (2 <= len(text) <= 6 and text.isalpha()):
            continue
        target = next((c for c in clusters if initials.get(id(c)) == text), None)
        match = None
        if target is None:
            match = kb.best(word, date=day, kinds=_ALLOWED_KB_KINDS["ACRONYM"], min_score=0.95)
            if match is not None:
                target = next((c for c in clusters if c.match and c.match.key == match.key), None)
        if target is not None:
            target.mentions.append((index, index + 1))
        elif match is not None:
            label = "GPE" if match.kind is EntryKind.COUNTRY else "ORG"
            clusters.append(_Cluster(label=label, names=[word], mentions=[(index, index + 1)], match=match))


def _cluster_at(clusters: Iterable[_Cluster], index: int) -> _Cluster | None:
    for cluster in clusters:
        if any(start <= index < end for start, end in cluster.mentions):
            return cluster
    return None


def _nominal_at(lowers: list[str], index: int, kb: KnowledgeBase) -> tuple[Agent, int] | None:
    """A nominal ("think tank", "newspaper") ending at token ``index``: the agent and its first token."""
    nominals = kb.lexicon.nominals
    if index >= 1:
        agent = nominals.get(f"{lowers[index - 1]} {lowers[index]}")
        if agent is not None:
            return agent, index - 1
    agent = nominals.get(lowers[index])
    return (agent, index) if agent is not None else None


def _add_descriptors(lowers: list[str], clusters: list[_Cluster], kb: KnowledgeBase) -> None:
    """ "the British think tank Chatham House": the nominal describes the name after it."""
    for cluster in clusters:
        if cluster.label != "ORG" or cluster.category:
            continue
        for start, _ in cluster.mentions:
            found = _nominal_at(lowers, start - 1, kb) if start else None
            if found and found[0].categories:
                cluster.category = sorted(found[0].categories)[0]
                break


def _add_appositions(doc: Doc, clusters: list[_Cluster], kb: KnowledgeBase) -> None:
    """ "Ann Lee, a researcher at the think tank Chatham House": role and affiliation."""
    for cluster in clusters:
        if cluster.label != "PERSON":
            continue
        for _, end in sorted(cluster.mentions):
            if end >= len(doc) or doc[end].text != ",":
                continue
            i = end + 1
            if i < len(doc) and doc[i].lower_ in {"a", "an", "the"}:
                i += 1
            role_start = i
            while (
                i < len(doc)
                and i < end + 8
                and doc[i].lower_ not in _APPOSITION_PREPOSITIONS
                and doc[i].is_alpha
                and not doc[i].is_title
            ):
                i += 1
            if i == role_start or i >= len(doc) or doc[i].lower_ not in _APPOSITION_PREPOSITIONS:
                continue
            role = doc[role_start:i].text
            j = i + 1
            while j < len(doc) and j < i + 10 and doc[j].text not in {",", ".", ";"}:
                target = _cluster_at(clusters, j)
                if target is not None and target.label == "ORG" and target is not cluster:
                    cluster.affiliation = target
                    break
                j += 1
            cluster.role = cluster.role or role
            agent = kb.lexicon.individuals.get(doc[i - 1].lower_)
            if agent is not None and cluster.sector is None:
                cluster.sector = agent.sector
            break


def _add_nominals(
    doc: Doc, lowers: list[str], clusters: list[_Cluster], in_entity: list[bool], kb: KnowledgeBase
) -> None:
    """ "the newspaper" / "the think tank" / "the alliance" -> the compatible actor named last before."""
    last_words = kb.lexicon.nominal_heads
    for index, word in enumerate(lowers):
        if word not in last_words or in_entity[index]:
            continue
        found = _nominal_at(lowers, index, kb)
        if found is None:
            continue
        agent, start = found
        if start == 0 or lowers[start - 1] != "the":
            continue
        following = doc[index + 1] if index + 1 < len(doc) else None
        if following is not None and (
            in_entity[following.i] or following.is_title or following.lower_ == "of"
        ):
            continue  # a descriptor ("the think tank Chatham House") or a name ("the Bank of ...")
        best: tuple[int, int, _Cluster] | None = None
        for cluster in clusters:
            rank = _nominal_rank(agent, cluster)
            if not rank:
                continue
            last = max((s for s, _ in cluster.mentions if s < start), default=None)
            if last is not None and (best is None or (rank, last) > best[:2]):
                best = (rank, last, cluster)
        if best is not None:
            best[2].mentions.append((start - 1, index + 1))


def _nominal_rank(agent: Agent, cluster: _Cluster) -> int:
    """2 when the category fits ("newspaper" for a newspaper), 1 when only the kind does."""
    category = cluster.category or (cluster.match.category if cluster.match else None)
    if category and category in agent.categories:
        return 2
    if cluster.match and cluster.match.kind in agent.kinds and not agent.categories:
        return 1
    if cluster.match and cluster.match.kind in agent.kinds and category is None:
        return 1
    return 0


# --- unnamed actors ----------------------------------------------------------------------------------


def _acts(token: Token) -> bool:
    """A subject, a passive agent ("reported by sources") or "according to ..."."""
    if not token.doc.has_annotation("DEP"):
        return True  # rule tests on unparsed docs: take every candidate
    if token.dep_ in _SUBJECT_DEPS:
        return True
    if token.dep_ == "conj":
        return _acts(token.head)
    if token.dep_ == "pobj":
        head = token.head
        if head.lower_ == "by" and head.dep_ == "agent":
            return True
        if head.lower_ == "to" and head.head.lower_ == "according":
            return True
    return False


def _unnamed_actors(doc: Doc, lowers: list[str], in_entity: list[bool], kb: KnowledgeBase) -> list[_Cluster]:
    lexicon = kb.lexicon
    found: list[_Cluster] = []
    for index, word in enumerate(lowers):
        plural = lexicon.groups.get(word)
        singular = lexicon.individuals.get(word) if plural is None else None
        agent = plural or singular
        if agent is None or in_entity[index]:
            continue
        token = doc[index]
        if not token.is_alpha:
            continue
        if doc.has_annotation("TAG") and token.pos_ not in {"NOUN", "PROPN"}:
            continue
        if not _acts(token):
            continue
        start = token.i
        while start > 0 and (
            doc[start - 1].lower_ in _GROUP_MODIFIERS
            or doc[start - 1].like_num
            or kb.is_country_word(doc[start - 1].text)
        ):
            start -= 1
        if singular is not None and doc[start].lower_ not in _SINGULAR_DETERMINERS:
            continue  # "the source of the leak", "source code": not an unnamed person
        if start < token.i and doc[start].lower_ in {"a", "an", "of"} and plural is not None:
            start += 1
        span = doc[start : token.i + 1]
        sector = agent.sector
        for modifier in span[:-1]:
            sector = _MODIFIER_SECTORS.get(modifier.lower_, sector)
        cluster = _Cluster(
            label="GROUP" if plural is not None else "INDIVIDUAL",
            names=[span.text],
            mentions=[(start, token.i + 1)],
            country=kb.country_of(span.text),
            sector=sector,
        )
        found.append(cluster)
    return found


# --- pronouns ----------------------------------------------------------------------------------------


def _sentence_starts(doc: Doc) -> list[int]:
    if doc.has_annotation("SENT_START"):
        return [s.start for s in doc.sents]
    return [0]


def _antecedent(
    doc: Doc, index: int, candidates: Sequence[tuple[int, _Cluster]], starts: list[int]
) -> _Cluster | None:
    """The actor a pronoun at ``index`` refers to: in its own sentence the first candidate before
    it; else, going back sentence by sentence, the subject (or the first candidate) of that sentence."""
    sentence = max((i for i, s in enumerate(starts) if s <= index), default=0)
    reflexive = doc[index].lower_.endswith(("self", "selves"))
    for back in range(_PRONOUN_WINDOW + 1):
        number = sentence - back
        if number < 0:
            break
        lo = starts[number]
        hi = index if back == 0 else (starts[number + 1] if number + 1 < len(starts) else len(doc))
        inside = [(i, c) for i, c in candidates if lo <= i < hi]
        if not inside:
            if reflexive:
                return None
            continue
        subjects = [
            (i, c) for i, c in inside if doc[i].dep_ in _SUBJECT_DEPS or doc[i].head.dep_ in _SUBJECT_DEPS
        ]
        return (subjects or inside)[0][1]
    return None


def _add_pronouns(doc: Doc, lowers: list[str], clusters: list[_Cluster]) -> None:
    starts = _sentence_starts(doc)
    persons = sorted(
        (end - 1, c) for c in clusters if c.label in {"PERSON", "INDIVIDUAL"} for _, end in c.mentions
    )
    groups = sorted((end - 1, c) for c in clusters if c.label == "GROUP" for _, end in c.mentions)
    taken = {i for c in clusters for start, end in c.mentions for i in range(start, end)}
    for index, word in enumerate(lowers):
        if index in taken or (word not in _PERSON_PRONOUNS and word not in _PLURAL_PRONOUNS):
            continue
        pool = groups if word in _PLURAL_PRONOUNS else persons
        target = _antecedent(doc, index, [p for p in pool if p[0] < index], starts)
        if target is not None:
            target.mentions.append((index, index + 1))


def resolve_pronoun(doc: Doc, token_i: int, *, actors: Sequence[Actor] | None = None) -> str | None:
    """The local id of the actor a pronoun (he/she/they...) at token ``token_i`` refers to, if any."""
    pool = actors if actors is not None else (doc._.actors or ())
    token = doc[token_i]
    for actor in pool:
        if any(m.start == token.idx and m.end == token.idx + len(token) for m in actor.mentions):
            return actor.id
    return None


# --- results -----------------------------------------------------------------------------------------


def _to_actor(doc: Doc, cluster: _Cluster, ids: dict[int, str]) -> Actor:
    match = cluster.match
    spans = [doc[s:e] for s, e in sorted(set(cluster.mentions))]
    mentions = tuple(Span(start=span.start_char, end=span.end_char, text=span.text) for span in spans)
    kind = {
        "PERSON": ActorKind.PERSON,
        "GPE": ActorKind.PLACE,
        "GROUP": ActorKind.GROUP,
        "INDIVIDUAL": ActorKind.INDIVIDUAL,
    }.get(cluster.label, ActorKind.ORGANISATION)
    if match is not None and match.kind in _KB_KIND_TO_ACTOR:
        kind = _KB_KIND_TO_ACTOR[match.kind]
    elif cluster.category in {"newspaper", "news_agency", "broadcaster", "magazine", "website"}:
        kind = ActorKind.MEDIA
    # The KB first; what the article's own words say (a title, a demonym) where the KB is silent,
    # e.g. a known person outside the offices the KB records.
    country = (match.country if match else None) or cluster.country
    sector = (match.sector if match else None) or cluster.sector
    if match and match.kind in (EntryKind.COUNTRY, EntryKind.PLACE):
        sector = None  # a place is not its government until it acts: see acting_government()
    return Actor(
        id=ids[id(cluster)],
        name=cluster.name
        if not (match and cluster.label == "ORG" and len(cluster.name) <= 6)
        else match.name,
        kind=kind,
        mentions=mentions,
        kb_id=match.kb_id if match else None,
        country=country,
        sector=sector,
        role=(match.role if match and match.role else cluster.role),
        affiliation=ids.get(id(cluster.affiliation)) if cluster.affiliation else None,
    )


# --- helpers for the attribution and event extractors ------------------------------------------------


def actor_at(actors: Iterable[Actor], start: int, end: int) -> Actor | None:
    """The actor with a mention exactly at ``start:end`` (character offsets), else one overlapping it."""
    overlapping = None
    for actor in actors:
        for mention in actor.mentions:
            if mention.start == start and mention.end == end:
                return actor
            if overlapping is None and mention.start < end and start < mention.end:
                overlapping = actor
    return overlapping


def acting_government(actor: Actor, *, kb: KnowledgeBase | None = None) -> tuple[str, str] | None:
    """(country, sector) a place stands for when it acts: "Beijing" -> ("CHN", "GOV"),
    "the Pentagon" -> ("USA", "MIL"); None for non-places and unknown places."""
    if actor.kind is not ActorKind.PLACE or not actor.country or actor.kb_id is None:
        return None
    kb = kb or KnowledgeBase.default()
    entry = kb.by_public_id.get(actor.kb_id)
    if entry is None:
        return None
    sector = entry.acts_as or ("GOV" if entry.kind is EntryKind.COUNTRY else None)
    return (actor.country, sector) if sector else None


def place_acts(doc: Doc, mention: Span) -> bool:
    """Whether a place mention is used as an agent: subject of a verb, passive agent, or the owner of
    a stance ("Beijing's reading"); needs a parsed Doc."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return False
    root = span.root
    return (
        root.dep_ in _SUBJECT_DEPS
        or root.dep_ == "poss"
        or (root.dep_ == "pobj" and root.head.dep_ == "agent")
    )


# --- spaCy component ---------------------------------------------------------------------------------


class ActorsComponent:
    def __init__(self, nlp: Language, name: str, *, kb_paths: Sequence[str] = ()) -> None:
        self.name = name
        self.kb = KnowledgeBase.load([Path(p) for p in kb_paths]) if kb_paths else KnowledgeBase.default()

    def __call__(self, doc: Doc) -> Doc:
        doc._.actors = extract_actors(doc, kb=self.kb)
        return doc


@Language.factory("newsledger_actors", assigns=["doc._.actors"], default_config={"kb_paths": []})
def make_actors_component(nlp: Language, name: str, kb_paths: list[str]) -> ActorsComponent:
    register_extensions()
    return ActorsComponent(nlp, name, kb_paths=kb_paths)

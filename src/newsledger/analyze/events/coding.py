"""Actor coding for events: a noun phrase -> country + sector (+ CAMEO actor code).

Sources, best first: the article's resolved actors (``doc._.actors``, when that component ran), then
the knowledge base (``newsledger.kb.KnowledgeBase``: the packaged countries, demonyms, capitals, IGOs
and people with dated roles, plus the user's KB files from $NEWSLEDGER_KB_PATH or ``kb_paths``, e.g.
Phoenix dictionaries converted by ``newsledger kb import-phoenix``), for the whole phrase and then its
longest known part; the head noun's sector comes from the KB's agent lexicon ("officials" -> GOV). An
unknown actor keeps its text with no code: a wrong code is worse than none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Doc, Token

from newsledger.analyze.events.lexicon import _Checker, data_dir, read_jsonl
from newsledger.analyze.events.spans import ArgumentSpans, load_argument_spans
from newsledger.errors import NewsledgerError
from newsledger.kb.agents import AgentLexicon, default_lexicon
from newsledger.kb.entries import EntryKind
from newsledger.kb.lookup import KnowledgeBase

#: Sector codes that are really a country-level stand-in for a kind of body.
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC", "UIS", "NGM"})
_MAX_WORDS = 6


@dataclasses.dataclass(frozen=True, slots=True)
class Coded:
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    actor_id: str | None = None

    @property
    def known(self) -> bool:
        return self.country is not None or self.sector is not None


def load_sectors(directory: Path | None = None) -> dict[str, str]:
    """Hand-written sector nouns for event actors (``sectors.v1.jsonl``): noun -> sector."""
    path = (directory or data_dir()) / "sectors.v1.jsonl"
    sectors: dict[str, str] = {}
    for number, raw in read_jsonl(path):
        checker = _Checker(path, number, raw)
        sector = checker.text("sector") or ""
        if not (sector.isalpha() and sector.isupper() and len(sector) == 3):
            raise checker.fail("sector", f"expected a 3-letter sector code, got {sector!r}")
        checker.examples()
        sectors[checker.text("lemma") or ""] = sector
    return sectors


def _key(name: str) -> str:
    """Dictionary key: lower case, no periods ("U.N." and "UN" are one name)."""
    return " ".join(name.lower().replace(".", "").split())


#: Nouns that count or portion a group: "dozens of protesters", "one third of the guerrillas".
_QUANTITY_NOUNS = frozenset(
    {"dozen", "hundred", "thousand", "million", "score", "number", "third", "half", "majority", "group"}
    | {"lot", "handful", "couple"}
)


def counted_noun(token: Token) -> Token | None:
    """The noun a quantity counts ("dozens of protesters" -> protesters), or None when ``token`` is no
    quantity or counts nothing named."""
    if not (
        token.like_num
        or token.ent_type_ in ("CARDINAL", "QUANTITY")
        or token.lemma_.lower() in _QUANTITY_NOUNS
    ):
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


#: Nouns for the people who lead or speak for a group: they take the group's sector ("rebel leaders").
_LEADER_NOUNS = frozenset({"leader", "head", "chief", "spokesman", "spokeswoman", "spokesperson", "member"})


#: Prepositions that place a noun rather than name its owner ("camp in Thailand", "of Iraq" owns).
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "around", "throughout"})


def _head_index(tokens: Sequence[Token]) -> int:
    """Index of the phrase's head in ``tokens``: the first whose own head lies outside the phrase
    (else the last token)."""
    inside = {t.i for t in tokens}
    return next(
        (n for n, t in enumerate(tokens) if t.head.i not in inside or t.head.i == t.i), len(tokens) - 1
    )


def _placed_by(doc: Doc, char: int, head: Token) -> bool:
    """Whether the words at character ``char`` sit in a place phrase of ``head``."""
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None or not len(token):
        return False
    for ancestor in token[0].ancestors:
        if ancestor.i == head.i:
            return False
        if ancestor.dep_ == "prep" and ancestor.lower_ in PLACE_PREPS:
            return True
    return False


def split_code(code: str) -> tuple[str | None, str | None]:
    """``CHNGOV`` -> (CHN, GOV); ``IGOUNO`` -> (IGO, None); ``GOV`` (agent only) -> (None, GOV)."""
    if len(code) < 3:
        return None, None
    country, rest = code[:3], code[3:6] or None
    if country in NON_STATE:
        return country, None
    return country, rest


def _knowledge_base() -> KnowledgeBase | None:
    """The shared KB; None when it cannot be loaded (events then code from doc._.actors only)."""
    try:
        return KnowledgeBase.default()
    except NewsledgerError:  # a broken user KB file must not stop event coding
        return None


#: Heads that name the other side of their owner: "his counterpart" is of another country.
_OTHER_SIDE = frozenset({"counterpart", "rival", "opponent", "adversary"})


class ActorCoder:
    """Codes token spans; one per process (the KB is shared and read-only)."""

    def __init__(
        self, *, use_kb: bool = True, kb_paths: Sequence[Path | str] = (), argument_spans: bool = True
    ) -> None:
        # which words around an argument's head belong to it (None: the head's noun phrase, by rule)
        self.spans: ArgumentSpans | None = load_argument_spans() if argument_spans else None
        if not use_kb:
            self.kb: KnowledgeBase | None = None
        elif kb_paths:
            self.kb = KnowledgeBase.load(kb_paths)
        else:
            self.kb = _knowledge_base()
        lexicon: AgentLexicon = self.kb.lexicon if self.kb is not None else default_lexicon()
        # agent noun (singular, plural or title) -> sector
        self.agents: dict[str, str] = load_sectors()
        for table in (lexicon.titles, lexicon.individuals, lexicon.groups, lexicon.nominals):
            for word, agent in table.items():
                if agent.sector:
                    self.agents.setdefault(word, agent.sector)

    def code_tokens(self, doc: Doc, tokens: Sequence[Token], date: dt.date | None) -> Coded:
        """Country and sector of the noun phrase ``tokens`` (in text order)."""
        if not tokens:
            return Coded()
        from_actor = self._from_doc_actors(doc, tokens)
        kept = [t for t in tokens if not (t.is_punct and t.text not in {"'s", "-"})]
        # a lower-case function word is never a name: "us" is not the U.S., "chad" may be Chad
        words = [_key(t.text) if not (t.is_stop and t.is_lower) else "\0" for t in kept]
        lemmas = [_key(t.lemma_) if not (t.is_stop and t.is_lower) else "\0" for t in kept]
        country, sector, code = None, None, None
        # "ethnic Albanians in Serbia": an ethnic group is coded by where it lives, not by its demonym
        after_ethnic = {n + 1 for n, t in enumerate(kept[:-1]) if t.lower_ == "ethnic"}
        for n in after_ethnic:
            words[n] = lemmas[n] = "\0"  # "Macedonian and ethnic Albanian parties": Macedonian
        ethnic = bool(after_ethnic) and not any(
            self.kb is not None and self.kb.is_country_word(t.text)
            for n, t in enumerate(kept)
            if n not in after_ethnic
        )
        if from_actor is not None and from_actor.known and not ethnic:
            country, sector = from_actor.country, from_actor.sector
        if country is None and not ethnic:
            country, sector, code = self._from_kb(tokens, date, sector)
        if country is None and not ethnic:
            # a known part of the phrase: "rebels in the Ivory Coast", plural demonyms ("Liberians")
            found = self._longest(kept, words, date)
            if found is not None:
                country, own_sector, code = found
                sector = sector or own_sector
        resident = self._resident(kept) if country is not None else None
        if resident is not None and resident != country:
            country, code = resident, None
        if country is None and not ethnic and self.kb is not None:
            # a misspelt country name or demonym tagged as a place or nationality: "Ethopia"
            country = next(
                (
                    near
                    for t in kept
                    if (t.ent_type_ in ("GPE", "NORP", "LOC") or t.pos_ == "PROPN") and t.text[:1].isupper()
                    for near in (self.kb.country_near(t.text),)
                    if near is not None
                ),
                None,
            )
        inside = {t.i for t in kept}
        # the phrase head: its own head lies outside the phrase ("army" in "army base" is no agent)
        head_at = _head_index(kept)
        counted = counted_noun(kept[head_at]) if kept else None
        if counted is not None and counted.i in inside:
            head_at = next(n for n, t in enumerate(kept) if t.i == counted.i)  # "dozens of protesters"
        agent = self._agent(
            words[: head_at + 1],
            lemmas[: head_at + 1],
            titled=kept[head_at].pos_ == "PROPN" if kept else False,
        )
        if agent is None and ethnic:
            agent = "CVL"  # an ethnic group as such is civilians
        if agent is not None and (from_actor is None or from_actor.sector is None):
            # the head noun's sector is more specific than a country's default: "Chinese troops" are MIL
            sector = agent
            if country is not None and country not in NON_STATE:
                code = country + agent
        led = (
            self._led_group(kept, head_at) if kept and kept[head_at].lemma_.lower() in _LEADER_NOUNS else None
        )
        if led is not None and sector in (None, "GOV"):
            # a leader takes the sector of the group led: "rebel leaders" are REB, not a government
            sector = led
            code = country + led if country is not None and country not in NON_STATE else code
        if country is not None and (code is None or len(code) == 3):
            code = country + (sector or "") if country not in NON_STATE else code or country
        return Coded(
            country=country, sector=sector, code=code, actor_id=from_actor.actor_id if from_actor else None
        )

    def _resident(self, kept: Sequence[Token]) -> str | None:
        """ "Bosnian Serbs", "Kosovo Albanians": a people named by its demonym and placed by a
        country word before it belongs to that country (where it lives)."""
        if self.kb is None or len(kept) < 2:
            return None
        head = kept[-1]
        if (
            not head.text.endswith("s")
            or not head.text[:1].isupper()
            or self.kb.country_of(head.text) is None
        ):
            return None
        before = kept[-2]
        if before.dep_ in ("amod", "compound") and before.head.i == head.i and before.text[:1].isupper():
            return self.kb.country_of(before.text)
        return None

    def _from_doc_actors(self, doc: Doc, tokens: Sequence[Token]) -> Coded | None:
        actors = doc._.actors
        if not actors:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        head = tokens[_head_index(tokens)]
        pronouns = {t.idx for t in tokens if t.pos_ == "PRON"}
        overlapping: Coded | None = None
        rank = (False, False)
        for actor in actors:
            for mention in actor.mentions:
                if mention.start < end and start < mention.end:
                    if mention.start > head.idx and _placed_by(doc, mention.start, head):
                        continue  # "a refugee camp in Thailand": where it is, not whose it is
                    named = mention.start not in pronouns
                    if not named and head.lemma_.lower() in _OTHER_SIDE:
                        continue  # "his counterpart" is not he, nor of his country
                    coded = Coded(country=actor.country, sector=actor.sector, actor_id=actor.id)
                    if mention.start <= head.idx < mention.end and coded.country is not None:
                        return coded  # "NATO-member Norway", "the US-backed SDF": the head's actor
                    # a name beats a possessive pronoun: "his Russian counterpart Vladimir Putin"
                    if overlapping is None or (coded.country is not None, named) > rank:
                        overlapping, rank = coded, (coded.country is not None, named)
        return overlapping

    def _from_kb(
        self, tokens: Sequence[Token], date: dt.date | None, sector: str | None
    ) -> tuple[str | None, str | None, str | None]:
        if self.kb is None or all((t.is_stop or t.pos_ == "PRON") and t.is_lower for t in tokens):
            return None, sector, None  # a lower-case function word is never a name: "who", "us"
        match = self.kb.best(" ".join(t.text for t in tokens if t.dep_ != "det"), date=date)
        if match is None or not match.country:
            return None, sector, None
        capitalised = any(c.isupper() for t in tokens for c in t.text)
        if match.kind in (EntryKind.PERSON, EntryKind.ACTOR) and not capitalised:
            return None, sector, None  # news capitalises people's names: "the ban" is not Ban Ki-moon
        if match.kind is EntryKind.PERSON and not tokens[_head_index(tokens)].text[:1].isupper():
            return None, sector, None  # "the Saudi ban": a common noun named by a capitalised modifier
        if match.kind is EntryKind.PLACE and match.acts_as:
            # a place that acts stands for its government: "Moscow said", "the Kremlin denied"
            return match.country, match.acts_as, match.country + match.acts_as
        return match.country, match.sector or sector, match.cameo_code

    def _longest(
        self, kept: Sequence[Token], words: list[str], date: dt.date | None
    ) -> tuple[str | None, str | None, str | None] | None:
        """(country, sector, code) of the longest part of the phrase the KB knows ("rebels in the Ivory
        Coast", "Liberians"); a part starts with a capital, so that common words are never names."""
        if self.kb is None:
            return None
        for size in range(min(_MAX_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                part = words[start : start + size]
                first = kept[start]
                if "\0" in part or not (
                    first.text[:1].isupper() or (first.pos_ == "PROPN" and first.ent_type_ in ("ORG", "NORP"))
                ):
                    continue  # a part starts with a capital or is a name ("al-Qaeda")
                last = kept[start + size - 1]
                if not any(c.isupper() for c in last.text):
                    continue  # a name ends in a capital: "Saudi ban" is no Ban Ki-moon, "Iraqi male" no Malé
                match = self.kb.best(" ".join(t.text for t in kept[start : start + size]), date=date)
                if match is not None and match.kind is EntryKind.PERSON and _part_of_longer_name(first, last):
                    continue  # "Lindsey Graham" is not Bill Graham, though both are "Graham"
                if match is not None and match.country:
                    return match.country, match.sector, match.cameo_code
        return None

    def _led_group(self, kept: Sequence[Token], head_at: int) -> str | None:
        """The sector of the group a leader leads or speaks for, named by a modifier of the leader noun
        or in its "of"/"for" phrase ("rebel leaders", "the leaders of the opposition coalition", "a
        spokesman for the insurgents") when that group is not a government's."""
        head = kept[head_at]
        inside = {t.i for t in kept}
        led = [c for c in head.children if c.dep_ in ("compound", "amod", "nmod") and c.i < head.i]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
                led += [t for t in prep.subtree if t.i != prep.i]
        for token in led:
            if token.i in inside:
                sector = self._agent([_key(token.text)], [_key(token.lemma_)], titled=False)
                if sector not in (None, "GOV"):
                    return sector
        return None

    def _agent(self, words: list[str], lemmas: list[str], *, titled: bool) -> str | None:
        """The sector of the agent noun heading the phrase ("senior officials" -> GOV), or, for a name,
        of its title ("Defence Secretary Tom King" -> GOV)."""
        agents = self.agents
        for seq in (lemmas, words):
            for size in range(min(3, len(seq)), 0, -1):
                ends = range(len(seq), size - 1, -1) if titled else (len(seq),)
                for end in ends:
                    sector = agents.get(" ".join(seq[end - size : end]))
                    if sector is not None:
                        return sector[:3]
        return None


def _part_of_longer_name(first: Token, last: Token) -> bool:
    """Whether the words ``first``..``last`` are only part of a person's name in the text."""
    if first.ent_type_ != "PERSON" or last.ent_type_ != "PERSON":
        return False
    after = last.i + 1 < len(last.doc) and last.doc[last.i + 1].ent_iob_ == "I"
    return first.ent_iob_ == "I" or after

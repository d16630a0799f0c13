"""The knowledge base: entries from the packaged data files plus user files, and name lookup.

Every name, alias, demonym and (for people) surname is normalised once into one dictionary, so a
lookup is a handful of dict probes whatever the size of the KB.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from newsledger.kb.agents import AgentLexicon, default_agents, default_lexicon, is_agents_file, read_agents
from newsledger.kb.entries import EntryKind, KBEntry, kb_files, read_entries

#: Extra KB files or folders, separated like PATH; loaded after the packaged data.
KB_PATH_ENV = "NEWSLEDGER_KB_PATH"

# How a name matched, and the score it starts from.
_SCORES = {"name": 1.0, "alias": 0.95, "demonym": 0.9, "surname": 0.75}
# Words dropped in front of names besides titles and demonyms ("former President ...").
_LEADING = frozenset(
    "the former then late acting incoming outgoing mr mrs ms dr sir dame lord lady of and s".split()  # noqa: SIM905
)
_POSSESSIVE = re.compile(r"[’']s?$")
_NON_WORD = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Lower case, no accents, no possessive, no punctuation ("U.N." -> "un"), single spaces."""
    text = unicodedata.normalize("NFKD", text.strip())
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _POSSESSIVE.sub("", text)
    text = text.replace("-", " ").replace("_", " ")
    text = _NON_WORD.sub("", text)
    return " ".join(text.split())


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class KBMatch:
    """One KB entry a name may refer to, with what it is at the date asked about."""

    kb_id: str  # Wikidata QID when known, else the KB key
    key: str  # the KB key (entry ``id``)
    name: str
    kind: EntryKind
    country: str | None
    sector: str | None
    role: str | None
    cameo_code: str | None
    score: float
    matched_as: str  # name | alias | demonym | surname
    category: str | None = None
    acts_as: str | None = None


def _cameo(country: str | None, sector: str | None, explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if country and sector and country != "IGO":
        return country + sector
    return country


class KnowledgeBase:
    """Actors the pipeline can resolve names to."""

    def __init__(self, entries: Sequence[KBEntry], *, lexicon: AgentLexicon | None = None) -> None:
        self.entries = tuple(entries)
        self.lexicon = lexicon or default_lexicon()
        self.by_key = {e.id: e for e in self.entries}
        self.by_public_id = {e.public_id: e for e in self.entries}
        self._index: dict[str, list[tuple[int, str]]] = {}
        self._countries: dict[str, str] = {}  # normalised country name/demonym -> ISO3
        self._near: dict[str, frozenset[tuple[str, str]]] | None = None  # built on first use of country_near
        self._words: frozenset[str] = frozenset()
        for position, entry in enumerate(self.entries):
            self._add(entry.name, position, "name")
            for alias in entry.aliases:
                self._add(alias, position, "alias")
            for demonym in entry.demonyms:
                self._add(demonym, position, "demonym")
            if entry.kind is EntryKind.PERSON and len(entry.name.split()) > 1 and entry.surname != "":
                self._add(_surname(entry), position, "surname")
            if entry.kind is EntryKind.COUNTRY and entry.country:
                for text in (entry.name, *entry.aliases, *entry.demonyms):
                    self._countries.setdefault(normalise(text), entry.country)
        self._strippable = (
            self.lexicon.title_words
            | _LEADING
            | {key for key, iso in self._countries.items() if " " not in key and iso}
        )

    def _add(self, text: str, position: int, how: str) -> None:
        key = normalise(text)
        if not key:
            return
        bucket = self._index.setdefault(key, [])
        if all(p != position for p, _ in bucket):
            bucket.append((position, how))

    # --- construction ------------------------------------------------------------------------------

    @classmethod
    def load(cls, paths: Iterable[Path | str] = (), *, include_default: bool = True) -> KnowledgeBase:
        """The packaged KB (unless ``include_default`` is false) plus the files or folders ``paths``."""
        files: list[Path] = []
        if include_default:
            files.extend(sorted(Path(str(resources.files("newsledger") / "data" / "kb")).glob("*.jsonl")))
        files.extend(kb_files(Path(p) for p in paths))
        entries: list[KBEntry] = []
        agents = list(default_agents())
        extra_agents = False
        seen: set[str] = set()
        for path in files:
            if is_agents_file(path):
                if path.parent != Path(str(resources.files("newsledger") / "data" / "kb")):
                    agents.extend(read_agents(path))
                    extra_agents = True
                continue
            for entry in read_entries(path):
                # A user file may repeat a packaged id: the first (packaged) entry wins, as documented.
                if entry.id not in seen:
                    seen.add(entry.id)
                    entries.append(entry)
        return cls(entries, lexicon=AgentLexicon.from_agents(agents) if extra_agents else None)

    @classmethod
    def default(cls) -> KnowledgeBase:
        """The packaged KB plus the files in $NEWSLEDGER_KB_PATH, loaded once per process."""
        extra = os.environ.get(KB_PATH_ENV, "")
        return _cached(extra)

    # --- lookup ------------------------------------------------------------------------------------

    def lookup(self, name: str, *, date: dt.date | None = None) -> list[KBMatch]:
        """Entries ``name`` may refer to, best first; titles, possessives and demonyms handled.

        "Russian President Vladimir Putin" tries the whole name, then drops leading titles and
        demonyms one word at a time; "Chinese" finds China as a demonym. With ``date``, people who
        held an office on that day rank first and carry that office as ``role``.
        """
        words = normalise(name).split()
        hits: list[tuple[int, str]] = []
        penalty = 1.0
        for start in range(len(words)):
            if start and words[start - 1] not in self._strippable:
                break
            key = " ".join(words[start:])
            hits = self._index.get(key, [])
            if not hits and key.endswith("s") and len(words) - start == 1:
                hits = [(p, h) for p, h in self._index.get(key[:-1], []) if h == "demonym"]
            if hits:
                penalty = 0.97 if start else 1.0
                break
        ranked = sorted(
            ((self._match(self.entries[p], how, penalty, date), p) for p, how in hits),
            key=lambda pair: (-pair[0].score, pair[1]),
        )
        return [match for match, _ in ranked]

    def _match(self, entry: KBEntry, how: str, penalty: float, date: dt.date | None) -> KBMatch:
        score = _SCORES[how] * penalty
        role = entry.role_at(date)
        if entry.roles and date is not None:
            # Someone in office on the article's date is far likelier than a namesake, or than the
            # same person out of office; no office at all is a mild doubt.
            score = min(1.0, score + 0.1) if role else score * 0.9
        country = role.country if role and role.country else entry.country
        sector = role.sector if role and role.sector else entry.sector
        cameo = role.cameo if role and role.cameo else _cameo(country, sector, entry.cameo)
        return KBMatch(
            kb_id=entry.public_id,
            key=entry.id,
            name=entry.name,
            kind=entry.kind,
            country=country,
            sector=sector,
            role=role.title if role else None,
            cameo_code=cameo,
            score=round(score, 3),
            matched_as=how,
            category=entry.category,
            acts_as=entry.acts_as or ("GOV" if entry.kind is EntryKind.COUNTRY else None),
        )

    def best(
        self,
        name: str,
        *,
        date: dt.date | None = None,
        kinds: frozenset[EntryKind] | None = None,
        min_score: float = 0.7,
    ) -> KBMatch | None:
        """The best match of an allowed kind, when it clearly beats the others."""
        matches = [m for m in self.lookup(name, date=date) if kinds is None or m.kind in kinds]
        if not matches or matches[0].score < min_score:
            return None
        # Two entries scoring the same are two candidates (two people called "Li"): the name is
        # ambiguous, so resolve nothing. The exception is one actor in two files (packaged and
        # imported: same name, same country), where the packaged entry, loaded first, wins.
        top = matches[0]
        for other in matches[1:]:
            if other.score == top.score and (normalise(other.name), other.country) != (
                normalise(top.name),
                top.country,
            ):
                return None
        return top

    def country_of(self, text: str) -> str | None:
        """The ISO 3166 alpha-3 code a country name, demonym or capital in ``text`` points to.

        The whole text first ("Chinese", "Beijing"), then its words and word pairs left to right
        ("five senior Chinese officials" -> CHN).
        """
        for match in self.lookup(text):
            if match.kind in (EntryKind.COUNTRY, EntryKind.PLACE) and match.country:
                return match.country
        # Only capitalised words: "let us go" is not about the US.
        words = [normalise(w) if w[:1].isupper() else "" for w in text.split()]
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                part = words[start : start + size]
                iso = self._countries.get(" ".join(part)) if all(part) else None
                if iso:
                    return iso
        return None

    def country_near(self, word: str) -> str | None:
        """The country a misspelt one-word country name or demonym points to ("Ethopia", "Afganistan",
        "Sudaneses"): one letter added, dropped or changed, for words of six letters or more, when
        exactly one country is that close. The first letter must be right: a place the KB does not
        know is not a misspelt demonym ("Kerman" is no "German"). None for known words and for
        anything else."""
        key = normalise(word)
        if len(key) < 6 or " " in key or key in self._countries or key in self._index:
            return None
        near = self._near_index()
        if key in self._words:
            return None  # a word of a known name ("Columbia" of "District of Columbia") is no misspelling
        found = {
            iso
            for variant in (key, *_deletions(key))
            for name, iso in near.get(variant, ())
            if name[0] == key[0]
        }
        return found.pop() if len(found) == 1 else None

    def _near_index(self) -> dict[str, frozenset[tuple[str, str]]]:
        """One-deletion variants of the one-word country names and demonyms (symmetric-delete index),
        each to the (name, ISO3) pairs it comes from."""
        if self._near is None:
            index: dict[str, set[tuple[str, str]]] = {}
            for key, iso in self._countries.items():
                if len(key) >= 5 and " " not in key:
                    for variant in (key, *_deletions(key)):
                        index.setdefault(variant, set()).add((key, iso))
            self._near = {k: frozenset(v) for k, v in index.items()}
            self._words = frozenset(w for key in self._index for w in key.split())
        return self._near

    def is_country_word(self, word: str) -> bool:
        """Whether ``word`` is a country name or demonym ("Chinese", "China")."""
        return normalise(word) in self._countries


def _deletions(key: str) -> set[str]:
    return {key[:n] + key[n + 1 :] for n in range(len(key))}


def _surname(entry: KBEntry) -> str:
    """The entry's own ``surname``, else the last word of the name, unless the first word is listed
    alone as an alias: then the name puts the family name first ("Xi Jinping", alias "Xi")."""
    if entry.surname:
        return entry.surname
    words = entry.name.split()
    return words[0] if words[0] in entry.aliases else words[-1]


_CACHE: dict[str, KnowledgeBase] = {}


def _cached(extra: str) -> KnowledgeBase:
    if extra not in _CACHE:
        _CACHE[extra] = KnowledgeBase.load([p for p in extra.split(os.pathsep) if p])
    return _CACHE[extra]

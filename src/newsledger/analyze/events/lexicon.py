"""Event lexicons: versioned data files under ``newsledger/data/events``, validated on load.

Files (one JSON object a line; a first line ``{"_meta": ...}`` records provenance):

- ``verbs.v1.jsonl``: hand-written verb entries (lemma, optional particle/preposition/object) mapping to
  a PLOVER type and CAMEO code, or a *frame* ("threaten to", "urge ... to") that sets the mode of the
  event it governs. Checked before the CAMEO dictionary.
- ``nouns.v1.jsonl``: nominal triggers ("talks", "sanctions", "the invasion").
- ``party_nouns.v1.jsonl``: nouns for people or groups with no sector ("captive", "crew"); with the
  sector nouns of ``sectors.v1.jsonl`` they tell a party from a thing for verbs that must act on one
  (``acts_on``: "released two journalists" is a release, "released a poll" is not) or is done by one
  (``by``: "the minister arrived in Baghdad" is a visit, "the storm arrived in Florida" is not).
- ``cameo_plover.v1.jsonl``: CAMEO code -> PLOVER type/mode, written for newsledger from the CAMEO
  codebook's categories.
- ``known_events.v1.jsonl``: type and parties of the reference events the times component knows ("the
  special operation in Ukraine" -> ASSAULT by Russia on Ukraine, 2022-02-24).

No third-party dictionary is packaged. Users who have PETRARCH's CAMEO verb dictionary import it with
``newsledger events import-cameo-verbs`` (``petrarch.py``) into a directory named by
``NEWSLEDGER_EVENTS_PATH`` (``dir1:dir2``) or the component's ``verb_paths``; its ``cameo_verbs.jsonl``
and ``cameo_synsets.jsonl`` are then consulted after the hand-written verbs.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from newsledger.errors import DataFileError

#: The 16 current PLOVER event types.
PLOVER_TYPES = frozenset(
    [
        "CONSULT",
        "AGREE",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
        "AID",
        "RETREAT",
        "SUPPORT",
        "COOPERATE",
        "CONCEDE",
    ]
)
#: CAMEO 01 public statements (condolences, optimism, pessimism, denials) that PLOVER leaves out but
#: CAMEO, GDELT and the ConfliBERT annotations keep: newsledger codes them as this extra type.
STATEMENT = "STATEMENT"
#: The types an event may have.
EVENT_TYPES = PLOVER_TYPES | {STATEMENT}
#: Extra event data directories (imported CAMEO verb dictionaries), ``os.pathsep``-separated.
EVENTS_PATH_ENV = "NEWSLEDGER_EVENTS_PATH"
#: "statement": a public statement (CAMEO 01: deny responsibility, express condolences, concern or hope)
#: whose governed action is not coded as an event. The statement is one when its entry has a type
#: (``STATEMENT``); a typeless entry ("released a video") only keeps its words from other entries.
#: "consider" (CAMEO 014) and "claim" (015) are statements too, but about an act: the act considered
#: is coded as hypothetical, the act claimed as the claimant's; both keep the statement's CAMEO code.
FRAMES = frozenset(
    {
        "threaten",
        "request",
        "intend",
        "refuse",
        "agree",
        "deny",
        "hypothetical",
        "decide",
        "statement",
        "consider",
        "claim",
    }
)

#: What a verb entry may require its object to be (``acts_on``): "party", a person or group, so that
#: "released two journalists" is a release and "released a poll" is not; "any", there must be one
#: ("returned the paintings to Italy" is giving back, "returned to Italy" is not).
OBJECT_KINDS = frozenset({"party", "any"})
#: What a verb entry may require its subject to be (``by``): "party", a person, group or place standing
#: for a government, so that "the minister arrived in Baghdad" is a visit and "the storm arrived" is not.
SUBJECT_KINDS = frozenset({"party"})
#: Sectors of armed forces: their arrival is a deployment, not a visit; they act by force.
ARMED_SECTORS = frozenset({"MIL", "COP"})


def data_dir() -> Path:
    return Path(str(resources.files("newsledger") / "data" / "events"))


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each entry of ``path``, skipping the ``_meta`` header."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115  (closed by the with below)
    except OSError as error:
        raise DataFileError(
            f"cannot read {path.name}: {error}", where=str(path), hint="reinstall newsledger"
        ) from error
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFileError(
                    f"invalid JSON: {error.msg}",
                    where=f"{path}:{number}",
                    hint="each line must be one JSON object",
                ) from error
            if not isinstance(entry, dict):
                raise DataFileError("entry is not an object", where=f"{path}:{number}")
            if "_meta" in entry:
                continue
            yield number, entry


class _Checker:
    """Field checks that raise DataFileError naming file:line:field."""

    def __init__(self, path: Path, number: int, entry: dict[str, Any]) -> None:
        self.where = f"{path}:{number}"
        self.entry = entry

    def fail(self, name: str, message: str) -> DataFileError:
        return DataFileError(message, where=f"{self.where}:{name}", hint="fix the entry in the data file")

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.entry.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(name, "expected a non-empty string")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(name, "expected a list of strings")
        return tuple(value)

    def flag(self, name: str) -> bool:
        value = self.entry.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(name, "expected true or false")
        return value

    def cameo(self, name: str) -> str | None:
        value = self.text(name, required=False)
        if value is not None and not (value.isdigit() and 2 <= len(value) <= 4):
            raise self.fail(name, f"CAMEO code must be 2-4 digits, got {value!r}")
        return value

    def plover(self, name: str) -> str | None:
        value = self.text(name, required=False)
        if value is not None and value not in EVENT_TYPES:
            raise self.fail(name, f"unknown event type {value!r} (a PLOVER type or {STATEMENT})")
        return value

    def examples(self) -> tuple[dict[str, Any], ...]:
        value = self.entry.get("examples")
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail("examples", "expected a non-empty list of example objects")
        return tuple(value)


@dataclasses.dataclass(frozen=True, slots=True)
class VerbEntry:
    id: str
    lemma: str
    particle: str | None
    prep: str | None
    objects: tuple[str, ...]
    type: str | None
    cameo: str | None
    frame: str | None
    examples: tuple[dict[str, Any], ...]
    prep_objects: tuple[str, ...] = ()  # when given, the object of ``prep`` is one of these ("on strike")
    acts_on: str | None = None  # "party" / "any": the verb must act on a person or group / on something
    by: str | None = None  # "party": the verb's subject, when it has one, names people, not armed forces
    reciprocal: bool = False  # each party does the act with the other ("met", "held talks with")


@dataclasses.dataclass(frozen=True, slots=True)
class NounEntry:
    id: str
    lemma: str
    type: str
    cameo: str | None
    modifiers: tuple[str, ...]  # when given, one of these must modify the noun ("joint statement")
    examples: tuple[dict[str, Any], ...]
    reciprocal: bool = False  # each party does the act with the other ("talks with")


@dataclasses.dataclass(frozen=True)
class CameoPattern:
    pre: tuple[str, ...]
    post: tuple[str, ...]
    cameo: str

    @functools.cached_property
    def needs(self) -> tuple[frozenset[str], frozenset[str]]:
        """Literal words the pattern needs before and after the verb: a cheap test before matching."""
        return (
            frozenset(w for w in self.pre if not w.startswith("&")),
            frozenset(w for w in self.post if not w.startswith("&")),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class CameoVerb:
    """A PETRARCH verb block: its verbs share the block's patterns."""

    id: str
    cameo: str | None
    verbs: tuple[tuple[str, str | None, str | None], ...]  # (lemma, particle, own code)
    patterns: tuple[CameoPattern, ...]
    examples: tuple[dict[str, Any], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class PloverCode:
    cameo: str
    type: str
    mode: str | None


def _load_verbs(path: Path) -> tuple[VerbEntry, ...]:
    entries = []
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        frame = c.text("frame", required=False)
        if frame is not None and frame not in FRAMES:
            raise c.fail("frame", f"unknown frame {frame!r} (one of {sorted(FRAMES)})")
        kind = c.plover("type")
        if kind is None and frame is None:
            raise c.fail("type", "an entry needs a PLOVER type, a frame, or both")
        prep_objects = c.texts("prep_objects")
        if prep_objects and c.text("prep", required=False) is None:
            raise c.fail("prep_objects", "objects of a preposition need the preposition (`prep`)")
        acts_on = c.text("acts_on", required=False)
        if acts_on is not None and acts_on not in OBJECT_KINDS:
            raise c.fail("acts_on", f"unknown object kind {acts_on!r} (one of {sorted(OBJECT_KINDS)})")
        by = c.text("by", required=False)
        if by is not None and by not in SUBJECT_KINDS:
            raise c.fail("by", f"unknown subject kind {by!r} (one of {sorted(SUBJECT_KINDS)})")
        entries.append(
            VerbEntry(
                id=c.text("id") or "",
                lemma=c.text("lemma") or "",
                particle=c.text("particle", required=False),
                prep=c.text("prep", required=False),
                objects=c.texts("objects"),
                type=kind,
                cameo=c.cameo("cameo"),
                frame=frame,
                examples=c.examples(),
                prep_objects=prep_objects,
                acts_on=acts_on,
                by=by,
                reciprocal=c.flag("reciprocal"),
            )
        )
    return tuple(entries)


def _load_nouns(path: Path) -> tuple[NounEntry, ...]:
    entries = []
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        kind = c.plover("type")
        if kind is None:
            raise c.fail("type", "a nominal trigger needs a PLOVER type")
        entries.append(
            NounEntry(
                id=c.text("id") or "",
                lemma=c.text("lemma") or "",
                type=kind,
                cameo=c.cameo("cameo"),
                modifiers=c.texts("modifiers"),
                examples=c.examples(),
                reciprocal=c.flag("reciprocal"),
            )
        )
    return tuple(entries)


def _load_cameo_verbs(path: Path) -> tuple[CameoVerb, ...]:
    blocks = []
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        verbs = []
        for verb in raw.get("verbs") or ():
            if not isinstance(verb, dict) or not isinstance(verb.get("lemma"), str):
                raise c.fail("verbs", "each verb needs a lemma")
            own = verb.get("cameo")
            if own is not None and not (isinstance(own, str) and own.isdigit()):
                raise c.fail("verbs", f"bad CAMEO code {own!r}")
            verbs.append((verb["lemma"], verb.get("particle"), own))
        patterns = []
        for pattern in raw.get("patterns") or ():
            if not isinstance(pattern, dict) or not str(pattern.get("cameo", "")).isdigit():
                raise c.fail("patterns", "each pattern needs pre, post and a CAMEO code")
            patterns.append(
                CameoPattern(
                    tuple(pattern.get("pre") or ()), tuple(pattern.get("post") or ()), pattern["cameo"]
                )
            )
        blocks.append(
            CameoVerb(
                id=c.text("id") or "",
                cameo=c.cameo("cameo"),
                verbs=tuple(verbs),
                patterns=tuple(patterns),
                examples=c.examples(),
            )
        )
    return tuple(blocks)


def _load_mapping(path: Path) -> dict[str, PloverCode]:
    mapping: dict[str, PloverCode] = {}
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        code = c.cameo("cameo") or ""
        kind = c.plover("type")
        if kind is None:
            raise c.fail("type", "missing PLOVER type")
        c.examples()
        mapping[code] = PloverCode(code, kind, c.text("mode", required=False))
    return mapping


@dataclasses.dataclass(frozen=True, slots=True)
class KnownEvent:
    """The participants of a reference event (``known_events.v1.jsonl``), by the times component's id."""

    id: str
    type: str
    cameo: str | None
    source: tuple[str, str | None] | None  # (country, sector)
    target: tuple[str, str | None] | None
    examples: tuple[dict[str, Any], ...]


def _party(c: _Checker, name: str) -> tuple[str, str | None] | None:
    value = c.entry.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise c.fail(name, "expected an object with country and optional sector")
    country, sector = value.get("country"), value.get("sector")
    for field, code in (("country", country), ("sector", sector)):
        if (code is not None or field == "country") and not (
            isinstance(code, str) and code.isalpha() and code.isupper() and len(code) == 3
        ):
            raise c.fail(f"{name}.{field}", f"expected a 3-letter code, got {code!r}")
    return str(country), (str(sector) if sector is not None else None)


def _load_known(path: Path) -> dict[str, KnownEvent]:
    known: dict[str, KnownEvent] = {}
    if not path.exists():
        return known
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        kind = c.plover("type")
        if kind is None:
            raise c.fail("type", "a known event needs a PLOVER type")
        event = KnownEvent(
            id=c.text("id") or "",
            type=kind,
            cameo=c.cameo("cameo"),
            source=_party(c, "source"),
            target=_party(c, "target"),
            examples=c.examples(),
        )
        if event.id in known:
            raise c.fail("id", f"duplicate id {event.id!r}")
        known[event.id] = event
    return known


@dataclasses.dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the event coder looks up, indexed for speed."""

    verbs: dict[str, tuple[VerbEntry, ...]]  # by lemma
    nouns: dict[str, tuple[NounEntry, ...]]  # by lemma; entries that need a modifier first
    cameo_verbs: dict[
        str, tuple[tuple[str | None, str | None, CameoVerb], ...]
    ]  # lemma -> (particle, code, block)
    synsets: dict[str, dict[str, tuple[tuple[str, ...], ...]]]  # name -> first word -> member sequences
    plover: dict[str, PloverCode]
    known: dict[str, KnownEvent] = dataclasses.field(default_factory=dict)  # reference event id -> parties
    #: lemmas of nouns that name people or groups (``party_nouns.v1.jsonl`` and the sector nouns)
    party_nouns: frozenset[str] = frozenset()
    #: lemmas of nouns that name armed forces (the MIL and COP sector nouns): troops arrive, not visit
    armed_nouns: frozenset[str] = frozenset()

    def plover_of(self, cameo: str | None) -> PloverCode | None:
        """The PLOVER type of a CAMEO code, by its longest mapped prefix."""
        while cameo:
            if cameo in self.plover:
                return self.plover[cameo]
            cameo = cameo[:-1] if len(cameo) > 2 else ""
        return None

    def cameo_match(
        self, lemma: str, particle: str | None, before: list[str], after: list[str]
    ) -> str | None:
        """The CAMEO code PETRARCH's dictionary gives ``lemma`` with these words around it.

        A pattern matches when its words occur in order among ``after`` (resp. ``before``); the longest
        match wins, else the verb's own code, else its block's default code.
        """
        best: tuple[int, str] | None = None
        fallback: str | None = None
        seen_after, seen_before = frozenset(after), frozenset(before)
        for verb_particle, own, block in self.cameo_verbs.get(lemma, ()):
            if verb_particle and verb_particle != particle:
                continue
            if fallback is None or verb_particle:
                fallback = own or block.cameo or fallback
            for pattern in block.patterns:
                needs_before, needs_after = pattern.needs
                if not (needs_after <= seen_after and needs_before <= seen_before):
                    continue
                if self._in_order(pattern.post, after) and self._in_order(pattern.pre, before):
                    size = len(pattern.post) + len(pattern.pre)
                    if best is None or size > best[0]:
                        best = (size, pattern.cameo)
        return best[1] if best else fallback

    def _in_order(self, wanted: tuple[str, ...], words: list[str]) -> bool:
        """Whether the pattern words (``&set`` members may span several words) occur in order."""
        position = 0
        for word in wanted:
            members = self.synsets.get(word[1:], {}) if word.startswith("&") else {word: ((word,),)}
            found = None
            for start in range(position, len(words)):
                for option in members.get(words[start], ()):
                    if tuple(words[start : start + len(option)]) == option:
                        found = start + len(option)
                        break
                if found is not None:
                    break
            if found is None:
                return False
            position = found
        return True


def extra_dirs(paths: tuple[str, ...] = ()) -> tuple[Path, ...]:
    """The configured extra data directories: ``paths``, then those of $NEWSLEDGER_EVENTS_PATH."""
    env = tuple(p for p in os.environ.get(EVENTS_PATH_ENV, "").split(os.pathsep) if p)
    return tuple(Path(p) for p in (*paths, *env))


def load_lexicon(directory: Path | None = None, extra: tuple[Path, ...] | None = None) -> Lexicon:
    """The event lexicon of ``directory`` (the packaged data) plus the imported verb dictionaries of
    ``extra`` (default: $NEWSLEDGER_EVENTS_PATH); cached per arguments."""
    return _load_lexicon(directory, extra_dirs() if extra is None else extra)


@functools.cache
def _load_lexicon(directory: Path | None, extra: tuple[Path, ...]) -> Lexicon:
    root = directory or data_dir()
    verbs: dict[str, list[VerbEntry]] = {}
    for entry in _load_verbs(root / "verbs.v1.jsonl"):
        verbs.setdefault(entry.lemma, []).append(entry)
    nouns: dict[str, list[NounEntry]] = {}
    for noun in _load_nouns(root / "nouns.v1.jsonl"):
        nouns.setdefault(noun.lemma, []).append(noun)
    cameo: dict[str, list[tuple[str | None, str | None, CameoVerb]]] = {}
    synsets: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    for folder in extra:
        if not folder.is_dir():
            raise DataFileError(
                "event data directory not found",
                where=str(folder),
                hint=f"fix {EVENTS_PATH_ENV} or verb_paths (run newsledger events import-cameo-verbs)",
            )
        if (folder / "cameo_verbs.jsonl").exists():
            for block in _load_cameo_verbs(folder / "cameo_verbs.jsonl"):
                for lemma, particle, own in block.verbs:
                    cameo.setdefault(lemma, []).append((particle, own, block))
        if (folder / "cameo_synsets.jsonl").exists():
            synsets.update(_load_synsets(folder / "cameo_synsets.jsonl"))
    sector_nouns = _sector_nouns(root / "sectors.v1.jsonl")
    return Lexicon(
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns={lemma: tuple(sorted(group, key=lambda n: not n.modifiers)) for lemma, group in nouns.items()},
        cameo_verbs={k: tuple(v) for k, v in cameo.items()},
        synsets=synsets,
        plover=_load_mapping(root / "cameo_plover.v1.jsonl"),
        known=_load_known(root / "known_events.v1.jsonl"),
        party_nouns=_load_party_nouns(root / "party_nouns.v1.jsonl") | frozenset(sector_nouns),
        armed_nouns=frozenset(noun for noun, sector in sector_nouns.items() if sector in ARMED_SECTORS),
    )


def _load_party_nouns(path: Path) -> frozenset[str]:
    """Nouns for people or groups that carry no sector of their own ("captive", "crew", "national")."""
    nouns = set()
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        c.examples()
        nouns.add(c.text("lemma") or "")
    return frozenset(nouns)


def _sector_nouns(path: Path) -> dict[str, str]:
    """The sector file's nouns: lemma -> sector."""
    nouns = {}
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        nouns[c.text("lemma") or ""] = c.text("sector") or ""
    return nouns


def _load_synsets(path: Path) -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    synsets = {}
    for number, raw in read_jsonl(path):
        c = _Checker(path, number, raw)
        members: dict[str, list[tuple[str, ...]]] = {}
        for phrase in c.texts("words"):
            members.setdefault(phrase.split()[0], []).append(tuple(phrase.split()))
        synsets[c.text("id") or ""] = {first: tuple(options) for first, options in members.items()}
    return synsets

"""The attribution lexicons: cue certainty classes, source nouns, media outlets, channel markers.

Files live in ``newsledger/data/attribution/*.v1.jsonl``, one entry a line with ``id``, ``lemma`` and
``forms`` (or ``pattern``), ``label`` and ``examples`` (the marked word in ``[brackets]``). They are
validated on load; every problem is reported as file:line:field.
"""

from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsledger.errors import DataFileError
from newsledger.model import Certainty, Channel

DATA_PACKAGE = "newsledger.data"
CUE_LABELS = frozenset(c.value for c in Certainty)
NOUN_LABELS = frozenset(
    {"person_noun", "group_noun", "media_noun", "org_noun", "document_noun", "unspecified_noun"}
)
CHANNEL_LABELS = frozenset(c.value for c in Channel) - {Channel.UNKNOWN.value}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    id: str
    label: str
    words: tuple[str, ...]  # lower-case forms (cues, nouns) or the pattern's words (outlets, channels)
    examples: tuple[str, ...]
    # cues only: whether the verb, inside another attribution's content, relays a claim ("said") or
    # only reports a state of mind or evidence ("believes", "show") and so names no new source
    relays: bool = True
    # source nouns only: whether "the X" is the person the article named before ("the senator"), or a
    # role it usually leaves unnamed ("the source", "the juror")
    names_antecedent: bool = True


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Lexicon:
    """All attribution lexicons, compiled for lookups by word."""

    cues: dict[str, Entry]  # lower-case form or lemma -> entry
    nouns: dict[str, Entry]  # lower-case form -> entry (multi-word forms by their last word)
    outlets: dict[str, Entry]  # case-sensitive name without spaces (tokenisation-proof) -> entry
    channels: dict[tuple[str, ...], Entry]  # lower-case word sequence -> entry
    entries: tuple[tuple[str, int, Entry], ...]  # (file, line, entry) for the example tests

    longest_channel: int  # words of the longest channel marker

    longest_outlet = 6  # tokens: "Agence France - Presse", "South China Morning Post"


def _field(row: dict[str, Any], name: str, where: str, kind: type) -> Any:
    value = row.get(name)
    if not isinstance(value, kind) or (kind is str and not value) or (kind is list and not value):
        raise DataFileError(
            f"missing or invalid {name!r}",
            where=f"{where}:{name}",
            hint=f"expected a non-empty {kind.__name__}",
        )
    return value


def load_file(path: Path, *, labels: frozenset[str], words_field: str) -> list[tuple[int, Entry]]:
    """Entries of one lexicon file, validated."""
    entries: list[tuple[int, Entry]] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFileError(f"invalid JSON: {error.msg}", where=where) from error
            if not isinstance(row, dict):
                raise DataFileError("an entry must be a JSON object", where=where)
            entry_id = _field(row, "id", where, str)
            if entry_id in seen:
                raise DataFileError(f"duplicate id {entry_id!r}", where=f"{where}:id")
            seen.add(entry_id)
            label = _field(row, "label", where, str)
            if label not in labels:
                raise DataFileError(
                    f"unknown label {label!r}", where=f"{where}:label", hint=f"one of {sorted(labels)}"
                )
            raw = _field(row, words_field, where, list if words_field == "forms" else str)
            words = tuple(raw) if words_field == "forms" else (raw,)
            if not all(isinstance(w, str) and w for w in words):
                raise DataFileError("forms must be non-empty strings", where=f"{where}:{words_field}")
            examples = _field(row, "examples", where, list)
            if not all(isinstance(e, str) and "[" in e and "]" in e for e in examples):
                raise DataFileError("each example marks its word in [brackets]", where=f"{where}:examples")
            flags = {name: row.get(name, True) for name in ("relays", "names_antecedent")}
            for name, value in flags.items():
                if not isinstance(value, bool):
                    raise DataFileError(f"{name} must be true or false", where=f"{where}:{name}")
            entries.append(
                (
                    number,
                    Entry(id=entry_id, label=label, words=words, examples=tuple(examples), **flags),
                )
            )
    return entries


def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Read and compile the lexicons (from the package, or ``folder`` for tests)."""
    base = folder or Path(str(resources.files(DATA_PACKAGE).joinpath("attribution")))
    specs = {
        "cues.v1.jsonl": (CUE_LABELS, "forms"),
        "source_nouns.v1.jsonl": (NOUN_LABELS, "forms"),
        "media_outlets.v1.jsonl": (frozenset({"media"}), "pattern"),
        "channels.v1.jsonl": (CHANNEL_LABELS, "pattern"),
    }
    loaded = {
        name: load_file(base / name, labels=labels, words_field=field)
        for name, (labels, field) in specs.items()
    }
    cues: dict[str, Entry] = {}
    for _, entry in loaded["cues.v1.jsonl"]:
        for word in entry.words:
            cues[word.lower()] = entry
    nouns = {w.lower().split()[-1]: e for _, e in loaded["source_nouns.v1.jsonl"] for w in e.words}
    outlets = {e.words[0].replace(" ", ""): e for _, e in loaded["media_outlets.v1.jsonl"]}
    channels = {tuple(e.words[0].lower().split()): e for _, e in loaded["channels.v1.jsonl"]}
    everything = tuple((name, line, entry) for name, rows in loaded.items() for line, entry in rows)
    return Lexicon(
        cues=cues,
        nouns=nouns,
        outlets=outlets,
        channels=channels,
        longest_channel=max((len(k) for k in channels), default=1),
        entries=everything,
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicons, loaded once."""
    return load_lexicon()

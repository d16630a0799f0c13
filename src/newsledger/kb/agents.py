"""Agent nouns: titles ("president"), unnamed-actor nouns ("officials") and anaphoric nominals
("the newspaper"), from the versioned lexicon ``data/kb/agents.v1.jsonl``.

Each line: ``id``, ``lemma`` (lower case, may hold spaces), ``label`` (title | group | individual |
nominal), optional ``sector``, ``plural`` (group nouns in the plural form), ``categories`` / ``kinds``
(what a nominal refers back to) and ``examples``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from newsledger.errors import DataFileError
from newsledger.kb.entries import CATEGORIES, SECTORS, EntryKind


class AgentLabel(StrEnum):
    TITLE = "title"  # stripped from names; gives a role and sector
    GROUP = "group"  # "officials", "diplomats": an unnamed group
    INDIVIDUAL = "individual"  # "source", "insider" in the singular: an unnamed person
    NOMINAL = "nominal"  # "the newspaper": refers back to an actor named before


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Agent:
    id: str
    lemma: str
    label: AgentLabel
    sector: str | None = None
    plural: str | None = None
    categories: frozenset[str] = frozenset()
    kinds: frozenset[EntryKind] = frozenset()
    examples: tuple[str, ...] = ()


_FIELDS = frozenset({"id", "lemma", "label", "sector", "plural", "categories", "kinds", "examples"})


def _parse(data: Any, where: str) -> tuple[Agent | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return None, [(f"{where}:-", "each line must be a JSON object")]
    for key in sorted(set(data) - _FIELDS):
        problems.append((f"{where}:{key}", "unknown field"))
    for key in ("id", "lemma", "label"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append((f"{where}:{key}", "is required (a non-empty string)"))
    label = data.get("label")
    if isinstance(label, str) and label not in {a.value for a in AgentLabel}:
        problems.append(
            (f"{where}:label", f"{label!r} is not one of {', '.join(a.value for a in AgentLabel)}")
        )
    sector = data.get("sector")
    if sector is not None and sector not in SECTORS:
        problems.append((f"{where}:sector", f"{sector!r} is not a sector code"))
    categories = data.get("categories", [])
    if not isinstance(categories, list) or any(c not in CATEGORIES for c in categories):
        problems.append((f"{where}:categories", f"must be a list drawn from {', '.join(sorted(CATEGORIES))}"))
    kinds = data.get("kinds", [])
    if not isinstance(kinds, list) or any(k not in {e.value for e in EntryKind} for k in kinds):
        problems.append((f"{where}:kinds", "must be a list of KB entry kinds"))
    examples = data.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        problems.append((f"{where}:examples", "must be a list of strings"))
    if problems:
        return None, problems
    agent = Agent(
        id=data["id"],
        lemma=data["lemma"].strip().lower(),
        label=AgentLabel(data["label"]),
        sector=sector,
        plural=(data.get("plural") or None),
        categories=frozenset(categories),
        kinds=frozenset(EntryKind(k) for k in kinds),
        examples=tuple(examples),
    )
    return agent, []


def read_agents(path: Path) -> list[Agent]:
    """Every agent of ``path``, or DataFileError naming each bad file:line:field."""
    agents: list[Agent] = []
    problems: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append((f"{where}:-", f"invalid JSON: {error.msg}"))
            continue
        agent, found = _parse(data, where)
        problems.extend(found)
        if agent is not None:
            agents.append(agent)
    if problems:
        where, message = problems[0]
        rest = "; ".join(f"{w}: {m}" for w, m in problems[1:6])
        raise DataFileError(
            message + (f"; also {rest}" if rest else ""),
            where=where,
            hint="fix the agents lexicon (format: docs/kb.md)",
        )
    return agents


@dataclasses.dataclass(frozen=True, slots=True)
class AgentLexicon:
    """Lookups over the agent nouns, compiled once."""

    titles: dict[str, Agent]  # "president", "foreign minister", ...
    title_words: frozenset[str]  # every word of every title, for stripping "Deputy Foreign Minister"
    groups: dict[str, Agent]  # plural form -> group agent ("officials")
    individuals: dict[str, Agent]  # singular form -> agent ("source", "official")
    nominals: dict[str, Agent]  # "newspaper", "think tank"
    nominal_heads: frozenset[str]  # last words of the nominals, for a cheap first test per token

    @classmethod
    def from_agents(cls, agents: list[Agent]) -> AgentLexicon:
        titles = {a.lemma: a for a in agents if a.label is AgentLabel.TITLE}
        groups: dict[str, Agent] = {}
        individuals: dict[str, Agent] = {}
        for agent in agents:
            if agent.label in (AgentLabel.GROUP, AgentLabel.INDIVIDUAL):
                individuals[agent.lemma] = agent
                groups[agent.plural or agent.lemma + "s"] = agent
        return cls(
            titles=titles,
            title_words=frozenset(w for t in titles for w in t.split()),
            groups=groups,
            individuals=individuals,
            nominals={a.lemma: a for a in agents if a.label is AgentLabel.NOMINAL},
            nominal_heads=frozenset(a.lemma.split()[-1] for a in agents if a.label is AgentLabel.NOMINAL),
        )


DEFAULT_AGENTS = "agents.v1.jsonl"


def is_agents_file(path: Path) -> bool:
    """Agent lexicons are told apart from KB entry files by name: ``agents.*`` or ``*.agents.jsonl``."""
    return path.name.startswith("agents.") or path.name.endswith(".agents.jsonl")


@functools.cache
def default_agents() -> tuple[Agent, ...]:
    """The packaged agent lexicon entries (read once)."""
    return tuple(read_agents(Path(str(resources.files("newsledger") / "data" / "kb" / DEFAULT_AGENTS))))


@functools.cache
def default_lexicon() -> AgentLexicon:
    """The packaged agent lexicon, compiled once."""
    return AgentLexicon.from_agents(list(default_agents()))

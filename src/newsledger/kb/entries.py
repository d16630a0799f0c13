"""Knowledge-base records and the loader that validates KB data files.

A KB file is JSON lines (``*.v1.jsonl``), one entry a line; blank lines and lines starting with ``#``
are skipped. Every problem is reported as ``file:line:field`` through :class:`DataFileError`, all of a
file's problems at once, so a user fixing an imported file sees the whole list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import pycountry

from newsledger.errors import DataFileError


class EntryKind(StrEnum):
    """What a KB entry names."""

    COUNTRY = "country"
    PLACE = "place"  # a city or building that may stand for a government ("Beijing", "Kremlin")
    IGO = "igo"
    MEDIA = "media"
    ORGANISATION = "organisation"
    PERSON = "person"
    ACTOR = "actor"  # imported entries whose type the source does not say (Phoenix dictionaries)


#: CAMEO/PLOVER sector codes (plus ELI for Phoenix's "elite": a former office holder).
SECTORS = frozenset(
    "GOV MIL MED NGO IGO BUS OPP REB CVL JUD LEG POL EDU REL COP SPY ELI LAB HLH AGR REF CRM ENV "  # noqa: SIM905
    "MNC INS PTY UAF IMG SEP NGM ETH MOD RAD DEV HRI UNR".split()
)

#: Kinds of organisation, so that "the think tank" or "the newspaper" finds its antecedent.
CATEGORIES = frozenset(
    {
        "newspaper",
        "news_agency",
        "broadcaster",
        "magazine",
        "website",
        "think_tank",
        "alliance",
        "bloc",
        "ministry",
        "agency",
        "party",
        "company",
        "university",
        "ngo",
        "court",
        "legislature",
        "military",
        "bank",
        "regulator",
        "armed_group",
    }
)

#: Country fields also accept these codes, which are not ISO 3166 countries (IMG: CAMEO's
#: international militarised groups, e.g. al-Qaeda).
EXTRA_COUNTRY_CODES = frozenset({"IGO", "IMG", "XKX", "EUR", "AFR", "ASA", "MEA", "WST", "NMR", "SAM", "CAS"})

_QID = re.compile(r"^Q[1-9][0-9]*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO3 = frozenset(c.alpha_3 for c in pycountry.countries)


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-3 code or one of the few extra region codes."""
    return code in _ISO3 or code in EXTRA_COUNTRY_CODES


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """An office held from ``start`` to ``end`` (inclusive; either may be open)."""

    title: str
    country: str | None = None
    sector: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    cameo: str | None = None

    def active(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class KBEntry:
    """One thing the KB knows: a country, place, organisation, outlet or person."""

    id: str
    kind: EntryKind
    name: str
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    country: str | None = None
    sector: str | None = None
    cameo: str | None = None
    category: str | None = None
    demonyms: tuple[str, ...] = ()
    acts_as: str | None = None  # sector a place stands for when it acts: "Kremlin" -> GOV
    roles: tuple[Role, ...] = ()
    examples: tuple[str, ...] = ()
    source: str = ""  # file:line it was read from
    #: a person's family name, matched alone ("Putin"): None for the default (``lookup._surname``),
    #: "" when no single word of the name is safe to match ("Pedro Sánchez": every Sánchez)
    surname: str | None = None

    @property
    def public_id(self) -> str:
        """The id given to resolved actors: the Wikidata QID when known, else the KB key."""
        return self.qid or self.id

    def role_at(self, date: dt.date | None) -> Role | None:
        """The role held on ``date`` (the most recently started when several overlap)."""
        if date is None or not self.roles:
            return None
        active = [r for r in self.roles if r.active(date)]
        if not active:
            return None
        return max(active, key=lambda r: r.start or dt.date.min)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-lines form (the inverse of :func:`parse_entry`)."""
        data: dict[str, Any] = {"id": self.id, "kind": self.kind.value, "name": self.name}
        for key in ("aliases", "demonyms", "examples"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        for key in ("qid", "country", "sector", "cameo", "category", "acts_as"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.surname is not None:
            data["surname"] = self.surname or False
        if self.roles:
            data["roles"] = [
                {
                    k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in dataclasses.asdict(role).items()
                    if v is not None
                }
                for role in self.roles
            ]
        return data


# --- parsing and validation --------------------------------------------------------------------------

_ENTRY_FIELDS = frozenset(
    {
        "id",
        "kind",
        "name",
        "aliases",
        "qid",
        "country",
        "sector",
        "cameo",
        "category",
        "demonyms",
        "acts_as",
        "roles",
        "examples",
        "surname",
    }
)
_ROLE_FIELDS = frozenset({"title", "country", "sector", "start", "end", "cameo"})


class _Problems:
    """Collects ``where: message`` problems for one file."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append((f"{self.where}:{field}", message))


def parse_date(value: str, *, end: bool = False) -> dt.date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date covers its whole year or month."""
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if month is None:
        return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)
    if day is None:
        first = dt.date(int(year), int(month), 1)
        if not end:
            return first
        following = first.replace(year=first.year + (first.month == 12), month=first.month % 12 + 1)
        return following - dt.timedelta(days=1)
    return dt.date(int(year), int(month), int(day))


def _string(data: dict[str, Any], key: str, problems: _Problems, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            problems.add(key, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(key, "must be a non-empty string")
        return None
    return value.strip()


def _strings(data: dict[str, Any], key: str, problems: _Problems) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(key, "must be a list of non-empty strings")
        return ()
    return tuple(v.strip() for v in value)


def _country(value: str | None, field: str, problems: _Problems) -> str | None:
    if value is not None and not is_country_code(value):
        problems.add(field, f"{value!r} is not an ISO 3166 alpha-3 code (or IGO)")
        return None
    return value


def _sector(value: str | None, field: str, problems: _Problems) -> str | None:
    if value is not None and value not in SECTORS:
        problems.add(field, f"{value!r} is not a sector code ({', '.join(sorted(SECTORS)[:8])}, ...)")
        return None
    return value


def _role(data: Any, index: int, problems: _Problems) -> Role | None:
    prefix = f"roles[{index}]"
    if not isinstance(data, dict):
        problems.add(prefix, "must be an object")
        return None
    for key in sorted(set(data) - _ROLE_FIELDS):
        problems.add(f"{prefix}.{key}", f"unknown field (expected one of {', '.join(sorted(_ROLE_FIELDS))})")
    title = _string(data, "title", _Sub(problems, prefix), required=True)
    country = _country(_string(data, "country", _Sub(problems, prefix)), f"{prefix}.country", problems)
    sector = _sector(_string(data, "sector", _Sub(problems, prefix)), f"{prefix}.sector", problems)
    dates: dict[str, dt.date | None] = {"start": None, "end": None}
    for key in dates:
        text = _string(data, key, _Sub(problems, prefix))
        if text is not None:
            try:
                dates[key] = parse_date(text, end=key == "end")
            except ValueError as error:
                problems.add(f"{prefix}.{key}", str(error))
    start, end = dates["start"], dates["end"]
    if start and end and end < start:
        problems.add(f"{prefix}.end", f"ends ({end}) before it starts ({start})")
    if title is None:
        return None
    cameo = _string(data, "cameo", _Sub(problems, prefix))
    return Role(title=title, country=country, sector=sector, start=start, end=end, cameo=cameo)


class _Sub(_Problems):
    """Problems of a nested object, reported with the parent's prefix (``roles[2].title``)."""

    def __init__(self, parent: _Problems, prefix: str) -> None:
        super().__init__(parent.where)
        self.parent = parent
        self.prefix = prefix

    def add(self, field: str, message: str) -> None:
        self.parent.add(f"{self.prefix}.{field}", message)


def parse_entry(data: Any, *, where: str = "<entry>") -> KBEntry:
    """Validate one decoded JSON object; raises DataFileError listing every problem."""
    problems = _Problems(where)
    entry = _parse(data, problems)
    if problems.items or entry is None:
        raise _error(problems.items)
    return entry


def _parse(data: Any, problems: _Problems) -> KBEntry | None:
    if not isinstance(data, dict):
        problems.add("-", "each line must be a JSON object")
        return None
    for key in sorted(set(data) - _ENTRY_FIELDS):
        problems.add(key, f"unknown field (expected one of {', '.join(sorted(_ENTRY_FIELDS))})")
    key = _string(data, "id", problems, required=True)
    name = _string(data, "name", problems, required=True)
    kind_text = _string(data, "kind", problems, required=True)
    kind: EntryKind | None = None
    if kind_text is not None:
        try:
            kind = EntryKind(kind_text)
        except ValueError:
            problems.add("kind", f"{kind_text!r} is not one of {', '.join(k.value for k in EntryKind)}")
    qid = _string(data, "qid", problems)
    if qid is not None and not _QID.match(qid):
        problems.add("qid", f"{qid!r} is not a Wikidata QID (Q followed by digits)")
    country = _country(_string(data, "country", problems), "country", problems)
    sector = _sector(_string(data, "sector", problems), "sector", problems)
    acts_as = _sector(_string(data, "acts_as", problems), "acts_as", problems)
    category = _string(data, "category", problems)
    if category is not None and category not in CATEGORIES:
        problems.add("category", f"{category!r} is not one of {', '.join(sorted(CATEGORIES))}")
    roles_data = data.get("roles", [])
    roles: list[Role] = []
    if not isinstance(roles_data, list):
        problems.add("roles", "must be a list of role objects")
    else:
        for index, item in enumerate(roles_data):
            role = _role(item, index, problems)
            if role is not None:
                roles.append(role)
    surname = _surname(data, name, problems)
    if key is None or name is None or kind is None:
        return None
    return KBEntry(
        id=key,
        kind=kind,
        name=name,
        aliases=_strings(data, "aliases", problems),
        qid=qid,
        country=country,
        sector=sector,
        cameo=_string(data, "cameo", problems),
        category=category,
        demonyms=_strings(data, "demonyms", problems),
        acts_as=acts_as,
        roles=tuple(roles),
        examples=_strings(data, "examples", problems),
        source=problems.where,
        surname=surname,
    )


def _surname(data: dict[str, Any], name: str | None, problems: _Problems) -> str | None:
    """The ``surname`` field: a word of the name, or false for none."""
    value = data.get("surname")
    if value is None:
        return None
    if value is False:
        return ""
    if not isinstance(value, str) or name is None or value not in name.split():
        problems.add("surname", "must be one word of the name, or false")
        return None
    return value


def _error(items: list[tuple[str, str]]) -> DataFileError:
    where, message = items[0]
    more = "; ".join(f"{w}: {m}" for w, m in items[1:11])
    text = message if not more else f"{message}; also {more}"
    if len(items) > 11:
        text += f" (and {len(items) - 11} more)"
    return DataFileError(text, where=where, hint="fix the knowledge-base file (format: docs/kb.md)")


def read_entries(path: Path) -> list[KBEntry]:
    """All entries of one KB file, or DataFileError naming every bad file:line:field."""
    problems: list[tuple[str, str]] = []
    entries: list[KBEntry] = []
    seen: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"cannot read knowledge-base file: {error}", where=str(path)) from error
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        line_problems = _Problems(f"{path}:{number}")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            line_problems.add("-", f"invalid JSON: {error.msg} at column {error.colno}")
            problems.extend(line_problems.items)
            continue
        entry = _parse(data, line_problems)
        if entry is not None and entry.id in seen:
            line_problems.add("id", f"duplicate id {entry.id!r} (first on line {seen[entry.id]})")
        problems.extend(line_problems.items)
        if entry is not None and not line_problems.items:
            seen[entry.id] = number
            entries.append(entry)
    if problems:
        raise _error(problems)
    return entries


def kb_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The ``*.jsonl`` files named by ``paths`` (files, or folders searched non-recursively)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.jsonl"))
        elif path.exists():
            yield path
        else:
            raise DataFileError(
                "knowledge-base path does not exist", where=str(path), hint="check NEWSLEDGER_KB_PATH / --kb"
            )


def write_entries(entries: Iterable[KBEntry], path: Path) -> int:
    """Write entries as JSON lines; returns how many were written."""
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as stream:
        for entry in entries:
            stream.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count

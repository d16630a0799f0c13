"""Import PETRARCH/Phoenix (TABARI-format) actor and agent dictionaries into the newsledger KB format.

Actor files (``Phoenix.Countries.actors.txt``, ``...International...``, ``...MilNonState...``) hold
blocks: a primary name line, ``+SYNONYM`` lines, and tab-indented code lines::

    VLADIMIR_PUTIN_  # CountryInfo.txt
    +PUTIN_
        [RUSELI 700101-990809]
        [RUSGOV >20000507]

``_`` stands for a space (a trailing ``_`` marks the end of a word); a code may sit on the name line
(``UN_ [IGOUNO]``); dates are ``YYMMDD`` or ``YYYYMMDD``, bounded by ``>`` (from), ``<`` (until) or
``A-B``. Two-digit years up to 30 are read as 20xx, later ones as 19xx (the files end in 2014).
Agents files (``Phoenix.agents.txt``) map generic nouns to sectors: ``DIPLOMAT [~GOV]``.

Undated codes give the entry's country, sector and CAMEO code; dated codes become roles. Blocks
without any code, and codes with unreadable dates, are skipped and counted in the report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

from newsledger.errors import DataFileError
from newsledger.kb.entries import SECTORS, EntryKind, KBEntry, Role, is_country_code, write_entries

_CODE = re.compile(r"\[([^\]]*)\]")
_DATE_BOUND = re.compile(r"^([<>])?(\d{6}|\d{8})$")
_RANGE = re.compile(r"^(\d{6}|\d{8})-(\d{6}|\d{8})$")
_PIVOT = 30


@dataclasses.dataclass(slots=True)
class ImportReport:
    """What an import read, wrote and skipped (with file:line reasons)."""

    entries: int = 0
    roles: int = 0
    skipped: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class _Block:
    line: int
    names: list[str]
    codes: list[tuple[str, int]]  # (code text, line)


def phoenix_date(text: str) -> dt.date:
    """``YYMMDD`` or ``YYYYMMDD`` as a date; ValueError when it is not one."""
    if len(text) == 6:
        year = int(text[:2])
        year += 2000 if year <= _PIVOT else 1900
        return dt.date(year, int(text[2:4]), int(text[4:6]))
    if len(text) == 8:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")


_LOWER_WORDS = frozenset("of the and for in on de del la al el bin von van der".split())  # noqa: SIM905


def _display_word(word: str, *, first: bool, alone: bool) -> str:
    """Dictionaries are upper case: show names in title case, keeping acronyms ("UN", "FSB", "U.N.")."""
    if not word.isupper() or "." in word or (alone and len(word) <= 4):
        return word
    if not any(c in "AEIOUY" for c in word):
        return word
    if not first and word.lower() in _LOWER_WORDS:
        return word.lower()
    return word.capitalize()


def phoenix_name(raw: str) -> tuple[str, list[str]]:
    """``VLADIMIR_V._PUTIN_`` -> "Vladimir V. Putin"; parenthesised acronyms become extra aliases."""
    extra = [a.strip("_ ") for a in re.findall(r"\(([^)]*)\)", raw) if a.strip("_ ")]
    text = re.sub(r"\([^)]*\)", " ", raw)
    words = text.replace("_", " ").split()
    shown = [_display_word(w, first=i == 0, alone=len(words) == 1) for i, w in enumerate(words)]
    name = " ".join(shown)
    return name, extra


def _blocks(path: Path) -> Iterator[_Block]:
    """Name blocks with their codes. Consecutive name lines before any code share the codes that
    follow (``IVO_JOSIPOVIC_`` / ``JOSIPOVIC_`` / ``[HRVGOV ...]``); a blank line ends a block."""
    block: _Block | None = None
    with open(path, encoding="utf-8", errors="replace") as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw.rstrip("\n")
            content = line.split("#", 1)[0]
            if not content.strip():
                if block is not None and not line.lstrip().startswith("#"):
                    yield block
                    block = None
                continue
            codes = [(c, number) for c in _CODE.findall(content)]
            text = _CODE.sub(" ", content)
            if content[:1] in (" ", "\t"):
                if block is not None:
                    block.codes.extend(codes)
                continue
            if content.startswith("+"):
                if block is not None:
                    block.names.extend(n for n in text.split("+") if n.strip())
                    block.codes.extend(codes)
                continue
            names = [n for n in text.split("+") if n.strip()]
            if block is not None and not block.codes:
                block.names.extend(names)
                block.codes.extend(codes)
                continue
            if block is not None:
                yield block
            block = _Block(line=number, names=names, codes=codes)
    if block is not None:
        yield block


def _split_code(code: str) -> tuple[str | None, str | None]:
    """("CHN", "GOV") for CHNGOV; ("IGO", "IGO") for IGOUNO; the country is None when not a country."""
    head, rest = code[:3], code[3:]
    if head == "IGO":
        return "IGO", "IGO"
    country = head if is_country_code(head) else None
    sector = rest[:3] if rest[:3] in SECTORS else (head if head in SECTORS else None)
    return country, sector


def _role(code_text: str, where: str, report: ImportReport) -> tuple[str, Role | None] | None:
    parts = code_text.split()
    if not parts:
        report.skipped.append(f"{where}: empty code")
        return None
    code = parts[0]
    if len(parts) == 1:
        return code, None
    bound = "".join(parts[1:])  # "> 140608" is written with a stray space now and then
    try:
        start = end = None
        if match := _RANGE.match(bound):
            start, end = phoenix_date(match.group(1)), phoenix_date(match.group(2))
        elif match := _DATE_BOUND.match(bound):
            day = phoenix_date(match.group(2))
            if match.group(1) == "<":
                end = day
            else:
                start = day
        else:
            raise ValueError(f"date restriction {bound!r} is not >DATE, <DATE or DATE-DATE")
    except ValueError as error:
        report.skipped.append(f"{where}: {error}")
        return None
    if start and end and end < start:
        report.skipped.append(f"{where}: {bound!r} ends before it starts")
        return None
    country, sector = _split_code(code)
    return code, Role(title=code, country=country, sector=sector, start=start, end=end, cameo=code)


def import_actors(path: Path, *, prefix: str = "phoenix") -> tuple[list[KBEntry], ImportReport]:
    """Entries converted from one Phoenix actor dictionary."""
    report = ImportReport()
    entries: list[KBEntry] = []
    seen: set[str] = set()
    for block in _blocks(path):
        where = f"{path}:{block.line}"
        names: list[str] = []
        for raw in block.names:
            name, extra = phoenix_name(raw)
            names.extend(n for n in (name, *extra) if n and n not in names)
        if not names:
            report.skipped.append(f"{where}: no name")
            continue
        if not block.codes:
            report.skipped.append(f"{where}: {names[0]!r} has no code")
            continue
        fixed: str | None = None
        roles: list[Role] = []
        for text, line in block.codes:
            parsed = _role(text, f"{path}:{line}", report)
            if parsed is None:
                continue
            code, role = parsed
            if role is None:
                fixed = fixed or code
            else:
                roles.append(role)
        if fixed is None and not roles:
            continue
        country, sector = _split_code(fixed) if fixed else (None, None)
        key = f"{prefix}." + re.sub(r"[\s_]+", "_", block.names[0]).strip("_").upper()
        if key in seen:
            key = f"{key}.{block.line}"
        seen.add(key)
        is_country = fixed is not None and len(fixed) == 3 and is_country_code(fixed) and not roles
        entries.append(
            KBEntry(
                id=key,
                kind=EntryKind.COUNTRY if is_country else EntryKind.ACTOR,
                name=names[0],
                aliases=tuple(names[1:]),
                country=country,
                sector=sector,
                cameo=fixed,
                roles=tuple(roles),
                source=where,
            )
        )
        report.roles += len(roles)
    report.entries = len(entries)
    return entries, report


_SUBSTITUTION = re.compile(r"^!(\w+)!\s*=\s*(.+)$")
_PLURAL = re.compile(r"\{([^}]*)\}")


def import_agents(path: Path) -> tuple[list[dict[str, object]], ImportReport]:
    """Agent-lexicon lines (``label`` group, with sector) from a Phoenix agents file.

    ``!PERSON! = MAN, MEN, ...`` defines a substitution set that ``CATTLE!PERSON!`` expands; ``{X}``
    after a noun gives its irregular plural (``{}``: none).
    """
    report = ImportReport()
    sets: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", errors="replace") as stream:
        for line in stream:
            if match := _SUBSTITUTION.match(line.split("#", 1)[0].strip()):
                sets[match.group(1)] = [w.strip() for w in match.group(2).split(",") if w.strip()]
    agents: list[dict[str, object]] = []
    seen: set[str] = set()
    for block in _blocks(path):
        where = f"{path}:{block.line}"
        codes = [c for c, _ in block.codes if "~" in c]
        if not codes:
            if not _SUBSTITUTION.match(" ".join(block.names).strip() + " = x"):
                report.skipped.append(f"{where}: no agent code")
            continue
        sector = codes[0].replace("~", "")[:3]  # "~GOV", and "IGO~" for international agents
        for raw in block.names:
            plural_match = _PLURAL.search(raw)
            plural = plural_match.group(1).strip() if plural_match else None
            raw = _PLURAL.sub(" ", raw).strip()
            forms = [raw]
            if match := re.search(r"!(\w+)!", raw):
                forms = [raw.replace(match.group(0), word) for word in sets.get(match.group(1), [])]
                if not forms:
                    report.skipped.append(f"{where}: unknown substitution set {match.group(0)}")
            for form in forms:
                lemma = " ".join(form.replace("_", " ").lower().split())
                if not lemma or lemma in seen:
                    continue
                seen.add(lemma)
                entry: dict[str, object] = {
                    "id": f"phoenix.{lemma.replace(' ', '_')}",
                    "lemma": lemma,
                    "label": "group",
                }
                if sector in SECTORS:
                    entry["sector"] = sector
                if plural:
                    entry["plural"] = " ".join(plural.replace("_", " ").lower().split())
                agents.append(entry)
    report.entries = len(agents)
    return agents, report


def import_phoenix(path: Path, out_dir: Path) -> tuple[Path, ImportReport]:
    """Convert one dictionary file into ``out_dir``; agents files go to ``*.agents.jsonl``."""
    if not path.is_file():
        raise DataFileError(
            "Phoenix dictionary not found", where=str(path), hint="give the path of a .txt dictionary"
        )
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-").lower()
    if "agents" in path.name.lower():
        agents, report = import_agents(path)
        target = out_dir / f"{stem}.agents.jsonl"
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8") as stream:
            for agent in agents:
                stream.write(json.dumps(agent, ensure_ascii=False) + "\n")
        return target, report
    entries, report = import_actors(path)
    target = out_dir / f"{stem}.jsonl"
    write_entries(entries, target)
    return target, report

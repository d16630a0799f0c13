"""Import Wikidata entities (a JSON dump or an entity export the user downloaded) into the KB format.

Reads any of: the full-dump layout (a JSON array with one entity a line, read as a stream), a JSON
array, a ``Special:EntityData`` export (``{"entities": {"Q7747": {...}}}``) or one entity object.
For each item: English label and aliases; kind from "instance of" (P31); country from citizenship
(P27) or country (P17), turned into ISO alpha-3 through P298 of a country in the same file or the
QIDs the packaged KB knows; offices from "position held" (P39) with start (P580) and end (P582)
qualifiers. Nothing is looked up online: what the file does not say stays blank.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsledger.errors import DataFileError
from newsledger.kb.entries import EntryKind, KBEntry, Role, is_country_code, parse_date

# "instance of" values that say what an item is (well-known, stable Wikidata classes).
_KIND_OF_CLASS = {
    "Q5": EntryKind.PERSON,  # human
    "Q6256": EntryKind.COUNTRY,  # country
    "Q3624078": EntryKind.COUNTRY,  # sovereign state
    "Q515": EntryKind.PLACE,  # city
    "Q5119": EntryKind.PLACE,  # capital
    "Q245065": EntryKind.IGO,  # intergovernmental organization
    "Q11032": EntryKind.MEDIA,  # newspaper
    "Q192283": EntryKind.MEDIA,  # news agency
    "Q41298": EntryKind.MEDIA,  # magazine
    "Q43229": EntryKind.ORGANISATION,  # organization
    "Q988108": EntryKind.ORGANISATION,  # think tank
}
_PRECISION_DAY, _PRECISION_MONTH = 11, 10


def _entities(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as stream:
            first = stream.read(1)
            while first.isspace():
                first = stream.read(1)
            if first == "[":
                # Full dumps put one entity a line between "[" and "]": stream them.
                rest = stream.readline()
                if rest.strip() and rest.strip() != "]":
                    # a compact array on one line: read it whole
                    stream.seek(0)
                    yield from _as_list(json.load(stream))
                    return
                for number, line in enumerate(stream, start=2):
                    text = line.strip().rstrip(",")
                    if not text or text == "]":
                        continue
                    try:
                        yield json.loads(text)
                    except json.JSONDecodeError as error:
                        raise DataFileError(
                            f"invalid JSON entity: {error.msg}", where=f"{path}:{number}"
                        ) from error
                return
            stream.seek(0)
            yield from _as_list(json.load(stream))
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"invalid JSON: {error.msg}",
            where=f"{path}:{error.lineno}",
            hint="give a Wikidata JSON dump or Special:EntityData export",
        ) from error
    except OSError as error:
        raise DataFileError(f"cannot read file: {error}", where=str(path)) from error


def _as_list(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("entities"), dict):
        return list(data["entities"].values())
    if isinstance(data, dict) and "id" in data:
        return [data]
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    raise DataFileError(
        "not a Wikidata entity, array of entities, or entity export",
        hint="download entities as JSON (Special:EntityData/Q….json or a dump)",
    )


def _label(entity: dict[str, Any]) -> str | None:
    labels = entity.get("labels") or {}
    for language in ("en", "en-gb", "en-us", "mul"):
        if language in labels:
            return str(labels[language]["value"])
    return next((str(v["value"]) for v in labels.values()), None)


def _values(entity: dict[str, Any], prop: str) -> list[tuple[Any, dict[str, Any]]]:
    """(datavalue value, statement) for the non-deprecated statements of ``prop``."""
    found = []
    for statement in (entity.get("claims") or {}).get(prop, []):
        if statement.get("rank") == "deprecated":
            continue
        snak = statement.get("mainsnak") or {}
        if snak.get("snaktype", "value") == "value" and "datavalue" in snak:
            found.append((snak["datavalue"]["value"], statement))
    return found


def _qid(value: Any) -> str | None:
    if isinstance(value, dict) and "id" in value:
        return str(value["id"])
    if isinstance(value, dict) and "numeric-id" in value:
        return f"Q{value['numeric-id']}"
    return None


def wikidata_date(value: Any) -> str | None:
    """A Wikidata time value as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` at its stated precision."""
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        return None
    text = str(value["time"]).lstrip("+")
    if text.startswith("-"):
        return None  # BCE dates are no use for news actors
    year, month, day = text[:4], text[5:7], text[8:10]
    precision = int(value.get("precision", _PRECISION_DAY))
    if precision >= _PRECISION_DAY and month != "00" and day != "00":
        return f"{year}-{month}-{day}"
    if precision >= _PRECISION_MONTH and month != "00":
        return f"{year}-{month}"
    return year


def _qualifier(statement: dict[str, Any], prop: str) -> Any:
    for snak in (statement.get("qualifiers") or {}).get(prop, []):
        if snak.get("snaktype", "value") == "value" and "datavalue" in snak:
            return snak["datavalue"]["value"]
    return None


def import_wikidata(
    path: Path, *, known_countries: dict[str, str] | None = None, kind: EntryKind | None = None
) -> list[KBEntry]:
    """KB entries for the items of a Wikidata JSON file.

    ``known_countries`` maps country QIDs to ISO codes (the packaged KB's, by default none); country
    items in the file with an ISO alpha-3 code (P298) are added to it.
    """
    entities = [e for e in _entities(path) if str(e.get("id", "")).startswith("Q")]
    labels = {str(e["id"]): _label(e) for e in entities}
    countries = dict(known_countries or {})
    for entity in entities:
        for value, _ in _values(entity, "P298"):
            if isinstance(value, str) and is_country_code(value):
                countries[str(entity["id"])] = value
    entries: list[KBEntry] = []
    for entity in entities:
        qid = str(entity["id"])
        name = labels.get(qid)
        if not name:
            continue
        classes = [_qid(v) for v, _ in _values(entity, "P31")]
        entry_kind = kind or next(
            (_KIND_OF_CLASS[c] for c in classes if c in _KIND_OF_CLASS), EntryKind.ACTOR
        )
        aliases = tuple(
            dict.fromkeys(
                str(a["value"]) for a in (entity.get("aliases") or {}).get("en", []) if a["value"] != name
            )
        )
        country_prop = "P27" if entry_kind is EntryKind.PERSON else "P17"
        country = (
            countries.get(qid)
            if entry_kind is EntryKind.COUNTRY
            else next(
                (countries[c] for c in (_qid(v) for v, _ in _values(entity, country_prop)) if c in countries),
                None,
            )
        )
        roles: list[Role] = []
        for value, statement in _values(entity, "P39"):
            position = _qid(value)
            if position is None:
                continue
            start, end = (
                wikidata_date(_qualifier(statement, "P580")),
                wikidata_date(_qualifier(statement, "P582")),
            )
            jurisdiction = _qid(_qualifier(statement, "P1001"))
            roles.append(
                Role(
                    title=labels.get(position) or position,
                    country=countries.get(jurisdiction or "", country),
                    start=parse_date(start) if start else None,
                    end=parse_date(end, end=True) if end else None,
                )
            )
        entries.append(
            KBEntry(
                id=f"wd.{qid}",
                kind=entry_kind,
                name=name,
                aliases=aliases,
                qid=qid,
                country=country,
                roles=tuple(roles),
                source=f"{path}",
            )
        )
    return entries


def default_country_qids() -> dict[str, str]:
    """Country QIDs the packaged KB knows, mapped to ISO alpha-3."""
    from newsledger.kb.lookup import KnowledgeBase

    return {
        e.qid: e.country
        for e in KnowledgeBase.default().entries
        if e.kind is EntryKind.COUNTRY and e.qid and e.country
    }

"""Phoenix/PETRARCH dictionary import: hand-made lines and slices of the real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import shared_path
from newsledger.kb import EntryKind, KnowledgeBase, read_entries
from newsledger.kb.agents import read_agents
from newsledger.kb.phoenix import import_actors, import_agents, import_phoenix, phoenix_date, phoenix_name

SAMPLE = """\
# a comment line
ANA_PEREZ_  # CountryInfo.txt
+PRESIDENT_ANA_PEREZ_
+PEREZ_
\t[PERELI 900101-011231]
\t[PERGOV >020101]
\t[PERELI]
BLUE_RIVER_AUTHORITY_(BRA)_ [PERGOVENV]

TOM_BRAND_
PRESIDENT_BRAND_
\t[PERGOV 20100101-20120630]
NO_CODE_PERSON_

GROUP_OF_NINE_ [IGOUNO]
BAD_DATES_
\t[PERGOV 9008223-911221]
\t[PERGOV > 140608]
SPACED_NAME _
\t[PERGOV]
SPACED_NAME_
\t[PERMIL]
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "Sample.actors.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("080401", dt.date(2008, 4, 1)),
        ("681031", dt.date(1968, 10, 31)),
        ("300101", dt.date(2030, 1, 1)),
        ("19110101", dt.date(1911, 1, 1)),
    ],
)
def test_kb_phoenix_dates(text: str, day: dt.date) -> None:
    """YYMMDD (two-digit years up to 30 are 20xx) and YYYYMMDD dates."""
    assert phoenix_date(text) == day


@pytest.mark.parametrize("text", ["9008223", "20100230", "abc"])
def test_kb_phoenix_bad_dates_raise(text: str) -> None:
    """Dates of the wrong length or impossible days are rejected."""
    with pytest.raises(ValueError, match=r"\S"):
        phoenix_date(text)


@pytest.mark.parametrize(
    ("raw", "name", "extra"),
    [
        ("VLADIMIR_V._PUTIN_", "Vladimir V. Putin", []),
        ("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_", "Aden Abyan Islamic Army", ["AAIA"]),
        ("UN_", "UN", []),
        ("U.N._SECRETARY_GENERAL", "U.N. Secretary General", []),
        ("CNN_", "CNN", []),
        ("BANK_OF_ENGLAND_", "Bank of England", []),
    ],
)
def test_kb_phoenix_names(raw: str, name: str, extra: list[str]) -> None:
    """Underscores are spaces, words are capitalised, parenthesised acronyms become aliases."""
    assert phoenix_name(raw) == (name, extra)


def test_kb_phoenix_import_hand_made_lines(sample: Path) -> None:
    """Synonyms, dated and undated codes, shared codes and bad dates are read as documented."""
    entries, report = import_actors(sample)
    by_name = {e.name: e for e in entries}
    ana = by_name["Ana Perez"]
    assert ana.aliases == ("President Ana Perez", "Perez")
    assert (ana.country, ana.sector, ana.cameo) == ("PER", "ELI", "PERELI")
    assert [(r.cameo, r.start, r.end) for r in ana.roles] == [
        ("PERELI", dt.date(1990, 1, 1), dt.date(2001, 12, 31)),
        ("PERGOV", dt.date(2002, 1, 1), None),
    ]
    assert by_name["Blue River Authority"].aliases == ("BRA",)
    assert by_name["Blue River Authority"].sector == "GOV"
    assert by_name["Tom Brand"].aliases == ("President Brand",)
    assert by_name["Group of Nine"].country == "IGO"
    assert [r.start for r in by_name["Bad Dates"].roles] == [dt.date(2014, 6, 8)]
    assert any("9008223" in s for s in report.skipped)
    assert any("No Code Person" in s for s in report.skipped)
    assert len({e.id for e in entries}) == len(entries)


def test_kb_phoenix_output_loads_and_resolves(sample: Path, tmp_path: Path) -> None:
    """The converted file validates and resolves roles by date."""
    target, _ = import_phoenix(sample, tmp_path / "out")
    assert read_entries(target)
    kb = KnowledgeBase.load([target], include_default=False)
    match = kb.best("President Ana Perez", date=dt.date(2005, 1, 1))
    assert match is not None
    assert (match.country, match.sector, match.cameo_code) == ("PER", "GOV", "PERGOV")
    old = kb.best("Perez", date=dt.date(1995, 1, 1))
    assert old is not None
    assert old.sector == "ELI"


def test_kb_phoenix_agents_hand_made(tmp_path: Path) -> None:
    """Agent nouns: substitution sets, irregular plurals, IGO agents."""
    path = tmp_path / "Sample.agents.txt"
    path.write_text(
        "!PERSON! = MAN, WOMAN\n\nDIPLOMAT [~GOV]\nCATTLE!PERSON! [~AGR]\n"
        "CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]\nTRUCE_MONITOR [IGO~]\n",
        encoding="utf-8",
    )
    agents, _ = import_agents(path)
    found = {a["lemma"]: a for a in agents}
    assert set(found) == {"diplomat", "cattleman", "cattlewoman", "chamber of commerce", "truce monitor"}
    assert found["chamber of commerce"]["plural"] == "chambers of commerce"
    assert found["truce monitor"]["sector"] == "IGO"
    target, _ = import_phoenix(path, tmp_path / "out")
    assert target.name.endswith(".agents.jsonl")
    assert len(read_agents(target)) == 5


def _block(path: Path, primary: str) -> str:
    """The lines of the real file's block that starts with ``primary``."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(primary))
    end = start + 1
    while end < len(lines) and lines[end][:1] in ("+", "\t", " "):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def test_kb_phoenix_import_real_putin_block(tmp_path: Path) -> None:
    """Putin's block of the real Countries file gives date-bounded RUSGOV roles."""
    source = shared_path("kb", "phoenix", "Phoenix.Countries.actors.txt")
    path = tmp_path / "slice.actors.txt"
    path.write_text(_block(source, "VLADIMIR_PUTIN_"), encoding="utf-8")
    entries, report = import_actors(path)
    assert report.skipped == []
    (putin,) = entries
    assert putin.kind is EntryKind.ACTOR
    assert putin.role_at(dt.date(2005, 1, 1)) is not None
    assert putin.role_at(dt.date(2005, 1, 1)).cameo == "RUSGOV"  # type: ignore[union-attr]
    assert putin.role_at(dt.date(1980, 1, 1)).cameo == "RUSELI"  # type: ignore[union-attr]


def test_kb_phoenix_import_real_file_head(tmp_path: Path) -> None:
    """The first 3,000 lines of each real actor file convert into a valid KB file."""
    for name in (
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ):
        source = shared_path("kb", "phoenix", name)
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()[:3000]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        target, report = import_phoenix(path, tmp_path / "out")
        entries = read_entries(target)
        assert len(entries) == report.entries > 100

"""Knowledge base: loading, validation errors, lookup with titles, demonyms and dated roles."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsledger.errors import DataFileError
from newsledger.kb import KB_PATH_ENV, EntryKind, KnowledgeBase, normalise, read_entries
from newsledger.kb.agents import AgentLabel, default_agents, default_lexicon, read_agents
from newsledger.kb.entries import parse_date

KB = KnowledgeBase.default()


@pytest.mark.parametrize("entry", [e for e in KB.entries if e.examples], ids=lambda e: e.id)
def test_kb_entry_examples_resolve_to_entry(entry: object) -> None:
    """Every example written in a KB entry looks up to that entry first."""
    for example in entry.examples:  # type: ignore[attr-defined]
        assert KB.lookup(example)[0].key == entry.id, example  # type: ignore[attr-defined]


@pytest.mark.parametrize("agent", default_agents(), ids=lambda a: a.id)
def test_kb_agent_examples_use_the_agent(agent: object) -> None:
    """Every agent-lexicon example contains the agent noun in the form the lexicon indexes."""
    lexicon = default_lexicon()
    for example in agent.examples:  # type: ignore[attr-defined]
        words = example.lower().split()
        if agent.label is AgentLabel.TITLE:  # type: ignore[attr-defined]
            assert KB.lookup(example) == [] or KB.lookup(example)[0].kind is EntryKind.PERSON
            assert all(w in lexicon.title_words for w in agent.lemma.split())  # type: ignore[attr-defined]
        elif agent.label is AgentLabel.NOMINAL:  # type: ignore[attr-defined]
            assert lexicon.nominals[" ".join(words[1:])] is agent
        else:
            assert (
                lexicon.groups.get(words[-1]) is agent
                or lexicon.individuals.get(" ".join(words[1:])) is agent
                or (lexicon.groups.get(" ".join(words[-2:])) is agent)
            ), example


@pytest.mark.parametrize(
    ("name", "day", "key", "role"),
    [
        ("Vladimir Putin", dt.date(2010, 6, 1), "person.vladimir-putin", "Prime Minister of Russia"),
        ("Putin", dt.date(2015, 6, 1), "person.vladimir-putin", "President of Russia"),
        (
            "Russian President Vladimir Putin",
            dt.date(2005, 1, 1),
            "person.vladimir-putin",
            "President of Russia",
        ),
        ("President Putin's", dt.date(2020, 1, 1), "person.vladimir-putin", "President of Russia"),
        ("Le Yucheng", dt.date(2021, 6, 1), "person.le-yucheng", "Vice Foreign Minister of China"),
        (
            "Le Yucheng",
            dt.date(2023, 1, 10),
            "person.le-yucheng",
            "Deputy Director of the National Radio and Television Administration",
        ),
        ("Xi", dt.date(2023, 1, 10), "person.xi-jinping", "President of China"),
        ("Chinese President Xi Jinping", dt.date(2010, 1, 1), "person.xi-jinping", "Vice President of China"),
        (
            "Boris Johnson",
            dt.date(2017, 1, 1),
            "person.boris-johnson",
            "Foreign Secretary of the United Kingdom",
        ),
        (
            "Boris Johnson",
            dt.date(2020, 1, 1),
            "person.boris-johnson",
            "Prime Minister of the United Kingdom",
        ),
        ("Ban Ki-moon", dt.date(2010, 1, 1), "person.ban-ki-moon", "Secretary-General of the United Nations"),
        # a regnal number tells two kings apart
        ("King Abdullah II", dt.date(2010, 1, 1), "person.abdullah-ii-of-jordan", "King of Jordan"),
        ("King Abdullah", dt.date(2010, 1, 1), "person.king-abdullah", "King of Saudi Arabia"),
    ],
)
def test_kb_lookup_gives_role_at_date(name: str, day: dt.date, key: str, role: str) -> None:
    """Titles and possessives are handled and the role is the one held on the date."""
    match = KB.best(name, date=day)
    assert match is not None
    assert (match.key, match.role) == (key, role)


def test_kb_lookup_out_of_office_has_no_role() -> None:
    """Before any recorded office a person resolves without a role."""
    match = KB.best("Le Yucheng", date=dt.date(2005, 1, 1))
    assert match is not None
    assert (match.role, match.country) == (None, "CHN")


@pytest.mark.parametrize(
    ("name", "key", "kind", "country", "sector"),
    [
        ("Chinese", "CHN", EntryKind.COUNTRY, "CHN", None),
        ("Russians", "RUS", EntryKind.COUNTRY, "RUS", None),
        ("Beijing", "place.beijing", EntryKind.PLACE, "CHN", None),
        ("Kiev", "place.kyiv", EntryKind.PLACE, "UKR", None),
        ("the Kremlin", "place.kremlin", EntryKind.PLACE, "RUS", None),
        ("U.N.", "igo.un", EntryKind.IGO, "IGO", "IGO"),
        ("FT", "media.ft", EntryKind.MEDIA, "GBR", "MED"),
        ("Xinhua", "media.xinhua", EntryKind.MEDIA, "CHN", "MED"),
        ("Chatham House", "tank.chatham", EntryKind.ORGANISATION, "GBR", "NGO"),
        ("the Financial Times'", "media.ft", EntryKind.MEDIA, "GBR", "MED"),
        # "Congolese" is the DRC's, as in the Phoenix dictionaries; the DRC's full name resolves
        ("Congolese", "COD", EntryKind.COUNTRY, "COD", None),
        ("Democratic Republic of the Congo", "COD", EntryKind.COUNTRY, "COD", None),
        ("Congo Republic", "COG", EntryKind.COUNTRY, "COG", None),
    ],
)
def test_kb_lookup_finds_kinds(
    name: str, key: str, kind: EntryKind, country: str, sector: str | None
) -> None:
    """Countries by demonym, capitals, metonyms, IGOs, outlets and think tanks resolve."""
    match = KB.lookup(name)[0]
    assert (match.key, match.kind, match.country, match.sector) == (key, kind, country, sector)


@pytest.mark.parametrize("name", ["Zorblatt Consortium", "Ana Perez", "the", "", "President"])
def test_kb_lookup_unknown_names_match_nothing(name: str) -> None:
    """Unknown names give no match, never a wrong code."""
    assert KB.lookup(name) == []
    assert KB.best(name) is None


def test_kb_best_refuses_ambiguous_names() -> None:
    """Two different people scoring alike resolve to nothing; the date may tell them apart."""
    assert KB.best("Li") is None
    match = KB.best("Li", date=dt.date(2005, 1, 1))
    assert match is not None
    assert match.key == "person.li-zhaoxing"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("five senior Chinese officials", "CHN"),
        ("Moscow", "RUS"),
        ("a British think tank", "GBR"),
        ("let us go", None),
        ("officials", None),
    ],
)
def test_kb_country_of_text(text: str, country: str | None) -> None:
    """The country a name, demonym or capital in a text points to."""
    assert KB.country_of(text) == country


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("U.N.", "un"),
        ("Putin’s", "putin"),
        ("Élysée Palace", "elysee palace"),
        ("Ban Ki-moon", "ban ki moon"),
    ],
)
def test_kb_normalise_names(text: str, normal: str) -> None:
    """Case, accents, dots, hyphens and possessives do not matter."""
    assert normalise(text) == normal


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        ('{"id": "x", "kind": "person"}', ":1:name", "is required"),
        ('{"id": "x", "kind": "robot", "name": "X"}', ":1:kind", "is not one of"),
        ('{"id": "x", "kind": "person", "name": "X", "qid": "7747"}', ":1:qid", "not a Wikidata QID"),
        ('{"id": "x", "kind": "person", "name": "X", "country": "ZZZ"}', ":1:country", "ISO 3166"),
        ('{"id": "x", "kind": "person", "name": "X", "sector": "KING"}', ":1:sector", "not a sector code"),
        ('{"id": "x", "kind": "person", "name": "X", "colour": "red"}', ":1:colour", "unknown field"),
        (
            '{"id": "x", "kind": "person", "name": "X", "roles": [{"start": "2001"}]}',
            ":1:roles[0].title",
            "is required",
        ),
        (
            '{"id": "x", "kind": "person", "name": "X", "roles": [{"title": "T", "start": "May 2001"}]}',
            ":1:roles[0].start",
            "not YYYY",
        ),
        (
            (
                '{"id": "x", "kind": "person", "name": "X", '
                '"roles": [{"title": "T", "start": "2005", "end": "2001"}]}'
            ),
            ":1:roles[0].end",
            "before it starts",
        ),
        (
            '{"id": "x", "kind": "person", "name": "X", "aliases": "Y"}',
            ":1:aliases",
            "list of non-empty strings",
        ),
        ('{"id": "x", "kind": "media", "name": "X", "category": "blog"}', ":1:category", "is not one of"),
        ('{"id": "x", "kind": "person", "name": "Ana Ruiz", "surname": "Perez"}', ":1:surname", "one word"),
        ("{not json", ":1:-", "invalid JSON"),
        ('["a list"]', ":1:-", "JSON object"),
    ],
)
def test_kb_malformed_file_reports_file_line_field(
    tmp_path: Path, line: str, where: str, message: str
) -> None:
    """A malformed KB file is rejected naming file:line:field."""
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        read_entries(path)
    assert raised.value.code == "NL400"
    assert raised.value.where == f"{path}{where}"
    assert message in raised.value.message


def test_kb_malformed_file_reports_every_problem(tmp_path: Path) -> None:
    """All problems of a file are listed, with their lines; duplicates are caught."""
    path = tmp_path / "bad.jsonl"
    lines = [
        "# comment",
        '{"id": "a", "kind": "person", "name": "A"}',
        "",
        '{"id": "a", "kind": "person", "name": "B"}',
        '{"id": "c", "kind": "person"}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        read_entries(path)
    assert raised.value.where == f"{path}:4:id"
    assert f"{path}:5:name" in raised.value.message


def test_kb_malformed_agents_file_reports_file_line_field(tmp_path: Path) -> None:
    """The agent lexicon is validated the same way."""
    path = tmp_path / "x.agents.jsonl"
    path.write_text('{"id": "a", "lemma": "spy", "label": "group", "sector": "SPIES"}\n', encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        read_agents(path)
    assert raised.value.where == f"{path}:1:sector"


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("2022", False, dt.date(2022, 1, 1)),
        ("2022", True, dt.date(2022, 12, 31)),
        ("2022-06", True, dt.date(2022, 6, 30)),
        ("2024-02", True, dt.date(2024, 2, 29)),
        ("2022-12", True, dt.date(2022, 12, 31)),
        ("2022-06-05", True, dt.date(2022, 6, 5)),
    ],
)
def test_kb_partial_dates_cover_their_period(text: str, end: bool, day: dt.date) -> None:
    """A year or month bound covers the whole period."""
    assert parse_date(text, end=end) == day


def test_kb_user_files_add_to_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files in $NEWSLEDGER_KB_PATH are loaded after the packaged KB; packaged ids win."""
    entries = [
        {
            "id": "person.ana-perez",
            "kind": "person",
            "name": "Ana Perez",
            "country": "PER",
            "roles": [{"title": "Mayor of Lima", "country": "PER", "sector": "GOV", "start": "2019-01-01"}],
        },
        {"id": "CHN", "kind": "country", "name": "Not China", "country": "PER"},
    ]
    (tmp_path / "mine.jsonl").write_text("\n".join(json.dumps(e) for e in entries) + "\n", encoding="utf-8")
    (tmp_path / "mine.agents.jsonl").write_text(
        '{"id": "x.spook", "lemma": "spook", "label": "group", "sector": "SPY"}\n', encoding="utf-8"
    )
    monkeypatch.setenv(KB_PATH_ENV, str(tmp_path))
    kb = KnowledgeBase.default()
    match = kb.best("Mayor Ana Perez", date=dt.date(2020, 1, 1))
    assert match is not None
    assert (match.role, match.sector) == ("Mayor of Lima", "GOV")
    assert kb.by_key["CHN"].name == "China"
    assert kb.lexicon.groups["spooks"].sector == "SPY"
    assert KnowledgeBase.default() is kb


def test_kb_missing_user_path_is_an_error(tmp_path: Path) -> None:
    """A KB path that does not exist is reported, not ignored."""
    with pytest.raises(DataFileError) as raised:
        KnowledgeBase.load([tmp_path / "nope"])
    assert raised.value.where == str(tmp_path / "nope")


def test_kb_covers_g20_leaders() -> None:
    """Every G20 country has a head of state or government on record in 2000 and in 2024."""
    g20 = set("ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN MEX RUS SAU ZAF KOR TUR GBR USA".split())  # noqa: SIM905
    for day in (dt.date(2000, 6, 1), dt.date(2024, 3, 1)):
        held = {
            role.country
            for e in KB.entries
            for role in e.roles
            if role.active(day)
            and (
                "President" in role.title
                or "Prime Minister" in role.title
                or "Chancellor" in role.title
                or "King" in role.title
                or "Premier" in role.title
            )
        }
        assert g20 <= held, (day, g20 - held)


@pytest.mark.parametrize("name", ["Georgia", "Clinton"])
def test_kb_best_leaves_ambiguous_places_and_surnames_unresolved(name: str) -> None:
    """A US state and a country, or two people with one surname: no code rather than a wrong one."""
    assert len(KB.lookup(name)) > 1
    assert KB.best(name, date=dt.date(2019, 1, 1)) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Netanyahu", "person.benjamin-netanyahu"),
        ("Abiy", "person.abiy-ahmed"),
        ("Sánchez", None),
        ("Ahmed", None),
    ],
)
def test_kb_surname_matches_alone_unless_it_is_common(name: str, key: str | None) -> None:
    """A family name alone finds its person; a common one ("surname": false) or a given name does not."""
    match = KB.best(name, date=dt.date(2019, 1, 1))
    assert (match.key if match else None) == key


@pytest.mark.parametrize(
    ("name", "country", "sector"),
    [
        ("European Community", "IGO", "IGO"),
        ("Hizbollah", "LBN", "REB"),
        ("the Taliban", "AFG", "REB"),
        ("al-Qaeda", "IMG", "REB"),
        ("Kurdistan Workers' Party", "TUR", "REB"),
    ],
)
def test_kb_knows_blocs_and_armed_groups(name: str, country: str, sector: str) -> None:
    """Historic blocs and the best-known non-state armed groups resolve with country and sector."""
    match = KB.best(name)
    assert match is not None
    assert (match.country, match.sector) == (country, sector)

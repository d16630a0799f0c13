"""Event data files: validation errors name file:line:field, and every entry's examples hold."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from conftest import shared_path
from newsledger.analyze.events.coding import ActorCoder, load_sectors, split_code
from newsledger.analyze.events.lexicon import EVENTS_PATH_ENV, data_dir, load_lexicon, read_jsonl
from newsledger.analyze.events.petrarch import CAMEO_VERBS, import_cameo_verbs, parse_cameo_verbs
from newsledger.errors import DataFileError

DATA = data_dir()


def _entries(name: str) -> list[dict[str, object]]:
    return [entry for _, entry in read_jsonl(DATA / name)]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.v1.jsonl")))
def test_events_data_every_entry_has_id_and_examples(name: str) -> None:
    """Every entry of every event data file has an id and at least one example."""
    for entry in _entries(name):
        assert entry.get("id"), entry
        assert isinstance(entry.get("examples"), list), entry["id"]
        assert entry["examples"], entry["id"]


@pytest.fixture(scope="module")
def imported_verbs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PETRARCH's verb dictionary from ../shared, imported into a temporary folder."""
    out = tmp_path_factory.mktemp("verbs")
    import_cameo_verbs(shared_path("kb", "phoenix", "CAMEO.2.0.txt"), out)
    return out


def test_events_data_cameo_verb_examples(imported_verbs: Path) -> None:
    """Each imported PETRARCH verb block's example pattern gives its CAMEO code's PLOVER type."""
    lexicon = load_lexicon(extra=(imported_verbs,))
    wrong = []
    for _, entry in read_jsonl(imported_verbs / CAMEO_VERBS):
        for example in entry["examples"]:
            got = lexicon.cameo_match(example["lemma"], example["particle"], [], list(example["context"]))
            if got is None or lexicon.plover_of(got) != lexicon.plover_of(example["cameo"]):
                wrong.append((entry["id"], example, got))
    assert not wrong, wrong[:10]


def test_events_data_without_import_has_no_cameo_verbs() -> None:
    """The packaged lexicon holds only hand-written verbs: no third-party dictionary is shipped."""
    lexicon = load_lexicon(extra=())
    assert not lexicon.cameo_verbs
    assert not lexicon.synsets


def test_events_data_events_path_env(imported_verbs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """$NEWSLEDGER_EVENTS_PATH adds the imported verb dictionary to the default lexicon."""
    monkeypatch.setenv(EVENTS_PATH_ENV, str(imported_verbs))
    assert load_lexicon().cameo_match("attack", None, [], []) is not None


def test_events_data_events_path_missing_dir(tmp_path: Path) -> None:
    """A configured verb directory that does not exist is a DataFileError naming it."""
    with pytest.raises(DataFileError) as caught:
        load_lexicon(extra=(tmp_path / "absent",))
    assert caught.value.where == str(tmp_path / "absent")


def test_events_data_parse_cameo_verbs_block() -> None:
    """A hand-made dictionary fragment gives a verb block with its pattern and a synonym set."""
    text = "&WEAPON\n+GUN\n+ROCKET_LAUNCHER\n\nVERB PATTERNS\n--- SEND [070] ---\nSEND\n- * TROOPS [150]\n"
    blocks, synsets = parse_cameo_verbs(text)
    assert blocks[0]["verbs"] == [{"lemma": "send", "particle": None, "cameo": None}]
    assert blocks[0]["patterns"] == [{"pre": [], "post": ["troops"], "cameo": "150"}]
    assert synsets[0]["words"] == ["gun", "rocket launcher"]


def test_events_data_import_cameo_verbs_rejects_other_file(tmp_path: Path) -> None:
    """A file with no verb blocks is refused with a DataFileError naming it."""
    source = tmp_path / "notes.txt"
    source.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no verb blocks"):
        import_cameo_verbs(source, tmp_path / "out")


def test_events_data_plover_mapping_examples() -> None:
    """Each CAMEO code maps to its PLOVER type (longest mapped prefix)."""
    lexicon = load_lexicon()
    for entry in _entries("cameo_plover.v1.jsonl"):
        for example in entry["examples"]:  # type: ignore[attr-defined]
            mapped = lexicon.plover_of(example["cameo"])
            assert mapped is not None
            assert mapped.type == example["type"]


def _cameo2plover() -> dict[str, str]:
    """CAMEO code -> PLOVER type of PLOVER's own table (read from ../shared, never copied)."""
    table: dict[str, str] = {}
    path = shared_path("gold", "plover", "CAMEO2PLOVER-2021.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"(\d{2,4}):\s*([A-Z]+)", line):
            table.setdefault(match[1], match[2])  # root 08 is listed twice: CONCEDE first
    return table


def test_events_data_plover_table_matches_cameo2plover() -> None:
    """Every code of PLOVER's CAMEO2PLOVER table maps to the same type in ours."""
    lexicon = load_lexicon()
    differing = {
        code: (kind, mapped.type if mapped else None)
        for code, kind in _cameo2plover().items()
        if (mapped := lexicon.plover_of(code)) is None or mapped.type != kind
    }
    assert differing == {}


@pytest.mark.parametrize(
    ("code", "expected"), [("CHNGOV", ("CHN", "GOV")), ("IGOUNO", ("IGO", None)), ("RUS", ("RUS", None))]
)
def test_events_data_split_code(code: str, expected: tuple[str | None, str | None]) -> None:
    """CAMEO actor codes split into country and sector; IGO codes have no sector."""
    assert split_code(code) == expected


@pytest.mark.parametrize(
    "entry", [e for _, e in read_jsonl(DATA / "sectors.v1.jsonl")], ids=lambda e: str(e["id"])
)
def test_events_data_sector_examples(entry: dict[str, object]) -> None:
    """Each hand-written sector noun heads its example phrase and gives its sector."""
    sectors = load_sectors()
    for example in entry["examples"]:  # type: ignore[attr-defined]
        assert sectors[str(example["phrase"]).split(" ", 1)[1]] == example["sector"]


def test_events_data_coder_uses_user_kb(tmp_path: Path) -> None:
    """KB files given to the coder (as imported by kb import-phoenix) are used for actor coding."""
    kb = tmp_path / "kb"
    kb.mkdir()
    line = {
        "id": "actor.zorbia-front",
        "kind": "organisation",
        "name": "Zorbia Front",
        "country": "UKR",
        "sector": "REB",
        "examples": ["Zorbia Front"],
    }
    (kb / "zorbia.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    coder = ActorCoder(kb_paths=[kb])
    assert coder.kb is not None
    match = coder.kb.best("Zorbia Front")
    assert match is not None
    assert match.country == "UKR"


def _copy_with(tmp_path: Path, name: str, line: dict[str, object]) -> Path:
    folder = tmp_path / "events"
    shutil.copytree(DATA, folder)
    with open(folder / name, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
    return folder


@pytest.mark.parametrize(
    ("name", "entry", "field"),
    [
        ("verbs.v1.jsonl", {"id": "x", "lemma": "x", "type": "FIGHT", "examples": [{}]}, "type"),
        ("verbs.v1.jsonl", {"id": "x", "lemma": "x", "examples": [{}]}, "type"),
        ("verbs.v1.jsonl", {"id": "x", "lemma": "x", "frame": "maybe", "examples": [{}]}, "frame"),
        (
            "verbs.v1.jsonl",
            {"id": "x", "lemma": "x", "type": "AID", "cameo": "7x", "examples": [{}]},
            "cameo",
        ),
        (
            "verbs.v1.jsonl",
            {"id": "x", "lemma": "x", "type": "AID", "prep_objects": ["strike"], "examples": [{}]},
            "prep_objects",
        ),
        (
            "verbs.v1.jsonl",
            {"id": "x", "lemma": "x", "type": "AID", "acts_on": "thing", "examples": [{}]},
            "acts_on",
        ),
        (
            "verbs.v1.jsonl",
            {"id": "x", "lemma": "x", "type": "AID", "by": "thing", "examples": [{}]},
            "by",
        ),
        (
            "verbs.v1.jsonl",
            {"id": "x", "lemma": "x", "type": "CONSULT", "reciprocal": "yes", "examples": [{}]},
            "reciprocal",
        ),
        (
            "nouns.v1.jsonl",
            {"id": "x", "lemma": "x", "type": "CONSULT", "reciprocal": 1, "examples": [{}]},
            "reciprocal",
        ),
        ("party_nouns.v1.jsonl", {"id": "x", "lemma": "x"}, "examples"),
        ("nouns.v1.jsonl", {"id": "x", "lemma": "x", "type": "AID", "examples": []}, "examples"),
        (
            "known_events.v1.jsonl",
            {"id": "x", "type": "ASSAULT", "source": {"country": "Russia"}, "examples": [{}]},
            "source.country",
        ),
        (
            "known_events.v1.jsonl",
            {"id": "x", "type": "ASSAULT", "target": {"country": "UKR", "sector": "army"}, "examples": [{}]},
            "target.sector",
        ),
    ],
    ids=[
        "unknown-type",
        "no-type-or-frame",
        "unknown-frame",
        "bad-cameo",
        "prep-objects-without-prep",
        "unknown-object-kind",
        "unknown-subject-kind",
        "reciprocal-not-a-flag",
        "noun-reciprocal-not-a-flag",
        "party-noun-without-examples",
        "no-examples",
        "known-bad-country",
        "known-bad-sector",
    ],
)
def test_events_data_errors_name_file_line_field(
    tmp_path: Path, name: str, entry: dict[str, object], field: str
) -> None:
    """A bad entry raises DataFileError whose location is file:line:field."""
    folder = _copy_with(tmp_path, name, entry)
    lines = (folder / name).read_text(encoding="utf-8").count("\n")
    with pytest.raises(DataFileError) as caught:
        load_lexicon(folder, extra=())
    assert caught.value.where == f"{folder / name}:{lines}:{field}"


def test_events_data_invalid_json_is_reported(tmp_path: Path) -> None:
    """A line that is not JSON is reported with its line number."""
    folder = tmp_path / "events"
    shutil.copytree(DATA, folder)
    with open(folder / "nouns.v1.jsonl", "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    with pytest.raises(DataFileError, match="invalid JSON"):
        load_lexicon(folder, extra=())


def test_events_data_verb_objects_match_their_lemmas(nlp: Language) -> None:
    """A verb entry's objects are matched by lemma, so a plural the model lemmatises to another word
    ("hostilities" -> "hostility") needs that word listed too, or it never matches."""
    words = sorted(
        {
            word
            for entry in _entries("verbs.v1.jsonl")
            for key in ("objects", "prep_objects")
            for word in entry.get(key, [])  # type: ignore[attr-defined]
            if word.isalpha()
        }
    )
    docs = nlp.pipe(f"They discussed the {word} yesterday." for word in words)
    lemmas = {word: doc[3].lemma_.lower() for word, doc in zip(words, docs, strict=True)}
    dead = [
        (entry["id"], word, lemmas[word])
        for entry in _entries("verbs.v1.jsonl")
        for key in ("objects", "prep_objects")
        for word in entry.get(key, [])  # type: ignore[attr-defined]
        if word in lemmas and lemmas[word] not in entry[key]  # type: ignore[operator]
    ]
    assert not dead, dead

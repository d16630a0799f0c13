"""The attribution lexicons: validation errors and every entry's examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.attributions.extract import ActorIndex, certainty, channel_markers, classify_source
from newsledger.analyze.attributions.lexicon import Entry, default_lexicon, load_lexicon
from newsledger.errors import DataFileError
from newsledger.model import SourceType

LEXICON = default_lexicon()

NOUN_TYPES = {
    "media_noun": {SourceType.MEDIA},
    "org_noun": {SourceType.ANONYMOUS_GROUP, SourceType.NAMED_ORGANISATION},
    "document_noun": {SourceType.DOCUMENT},
    "group_noun": {SourceType.ANONYMOUS_GROUP},
    "unspecified_noun": {SourceType.UNSPECIFIED},
    "person_noun": {SourceType.ANONYMOUS_INDIVIDUAL, SourceType.ANONYMOUS_GROUP},
}


def _marked(blank_nlp: Language, example: str) -> tuple[Doc, int, int]:
    """The example as a Doc and the token span of its [bracketed] words."""
    before, rest = example.split("[", 1)
    marked, after = rest.split("]", 1)
    doc = blank_nlp(before + marked + after)
    start = next(t.i for t in doc if t.idx >= len(before))
    end = next((t.i for t in doc if t.idx >= len(before) + len(marked)), len(doc))
    return doc, start, end


def _examples(file: str) -> list[tuple[str, Entry, str]]:
    return [(e.id, e, x) for name, _, e in LEXICON.entries if name == file for x in e.examples]


@pytest.mark.parametrize(("entry_id", "entry", "example"), _examples("cues.v1.jsonl"))
def test_cue_entry_examples_get_their_certainty(
    blank_nlp: Language, entry_id: str, entry: Entry, example: str
) -> None:
    """Each cue example's marked word yields the entry's certainty class."""
    doc, start, end = _marked(blank_nlp, example)
    assert certainty(doc, (start, end), LEXICON).value == entry.label, entry_id


@pytest.mark.parametrize(("entry_id", "entry", "example"), _examples("source_nouns.v1.jsonl"))
def test_source_noun_examples_get_their_source_type(
    blank_nlp: Language, entry_id: str, entry: Entry, example: str
) -> None:
    """Each source-noun example's marked word is typed as its label says."""
    doc, start, end = _marked(blank_nlp, example)
    referent = classify_source(doc, start, end, LEXICON, ActorIndex.of(None))
    assert referent.type in NOUN_TYPES[entry.label], entry_id


@pytest.mark.parametrize(("entry_id", "entry", "example"), _examples("media_outlets.v1.jsonl"))
def test_outlet_examples_are_media(blank_nlp: Language, entry_id: str, entry: Entry, example: str) -> None:
    """Each outlet example's marked name is a media source."""
    doc, start, end = _marked(blank_nlp, example)
    assert classify_source(doc, start, end, LEXICON, ActorIndex.of(None)).type is SourceType.MEDIA, entry_id


@pytest.mark.parametrize(("entry_id", "entry", "example"), _examples("channels.v1.jsonl"))
def test_channel_examples_find_their_marker(
    blank_nlp: Language, entry_id: str, entry: Entry, example: str
) -> None:
    """Each channel example's marked words carry the entry's channel."""
    doc, start, end = _marked(blank_nlp, example)
    assert entry.label in channel_markers([t.lower_ for t in doc[start:end]], LEXICON), entry_id


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"label": "asserted", "forms": ["say"], "examples": ["[say]"]}, "id"),
        ({"id": "x", "label": "sure", "forms": ["say"], "examples": ["[say]"]}, "label"),
        ({"id": "x", "label": "asserted", "forms": [], "examples": ["[say]"]}, "forms"),
        ({"id": "x", "label": "asserted", "forms": ["say"], "examples": ["no marks"]}, "examples"),
        ({"id": "x", "label": "asserted", "forms": ["say"], "examples": ["[say]"], "relays": "no"}, "relays"),
        (
            {"id": "x", "label": "asserted", "forms": ["say"], "examples": ["[say]"], "names_antecedent": 1},
            "names_antecedent",
        ),
    ],
)
def test_lexicon_bad_entry_is_reported_with_file_line_field(
    tmp_path: Path, row: dict[str, object], field: str
) -> None:
    """An invalid entry raises DataFileError naming file:line:field."""
    source = Path(__file__).resolve().parents[2] / "src" / "newsledger" / "data" / "attribution"
    for name in ("source_nouns.v1.jsonl", "media_outlets.v1.jsonl", "channels.v1.jsonl"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    good = {"id": "ok", "label": "asserted", "forms": ["say"], "examples": ["[say]"]}
    (tmp_path / "cues.v1.jsonl").write_text(
        json.dumps(good) + "\n" + json.dumps(row) + "\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError) as error:
        load_lexicon(tmp_path)
    assert error.value.where == f"cues.v1.jsonl:2:{field}"

"""Event coding on the gold sets in ../shared/gold, with pinned floors, plus the lexicon examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from conftest import shared_path
from newsledger.analyze.events.lexicon import data_dir, read_jsonl
from newsledger.analyze.pipeline import analyze_article, build_pipeline
from newsledger.eval.events import (
    evaluate,
    imported_petrarch,
    read_conll,
    read_gsr,
    read_petrarch,
    read_quad,
    score_conll,
    score_gsr,
    score_petrarch,
    score_quad,
    split_conll,
    token_doc,
)
from newsledger.model import Article, EventMode

# Floors a little under the figures measured on 2026-11-29, fourth round (docs/events.md): a regression
# fails. The shipped default: hand-written lexicons and the packaged KB only. The held-out source F1
# floor stays a little under the third round's 0.684 (second round 0.694). CAMEO 01 statements
# ("rejected accusations"), whose speakers the ConfliBERT gold annotates, are STATEMENT events since
# the thirteenth round (held-out fifth 0.796 / 0.584).
# Sectors (ninth round, sector nouns and leaders): 0.597 / 0.458.
GSR_FLOORS = {
    "type_accuracy": 0.84,
    "source_country_accuracy": 0.82,
    "target_country_accuracy": 0.82,
    "source_sector_accuracy": 0.58,
    "target_sector_accuracy": 0.43,
}
# ConfliBERT held-out fifth, argument tagger with its decoding biases (thirteenth round): 0.796 / 0.584;
# each gold sentence one Doc sentence (twenty-first session): 0.799 / 0.604; the shared encoder pruned
# to 512 feed-forward units (twenty-second session): 0.805 / 0.586; adjective statements, whole names and
# things that give way to tagged parties (twenty-third session): 0.815 / 0.593; tagged sources first:
# 0.833 / 0.593; the learned target chooser and four lexicon entries (twenty-fourth session): 0.839 / 0.618;
# conjoined targets as events of their own, each scored (twenty-sixth session): 0.843 / 0.628; parties
# acting both ways: 0.845 / 0.632; drawn whole, the chooser trained on whole parties: 0.840 / 0.653 (a
# fresh install with spaCy 3.8.18 and onnxruntime 1.32, where the step before gives 0.840 / 0.627); the
# same code gave 0.845 / 0.658 on the next session's machine, as did its appositions, meetings coded both
# ways and parties joined inside the target, and conjoined sources 0.850 / 0.658 (twenty-seventh session;
# out-of-fold 0.875 / 0.643 -> 0.882 / 0.658).
CONLL_FLOORS = {"source_f1": 0.82, "target_f1": 0.64}
QUAD_FLOOR = 0.77
# PETRARCH-2 validation: root 0.513, source country match 0.600 with meetings coded both ways and
# conjoined sources (twenty-seventh session; 0.563 before).
PETR_FLOORS = {"event_code_root": 0.5, "source_country_match": 0.55}
# With the PETRARCH/Phoenix dictionaries of ../shared imported at test time (never shipped); target
# country 0.793, then 0.786 with the 512-unit shared encoder (one record of 145, twenty-second session).
IMPORTED_GSR_FLOORS = {
    "type_accuracy": 0.86,
    "source_country_accuracy": 0.83,
    "target_country_accuracy": 0.78,
}
IMPORTED_PETR_FLOORS = {"event_code_root": 0.7, "source_country_match": 0.57}


@pytest.fixture(scope="module")
def imported_nlp() -> Language:
    """The full pipeline with ../shared/kb/phoenix imported into a temporary folder first (the
    components read the imported files when built, so the folder may go afterwards)."""
    with imported_petrarch(shared_path("kb", "phoenix")):
        return build_pipeline()


def _examples(name: str) -> list[Any]:
    return [
        pytest.param(entry, example, id=f"{entry['id']}-{n}")
        for _, entry in read_jsonl(data_dir() / name)
        for n, example in enumerate(entry["examples"])
    ]


@pytest.mark.parametrize(("entry", "example"), _examples("verbs.v1.jsonl") + _examples("nouns.v1.jsonl"))
def test_events_lexicon_example(nlp: Language, entry: dict[str, Any], example: dict[str, Any]) -> None:
    """Each hand-written lexicon entry codes its example sentence with the expected type (and mode)."""
    doc = nlp(example["text"])
    if example["type"] is None:  # a statement frame: no event at its trigger, nor for what it governs
        assert not [e for e in doc._.events if e.trigger.text == example["trigger"]], doc._.events
        return
    found = [e for e in doc._.events if e.type == example["type"]]
    assert found, [(e.type, e.trigger.text) for e in doc._.events]
    if "mode" in example:
        assert EventMode(example["mode"]) in {e.mode for e in found}


@pytest.mark.parametrize(
    ("entry", "example"),
    [
        pytest.param(entry, example, id=f"{entry['id']}-{n}")
        for _, entry in read_jsonl(data_dir() / "known_events.v1.jsonl")
        for n, example in enumerate(entry["examples"])
    ],
)
def test_events_known_event_example(nlp: Language, entry: dict[str, Any], example: dict[str, Any]) -> None:
    """Each known reference event's example names it: the event gets its type, date and parties."""
    article = Article(id="known", text=example["text"], published=dt.date.fromisoformat(example["published"]))
    analysis = analyze_article(nlp, article)
    found = [e for e in analysis.events if e.trigger.text == example["trigger"]]
    assert found, [(e.type, e.trigger.text) for e in analysis.events]
    event = found[0]
    assert event.type == entry["type"]
    assert event.date is not None
    assert not event.date.from_publication
    assert event.source is not None
    assert event.source.country == entry["source"]["country"]
    assert event.target is not None
    assert event.target.country == entry["target"]["country"]


def test_events_gsr_dev_floors(nlp: Language) -> None:
    """PLOVER GSR dev: event type and source/target country accuracy stay above their floors."""
    result = score_gsr(nlp, read_gsr(shared_path("gold", "plover", "gsr-dev.jsonl")))
    for name, floor in GSR_FLOORS.items():
        assert result[name] >= floor, (name, result[name])


def test_events_confilbert_span_floors(nlp: Language) -> None:
    """ConfliBERT: source and target span F1 on the held-out fifth stay above their floors."""
    _, held = split_conll(read_conll(shared_path("gold", "confilbert-cameo", "train.txt")))
    result = score_conll(nlp, held)
    for name, floor in CONLL_FLOORS.items():
        assert result[name] >= floor, (name, result[name])


def test_events_evaluate_conll_reports_each_part(nlp: Language, tmp_path: Path) -> None:
    """A ConfliBERT file's report scores the whole file, the tuning four fifths and the held-out fifth."""
    sentence = "Rebels O\nattacked O\nthe B-T\narmy I-T\n. O\n\n"
    gold = tmp_path / "train.txt"
    gold.write_text(sentence * 10, encoding="utf-8")
    report = evaluate(gold, nlp=nlp)
    assert [report[part]["sentences"] for part in ("all", "tuning", "held_out")] == [10, 8, 2]


def test_events_score_conll_counts_each_conjoined_target(nlp: Language, tmp_path: Path) -> None:
    """Every target of the main event's trigger is a prediction: both gold targets of "sanctions on
    Libya and Iraq" are found, and nothing else is predicted."""
    tags = "The B-S|United I-S|States I-S|imposed O|sanctions O|on O|Libya B-T|and O|Iraq B-T|. O"
    (tmp_path / "gold.txt").write_text(tags.replace("|", "\n") + "\n\n", encoding="utf-8")
    result = score_conll(nlp, read_conll(tmp_path / "gold.txt"))
    assert (result["target_precision"], result["target_recall"], result["source_f1"]) == (1.0, 1.0, 1.0)


def test_events_conll_gold_sentence_stays_one_sentence(nlp: Language) -> None:
    """A CoNLL sentence's spaced-apart abbreviations ("Mr . Erdogan") do not end it early."""
    tokens = [
        "Germany",
        "rejected",
        "a",
        "request",
        "by",
        "Mr",
        ".",
        "Erdogan",
        "to",
        "hold",
        "a",
        "rally",
        ".",
    ]
    doc = nlp(token_doc(nlp, tokens))
    assert len(list(doc.sents)) == 1
    assert [t.text for t in doc] == tokens


def test_events_confilbert_quad_floor(nlp: Language) -> None:
    """ConfliBERT: quad class accuracy stays above its floor."""
    result = score_quad(nlp, read_quad(shared_path("gold", "confilbert-cameo", "train.tsv")))
    assert result["quad_accuracy"] >= QUAD_FLOOR


def test_events_petrarch_validation_floors(nlp: Language) -> None:
    """PETRARCH-2 validation: CAMEO root and source country matches stay above their floors."""
    result = score_petrarch(nlp, read_petrarch(shared_path("gold", "petrarch", "PETR2_GSR_validation.xml")))
    for name, floor in PETR_FLOORS.items():
        assert result[name] >= floor, (name, result[name])


def test_events_gsr_dev_floors_with_imported_dictionaries(imported_nlp: Language) -> None:
    """PLOVER GSR dev with the imported PETRARCH/Phoenix dictionaries stays above its floors."""
    result = score_gsr(imported_nlp, read_gsr(shared_path("gold", "plover", "gsr-dev.jsonl")))
    for name, floor in IMPORTED_GSR_FLOORS.items():
        assert result[name] >= floor, (name, result[name])


def test_events_petrarch_validation_floors_with_imported_dictionaries(imported_nlp: Language) -> None:
    """PETRARCH-2 validation with the imported dictionaries stays above its floors."""
    result = score_petrarch(
        imported_nlp, read_petrarch(shared_path("gold", "petrarch", "PETR2_GSR_validation.xml"))
    )
    for name, floor in IMPORTED_PETR_FLOORS.items():
        assert result[name] >= floor, (name, result[name])


def test_events_seed_article(nlp: Language) -> None:
    """The seed article yields the Putin-Xi consultation and Le Yucheng's demotion with coded actors."""
    path = shared_path("corpus", "seed", "000_86870e30135a20ec.txt")
    article = Article(id="seed", text=path.read_text(encoding="utf-8"), published=dt.date(2023, 1, 10))
    events = analyze_article(nlp, article).events
    consult = [
        e
        for e in events
        if e.type == "CONSULT"
        and e.source
        and e.target
        and (e.source.code, e.target.code) == ("RUSGOV", "CHNGOV")
    ]
    assert consult
    demotion = [e for e in events if e.type == "COERCE" and e.target and "Le Yucheng" in e.target.span.text]
    assert demotion
    assert all(e.date is not None for e in events)

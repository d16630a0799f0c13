"""Event-coding scorers against the gold formats in ../shared/gold.

- PLOVER GSR (``plover/gsr-dev.jsonl``): event type accuracy (older names mapped to current PLOVER),
  source/target country and sector accuracy.
- ConfliBERT CAMEO (``confilbert-cameo/train.txt``): exact source/target span F1 (CoNLL tags; a
  reciprocal ``R`` span counts as gold for both roles); ``train.tsv``: 5-way quad class accuracy.
- PETRARCH-2 validation (``petrarch/PETR2_GSR_validation.xml``): event code, source and target code match.

Every scorer codes one "main" event a sentence (:func:`main_event`) and runs ``nlp.pipe`` over the
sentences, so a whole gold set takes seconds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.errors import GoldDataError
from newsledger.model import Event

#: GSR records use PLOVER's older names; INVESTIGATE became a mode of ACCUSE (CAMEO 09).
OLD_PLOVER_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
#: Typos for ISO codes in the GSR gold.
GOLD_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA"}
#: Quad classes of the ConfliBERT data by CAMEO root.
QUAD_OF_ROOT = {
    **dict.fromkeys(("01", "02"), 0),
    **dict.fromkeys(("03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13"), 3),
    **dict.fromkeys(("14", "15", "16", "17", "18", "19", "20"), 4),
}
QUAD_OF_TYPE = {
    **dict.fromkeys(("CONSULT", "AGREE", "SUPPORT"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT", "CONCEDE"), 2),
    **dict.fromkeys(("ACCUSE", "REQUEST", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}


# --- choosing the event a one-event gold sentence is about -------------------------------------------


def main_event(events: Sequence[Event], doc: Doc | None = None, hint: str = "") -> Event | None:
    """The event a sentence is about: one whose trigger is named in ``hint``, else the most complete
    and highest in the parse (closest to the root), else the first."""
    if not events:
        return None
    words = {w.lower()[:4] for w in re.findall(r"\w+", hint)}

    def rank(pair: tuple[int, Event]) -> tuple[int, int, int, int]:
        index, event = pair
        named = 0 if event.trigger.text.lower()[:4] in words else 1
        complete = -((event.source is not None) + (event.target is not None))
        depth = 0
        if doc is not None:
            token = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
            if token is not None and len(token):
                depth = sum(1 for _ in token[0].ancestors)
        return named, depth, complete, index

    return min(enumerate(events), key=rank)[1]


def main_parties(doc: Doc) -> tuple[Event | None, dict[str, list[tuple[int, int]]]]:
    """The main event of a one-event gold sentence and the distinct token spans of each role among
    the events that share its trigger (conjoined parties are events of their own)."""
    events = doc._.events or ()
    event = main_event(events, doc)
    spans: dict[str, list[tuple[int, int]]] = {"source": [], "target": []}
    for other in events:
        if event is None or other.trigger != event.trigger:
            continue
        for role, found in spans.items():
            actor = getattr(other, role)
            span = _token_span(doc, actor.span.start, actor.span.end) if actor else None
            if span is not None and span not in found:
                found.append(span)
    return event, spans


def _pipe(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    return nlp.pipe(texts, batch_size=64)


# --- PLOVER GSR --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class GoldActor:
    text: str
    country: str | None
    sector: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class GsrRecord:
    id: str
    text: str
    type: str
    event_text: str
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]


def _gold_actors(raw: Any) -> tuple[GoldActor, ...]:
    if not isinstance(raw, list):  # a few records give a bare string: no coded actor
        return ()
    actors = []
    for item in raw:
        code = item.get("code")
        code = GOLD_CODE_FIXES.get(code, code)
        actors.append(GoldActor(item.get("actorText", ""), code, (item.get("sector") or None)))
    return tuple(actors)


def read_gsr(path: Path) -> list[GsrRecord]:
    """PLOVER gold-standard records (JSON lines)."""
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                kind = raw["event"]
                records.append(
                    GsrRecord(
                        id=raw.get("id", f"{path.name}:{number}"),
                        text=raw["text"],
                        type=OLD_PLOVER_NAMES.get(kind, kind),
                        event_text=raw.get("eventText", ""),
                        sources=_gold_actors(raw.get("source")),
                        targets=_gold_actors(raw.get("target")),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                raise GoldDataError(
                    f"not a PLOVER GSR record: {error}",
                    where=f"{path}:{number}",
                    hint="expected JSON lines with text, event, source, target",
                ) from error
    return records


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def score_gsr(nlp: Language, records: Sequence[GsrRecord]) -> dict[str, Any]:
    """Type accuracy and source/target country and sector accuracy over the records."""
    counts = dict.fromkeys(
        (
            "type",
            "source_country",
            "target_country",
            "source_sector",
            "target_sector",
            "targets",
            "source_sectors",
            "target_sectors",
        ),
        0,
    )
    confusion: dict[str, dict[str, int]] = {}
    for record, doc in zip(records, _pipe(nlp, (r.text for r in records)), strict=True):
        event = main_event(doc._.events or (), doc, record.event_text)
        predicted = event.type if event else "NONE"
        counts["type"] += predicted == record.type
        confusion.setdefault(record.type, {}).setdefault(predicted, 0)
        confusion[record.type][predicted] += 1
        source = event.source if event else None
        target = event.target if event else None
        counts["source_country"] += bool(source and source.country in {a.country for a in record.sources})
        if record.targets:
            counts["targets"] += 1
            counts["target_country"] += bool(target and target.country in {a.country for a in record.targets})
        for role, gold, actor in (("source", record.sources, source), ("target", record.targets, target)):
            sectors = {a.sector[:3] for a in gold if a.sector}
            if sectors:
                counts[f"{role}_sectors"] += 1
                counts[f"{role}_sector"] += bool(actor and actor.sector and actor.sector[:3] in sectors)
    total = len(records)
    return {
        "records": total,
        "type_accuracy": _ratio(counts["type"], total),
        "source_country_accuracy": _ratio(counts["source_country"], total),
        "target_country_accuracy": _ratio(counts["target_country"], counts["targets"]),
        "source_sector_accuracy": _ratio(counts["source_sector"], counts["source_sectors"]),
        "target_sector_accuracy": _ratio(counts["target_sector"], counts["target_sectors"]),
        "confusion": confusion,
    }


# --- ConfliBERT --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class TaggedSentence:
    tokens: tuple[str, ...]
    sources: frozenset[tuple[int, int]]  # token spans [start, end)
    targets: frozenset[tuple[int, int]]


def _spans(tags: Sequence[str], roles: set[str]) -> frozenset[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, tag in enumerate([*tags, "O"]):
        role = tag[2:] if len(tag) > 2 else ""
        if start is not None and not (tag.startswith("I-") and role in roles):
            spans.append((start, i))
            start = None
        if tag.startswith("B-") and role in roles:
            start = i
    return frozenset(spans)


def read_conll(path: Path) -> list[TaggedSentence]:
    """CoNLL token/tag sentences with B-/I- S (source), T (target), R (reciprocal) tags."""
    sentences = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate([*handle, "\n"], 1):
            if not line.strip():
                if tokens:
                    sentences.append(
                        TaggedSentence(tuple(tokens), _spans(tags, {"S", "R"}), _spans(tags, {"T", "R"}))
                    )
                tokens, tags = [], []
                continue
            parts = line.rstrip("\n").rsplit(" ", 1)
            if len(parts) != 2:
                raise GoldDataError("expected 'token tag'", where=f"{path}:{number}")
            tokens.append(parts[0])
            tags.append(parts[1])
    return sentences


def token_doc(nlp: Language, tokens: Sequence[str]) -> Doc:
    """One gold sentence as one Doc sentence: its tokens are spaced apart ("Mr . Erdogan", "U . K ."),
    which would otherwise end the sentence at an abbreviation's full stop."""
    return Doc(nlp.vocab, words=list(tokens), sent_starts=[n == 0 for n in range(len(tokens))])


def _token_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else None


def split_conll(
    sentences: Sequence[TaggedSentence], *, every: int = 5
) -> tuple[list[TaggedSentence], list[TaggedSentence]]:
    """(tuning, held-out): every ``every``-th sentence is held out (a fixed, documented split)."""
    held = [s for i, s in enumerate(sentences) if i % every == every - 1]
    tune = [s for i, s in enumerate(sentences) if i % every != every - 1]
    return tune, held


def score_conll(nlp: Language, sentences: Sequence[TaggedSentence]) -> dict[str, Any]:
    """Exact-match span F1 of the main event's source and target."""
    counts = {role: {"tp": 0, "pred": 0, "gold": 0} for role in ("source", "target")}
    docs = nlp.pipe((token_doc(nlp, s.tokens) for s in sentences), batch_size=64)
    for sentence, doc in zip(sentences, docs, strict=True):
        _, spans = main_parties(doc)
        for role, gold in (("source", sentence.sources), ("target", sentence.targets)):
            counts[role]["gold"] += len(gold)
            counts[role]["pred"] += len(spans[role])
            counts[role]["tp"] += sum(span in gold for span in spans[role])
    result: dict[str, Any] = {"sentences": len(sentences)}
    for role, c in counts.items():
        precision = c["tp"] / c["pred"] if c["pred"] else 0.0
        recall = c["tp"] / c["gold"] if c["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[f"{role}_precision"] = round(precision, 4)
        result[f"{role}_recall"] = round(recall, 4)
        result[f"{role}_f1"] = round(f1, 4)
    return result


def read_quad(path: Path) -> list[tuple[str, int]]:
    """``text<TAB>label`` lines, label 0-4."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            text, _, label = line.rstrip("\n").rpartition("\t")
            if not label.strip().isdigit():
                raise GoldDataError("expected text<TAB>label", where=f"{path}:{number}")
            rows.append((text, int(label)))
    return rows


def quad_class(event: Event | None) -> int:
    """0 neutral, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."""
    if event is None:
        return 0
    if event.cameo and event.cameo[:2] in QUAD_OF_ROOT:
        return QUAD_OF_ROOT[event.cameo[:2]]
    return QUAD_OF_TYPE.get(event.type, 0)


def score_quad(nlp: Language, rows: Sequence[tuple[str, int]]) -> dict[str, Any]:
    hits = 0
    confusion = [[0] * 5 for _ in range(5)]
    for (_, label), doc in zip(rows, _pipe(nlp, (t for t, _ in rows)), strict=True):
        predicted = quad_class(main_event(doc._.events or (), doc))
        hits += predicted == label
        if 0 <= label < 5:
            confusion[label][predicted] += 1
    return {"sentences": len(rows), "quad_accuracy": _ratio(hits, len(rows)), "confusion": confusion}


# --- PETRARCH-2 validation ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class PetrRecord:
    id: str
    text: str
    date: str
    codings: tuple[tuple[str, str, str], ...]  # (event, source, target); empty: no event expected


_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def read_petrarch(path: Path) -> list[PetrRecord]:
    """Sentences and gold codings of a PETRARCH validation file.

    The files are not well-formed XML (comment lines, self-closed ``<Sentence/>`` followed by their
    content), so records are read tag by tag.
    """
    raw = path.read_text(encoding="utf-8")
    records = []
    for match in _SENTENCE.finditer(raw):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        body = match.group(2)
        text = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if text is None:
            continue
        codings = []
        for coding in re.findall(r"<EventCoding\b([^>]*)>", body):
            fields = dict(_ATTRIBUTE.findall(coding))
            if fields.get("eventcode"):
                codings.append(
                    (fields["eventcode"], fields.get("sourcecode", ""), fields.get("targetcode", ""))
                )
        records.append(
            PetrRecord(
                attributes.get("id", ""),
                " ".join(text.group(1).split()),
                attributes.get("date", ""),
                tuple(codings),
            )
        )
    if not records:
        raise GoldDataError(
            "no <Sentence> records with <Text> found",
            where=str(path),
            hint="expected a PETRARCH validation XML file",
        )
    return records


def _dated_doc(nlp: Language, record: PetrRecord) -> Doc:
    """The sentence with its story date, so that actors get the role they held then."""
    doc = nlp.make_doc(record.text)
    try:
        doc._.published = dt.datetime.strptime(record.date, "%Y%m%d").date()
    except ValueError:
        doc._.published = None
    return doc


def _code_match(predicted: str | None, gold: str) -> bool:
    return bool(predicted) and bool(gold) and (predicted == gold or (predicted or "")[:3] == gold[:3])


def score_petrarch(nlp: Language, records: Sequence[PetrRecord]) -> dict[str, Any]:
    """Per gold coding: is there a predicted event with the same CAMEO code (exact / root), and do the
    source and target codes match (country level; full code in ``*_exact``)."""
    counts = dict.fromkeys(
        (
            "codings",
            "event_exact",
            "event_root",
            "source",
            "target",
            "source_exact",
            "target_exact",
            "no_event",
            "no_event_right",
        ),
        0,
    )
    for record, doc in zip(records, nlp.pipe(_dated_doc(nlp, r) for r in records), strict=True):
        events = list(doc._.events or ())
        if not record.codings:
            counts["no_event"] += 1
            counts["no_event_right"] += not events
            continue
        for code, source, target in record.codings:
            counts["codings"] += 1
            best = max(
                events,
                default=None,
                key=lambda e: (
                    (e.cameo or "")[:2] == code[:2],
                    _code_match(e.source.code if e.source else None, source),
                    _code_match(e.target.code if e.target else None, target),
                ),
            )
            if best is None:
                continue
            counts["event_exact"] += best.cameo == code
            counts["event_root"] += (best.cameo or "")[:2] == code[:2]
            source_code = best.source.code if best.source else None
            target_code = best.target.code if best.target else None
            counts["source"] += _code_match(source_code, source)
            counts["target"] += _code_match(target_code, target)
            counts["source_exact"] += source_code == source
            counts["target_exact"] += target_code == target
    n = counts["codings"]
    return {
        "sentences": len(records),
        "codings": n,
        "event_code_exact": _ratio(counts["event_exact"], n),
        "event_code_root": _ratio(counts["event_root"], n),
        "source_country_match": _ratio(counts["source"], n),
        "target_country_match": _ratio(counts["target"], n),
        "source_code_exact": _ratio(counts["source_exact"], n),
        "target_code_exact": _ratio(counts["target_exact"], n),
        "no_event_sentences_right": _ratio(counts["no_event_right"], counts["no_event"]),
    }


# --- one entry point for the CLI ---------------------------------------------------------------------


def evaluate(path: Path, *, nlp: Language | None = None) -> dict[str, Any]:
    """Score event coding on a gold file or folder, picking the scorer from its format."""
    if nlp is None:
        from newsledger.analyze.pipeline import build_pipeline

        nlp = build_pipeline()
    path = Path(path)
    if path.is_dir():
        results: dict[str, Any] = {}
        for name in ("train.txt", "train.tsv", "gsr-dev.jsonl", "PETR2_GSR_validation.xml"):
            if (path / name).exists():
                results[name] = evaluate(path / name, nlp=nlp)
        if not results:
            raise GoldDataError(
                "no event gold file found",
                where=str(path),
                hint="pass gsr-dev.jsonl, a confilbert-cameo folder or a PETRARCH XML file",
            )
        return results
    if not path.exists():
        raise GoldDataError(
            "gold file not found", where=str(path), hint="check the path (../shared/gold/...)"
        )
    if path.suffix == ".jsonl":
        return {"gold": str(path), **score_gsr(nlp, read_gsr(path))}
    if path.suffix == ".xml":
        return {"gold": str(path), **score_petrarch(nlp, read_petrarch(path))}
    if path.suffix == ".tsv":
        return {"gold": str(path), **score_quad(nlp, read_quad(path))}
    if path.suffix == ".txt":
        sentences = read_conll(path)
        tune, held = split_conll(sentences)
        return {
            "gold": str(path),
            "all": score_conll(nlp, sentences),
            "tuning": score_conll(nlp, tune),
            "held_out": score_conll(nlp, held),
        }
    raise GoldDataError(
        f"unknown gold format {path.suffix!r}",
        where=str(path),
        hint="expected .jsonl (PLOVER GSR), .txt/.tsv (ConfliBERT) or .xml (PETRARCH)",
    )


@contextlib.contextmanager
def imported_petrarch(source: Path) -> Iterator[None]:
    """Within the block, the event coder and the KB also use the PETRARCH/Phoenix dictionaries of
    ``source``, imported into a temporary folder (newsledger ships none of them)."""
    from newsledger.analyze.events.lexicon import EVENTS_PATH_ENV
    from newsledger.analyze.events.petrarch import import_petrarch_dir
    from newsledger.kb.lookup import KB_PATH_ENV

    saved = {name: os.environ.get(name) for name in (EVENTS_PATH_ENV, KB_PATH_ENV)}
    with tempfile.TemporaryDirectory(prefix="newsledger-petrarch-") as folder:
        verbs, kb = import_petrarch_dir(Path(source), Path(folder))
        os.environ[EVENTS_PATH_ENV], os.environ[KB_PATH_ENV] = str(verbs), str(kb)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def events_command(
    gold: Annotated[
        Path, typer.Argument(help="gsr-dev.jsonl, a confilbert-cameo file or folder, or a PETRARCH XML")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model name or path")] = None,
    petrarch_dir: Annotated[
        Path | None,
        typer.Option(
            "--petrarch-dir",
            help="also score with the PETRARCH/Phoenix dictionaries of this folder, imported first",
        ),
    ] = None,
) -> None:
    """Score event coding: PLOVER GSR types and actors, ConfliBERT spans and quad classes, PETRARCH codes.

    Example: newsledger eval events ../shared/gold/plover/gsr-dev.jsonl --petrarch-dir ../shared/kb/phoenix
    """
    from newsledger.analyze.pipeline import build_pipeline

    report = evaluate(gold, nlp=build_pipeline(model))
    if petrarch_dir is not None:
        with imported_petrarch(petrarch_dir):
            report = {"default": report, "petrarch": evaluate(gold, nlp=build_pipeline(model))}
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    console = Console(highlight=False)
    for line in _lines(report):
        console.print(line)


def _lines(report: dict[str, Any], indent: str = "") -> Iterator[str]:
    for key, value in report.items():
        if key == "confusion":
            continue
        if isinstance(value, dict):
            yield f"{indent}{key}:"
            yield from _lines(value, indent + "  ")
        else:
            yield f"{indent}{key}: {value}"

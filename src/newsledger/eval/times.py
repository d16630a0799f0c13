"""TempEval-3 scoring of time expressions: ``newsledger eval times GOLD_DIR``.

Spans: strict match = same offsets, relaxed match = overlap. Precision counts system expressions
that match some gold one, recall gold expressions that match some system one. Attributes (type,
value) are compared on relaxed-matched pairs (each gold expression paired with the system one it
overlaps most): accuracy = correct / matched, and attribute P/R/F1 = correct / system, correct / gold,
as in UzZaman et al. (2013). Only expressions TimeML would tag are scored (``timeml=True``).
See docs/times.md.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from spacy.language import Language

from newsledger.eval.timeml import TimeMLDocument, read_timeml_dir
from newsledger.model import TimeExpression


@dataclasses.dataclass(slots=True)
class Counts:
    gold: int = 0
    system: int = 0
    strict_gold: int = 0  # gold expressions with an exact system match
    strict_system: int = 0
    relaxed_gold: int = 0
    relaxed_system: int = 0
    type_correct: int = 0
    value_correct: int = 0

    def add(self, other: Counts) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def scores(self) -> dict[str, float]:
        def prf(hit_system: int, hit_gold: int) -> tuple[float, float, float]:
            p = hit_system / self.system if self.system else 0.0
            r = hit_gold / self.gold if self.gold else 0.0
            return p, r, 2 * p * r / (p + r) if p + r else 0.0

        sp, sr, sf = prf(self.strict_system, self.strict_gold)
        rp, rr, rf = prf(self.relaxed_system, self.relaxed_gold)
        _, _, type_f1 = prf(self.type_correct, self.type_correct)
        _, _, value_f1 = prf(self.value_correct, self.value_correct)
        matched = self.relaxed_gold
        return {
            "strict_precision": sp,
            "strict_recall": sr,
            "strict_f1": sf,
            "relaxed_precision": rp,
            "relaxed_recall": rr,
            "relaxed_f1": rf,
            "type_accuracy": self.type_correct / matched if matched else 0.0,
            "value_accuracy": self.value_correct / matched if matched else 0.0,
            "type_f1": type_f1,
            "value_f1": value_f1,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class TimeError:
    """One disagreement: ``kind`` is missing, spurious, span, type or value."""

    document: str
    kind: str
    gold: TimeExpression | None
    system: TimeExpression | None

    def to_dict(self) -> dict[str, Any]:
        def brief(t: TimeExpression | None) -> dict[str, Any] | None:
            if t is None:
                return None
            return {
                "start": t.span.start,
                "end": t.span.end,
                "text": t.span.text,
                "type": t.type.value,
                "value": t.value,
                "mod": t.mod,
            }

        return {
            "document": self.document,
            "kind": self.kind,
            "gold": brief(self.gold),
            "system": brief(self.system),
        }


@dataclasses.dataclass(slots=True)
class TimesReport:
    total: Counts
    documents: dict[str, Counts]
    errors: list[TimeError]

    def to_dict(self, *, errors: int | None = None) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "gold": self.total.gold,
            "system": self.total.system,
            **{k: round(v, 4) for k, v in self.total.scores().items()},
            "per_document": {
                name: {"gold": c.gold, "system": c.system, **{k: round(v, 4) for k, v in c.scores().items()}}
                for name, c in self.documents.items()
            },
            "errors": [
                e.to_dict() for e in self.errors[: errors if errors is not None else len(self.errors)]
            ],
        }


def _overlap(a: TimeExpression, b: TimeExpression) -> int:
    return min(a.span.end, b.span.end) - max(a.span.start, b.span.start)


def score_document(
    name: str, gold: Sequence[TimeExpression], system: Sequence[TimeExpression]
) -> tuple[Counts, list[TimeError]]:
    """Counts and errors for one document."""
    system = [t for t in system if t.timeml]
    counts = Counts(gold=len(gold), system=len(system))
    errors: list[TimeError] = []
    exact = {(t.span.start, t.span.end) for t in gold}
    counts.strict_system = sum((t.span.start, t.span.end) in exact for t in system)
    counts.relaxed_system = sum(any(_overlap(t, g) > 0 for g in gold) for t in system)
    system_exact = {(t.span.start, t.span.end) for t in system}
    for g in gold:
        counts.strict_gold += (g.span.start, g.span.end) in system_exact
        overlapping = [t for t in system if _overlap(t, g) > 0]
        if not overlapping:
            errors.append(TimeError(name, "missing", g, None))
            continue
        counts.relaxed_gold += 1
        best = max(overlapping, key=lambda t: (_overlap(t, g), -abs(t.span.start - g.span.start)))
        counts.type_correct += best.type == g.type
        counts.value_correct += best.value == g.value
        if best.type != g.type:
            errors.append(TimeError(name, "type", g, best))
        elif best.value != g.value:
            errors.append(TimeError(name, "value", g, best))
        elif (best.span.start, best.span.end) != (g.span.start, g.span.end):
            errors.append(TimeError(name, "span", g, best))
    for t in system:
        if not any(_overlap(t, g) > 0 for g in gold):
            errors.append(TimeError(name, "spurious", None, t))
    return counts, errors


def score(
    documents: Iterable[TimeMLDocument], predictions: Iterable[Sequence[TimeExpression]]
) -> TimesReport:
    """Score system times against gold, document by document (same order)."""
    total = Counts()
    per_document: dict[str, Counts] = {}
    errors: list[TimeError] = []
    for document, system in zip(documents, predictions, strict=True):
        counts, found = score_document(document.id, document.times, system)
        per_document[document.id] = counts
        total.add(counts)
        errors.extend(found)
    return TimesReport(total, per_document, errors)


def predict(
    documents: Sequence[TimeMLDocument], nlp: Language, *, batch_size: int = 16
) -> list[list[TimeExpression]]:
    """Run the pipeline over the raw texts, each with its DCT as publication date."""

    def docs() -> Iterable[Any]:
        for document in documents:
            doc = nlp.make_doc(document.text)
            doc._.published = document.dct
            yield doc

    return [list(doc._.times or ()) for doc in nlp.pipe(docs(), batch_size=batch_size)]


def evaluate_times(gold_dir: Path, *, nlp: Language | None = None) -> TimesReport:
    """Read TimeML gold under ``gold_dir``, tag its texts with newsledger and score them."""
    from newsledger.analyze.pipeline import build_pipeline

    documents = list(read_timeml_dir(gold_dir))
    pipeline = nlp or build_pipeline(components=("newsledger_times",))
    return score(documents, predict(documents, pipeline))


def _print_report(report: TimesReport, errors: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    s = report.total.scores()
    table = Table(
        title=f"Time expressions: {len(report.documents)} documents, {report.total.gold} gold, "
        f"{report.total.system} system"
    )
    for column in ("", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column else "left")
    table.add_row("strict span", *(f"{s[f'strict_{k}']:.3f}" for k in ("precision", "recall", "f1")))
    table.add_row("relaxed span", *(f"{s[f'relaxed_{k}']:.3f}" for k in ("precision", "recall", "f1")))
    console.print(table)
    console.print(
        f"type accuracy {s['type_accuracy']:.3f}  type F1 {s['type_f1']:.3f}  "
        f"value accuracy {s['value_accuracy']:.3f}  value F1 {s['value_f1']:.3f}"
    )
    annotated = [item for item in report.documents.items() if item[1].gold]
    worst = sorted(annotated, key=lambda item: item[1].scores()["value_f1"])[:10]
    console.print(
        "lowest value F1: " + ", ".join(f"{name} {c.scores()['value_f1']:.2f}" for name, c in worst)
    )
    for error in report.errors[:errors]:
        gold = f"{error.gold.span.text!r} {error.gold.type} {error.gold.value}" if error.gold else "-"
        system = (
            f"{error.system.span.text!r} {error.system.type} {error.system.value}" if error.system else "-"
        )
        console.print(f"{error.document} {error.kind}: gold {gold} | system {system}", markup=False)


def times_command(
    gold_dir: Annotated[Path, typer.Argument(help="folder of TimeML (.tml) files, searched recursively")],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    errors: Annotated[int, typer.Option("--errors", help="how many errors to list")] = 20,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model name or path")] = None,
) -> None:
    """Score time expressions against TempEval-3 TimeML gold (strict/relaxed span, type, value).

    Example: newsledger eval times ../shared/gold/tempeval3/TBAQ-cleaned --errors 50
    """
    from newsledger.analyze.pipeline import build_pipeline

    report = evaluate_times(gold_dir, nlp=build_pipeline(model, components=("newsledger_times",)))
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(errors=errors), ensure_ascii=False) + "\n")
    else:
        _print_report(report, errors)

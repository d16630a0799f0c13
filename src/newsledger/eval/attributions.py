"""Scoring attribution extraction against PolNeAR: brat articles and CofeNet-format sentences.

Both scorers run the real pipeline and compare its Attribution records with the gold spans per role
(source, cue, content). *Exact* match needs the role and exact token (sentences) or character
(articles, outer whitespace ignored) boundaries; *overlap* match needs the role and one shared token or
character. Overlap precision counts predicted spans that overlap a gold span, overlap recall gold
spans that a prediction overlaps. Throughput is words per second of the whole run.

    newsledger eval attributions ../shared/gold/polnear-sentences/valid.jsonl
    newsledger eval attributions ../shared/gold/polnear/dev
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.attributions.labels import ROLES, bio_spans
from newsledger.errors import GoldDataError
from newsledger.eval.brat import read_corpus
from newsledger.model import Attribution

#: Components the attribution scorer needs (events come after attributions and are skipped).
EVAL_COMPONENTS = ("newsledger_times", "newsledger_actors", "newsledger_attributions")

_GOLD_ROLES = {"Source": "source", "Cue": "cue", "Content": "content"}


def prf(true_positives: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 where undefined)."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclasses.dataclass(slots=True)
class RoleCounts:
    """Counts for one role: exact true positives, overlap hits on each side, totals."""

    exact: int = 0
    overlap_predicted: int = 0
    overlap_gold: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, predicted: set[tuple[int, int]], gold: set[tuple[int, int]]) -> None:
        self.exact += len(predicted & gold)
        self.overlap_predicted += sum(1 for p in predicted if any(_overlaps(p, g) for g in gold))
        self.overlap_gold += sum(1 for g in gold if any(_overlaps(p, g) for p in predicted))
        self.predicted += len(predicted)
        self.gold += len(gold)

    def scores(self) -> dict[str, float]:
        p, r, f = prf(self.exact, self.predicted, self.gold)
        op = self.overlap_predicted / self.predicted if self.predicted else 0.0
        orc = self.overlap_gold / self.gold if self.gold else 0.0
        of = 2 * op * orc / (op + orc) if op + orc else 0.0
        return {
            "exact_p": p,
            "exact_r": r,
            "exact_f1": f,
            "overlap_p": op,
            "overlap_r": orc,
            "overlap_f1": of,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AttributionScores:
    """Per-role scores and throughput of one evaluation run."""

    format: str
    documents: int
    words: int
    seconds: float
    roles: dict[str, dict[str, float]]

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "documents": self.documents,
            "words": self.words,
            "seconds": round(self.seconds, 2),
            "words_per_second": round(self.words_per_second, 1),
            "roles": {
                r: {k: round(v, 4) if isinstance(v, float) else v for k, v in s.items()}
                for r, s in self.roles.items()
            },
        }


def _record_spans(record: Attribution) -> dict[str, tuple[int, int] | None]:
    return {
        "source": (record.source.start, record.source.end) if record.source else None,
        "cue": (record.cue.start, record.cue.end),
        "content": (record.content.start, record.content.end),
    }


def _content_parts(text: str, record: Attribution) -> list[tuple[str, tuple[int, int]]]:
    """The content's pieces as CofeNet tags them: a content around its own cue ("“A,” she said, “B”",
    discontinuous in PolNeAR) is two spans, the frame of source and cue and the punctuation after it cut
    out; any other content is one span."""
    content = record.content
    inside = [
        s for s in (record.source, record.cue) if s and content.start <= s.start and s.end <= content.end
    ]
    if not any(s is record.cue for s in inside):
        return [("content", (content.start, content.end))]
    before = _strip(text, content.start, min(s.start for s in inside))
    while before[1] > before[0] and (text[before[1] - 1].isspace() or text[before[1] - 1] in ",;:"):
        before = (before[0], before[1] - 1)  # "The truce held, the envoy said, ...": no comma
    after_start = max(s.end for s in inside)
    frame_start = min(s.start for s in inside)
    if text[content.start : frame_start].rstrip().endswith(","):
        # a frame set off by commas ("The truce, the envoy explained later in the day, was holding"):
        # its own words after the cue are not content either
        comma = text.find(",", after_start, content.end)
        if comma >= 0 and not any(mark in text[after_start:comma] for mark in '.!?;\u201c"`'):
            after_start = comma
    while after_start < content.end and (text[after_start].isspace() or text[after_start] in ",:;.!?"):
        after_start += 1
    # A quotation resumed after a longer frame ("“...,” the minister said on Monday. “...”"): the
    # frame's own words ("on Monday.") are not content either.
    if text.startswith(_OPENING_QUOTES, content.start):
        resumed = [i for mark in _OPENING_QUOTES if (i := text.find(mark, after_start, content.end)) >= 0]
        after_start = min(resumed, default=after_start)
    return [("content", part) for part in (before, (after_start, content.end)) if part[0] < part[1]]


_OPENING_QUOTES = ("``", "\u201c", '"')


def _pipeline(nlp: Language | None) -> Language:
    if nlp is not None:
        return nlp
    from newsledger.analyze.pipeline import build_pipeline

    return build_pipeline(components=EVAL_COMPONENTS)


def read_sentences(path: Path) -> list[dict[str, Any]]:
    """CofeNet rows (``tokens``, ``labels``), validated."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                tokens, labels = row["tokens"], row["labels"]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise GoldDataError(
                    f"not a CofeNet row: {error}",
                    where=f"{path}:{number}",
                    hint="expected JSON with tokens and labels",
                ) from error
            if len(tokens) != len(labels):
                raise GoldDataError("tokens and labels differ in length", where=f"{path}:{number}")
            rows.append(row)
    return rows


def evaluate_sentences(
    path: Path, *, nlp: Language | None = None, limit: int | None = None
) -> AttributionScores:
    """Score the pipeline on CofeNet-format sentences (PTB tokens kept as the Doc's words)."""
    rows = read_sentences(path)[:limit]
    pipeline = _pipeline(nlp)
    counts = {role: RoleCounts() for role in ROLES}
    docs = (Doc(pipeline.vocab, words=row["tokens"]) for row in rows)
    words = sum(len(row["tokens"]) for row in rows)
    started = time.perf_counter()
    analysed = list(pipeline.pipe(docs))
    seconds = time.perf_counter() - started
    for row, doc in zip(rows, analysed, strict=True):
        gold = {role: set() for role in ROLES}  # type: dict[str, set[tuple[int, int]]]
        for role, start, end in bio_spans(row["labels"]):
            gold[role].add((start, end))
        token_at = {token.idx: token.i for token in doc}
        ends_at = {token.idx + len(token.text): token.i + 1 for token in doc}
        predicted = {role: set() for role in ROLES}  # type: dict[str, set[tuple[int, int]]]
        for record in flat(doc._.attributions or ()):
            spans = _record_spans(record)
            for role, span in [
                *((r, s) for r, s in spans.items() if r != "content"),
                *_content_parts(doc.text, record),
            ]:
                if span and span[0] in token_at and span[1] in ends_at:
                    predicted[role].add((token_at[span[0]], ends_at[span[1]]))
        for role in ROLES:
            counts[role].add(predicted[role], gold[role])
    return AttributionScores(
        format="cofenet",
        documents=len(rows),
        words=words,
        seconds=seconds,
        roles={role: c.scores() for role, c in counts.items()},
    )


def flat(records: Sequence[Attribution]) -> list[Attribution]:
    """The records PolNeAR's flat scheme can hold. Those whose cue lies inside another record's
    content are relays nested in it ("officials said X" inside "The FT reported that officials said
    X"), which PolNeAR never annotates (none of the 2,320 dev attributions); those with another
    record's content and that record's source among their conduits relay its claim from a cited
    source ("Reuters, citing officials, reported X"). Neither is scored."""
    return [
        record
        for record in records
        if not any(
            other is not record
            and (
                other.content.start <= record.cue.start < other.content.end
                or (
                    other.content == record.content
                    and other.source is not None
                    and any(conduit.span == other.source for conduit in record.via)
                )
            )
            for other in records
        )
    ]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def evaluate_brat(
    folder: Path, *, nlp: Language | None = None, limit: int | None = None
) -> AttributionScores:
    """Score the pipeline on PolNeAR brat articles (each annotator's file scored on its own)."""
    documents = read_corpus(folder)[:limit]
    pipeline = _pipeline(nlp)
    texts = sorted({d.text for d in documents})
    started = time.perf_counter()
    records = {
        text: flat(doc._.attributions or ()) for text, doc in zip(texts, pipeline.pipe(texts), strict=True)
    }
    seconds = time.perf_counter() - started
    words = sum(len(text.split()) for text in texts)
    counts = {role: RoleCounts() for role in ROLES}
    for document in documents:
        gold = {role: set() for role in ROLES}  # type: dict[str, set[tuple[int, int]]]
        in_relation = {t for relation in document.relations for t in relation.roles.values()}
        for span in document.spans.values():
            role = _GOLD_ROLES.get(span.label)
            if role and span.id in in_relation:
                gold[role].add(_strip(document.text, span.start, span.end))
        predicted = {role: set() for role in ROLES}  # type: dict[str, set[tuple[int, int]]]
        for record in records[document.text]:
            for role, found in _record_spans(record).items():
                if found:
                    predicted[role].add(_strip(document.text, *found))
        for role in ROLES:
            counts[role].add(predicted[role], gold[role])
    return AttributionScores(
        format="brat",
        documents=len(documents),
        words=words,
        seconds=seconds,
        roles={role: c.scores() for role, c in counts.items()},
    )


def evaluate(path: Path, *, nlp: Language | None = None, limit: int | None = None) -> AttributionScores:
    """Score against ``path``: a CofeNet ``.jsonl`` file or a PolNeAR brat folder."""
    if path.is_dir():
        return evaluate_brat(path, nlp=nlp, limit=limit)
    if path.suffix == ".jsonl":
        return evaluate_sentences(path, nlp=nlp, limit=limit)
    raise GoldDataError(
        f"unknown gold format: {path}",
        where=str(path),
        hint="pass a CofeNet .jsonl file or a brat folder (attributions/ + text/)",
    )


def format_table(scores: AttributionScores) -> list[tuple[str, ...]]:
    """Rows for a text table: role, exact P/R/F1, overlap P/R/F1, predicted, gold."""
    rows = []
    for role in ROLES:
        s = scores.roles[role]
        rows.append(
            (
                role,
                *(
                    f"{s[k]:.3f}"
                    for k in ("exact_p", "exact_r", "exact_f1", "overlap_p", "overlap_r", "overlap_f1")
                ),
                str(int(s["predicted"])),
                str(int(s["gold"])),
            )
        )
    return rows


def attributions_command(
    path: Annotated[
        Path, typer.Argument(help="CofeNet .jsonl sentences or a PolNeAR brat folder", exists=True)
    ],
    limit: Annotated[int | None, typer.Option(help="score only the first N sentences/articles")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model name or path")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="score source type and certainty against this labelled sample instead "
            "(tests/fixtures/source_types_dev.jsonl); PATH is then the PolNeAR dev folder",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Exact-match and overlap P/R/F1 per role (source, cue, content), and throughput; with
    ``--labels``, source type and certainty accuracy per class.

    Example: newsledger eval attributions ../shared/gold/polnear-sentences/valid.jsonl
    """
    from newsledger.analyze.pipeline import build_pipeline

    nlp = build_pipeline(model, components=EVAL_COMPONENTS)
    console = Console(highlight=False)
    if labels is not None:
        _print_labels(console, evaluate_labels(labels, path, nlp=nlp), labels, json_output=json_output)
        return
    scores = evaluate(path, nlp=nlp, limit=limit)
    if json_output:
        console.print_json(json.dumps(scores.to_dict()))
        return
    table = Table(title=f"attributions: {path} ({scores.format}, {scores.documents} documents)")
    for column in (
        "role",
        "exact P",
        "exact R",
        "exact F1",
        "overlap P",
        "overlap R",
        "overlap F1",
        "predicted",
        "gold",
    ):
        table.add_column(column, justify="left" if column == "role" else "right")
    for row in format_table(scores):
        table.add_row(*row)
    console.print(table)
    console.print(f"{scores.words} words in {scores.seconds:.1f} s: {scores.words_per_second:.0f} words/s")


def _print_labels(console: Console, scores: LabelScores, fixture: Path, *, json_output: bool) -> None:
    if json_output:
        console.print_json(json.dumps(scores.to_dict()))
        return
    for field in ("source_type", "certainty"):
        table = Table(title=f"{field}: {fixture} ({scores.items} labelled sources)")
        for column in ("class", "rules on gold spans", "n", "pipeline end to end", "n "):
            table.add_column(column, justify="left" if column == "class" else "right")
        given, found = scores.given_spans[field], scores.end_to_end[field]
        classes = sorted(k for k in given if k != "accuracy" and not k.endswith("_n"))
        for label in ["accuracy", *classes]:
            table.add_row(
                label,
                f"{given.get(label, 0.0):.3f}",
                str(int(given.get(f"{label}_n", sum(v for k, v in given.items() if k.endswith("_n"))))),
                f"{found.get(label, 0.0):.3f}" if label in found else "-",
                str(int(found.get(f"{label}_n", sum(v for k, v in found.items() if k.endswith("_n"))))),
            )
        console.print(table)
    console.print(f"gold cues matched by the pipeline: {scores.coverage:.1%}")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LabelScores:
    """Accuracy of source type and certainty on the labelled PolNeAR dev sample.

    ``given_spans``: the rules applied to the gold source and cue spans (isolates typing from span
    finding). ``end_to_end``: the pipeline's own attributions, matched to a gold one by overlapping cue
    (``coverage`` is the share matched).
    """

    items: int
    coverage: float
    given_spans: dict[str, dict[str, float]]
    end_to_end: dict[str, dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _accuracy(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Overall accuracy and, per gold class, the share predicted right (with the class size)."""
    out: dict[str, float] = {"accuracy": sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0}
    for label in sorted({g for g, _ in pairs}):
        of_label = [p for g, p in pairs if g == label]
        out[label] = sum(p == label for p in of_label) / len(of_label)
        out[f"{label}_n"] = len(of_label)
    return out


def evaluate_labels(fixture: Path, polnear_dev: Path, *, nlp: Language | None = None) -> LabelScores:
    """Score source type and certainty against the labelled sample (offsets into PolNeAR dev texts)."""
    from newsledger.analyze.attributions.extract import ActorIndex, certainty, classify_source
    from newsledger.analyze.attributions.lexicon import default_lexicon

    rows = [json.loads(line) for line in fixture.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, str] = {}
    for row in rows:
        stem = row["file"].rsplit("_", 1)[0]
        path = polnear_dev / "text" / f"{stem}.txt"
        if not path.exists():
            raise GoldDataError(
                f"no text for {row['file']}", where=str(path), hint="pass the PolNeAR dev folder"
            )
        texts[row["file"]] = path.read_text(encoding="utf-8")
    pipeline = _pipeline(nlp)
    lexicon = default_lexicon()
    unique = sorted(set(texts.values()))
    docs = dict(zip(unique, pipeline.pipe(unique), strict=True))
    given: dict[str, list[tuple[str, str]]] = {"source_type": [], "certainty": []}
    found: dict[str, list[tuple[str, str]]] = {"source_type": [], "certainty": []}
    matched = 0
    for row in rows:
        doc = docs[texts[row["file"]]]
        source = doc.char_span(row["source"][0], row["source"][1], alignment_mode="expand")
        cue = doc.char_span(row["cue"][0], row["cue"][1], alignment_mode="expand")
        if source is None or cue is None:
            raise GoldDataError("offsets do not fall on the text", where=f"{fixture}:{row['file']}")
        referent = classify_source(doc, source.start, source.end, lexicon, ActorIndex.of(doc._.actors))
        given["source_type"].append((row["source_type"], referent.type.value))
        given["certainty"].append((row["certainty"], certainty(doc, (cue.start, cue.end), lexicon).value))
        gold_cue = (row["cue"][0], row["cue"][1])
        hits = [a for a in doc._.attributions or () if _overlaps((a.cue.start, a.cue.end), gold_cue)]
        if hits:
            matched += 1
            found["source_type"].append((row["source_type"], hits[0].source_type.value))
            found["certainty"].append((row["certainty"], hits[0].certainty.value))
    return LabelScores(
        items=len(rows),
        coverage=matched / len(rows) if rows else 0.0,
        given_spans={k: _accuracy(v) for k, v in given.items()},
        end_to_end={k: _accuracy(v) for k, v in found.items()},
    )

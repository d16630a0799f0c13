"""Reader for brat standoff annotations (``.ann`` beside ``.txt``), as PolNeAR ships them.

Only what the scorers need: text-bound annotations (``T`` lines, possibly discontinuous) and event
lines (``E`` lines) that tie roles (``Source:T1 Cue:T2 Content:T3``) into one relation.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from newsledger.errors import GoldDataError

_ANNOTATION_ID = re.compile(r"^[TERAN#]\d+\t")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TextBound:
    """A labelled stretch of text; ``fragments`` are (start, end) character offsets."""

    id: str
    label: str
    fragments: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """An ``E`` line: its type and role -> text-bound id."""

    id: str
    type: str
    roles: dict[str, str]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class BratDocument:
    id: str
    text: str
    spans: dict[str, TextBound]
    relations: tuple[Relation, ...]


def parse_ann(content: str, *, where: str) -> tuple[dict[str, TextBound], tuple[Relation, ...]]:
    """Text-bound annotations and relations of one ``.ann`` file."""
    spans: dict[str, TextBound] = {}
    relations: list[Relation] = []
    for number, line in enumerate(content.splitlines(), start=1):
        # a T line's text may contain newlines: its continuation lines carry no annotation id
        if not _ANNOTATION_ID.match(line):
            continue
        fields = line.split("\t")
        try:
            if line.startswith("T"):
                label, _, offsets = fields[1].partition(" ")
                fragments = tuple((int(a), int(b)) for a, b in (part.split() for part in offsets.split(";")))
                spans[fields[0]] = TextBound(id=fields[0], label=label, fragments=fragments)
            elif line.startswith("E"):
                parts = fields[1].split()
                kind, _, _trigger = parts[0].partition(":")
                roles = dict(part.split(":", 1) for part in parts[1:])
                relations.append(Relation(id=fields[0], type=kind, roles=roles))
        except (IndexError, ValueError) as error:
            raise GoldDataError(
                f"malformed brat line: {line[:60]!r}",
                where=f"{where}:{number}",
                hint="expected 'T1<TAB>Label START END<TAB>text' or 'E1<TAB>Type:T1 Role:T2'",
            ) from error
    return spans, tuple(relations)


def read_document(ann_path: Path, text_dir: Path | None = None) -> BratDocument:
    """One annotated document; its text is ``text_dir/<stem>.txt``.

    PolNeAR names double-annotated files ``<article>_<annotator>.ann``: the text file then lacks the
    annotator suffix, which is tried when the exact name is absent.
    """
    folder = text_dir or ann_path.parent
    text_path = folder / f"{ann_path.stem}.txt"
    if not text_path.exists():
        text_path = folder / f"{ann_path.stem.rsplit('_', 1)[0]}.txt"
    try:
        text = text_path.read_text(encoding="utf-8")
        content = ann_path.read_text(encoding="utf-8")
    except OSError as error:
        raise GoldDataError(f"cannot read {error.filename}", where=str(ann_path)) from error
    spans, relations = parse_ann(content, where=str(ann_path))
    return BratDocument(id=ann_path.stem, text=text, spans=spans, relations=relations)


def read_corpus(folder: Path) -> list[BratDocument]:
    """All documents of a PolNeAR-style split: ``folder/attributions/*.ann`` + ``folder/text/*.txt``."""
    ann_dir = folder / "attributions" if (folder / "attributions").is_dir() else folder
    text_dir = folder / "text" if (folder / "text").is_dir() else ann_dir
    paths = sorted(ann_dir.glob("*.ann"))
    if not paths:
        raise GoldDataError(f"no .ann files in {ann_dir}", where=str(folder), hint="pass a brat folder")
    return [read_document(path, text_dir) for path in paths]

"""Turn PolNeAR brat articles into sentence-level BIO examples for the attribution span tagger.

    python training/attributions/prepare.py ../shared/gold/polnear/train \
        training/work/attributions/train.jsonl

Sentences come from spaCy's rule sentencizer plus line breaks; tokens from spaCy's English tokenizer.
Each token takes the role (source, cue, content) of the brat span it starts in; within a sentence a
new span opens (B-) where the role or the annotated span changes, as in the CofeNet data.
Output rows: {"id", "tokens", "labels"}; the text stays outside the repository (training/work/ is ignored).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import spacy

from newsledger.eval.brat import BratDocument, read_corpus

ROLE_OF_LABEL = {"Source": "source", "Cue": "cue", "Content": "content"}


def char_roles(document: BratDocument) -> list[tuple[str, str] | None]:
    """For each character: (role, span id) of the attribution span covering it, if any."""
    roles: list[tuple[str, str] | None] = [None] * len(document.text)
    for span in document.spans.values():
        role = ROLE_OF_LABEL.get(span.label)
        if role is None:
            continue
        for start, end in span.fragments:
            for index in range(start, min(end, len(roles))):
                roles[index] = (role, span.id)
    return roles


def examples(document: BratDocument, nlp: spacy.language.Language) -> list[dict[str, object]]:
    roles = char_roles(document)
    doc = nlp(document.text)
    rows: list[dict[str, object]] = []
    for sentence in doc.sents:
        # sentences also break at line breaks (headlines, paragraphs)
        chunk: list[spacy.tokens.Token] = []
        for token in [*sentence, None]:
            if token is not None and not token.is_space:
                chunk.append(token)
            if chunk and (token is None or "\n" in token.whitespace_ or "\n" in token.text):
                rows.append(_row(document.id, chunk, roles))
                chunk = []
    return rows


def _row(
    doc_id: str, tokens: list[spacy.tokens.Token], roles: list[tuple[str, str] | None]
) -> dict[str, object]:
    labels: list[str] = []
    previous: tuple[str, str] | None = None
    for token in tokens:
        current = roles[token.idx] if token.idx < len(roles) else None
        if current is None:
            labels.append("O")
        else:
            labels.append(("I-" if current == previous else "B-") + current[0])
        previous = current
    return {"id": doc_id, "tokens": [t.text for t in tokens], "labels": labels}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="PolNeAR split folder (attributions/ + text/)")
    parser.add_argument("output", type=Path, help="JSONL file to write")
    args = parser.parse_args(argv)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for document in read_corpus(args.split):
            for row in examples(document, nlp):
                out.write(json.dumps(row) + "\n")
                count += 1
    print(f"{count} sentences -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

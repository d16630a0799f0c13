"""Unlabelled news sentences for distilling the taggers (``training/tagger/joint.py``, ``--ffn``).

    python training/events/silver.py ../shared/corpus/abp-10k.jsonl.gz training/work/events/silver.jsonl

Writes JSON lines, one word list per sentence (spaCy's English tokenizer and rule sentencizer, space
tokens left out, 8 to 60 words), ``--sentences`` of them drawn at random from articles ``--first`` to
``--first + --articles`` of the corpus. The defaults stay clear of the first 1,000 articles, which
the benchmarks time. The trained taggers' scores on these sentences are what the distilled one
learns to give; their own words are never stored in the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

import spacy


def sentences(corpus: Path, first: int, articles: int) -> list[list[str]]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    found: list[list[str]] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= first + articles:
                break
            if number < first:
                continue
            for sentence in nlp(json.loads(line)["text"]).sents:
                words = [token.text for token in sentence if not token.is_space]
                if 8 <= len(words) <= 60:
                    found.append(words)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a .jsonl.gz corpus with a 'text' key per line")
    parser.add_argument("out", type=Path)
    parser.add_argument("--first", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    found = sentences(args.corpus, args.first, args.articles)
    random.Random(args.seed).shuffle(found)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for words in found[: args.sentences]:
            out.write(json.dumps(words, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

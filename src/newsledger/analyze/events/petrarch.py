"""Import PETRARCH's CAMEO verb dictionary (``CAMEO.2.0.txt``) into user event data files.

newsledger ships no third-party data: users who have the dictionary convert it once with
``newsledger events import-cameo-verbs CAMEO.2.0.txt --out DIR`` and point the event coder at DIR
(``NEWSLEDGER_EVENTS_PATH`` or the ``verb_paths`` option of the ``newsledger_events`` component).
Only codes, dictionary words and patterns are taken. Each verb block gets a machine-made example (a
look-up and its expected code) so that the loader validates the files like the packaged ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from newsledger.errors import DataFileError

#: File names the importer writes and ``load_lexicon`` reads from each extra directory.
CAMEO_VERBS = "cameo_verbs.jsonl"
CAMEO_SYNSETS = "cameo_synsets.jsonl"

_CODE = re.compile(r"\[([0-9]{2,4})?(?::([0-9]{2,4}))?\]")


def _words(raw: str) -> list[str]:
    """Dictionary tokens -> lower-case words; ``&SET`` references are kept, markers dropped."""
    raw = raw.replace("{", " ").replace("}", " ").replace("(", " ").replace(")", " ")
    words: list[str] = []
    for token in raw.split():
        if token.startswith("&"):
            words.append("&" + token[1:].strip("_").lower())
            continue
        token = token.strip("_").strip("+").strip("$").strip("%").strip("^").strip("_")
        if not token or not any(c.isalpha() for c in token):
            continue
        words.extend(part.lower() for part in token.split("_") if part)
    return words


def _pattern(stripped: str) -> dict[str, Any] | None:
    body, _, rest = stripped[1:].partition("[")
    code = _CODE.search("[" + rest)
    pre, star, post = body.partition("*")
    if not code or not (code.group(1) or code.group(2)) or not star:
        return None
    pattern = {"pre": _words(pre), "post": _words(post), "cameo": code.group(1) or code.group(2)}
    return pattern if pattern["pre"] or pattern["post"] else None


def _verb(stripped: str) -> dict[str, Any] | None:
    """A verb line: VERB or +VERB_PARTICLE, irregular forms in {...}, an optional [code]."""
    head = re.sub(r"\{[^}]*\}", " ", stripped)
    code = _CODE.search(head)
    head = head.split("[")[0].strip()
    words = _words(head) if head and " " not in head else []
    if not words:
        return None
    return {
        "lemma": words[0],
        "particle": " ".join(words[1:]) or None,
        "cameo": code.group(1) if code and code.group(1) else None,
    }


def parse_cameo_verbs(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(verb blocks, synonym sets) of a PETRARCH verb dictionary's text."""
    synsets: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    in_patterns = False
    current_set: dict[str, Any] | None = None
    block: dict[str, Any] | None = None
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if "VERB PATTERNS" in line:
            in_patterns = True
        elif not stripped.strip():
            continue
        elif not in_patterns:
            if stripped.startswith("&"):
                current_set = {"id": stripped[1:].strip().strip("_").lower(), "words": []}
                synsets.append(current_set)
            elif stripped.startswith("+") and current_set is not None:
                phrase = " ".join(_words(stripped[1:]))
                if phrase and phrase not in current_set["words"]:
                    current_set["words"].append(phrase)
        elif stripped.startswith("---"):
            code = _CODE.search(stripped)
            block = {
                "id": stripped.strip("- ").split("[")[0].strip().lower(),
                "cameo": code.group(1) if code and code.group(1) else None,
                "verbs": [],
                "patterns": [],
            }
            blocks.append(block)
        elif block is not None and stripped.startswith("-"):
            pattern = _pattern(stripped)
            if pattern is not None and pattern not in block["patterns"]:
                block["patterns"].append(pattern)
        elif block is not None:
            verb = _verb(stripped)
            if verb is not None and verb not in block["verbs"]:
                block["verbs"].append(verb)
    return [b for b in (_with_example(b, blocks) for b in blocks) if b], [
        {**s, "examples": [{"word": s["words"][0]}]} for s in synsets if s["words"]
    ]


def _with_example(block: dict[str, Any], blocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The block with an example look-up, or None for a block that codes nothing."""
    codes = block["cameo"] or block["patterns"] or any(v["cameo"] for v in block["verbs"])
    if not block["verbs"] or not codes:
        return None
    # the example uses a verb of this block only, so that it tests this block's patterns
    elsewhere = {v["lemma"] for b in blocks if b is not block for v in b["verbs"]}
    own = [v for v in block["verbs"] if v["lemma"] not in elsewhere] or block["verbs"]
    verb = next((v for v in own if v["cameo"]), own[0])
    pattern = next(
        (p for p in block["patterns"] if not p["pre"] and not any(w.startswith("&") for w in p["post"])), None
    )
    context, cameo = (pattern["post"], pattern["cameo"]) if pattern else ([], verb["cameo"] or block["cameo"])
    if cameo is None:
        return None
    example = {"lemma": verb["lemma"], "particle": verb["particle"], "context": context, "cameo": cameo}
    return {**block, "examples": [example]}


def import_cameo_verbs(source: Path, out: Path) -> tuple[int, int]:
    """Convert ``source`` (CAMEO.2.0.txt) into ``out``/cameo_verbs.jsonl and cameo_synsets.jsonl.

    Returns the numbers of verb blocks and synonym sets written.
    """
    try:
        text = Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise DataFileError(
            f"cannot read the verb dictionary: {error}", where=str(source), hint="pass CAMEO.2.0.txt"
        ) from error
    blocks, synsets = parse_cameo_verbs(text)
    if not blocks:
        raise DataFileError(
            "no verb blocks found", where=str(source), hint="pass PETRARCH's CAMEO verb dictionary"
        )
    out.mkdir(parents=True, exist_ok=True)
    meta = {"_meta": f"imported from {Path(source).name} by newsledger events import-cameo-verbs"}
    for name, entries in ((CAMEO_VERBS, blocks), (CAMEO_SYNSETS, synsets)):
        with open(out / name, "w", encoding="utf-8") as handle:
            for entry in (meta, *entries):
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return len(blocks), len(synsets)


#: The PETRARCH/Phoenix files ``import_petrarch_dir`` converts, as named in the Phoenix distribution.
PHOENIX_ACTORS = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
    "Phoenix.agents.txt",
)


def import_petrarch_dir(source: Path, out: Path) -> tuple[Path, Path]:
    """Import a PETRARCH/Phoenix folder (CAMEO.2.0.txt and the Phoenix actor and agent dictionaries)
    into ``out``/verbs (for $NEWSLEDGER_EVENTS_PATH) and ``out``/kb (for $NEWSLEDGER_KB_PATH)."""
    from newsledger.kb.phoenix import import_phoenix

    verbs, kb = out / "verbs", out / "kb"
    import_cameo_verbs(source / "CAMEO.2.0.txt", verbs)
    for name in PHOENIX_ACTORS:
        import_phoenix(source / name, kb)
    return verbs, kb

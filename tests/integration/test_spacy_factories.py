"""newsledger's components in plain spaCy: found by name without importing newsledger, and a pipeline
saved with them loads and analyses the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsledger.analyze.pipeline import build_pipeline
from newsledger.nlp import default_model_name

EXAMPLE = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))[0]

# run in a fresh interpreter, so that nothing of newsledger is imported unless spaCy imports it
ADD_BY_NAME = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
for name in ("newsledger_times", "newsledger_actors", "newsledger_attributions", "newsledger_events"):
    nlp.add_pipe(name)
doc = nlp(open(sys.argv[2], encoding="utf-8").read())
print(json.dumps({"attributions": len(doc._.attributions), "events": len(doc._.events),
                  "times": len(doc._.times)}))
"""

LOAD_SAVED = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
doc = nlp(open(sys.argv[2], encoding="utf-8").read())
print(json.dumps({"pipes": nlp.pipe_names, "ents": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
                  "attributions": [[a.source.text if a.source else None, a.cue.text, a.content.text]
                                   for a in doc._.attributions]}))
"""


def _run(script: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_spacy_factories_are_found_by_name_without_an_import() -> None:
    result = _run(ADD_BY_NAME, default_model_name(), str(EXAMPLE))
    assert result["attributions"]
    assert result["times"]
    assert result["events"]


def test_spacy_factories_saved_pipeline_loads_and_analyses_the_same(tmp_path: Path) -> None:
    nlp = build_pipeline()
    nlp.to_disk(tmp_path / "pipeline")
    doc = nlp(EXAMPLE.read_text(encoding="utf-8"))
    result = _run(LOAD_SAVED, str(tmp_path / "pipeline"), str(EXAMPLE))
    assert result["pipes"] == nlp.pipe_names
    assert result["ents"] == [[e.start_char, e.end_char, e.label_] for e in doc.ents]
    assert result["attributions"] == [
        [a.source.text if a.source else None, a.cue.text, a.content.text] for a in doc._.attributions
    ]

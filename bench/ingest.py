"""Ingest throughput and memory against plain spaCy, on the first articles of the 10k corpus.

    nice python bench/ingest.py [--limit 1000] [--processes 1 2] [--corpus PATH] [--batch-size 8]

One run measures, on the same texts and the same spaCy model:
- ``plain``: ``nlp.pipe`` of the bare model (the floor newsledger's analysis is compared to);
- ``ingest``: ``newsledger.ingest`` (read, full analysis, storage into a temporary SQLite file);
each with every ``--processes`` value. Each measurement runs in a fresh child process, so its peak memory
is its own: the RSS of the child and its workers, summed and sampled every 0.1 s from /proc (Linux).
Their CPU time (user + system, every thread, read from /proc at the same samples, the last reading of
each process kept, model loading included) shows what a run costs whatever else the machine does.
Times exclude loading the model in the measuring process (workers load theirs inside the timing).
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from machine import describe

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "abp-10k.jsonl.gz"
SAMPLE_SECONDS = 0.1


# --- the measured runs (in a child process) ---------------------------------------------------------


def run_plain(path: Path, n_process: int, batch_size: int) -> dict[str, Any]:
    """``nlp.pipe`` of the bare spaCy model over the texts of ``path``."""
    import spacy

    from newsledger.nlp import default_model_name

    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(default_model_name())
    started = time.perf_counter()
    count = sum(1 for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size))
    return {"seconds": time.perf_counter() - started, "articles": count}


def run_ingest(path: Path, n_process: int, batch_size: int) -> dict[str, Any]:
    """``newsledger.ingest`` of ``path`` into a new SQLite file."""
    import newsledger
    from newsledger.api import pipeline

    nlp = pipeline() if n_process == 1 else None  # workers build their own, inside the timing
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        report = newsledger.ingest(
            path, db=Path(folder, "bench.db"), n_process=n_process, batch_size=batch_size, nlp=nlp
        )
        seconds = time.perf_counter() - started
    if report.failed:
        raise SystemExit(f"ingest failed on {report.failed} articles: {report.failures[:3]}")
    return {"seconds": seconds, "articles": report.stored}


# --- the driver ------------------------------------------------------------------------------------


def tree_usage(pid: int) -> tuple[int, dict[int, int]]:
    """Resident memory of ``pid`` and all its descendants, in bytes, and each one's CPU time so far,
    in clock ticks."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, ticks, stack = 0, {}, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, ()))
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            fields = Path(f"/proc/{current}/stat").read_bytes().rsplit(b")", 1)[1].split()
            ticks[current] = int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            continue
    return total, ticks


def measure(kind: str, path: Path, n_process: int, batch_size: int) -> dict[str, Any]:
    """Run one measurement in a child process, sampling its memory until it ends."""
    command = [sys.executable, __file__, "--run", kind, "--input", str(path)]
    command += ["--processes", str(n_process), "--batch-size", str(batch_size)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = 0
    ticks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss, now = tree_usage(child.pid)
            peak = max(peak, rss)
            ticks.update(now)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{kind} with {n_process} processes failed (exit {child.returncode})")
    cpu = sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    return {**json.loads(output), "peak_rss": peak, "cpu": cpu, "kind": kind, "n_process": n_process}


def prepare(corpus: Path, limit: int, folder: Path) -> tuple[Path, int, int]:
    """The first ``limit`` articles newsledger reads without error, as plain JSONL; and their word count."""
    from newsledger.ingest import read
    from newsledger.model import Article

    path = folder / "articles.jsonl"
    count = words = 0
    with open(path, "w", encoding="utf-8") as out:
        for item in read(corpus):
            if isinstance(item, Article):
                out.write(
                    json.dumps({"id": item.id, "text": item.text, "published": str(item.published)}) + "\n"
                )
                count += 1
                words += len(item.text.split())
                if count == limit:
                    break
    return path, count, words


def table(results: list[dict[str, Any]], words: int) -> str:
    plain = {r["n_process"]: r for r in results if r["kind"] == "plain"}
    lines = [
        (
            "| run | processes | articles | seconds | articles/s | words/s | vs plain spaCy | CPU s "
            "| CPU vs plain | peak RSS (MB) |"
        ),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rate = r["articles"] / r["seconds"]
        base = plain.get(r["n_process"])
        ratio = f"{rate / (base['articles'] / base['seconds']):.2f}x" if base else "-"
        cpu_ratio = f"{base['cpu'] / r['cpu']:.2f}x" if base and r["cpu"] else "-"
        lines.append(
            f"| {r['kind']} | {r['n_process']} | {r['articles']:,} | {r['seconds']:.1f} | {rate:.2f} "
            f"| {words * rate / r['articles']:,.0f} | {ratio} | {r['cpu']:.0f} | {cpu_ratio} "
            f"| {r['peak_rss'] / 2**20:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL(.gz) corpus (default: abp-10k)")
    parser.add_argument("--limit", type=int, default=1000, help="articles to use (default 1000)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="n_process values")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--run", choices=["plain", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:  # a child measuring one configuration
        runner = run_plain if args.run == "plain" else run_ingest
        print(json.dumps(runner(args.input, args.processes[0], args.batch_size)))
        return
    if not args.corpus.exists():
        raise SystemExit(f"corpus not found: {args.corpus} (set NEWSLEDGER_SHARED)")
    with tempfile.TemporaryDirectory() as folder:
        path, count, words = prepare(args.corpus, args.limit, Path(folder))
        print(f"{count:,} articles, {words:,} words from {args.corpus.name}", file=sys.stderr)
        results = []
        for n_process in args.processes:
            for kind in ("plain", "ingest"):
                results.append(measure(kind, path, n_process, args.batch_size))
                print(f"  {kind} x{n_process}: {results[-1]['seconds']:.1f} s", file=sys.stderr)
    command = " ".join(["python", *sys.argv])
    print(f"\n`{command}` on {platform.node()} ({describe()})\n")
    print(table(results, words))


if __name__ == "__main__":
    main()

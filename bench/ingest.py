"""Ingest throughput and memory against plain spaCy, on the first articles of the 10k corpus.

    nice python bench/ingest.py [--limit 1000] [--processes 1 2] [--rounds 1] [--corpus PATH] [--batch-size 8]

One run measures, on the same texts and the same spaCy model:
- ``plain``: ``nlp.pipe`` of the bare model (the floor newsledger's analysis is compared to);
- ``ingest``: ``newsledger.ingest`` (read, full analysis, storage into a temporary SQLite file);
each with every ``--processes`` value. Each measurement runs in a fresh child process, so its peak memory
is its own: the RSS of the child and its workers, summed and sampled every 0.1 s from /proc (Linux).
Their CPU time (user + system, every thread, read from /proc at the same samples, the last reading of
each process kept, model loading included) shows what a run costs whatever else the machine does.
Times exclude loading the model in the measuring process (workers load theirs inside the timing).
With ``--rounds N`` the pair is measured N times, plain first in odd rounds and ingest first in even
ones, so that a machine slowing down or speeding up during the runs weighs on both alike; each ingest
run is compared with the plain run of its own round, and the median of the rounds' ratios is printed.
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
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


def _ratios(result: dict[str, Any], plain: dict[str, Any]) -> tuple[float, float]:
    """Throughput and CPU of ``result`` against ``plain``, as multiples (above 1: faster, cheaper)."""
    speed = (result["articles"] / result["seconds"]) / (plain["articles"] / plain["seconds"])
    return speed, plain["cpu"] / max(result["cpu"], 1e-9)


def table(results: list[dict[str, Any]], words: int) -> str:
    plain = {(r["n_process"], r["round"]): r for r in results if r["kind"] == "plain"}
    rounds = any(r["round"] > 1 for r in results)
    lines = [
        (
            "| run | processes | articles | seconds | articles/s | words/s | vs plain spaCy | CPU s "
            "| CPU vs plain | peak RSS (MB) |"
        ),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rate = r["articles"] / r["seconds"]
        speed, cost = _ratios(r, plain[r["n_process"], r["round"]])
        run = f"{r['kind']} (round {r['round']}, {r['started']} UTC)" if rounds else r["kind"]
        lines.append(
            f"| {run} | {r['n_process']} | {r['articles']:,} | {r['seconds']:.1f} | {rate:.2f} "
            f"| {words * rate / r['articles']:,.0f} | {speed:.2f}x | {r['cpu']:.0f} | {cost:.2f}x "
            f"| {r['peak_rss'] / 2**20:,.0f} |"
        )
    return "\n".join(lines)


def summary(results: list[dict[str, Any]]) -> str:
    """Per process count, the median and range of the rounds' ingest-to-plain ratios."""
    plain = {(r["n_process"], r["round"]): r for r in results if r["kind"] == "plain"}
    lines = []
    for n_process in dict.fromkeys(r["n_process"] for r in results):
        pairs = [
            _ratios(r, plain[n_process, r["round"]])
            for r in results
            if r["kind"] == "ingest" and r["n_process"] == n_process
        ]
        speeds, costs = [speed for speed, _ in pairs], [cost for _, cost in pairs]
        lines.append(
            f"{n_process} process(es), {len(pairs)} round(s): ingest vs plain spaCy median "
            f"{statistics.median(speeds):.2f}x ({min(speeds):.2f}-{max(speeds):.2f}x), "
            f"CPU median {statistics.median(costs):.2f}x ({min(costs):.2f}-{max(costs):.2f}x)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL(.gz) corpus (default: abp-10k)")
    parser.add_argument("--limit", type=int, default=1000, help="articles to use (default 1000)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="n_process values")
    parser.add_argument("--rounds", type=int, default=1, help="plain/ingest pairs per process count")
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
        for round_ in range(1, max(1, args.rounds) + 1):
            for n_process in args.processes:
                for kind in ("plain", "ingest") if round_ % 2 else ("ingest", "plain"):
                    started = time.strftime("%H:%M", time.gmtime())
                    result = measure(kind, path, n_process, args.batch_size)
                    results.append({**result, "round": round_, "started": started})
                    print(
                        f"  {kind} x{n_process}: {result['seconds']:.1f} s (from {started} UTC)",
                        file=sys.stderr,
                    )
    command = " ".join(["python", *sys.argv])
    print(f"\n`{command}` on {platform.node()} ({describe()})\n")
    print(table(results, words))
    print()
    print(summary(results))


if __name__ == "__main__":
    main()

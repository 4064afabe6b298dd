"""Side-by-side speed and memory of extractors on one corpus (``scripts/benchmark.py``).

Each system runs in a fresh Python process (``python -m ie.research.benchmark``) so that its peak
resident memory is its own: the process loads the extractor, then ``run_batch`` reads,
normalises, tags, decodes and writes the whole corpus; the time of that call is the end
to end time. Systems run one after the other in one run, ``repeats`` rounds of all of
them, and each system's median speed is reported, so that their ratios are comparable on
a noisy machine; absolute numbers are not.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ie.reading import read_text_file
from ie.research.report import table


def build_corpus(source: str | Path, directory: str | Path, megabytes: float) -> dict[str, Any]:
    """Copies of the bulletins of ``source`` (written as UTF-8 ``.txt``) until the corpus holds ``megabytes``."""
    texts = [(p.stem, read_text_file(p)) for p in sorted(Path(source).glob("*.txt"))]
    if not texts:
        raise FileNotFoundError(f"{source}: no .txt files to build the benchmark corpus from")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.txt"):
        old.unlink()
    size, characters, files, copy = 0, 0, 0, 0
    while size < megabytes * 1_000_000:
        for stem, text in texts:
            (directory / f"{copy:03d}_{stem}.txt").write_text(text, encoding="utf-8")
            size, characters, files = size + len(text.encode("utf-8")), characters + len(text), files + 1
        copy += 1
    return {"directory": str(directory), "bytes": size, "characters": characters, "documents": files,
            "description": f"the {len(texts)} bulletins of {source} repeated {copy} times, {size / 1e6:.2f} MB UTF-8"}


def machine() -> str:
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"


def run_system(name: str, settings: Mapping[str, Any], corpus: Mapping[str, Any], work_dir: str | Path,
               *, timeout: float | None = None) -> dict[str, Any]:
    """One system in a fresh process: its speed, peak memory and record count (or why it failed)."""
    output = Path(work_dir) / f"{name}.records.jsonl"
    command = [sys.executable, "-m", "ie.research.benchmark", json.dumps(dict(settings)), corpus["directory"], str(output)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"system": name, "error": f"timed out after {timeout} s", "settings": dict(settings)}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"system": name, "error": last, "settings": dict(settings)}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["chars_per_second"] = corpus["characters"] / result["seconds"]
    return {"system": name, **result, "settings": dict(settings)}


def _worker(settings_json: str, corpus_dir: str, output: str) -> None:
    from ie.batch import run_batch
    from ie.pipeline import Extractor

    started = time.perf_counter()
    extractor = Extractor.from_settings(json.loads(settings_json))
    loaded = time.perf_counter() - started
    summary = run_batch(extractor, corpus_dir, output, progress=False)
    if summary.failures:
        raise SystemExit(f"{len(summary.failures)} documents failed: {summary.failures[0]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(json.dumps({"seconds": summary.seconds, "load_seconds": loaded, "records": summary.records,
                      "documents": summary.documents, "peak_rss_mb": peak}))


def render_benchmark(result: Mapping[str, Any], reference: str, baseline: str, goal: float | None) -> str:
    """The markdown table: speed, ratios to ``reference`` (the default model) and ``baseline`` (the teacher)."""
    rows_by_name = {row["system"]: row for row in result["rows"]}

    def ratio(row: Mapping[str, Any], other: str) -> str:
        base = rows_by_name.get(other, {}).get("chars_per_second")
        return f"{row['chars_per_second'] / base:.2f}" if base else "–"

    rows = []
    for row in result["rows"]:
        if "error" in row:
            rows.append([row["system"], "not run: " + row["error"], *["–"] * 6])
            continue
        speeds = row.get("runs_chars_per_second", [row["chars_per_second"]])
        rows.append([row["system"], f"{row['chars_per_second']:,.0f}", f"{min(speeds):,.0f}–{max(speeds):,.0f}",
                     ratio(row, reference), ratio(row, baseline), f"{row['peak_rss_mb']:,.0f}",
                     f"{row['load_seconds']:.1f}", str(row["records"])])
    corpus = result["corpus"]
    parts = ["# Benchmark", "", f"Corpus: {corpus['description']} ({corpus['characters']:,} characters, "
             f"{corpus['documents']} documents). Machine: {result['machine']}.", "",
             "End to end: read, normalise, tag, decode and write JSONL (`run_batch`), each system in a fresh "
             f"process, one after the other in this run, {result.get('repeats', 1)} round(s) of all systems; the "
             "median run of each is shown. Load time (model, tokenizer) is separate.", "",
             table(["system", "characters / s (median)", "range over runs", f"× {reference}", f"× {baseline}",
                    "peak memory (MB)", "load s", "records"], rows), ""]
    reached = rows_by_name.get(reference, {}).get("chars_per_second")
    if goal and reached:
        verdict = "reached" if reached >= goal else f"not reached ({reached / goal:.0%} of it)"
        parts += [f"Goal for `{reference}`: {goal:,.0f} characters / s — {verdict}.", ""]
    for row in result["rows"]:
        parts.append(f"- `{row['system']}`: `{json.dumps(row.get('settings', {}), ensure_ascii=False)}`")
    return "\n".join(parts) + "\n"


def _median_row(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One system's row: the run of median speed, with every run's speed and the highest peak memory."""
    if any("error" in run for run in runs):
        return next(run for run in runs if "error" in run)
    if len({run["records"] for run in runs}) > 1:
        return {"system": runs[0]["system"], "settings": runs[0]["settings"],
                "error": f"record counts differ between runs: {[run['records'] for run in runs]}"}
    ordered = sorted(runs, key=lambda run: run["chars_per_second"])
    return {**ordered[len(ordered) // 2], "runs_chars_per_second": [run["chars_per_second"] for run in runs],
            "peak_rss_mb": max(run["peak_rss_mb"] for run in runs)}


def run_benchmark(systems: Mapping[str, Mapping[str, Any]], source: str | Path, work_dir: str | Path,
                  megabytes: float, *, only: Sequence[str] | None = None, repeats: int = 1,
                  timeout: float | None = None) -> dict[str, Any]:
    """Every system ``repeats`` times, round by round (all systems, then all again)."""
    work_dir = Path(work_dir)
    corpus = build_corpus(source, work_dir / "corpus", megabytes)
    chosen = {name: settings for name, settings in systems.items() if not only or name in only}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in chosen}
    for round_number in range(1, repeats + 1):
        for name, settings in chosen.items():
            if runs[name] and "error" in runs[name][-1]:
                continue  # a system that failed once is not run again
            row = run_system(name, settings, corpus, work_dir, timeout=timeout)
            if "error" in row:
                print(f"{name}: not run: {row['error']}", flush=True)
            else:
                print(f"round {round_number} {name}: {row['chars_per_second']:,.0f} characters/s, "
                      f"{row['peak_rss_mb']:,.0f} MB", flush=True)
            runs[name].append(row)
    return {"corpus": corpus, "machine": machine(), "repeats": repeats,
            "rows": [_median_row(system_runs) for system_runs in runs.values()]}


if __name__ == "__main__":
    _worker(*sys.argv[1:4])

"""One table over several cross-validation runs (the README's ablation table).

    python scripts/summarize_crossval.py reports/crossval/*/metrics.json > reports/crossval/summary.md
    python scripts/summarize_crossval.py reports/crossval/genre/metrics.json --snapshot docs/results/crossval_genre.json

The pooled table scores all held-out documents of a run as one evaluation (comparable with
``scripts/evaluate.py`` on a corpus); ``--snapshot FILE`` writes those numbers as a small JSON
file that documents can cite.

Runs with distilled students (``experiment=distil``) get a second table: each student's
record F1 minus its own fold's teacher's, per run, and over all (run, fold) pairs with the
standard error of that mean (several seeds of one recipe: ``trainer.seed=S name=...``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from ie.atomic import write_text_atomic
from ie.research.crossval_results import CrossValResult
from ie.research.report import fmt, mean_std, student_gaps, table

POOLED = [("record P", "record_precision"), ("record R", "record_recall"), ("record F1", "record_f1"),
          ("value F1", "value_f1"), ("period acc.", "slot_period"), ("org acc.", "slot_org")]


def _gap_cell(gaps: list[float]) -> str:
    if not gaps:
        return "–"
    error = statistics.stdev(gaps) / len(gaps) ** 0.5 if len(gaps) > 1 else float("nan")
    return f"{statistics.fmean(gaps):+.4f} ± {error:.4f} (n={len(gaps)})"


def student_gap_table(results: list[CrossValResult]) -> str | None:
    """Students minus their teachers (record F1), per run and pooled; None if no run has a student."""
    students = sorted({s for result in results for run in result.runs for s in run.systems if s.startswith("student")})
    if not students:
        return None
    rows, pooled = [], {s: [] for s in students}
    for result in results:
        for run in result.runs:
            if not any(s in run.systems for s in students):
                continue
            teacher = run.mean("model", "record_f1").mean
            cells = []
            for system in students:
                gaps = student_gaps(run, system)
                pooled[system] += gaps
                cells.append(_gap_cell(gaps))
            rows.append([result.name, "–" if teacher is None else f"{teacher:.4f}", *cells])
    rows.append(["all runs, pooled folds", "", *[_gap_cell(pooled[s]) for s in students]])
    return table(["run", "teacher record F1", *[f"{s} minus teacher (mean ± s.e.)" for s in students]], rows)


def pooled_snapshot(results: list[CrossValResult]) -> list[dict]:
    """Per run: what was held out, and each system's pooled headline scores."""
    return [{"name": result.name, "fold_by": run.fold_by, "fraction": run.fraction, "folds": len(run.folds),
             "documents": run.documents,
             "pooled": {system: {key: run.pooled[system][key] for _, key in POOLED} for system in run.systems}}
            for result in results for run in result.runs if run.pooled]


def pooled_table(snapshot: list[dict]) -> str:
    return table(["run", "held out", "system", *[name for name, _ in POOLED]],
                 [[run["name"], f"{run['documents']} documents in {run['folds']} folds ({run['fold_by']})", system,
                   *[fmt(scores[key]) for _, key in POOLED]]
                  for run in snapshot for system, scores in run["pooled"].items()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("metrics", nargs="+", type=Path, help="metrics.json files written by scripts/crossval.py")
    parser.add_argument("--snapshot", type=Path, help="also write the pooled scores to this JSON file")
    args = parser.parse_args(argv)
    rows, results = [], []
    for path in args.metrics:
        result = CrossValResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
        results.append(result)
        for run in result.runs:
            name = result.name + ("" if run.fraction == 1.0 else f" ({run.fraction * 100:.0f} %)")
            for system in run.systems:
                if system == "rules":
                    continue
                rows.append([name if system == "model" else f"{name}: {system}", mean_std(run.mean(system, "record_f1")),
                             mean_std(run.mean(system, "value_f1")), mean_std(run.mean(system, "span_micro_f1")),
                             mean_std(run.mean("rules", "record_f1")), mean_std(run.mean("rules", "span_micro_f1"))])
    print(table(["run", "model record F1", "model value F1", "model span F1", "rules record F1", "rules span F1"],
                rows))
    snapshot = pooled_snapshot(results)
    if snapshot:
        print("\nAll held-out documents pooled into one evaluation:\n")
        print(pooled_table(snapshot))
    if args.snapshot:
        write_text_atomic(args.snapshot, json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n")
    gaps = student_gap_table(results)
    if gaps:
        print("\nStudents against their teachers, record F1 (per fold: the student's minus its own teacher's):\n")
        print(gaps)
    return 0


if __name__ == "__main__":
    sys.exit(main())

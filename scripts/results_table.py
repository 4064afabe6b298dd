"""Side-by-side tables of several evaluation reports (``scripts/evaluate.py``'s ``metrics.json``).

    python scripts/results_table.py reports/test/combined reports/test/model reports/test/rules
    python scripts/results_table.py reports/test/* --by genre --by script --snapshot docs/results/test.json

Each argument is a report directory (or its ``metrics.json``); its name is the directory's
name. The first table has one row per report: record P / R / F1, value F1, period and org
accuracy; ``--by KEY`` adds one table per metadata key (genre, script, region, corpus) with
each report's record F1, period and org accuracy per value. ``--snapshot FILE`` also writes
those numbers as a small JSON file that documents can cite.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ie.atomic import write_text_atomic
from ie.research.evaluation import EvaluationResult
from ie.research.report import fmt, table
from ie.research.scoring import RecordEvaluation


def load(path: str) -> tuple[str, dict[str, Any]]:
    file = Path(path)
    file = file / "metrics.json" if file.is_dir() else file
    with open(file, encoding="utf-8") as stream:
        return file.parent.name, json.load(stream)


def summary(metrics: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers of one report (and of each of its groups)."""
    result = EvaluationResult.from_dict(metrics)

    def row(scores: RecordEvaluation) -> dict[str, Any]:
        return {"record_precision": scores.records.precision, "record_recall": scores.records.recall,
                "record_f1": scores.records.f1, "value_f1": scores.values.f1,
                "period": scores.slots["period"], "org": scores.slots["org"],
                "gold": scores.records.tp + scores.records.fn}

    return {**row(result.records), "extractor": result.extractor,
            "groups": {key: {value: {**row(group.scores), "documents": group.documents}
                             for value, group in groups.items()} for key, groups in result.groups.items()}}


def render(reports: dict[str, dict[str, Any]], keys: list[str]) -> str:
    parts = [table(["report", "record P", "record R", "record F1", "value F1", "period acc.", "org acc."],
                   [[name, fmt(s["record_precision"]), fmt(s["record_recall"]), fmt(s["record_f1"]),
                     fmt(s["value_f1"]), fmt(s["period"]), fmt(s["org"])] for name, s in reports.items()])]
    for key in keys:
        values = sorted({value for s in reports.values() for value in s["groups"].get(key, {})})
        first = next(iter(reports.values()))["groups"].get(key, {})
        header = [key, "documents", "gold records", *(f"{name} F1 / period / org" for name in reports)]
        rows = []
        for value in values:
            cells = []
            for s in reports.values():
                g = s["groups"].get(key, {}).get(value)
                cells.append("–" if g is None else f"{fmt(g['record_f1'])} / {fmt(g['period'])} / {fmt(g['org'])}")
            known = first.get(value, {})
            rows.append([value, str(known.get("documents", "–")), str(known.get("gold", "–")), *cells])
        parts += ["", f"By {key}:", "", table(header, rows)]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", help="report directories (or metrics.json files)")
    parser.add_argument("--by", action="append", default=[], help="a metadata key: genre, script, region, corpus")
    parser.add_argument("--snapshot", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args(argv)
    try:
        reports = {name: summary(metrics) for name, metrics in map(load, args.reports)}
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot read a report: {error}", file=sys.stderr)
        return 1
    print(render(reports, args.by), end="")
    if args.snapshot:
        write_text_atomic(args.snapshot, json.dumps(reports, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One table over several cross-validation runs (the README's ablation table).

    python scripts/summarize_crossval.py reports/crossval/*/metrics.json > reports/crossval/summary.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ie.report import table


def _cell(stat: dict) -> str:
    return "–" if stat["mean"] is None else f"{stat['mean']:.3f} ± {stat['std']:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("metrics", nargs="+", type=Path, help="metrics.json files written by scripts/crossval.py")
    args = parser.parse_args(argv)
    rows = []
    for path in args.metrics:
        result = json.loads(path.read_text(encoding="utf-8"))
        for run in result["runs"]:
            rules = run["aggregate"]["rules"]
            name = result["name"] + ("" if run["fraction"] == 1.0 else f" ({run['fraction'] * 100:.0f} %)")
            for system in run.get("systems", ["model", "rules"]):
                if system == "rules":
                    continue
                scores = run["aggregate"][system]
                rows.append([name if system == "model" else f"{name}: {system}", _cell(scores["record_f1"]),
                             _cell(scores["value_f1"]), _cell(scores["span_micro_f1"]),
                             _cell(rules["record_f1"]), _cell(rules["span_micro_f1"])])
    print(table(["run", "model record F1", "model value F1", "model span F1", "rules record F1", "rules span F1"],
                rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

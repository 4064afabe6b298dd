"""Check all annotation files against the seed documents and print counts per label.

    python scripts/validate.py
    python scripts/validate.py --spans annotations/seeds.spans.jsonl --records annotations/seeds.records.jsonl

Exits 1 and prints ``file:line: reason`` for every problem; 0 when all is well.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ie.annotations.validate import validate_annotations

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="directory of the seed .txt files")
    parser.add_argument("--spans", type=Path, default=ROOT / "annotations" / "seeds.spans.jsonl")
    parser.add_argument("--records", type=Path, default=ROOT / "annotations" / "seeds.records.jsonl")
    parser.add_argument("--bio", type=Path, default=ROOT / "annotations" / "seeds.bio")
    args = parser.parse_args(argv)
    report = validate_annotations(args.seeds, args.spans, args.records, args.bio)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())

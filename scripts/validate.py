"""Check the annotation files of every corpus (or one) against its documents and print counts per label.

    python scripts/validate.py                  # every corpus of annotations/corpora.yaml
    python scripts/validate.py --corpus test    # one corpus

Exits 1 and prints ``file:line: reason`` for every problem; 0 when all is well.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ie.research.annotations.corpus import corpus_names, load_corpus
from ie.research.annotations.validate import validate_annotations

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", help="a corpus of annotations/corpora.yaml (repeatable; "
                                                          "default: all that have annotations)")
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations")
    args = parser.parse_args(argv)
    failed = False
    for name in args.corpus or corpus_names(args.annotations):
        try:
            corpus = load_corpus(name, args.annotations)
        except ValueError as error:
            parser.error(str(error))
        if not corpus.spans.exists() and not args.corpus:
            continue
        documents = corpus.documents if corpus.documents.exists() else None  # metadata is optional for a corpus
        report = validate_annotations(corpus.texts, corpus.spans, corpus.records, corpus.bio, documents)
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"== {name} ({corpus.texts})\n{report.summary()}")
        failed |= bool(report.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

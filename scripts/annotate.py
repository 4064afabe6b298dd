"""Annotation workflow: propose worksheets, compile them into the gold files, export BIO.

    python scripts/annotate.py propose              # annotations/worksheets/<doc>.json from seeds/
    python scripts/annotate.py compile              # worksheets -> seeds.spans.jsonl + seeds.records.jsonl
    python scripts/annotate.py compile --check DOC  # report a worksheet's problems, write nothing
    python scripts/annotate.py export-bio           # seeds.spans.jsonl -> seeds.bio

Worksheets are a working view (git-ignored); the span and record JSONL files are the
source of truth. See annotations/GUIDELINES.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ie.annotations.conll import write_bio
from ie.annotations.corpus import read_documents, read_sentences, segment_document, write_sentences
from ie.annotations.worksheet import compile_worksheet, load_worksheet, propose_worksheet
from ie.io import write_jsonl_atomic, write_text_atomic

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("propose", "compile", "export-bio"))
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--worksheets", type=Path, default=ROOT / "annotations" / "worksheets")
    parser.add_argument("--spans", type=Path, default=ROOT / "annotations" / "seeds.spans.jsonl")
    parser.add_argument("--records", type=Path, default=ROOT / "annotations" / "seeds.records.jsonl")
    parser.add_argument("--bio", type=Path, default=ROOT / "annotations" / "seeds.bio")
    parser.add_argument("--check", metavar="DOC", help="with compile: check one document's worksheet only")
    parser.add_argument("--force", action="store_true", help="with propose: overwrite existing worksheets")
    args = parser.parse_args(argv)

    if args.command == "export-bio":
        write_bio(args.bio, read_sentences(args.spans))
        print(f"wrote {args.bio}")
        return 0

    documents = {doc_id: segment_document(doc_id, text) for doc_id, text in read_documents(args.seeds).items()}
    if args.command == "propose":
        for doc_id, document in documents.items():
            path = args.worksheets / f"{doc_id}.json"
            if path.exists() and not args.force:
                print(f"{path}: exists, kept (use --force to overwrite)")
                continue
            write_text_atomic(path, json.dumps(propose_worksheet(document), ensure_ascii=False, indent=1) + "\n")
            print(f"{path}: {len(document.sentences)} sentences")
        return 0

    selected = [args.check] if args.check else list(documents)
    all_sentences, all_records, problems = [], [], []
    for doc_id in selected:
        path = args.worksheets / f"{doc_id}.json"
        sentences, records, found = compile_worksheet(load_worksheet(path), documents[doc_id], name=str(path))
        all_sentences += sentences
        all_records += records
        problems += found
        spans = sum(len(s.spans) for s in sentences)
        print(f"{doc_id}: {len(sentences)} sentences, {spans} spans, {len(records)} records, {len(found)} problems")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems or args.check:
        return 1 if problems else 0
    write_sentences(args.spans, all_sentences)
    write_jsonl_atomic(args.records, all_records)
    print(f"wrote {args.spans} and {args.records}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

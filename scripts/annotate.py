"""Annotation workflow: propose worksheets, compile them into the gold files, export BIO.

    python scripts/annotate.py propose              # worksheets holding the gold spans and records (if any)
    python scripts/annotate.py propose --empty      # empty worksheets with VALUE candidates (new documents)
    python scripts/annotate.py compile              # worksheets -> seeds.spans.jsonl + seeds.records.jsonl
    python scripts/annotate.py compile --check DOC  # report a worksheet's problems, write nothing
    python scripts/annotate.py export-bio           # seeds.spans.jsonl -> seeds.bio
    python scripts/annotate.py export-label-studio FILE.json   # + FILE.xml, the labelling config
    python scripts/annotate.py import-label-studio FILE.json   # corrected spans back into seeds.spans.jsonl
    python scripts/annotate.py export-doccano FILE.jsonl
    python scripts/annotate.py import-doccano FILE.jsonl

Worksheets are a working view (git-ignored); the span and record JSONL files are the
source of truth. To correct the gold by hand: propose --force, edit, compile. compile
refuses to write fewer spans or records than the gold files hold unless --force is given. See annotations/GUIDELINES.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ie.annotations import tools
from ie.annotations.conll import write_bio
from ie.annotations.corpus import read_documents, read_sentences, write_sentences
from ie.document import segment_document
from ie.annotations.worksheet import compile_worksheet, load_worksheet, propose_worksheet, worksheet_from_gold
from ie.io import read_jsonl, write_jsonl_atomic, write_text_atomic

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("propose", "compile", "export-bio", "export-label-studio",
                                            "import-label-studio", "export-doccano", "import-doccano"))
    parser.add_argument("file", nargs="?", type=Path, help="the Label Studio / doccano file")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--worksheets", type=Path, default=ROOT / "annotations" / "worksheets")
    parser.add_argument("--spans", type=Path, default=ROOT / "annotations" / "seeds.spans.jsonl")
    parser.add_argument("--records", type=Path, default=ROOT / "annotations" / "seeds.records.jsonl")
    parser.add_argument("--bio", type=Path, default=ROOT / "annotations" / "seeds.bio")
    parser.add_argument("--check", metavar="DOC", help="with compile: check one document's worksheet only")
    parser.add_argument("--force", action="store_true",
                        help="propose: overwrite existing worksheets; compile: allow fewer spans or records than the gold")
    parser.add_argument("--empty", action="store_true",
                        help="with propose: empty worksheets even where gold annotations exist")
    args = parser.parse_args(argv)

    if args.command == "export-bio":
        write_bio(args.bio, read_sentences(args.spans))
        print(f"wrote {args.bio}")
        return 0
    if args.command.startswith(("export-", "import-")):
        if args.file is None:
            parser.error(f"{args.command} needs a FILE")
        return _exchange(args)

    documents = {doc_id: segment_document(doc_id, text) for doc_id, text in read_documents(args.seeds).items()}
    if args.command == "propose":
        for doc_id, document in documents.items():
            path = args.worksheets / f"{doc_id}.json"
            if path.exists() and not args.force:
                print(f"{path}: exists, kept (use --force to overwrite)")
                continue
            if not args.empty and args.spans.exists() and args.records.exists():
                sheet = worksheet_from_gold(document, read_sentences(args.spans), [r for _, r in read_jsonl(args.records)])
            else:
                sheet = propose_worksheet(document)
            write_text_atomic(path, json.dumps(sheet, ensure_ascii=False, indent=1) + "\n")
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
    if args.spans.exists() and args.records.exists() and not args.force:
        old_spans = sum(len(s.spans) for s in read_sentences(args.spans))
        old_records = len(read_jsonl(args.records))
        new_spans = sum(len(s.spans) for s in all_sentences)
        if new_spans < old_spans or len(all_records) < old_records:
            print(f"refusing to replace {old_spans} spans / {old_records} records by {new_spans} / "
                  f"{len(all_records)} (were the worksheets proposed empty?); use --force", file=sys.stderr)
            return 1
    write_sentences(args.spans, all_sentences)
    write_jsonl_atomic(args.records, all_records)
    write_bio(args.bio, all_sentences)
    print(f"wrote {args.spans}, {args.records} and {args.bio}")
    return 0


def _exchange(args: argparse.Namespace) -> int:
    """Export spans to, or import corrected spans from, Label Studio or doccano."""
    sentences = read_sentences(args.spans)
    if args.command == "export-label-studio":
        tools.write_label_studio(args.file, sentences)
        write_text_atomic(args.file.with_suffix(".xml"), tools.label_studio_config())
    elif args.command == "export-doccano":
        tools.write_doccano(args.file, sentences)
    else:
        read = tools.read_label_studio if args.command == "import-label-studio" else tools.read_doccano
        merged = tools.merge_spans(sentences, read(args.file))
        write_sentences(args.spans, merged)
        write_bio(args.bio, merged)
        print(f"updated {args.spans} and {args.bio}; run scripts/validate.py to check the records against them")
        return 0
    print(f"wrote {args.file} ({len(sentences)} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Annotation workflow for a corpus: propose worksheets, compile them into the gold files, export BIO.

    python scripts/annotate.py propose                        # seeds: worksheets holding the gold (if any)
    python scripts/annotate.py propose --corpus mine --texts DIR   # register a folder of .txt bulletins as corpus "mine"
    python scripts/annotate.py propose --corpus train --doc ID     # one document's worksheet
    python scripts/annotate.py propose --empty      # empty worksheets with VALUE candidates (new documents)
    python scripts/annotate.py compile              # worksheets -> NAME.spans.jsonl, NAME.records.jsonl, NAME.bio, NAME.documents.jsonl
    python scripts/annotate.py compile --check DOC  # report a worksheet's problems and print its records, write nothing
    python scripts/annotate.py export-bio           # NAME.spans.jsonl -> NAME.bio
    python scripts/annotate.py export-label-studio FILE.json   # + FILE.xml, the labelling config
    python scripts/annotate.py import-label-studio FILE.json   # corrected spans back into NAME.spans.jsonl
    python scripts/annotate.py export-doccano FILE.jsonl
    python scripts/annotate.py import-doccano FILE.jsonl

Every command takes ``--corpus NAME`` (default ``seeds``; the corpora are listed in
``annotations/corpora.yaml``). Worksheets are a working view (git-ignored, in
``annotations/worksheets/NAME/``); the span, record and document JSONL files are the
source of truth. To correct the gold by hand: propose --force, edit, compile. compile
refuses to write fewer spans or records than the gold files hold unless --force is given.
See annotations/GUIDELINES.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ie.research.annotations import tools
from ie.research.annotations.conll import write_bio
from ie.research.annotations.corpus import (Corpus, load_corpus, read_document_meta, read_documents, read_jsonl,
                                            read_sentences, write_sentences)
from ie.document import segment_document
from ie.research.annotations.worksheet import compile_worksheet, load_worksheet, propose_worksheet, worksheet_from_gold
from ie.atomic import write_jsonl_atomic, write_text_atomic
from ie.reading import read_text_file

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("propose", "compile", "export-bio", "export-label-studio",
                                            "import-label-studio", "export-doccano", "import-doccano"))
    parser.add_argument("file", nargs="?", type=Path, help="the Label Studio / doccano file")
    parser.add_argument("--corpus", default="seeds", help="the corpus (annotations/corpora.yaml)")
    parser.add_argument("--texts", type=Path, help="the corpus's directory of .txt documents (registers the corpus)")
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations")
    parser.add_argument("--worksheets", type=Path, help="default: annotations/worksheets/CORPUS")
    parser.add_argument("--doc", action="append", help="with propose: only this document (repeatable)")
    parser.add_argument("--check", metavar="DOC", help="with compile: check one document's worksheet only")
    parser.add_argument("--force", action="store_true",
                        help="propose: overwrite existing worksheets; compile: allow fewer spans or records than the gold")
    parser.add_argument("--empty", action="store_true",
                        help="with propose: empty worksheets even where gold annotations exist")
    args = parser.parse_args(argv)
    try:
        corpus = load_corpus(args.corpus, args.annotations, texts=args.texts)
    except ValueError as error:
        parser.error(str(error))
    worksheets = args.worksheets or args.annotations / "worksheets" / corpus.name

    if args.command == "export-bio":
        write_bio(corpus.bio, read_sentences(corpus.spans))
        print(f"wrote {corpus.bio}")
        return 0
    if args.command.startswith(("export-", "import-")):
        if args.file is None:
            parser.error(f"{args.command} needs a FILE")
        return _exchange(args, corpus)

    wanted = [args.check] if args.check else args.doc
    if wanted:
        missing = [doc_id for doc_id in wanted if not (corpus.texts / f"{doc_id}.txt").exists()]
        if missing:
            parser.error(f"{corpus.texts}: no document {missing}")
        texts = {doc_id: read_text_file(corpus.texts / f"{doc_id}.txt") for doc_id in wanted}
    else:
        texts = read_documents(corpus.texts)
    if not texts:
        parser.error(f"{corpus.texts}: no .txt documents")
    documents = {doc_id: segment_document(doc_id, text) for doc_id, text in texts.items()}
    if args.command == "propose":
        gold = corpus.spans.exists() and corpus.records.exists() and not args.empty
        meta = read_document_meta(corpus.documents)
        for doc_id in args.doc or documents:
            document = documents[doc_id]
            path = worksheets / f"{doc_id}.json"
            if path.exists() and not args.force:
                print(f"{path}: exists, kept (use --force to overwrite)")
                continue
            if gold:
                sheet = worksheet_from_gold(document, read_sentences(corpus.spans),
                                            [r for _, r in read_jsonl(corpus.records)], meta.get(doc_id))
            else:
                sheet = propose_worksheet(document)
            write_text_atomic(path, json.dumps(sheet, ensure_ascii=False, indent=1) + "\n")
            print(f"{path}: {len(document.sentences)} sentences")
        return 0

    selected = [args.check] if args.check else list(documents)
    all_sentences, all_records, all_meta, problems = [], [], [], []
    for doc_id in selected:
        path = worksheets / f"{doc_id}.json"
        if not path.exists():
            problems.append(f"{path}: no worksheet (run propose)")
            continue
        sheet = load_worksheet(path)
        sentences, records, found = compile_worksheet(sheet, documents[doc_id], name=str(path))
        all_sentences += sentences
        all_records += records
        all_meta.append({"doc_id": doc_id, **sheet.get("meta", {})})
        problems += found
        spans = sum(len(s.spans) for s in sentences)
        print(f"{doc_id}: {len(sentences)} sentences, {spans} spans, {len(records)} records, {len(found)} problems")
        if args.check:
            for record in records:
                print(_record_line(record))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems or args.check:
        return 1 if problems else 0
    if corpus.spans.exists() and corpus.records.exists() and not args.force:
        old_spans = sum(len(s.spans) for s in read_sentences(corpus.spans))
        old_records = len(read_jsonl(corpus.records))
        new_spans = sum(len(s.spans) for s in all_sentences)
        if new_spans < old_spans or len(all_records) < old_records:
            print(f"refusing to replace {old_spans} spans / {old_records} records by {new_spans} / "
                  f"{len(all_records)} (were the worksheets proposed empty?); use --force", file=sys.stderr)
            return 1
    write_sentences(corpus.spans, all_sentences)
    write_jsonl_atomic(corpus.records, all_records)
    write_bio(corpus.bio, all_sentences)
    written = [corpus.spans, corpus.records, corpus.bio]
    if any(len(row) > 1 for row in all_meta):
        write_jsonl_atomic(corpus.documents, all_meta)
        written.append(corpus.documents)
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _record_line(record: dict) -> str:
    """One compiled record, readable: sentence, evidence, value, unit and the slots."""
    slots = " ".join(f"{key}={record[key]}" for key in ("qualifier", "direction", "baseline", "period", "org",
                                                         "from_value") if record.get(key) is not None)
    flag = " (optional)" if record.get("optional") else ""
    return (f"  s{record['sent_id']} {record['evidence']['text']!r} -> {record['metric']} = {record['value']:g} "
            f"{record['unit'] or ''} {slots}{flag}").rstrip()


def _exchange(args: argparse.Namespace, corpus: Corpus) -> int:
    """Export spans to, or import corrected spans from, Label Studio or doccano."""
    sentences = read_sentences(corpus.spans)
    if args.command == "export-label-studio":
        tools.write_label_studio(args.file, sentences)
        write_text_atomic(args.file.with_suffix(".xml"), tools.label_studio_config())
    elif args.command == "export-doccano":
        tools.write_doccano(args.file, sentences)
    else:
        read = tools.read_label_studio if args.command == "import-label-studio" else tools.read_doccano
        merged = tools.merge_spans(sentences, read(args.file))
        write_sentences(corpus.spans, merged)
        write_bio(corpus.bio, merged)
        print(f"updated {corpus.spans} and {corpus.bio}; run scripts/validate.py to check the records against them")
        return 0
    print(f"wrote {args.file} ({len(sentences)} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks of the annotation files; every problem names ``file:line`` and the value.

``validate_annotations`` re-segments the seed documents and compares: sentence offsets
and texts, spans (range, slice, label, overlaps, BIO), the derived BIO file, and the gold
records (fields, evidence offsets into the original, agreement with the spans and with
the quantity parser, metric and inherited slots that are spans of the document: the
sentence itself or, for period, org, baseline and direction, an earlier sentence, such as
a heading, a lead, a table header or a speaker line; see ``annotations/GUIDELINES.md``),
and the documents' metadata when a ``NAME.documents.jsonl`` file is given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ie.research.annotations.conll import read_bio
from ie.research.annotations.corpus import meta_problems, read_documents, read_jsonl
from ie.document import SegmentedDocument, SentenceAnnotation, segment_document
from ie.research.annotations.worksheet import metric_matches_spans
from ie.quantity import SIGNS, QuantityError, parse_quantity
from ie.schema import LABELS, RECORD_FIELDS, Record, SchemaError, Span
from ie.spans import SpanError, bio_to_spans, check_spans, is_valid_bio, spans_to_bio

GOLD_RECORD_EXTRAS = ("sent_id", "optional", "note")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    sentences: int = 0
    sentences_with_records: int = 0
    documents: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    records: int = 0
    optional_records: int = 0

    def summary(self) -> str:
        lines = [f"documents: {len(self.documents)}", f"sentences: {self.sentences} "
                 f"({self.sentences_with_records} with records)"]
        lines += [f"  {doc}: {n} sentences" for doc, n in sorted(self.documents.items())]
        lines += ["spans per label:"] + [f"  {label:<7} {self.labels[label]}" for label in LABELS]
        lines += [f"records: {self.records} ({self.optional_records} optional)", f"problems: {len(self.problems)}"]
        return "\n".join(lines)


def _check_sentence_rows(path: Path, rows: list[tuple[int, dict[str, Any]]],
                         documents: dict[str, SegmentedDocument], report: ValidationReport) -> dict:
    """Parse and check the span JSONL; return ``{(doc_id, sent_id): (line, SentenceAnnotation)}``."""
    sentences: dict[tuple[str, int], tuple[int, SentenceAnnotation]] = {}
    for line, row in rows:
        try:
            text = str(row["text"])
            spans = [Span.from_dict(s) for s in row.get("spans", [])]
            sentence = SentenceAnnotation(str(row["doc_id"]), int(row["sent_id"]), int(row["start"]),
                                          int(row["end"]), text, int(row.get("paragraph", 0)),
                                          tuple(check_spans(text, spans)))
        except (KeyError, TypeError, ValueError) as error:
            report.problems.append(Problem(str(path), line, str(error)))
            continue
        key = (sentence.doc_id, sentence.sent_id)
        if key in sentences:
            report.problems.append(Problem(str(path), line, f"duplicate sentence {key} (first on line {sentences[key][0]})"))
            continue
        document = documents.get(sentence.doc_id)
        if document is None:
            report.problems.append(Problem(str(path), line, f"unknown document {sentence.doc_id!r}"))
            continue
        if sentence.sent_id >= len(document.sentences):
            report.problems.append(Problem(str(path), line, f"sentence id {sentence.sent_id} out of range "
                                                            f"({len(document.sentences)} sentences)"))
            continue
        expected = document.sentences[sentence.sent_id]
        if (sentence.start, sentence.end, sentence.text) != (expected.start, expected.end, expected.text):
            report.problems.append(Problem(str(path), line, f"sentence [{sentence.start},{sentence.end}) "
                                   f"{sentence.text[:20]!r} differs from the segmented document: "
                                   f"[{expected.start},{expected.end}) {expected.text[:20]!r}"))
            continue
        tags = spans_to_bio(sentence.text, sentence.spans)
        if not is_valid_bio(tags) or bio_to_spans(sentence.text, tags) != list(sentence.spans):
            report.problems.append(Problem(str(path), line, "spans do not survive the BIO round trip"))
        sentences[key] = (line, sentence)
        report.labels.update(s.label for s in sentence.spans)
    for doc_id, document in documents.items():
        missing = [s.sent_id for s in document.sentences if (doc_id, s.sent_id) not in sentences]
        if missing:
            report.problems.append(Problem(str(path), None, f"{doc_id}: sentences {missing} are not annotated"))
    return sentences


def _check_bio(path: Path, sentences: dict, report: ValidationReport) -> None:
    try:
        blocks = read_bio(path)
    except (OSError, ValueError) as error:
        report.problems.append(Problem(str(path), None, str(error)))
        return
    seen = set()
    for doc_id, sent_id, text, tags in blocks:
        key = (doc_id, sent_id)
        seen.add(key)
        entry = sentences.get(key)
        if entry is None:
            report.problems.append(Problem(str(path), None, f"sentence {key} is not in the span file"))
            continue
        sentence = entry[1]
        if not is_valid_bio(tags):
            report.problems.append(Problem(str(path), None, f"sentence {key}: tags are not well-formed IOB2"))
        elif text != sentence.text or tags != spans_to_bio(sentence.text, sentence.spans):
            report.problems.append(Problem(str(path), None, f"sentence {key}: out of sync with the span file "
                                                            f"(run scripts/annotate.py export-bio)"))
    for key in sorted(set(sentences) - seen):
        report.problems.append(Problem(str(path), None, f"sentence {key} is missing (run scripts/annotate.py export-bio)"))


def _check_record(row: dict[str, Any], sentences: dict, documents: dict[str, SegmentedDocument],
                  by_document: dict[str, list[SentenceAnnotation]]) -> list[str]:
    unknown = set(row) - set(RECORD_FIELDS) - set(GOLD_RECORD_EXTRAS)
    if unknown:
        return [f"unknown fields {sorted(unknown)}"]
    try:
        record = Record.from_dict(row)
    except (SchemaError, KeyError, TypeError, ValueError) as error:
        return [str(error)]
    document = documents.get(record.doc_id)
    entry = sentences.get((record.doc_id, row.get("sent_id")))
    if document is None or entry is None:
        return [f"no annotated sentence {row.get('sent_id')!r} in document {record.doc_id!r}"]
    sentence: SentenceAnnotation = entry[1]
    errors = []
    evidence, original = record.evidence, document.normalized.original
    if not 0 <= evidence.start < evidence.end <= len(original) or original[evidence.start:evidence.end] != evidence.text:
        return [f"evidence [{evidence.start},{evidence.end}) {evidence.text!r} is not the original text there"]
    base = document.normalized_starts[sentence.sent_id]
    try:
        start, end = document.normalized.from_original(evidence.start, evidence.end)
    except ValueError as error:
        return [str(error)]
    start, end = start - base, end - base
    values = [s for s in sentence.spans if s.label == "VALUE"]
    if not any(s.end == end and (s.start == start or record.from_value is not None) for s in values):
        errors.append(f"evidence {evidence.text!r} is not a VALUE span of sentence {sentence.sent_id}")
    in_document = by_document.get(record.doc_id, [])
    earlier = [s for s in in_document if s.sent_id <= sentence.sent_id]
    document_metrics = {span.text for s in in_document for span in s.spans if span.label == "METRIC"}
    if not metric_matches_spans(record.metric, list(sentence.spans), document_metrics):
        errors.append(f"metric {record.metric!r} is not a METRIC span (or two joined) of sentence "
                      f"{sentence.sent_id} nor of the document")
    if not row.get("note"):
        try:
            quantity = parse_quantity(sentence.text[max(start, 0):end])
            parsed = (quantity.value, quantity.unit, quantity.qualifier, quantity.from_value)
            stated = (record.value, record.unit, record.qualifier, record.from_value)
            if parsed != stated:
                errors.append(f"value/unit/qualifier/from_value {stated} disagree with the quantity parser {parsed} "
                              f"(add a note if the parser is wrong)")
        except QuantityError as error:
            errors.append(f"{error} (add a note if the parser is wrong)")
    signed = evidence.text.lstrip("(（")[:1] in SIGNS
    if record.direction is not None and not signed and not any(
            span.label == "TREND" for s in earlier for span in s.spans):
        errors.append(f"direction {record.direction!r} without a sign, nor a TREND span in sentence "
                      f"{sentence.sent_id} or before it")
    for slot, label in (("baseline", "BASE"), ("period", "TIME"), ("org", "ORG")):
        text = getattr(record, slot)
        if text is not None and not any(span.label == label and span.text == text for s in earlier for span in s.spans):
            errors.append(f"{slot} {text!r} is not a {label} span of sentence {sentence.sent_id} or of one before it")
    return errors


def validate_annotations(seeds: str | Path, spans_path: str | Path, records_path: str | Path,
                         bio_path: str | Path, documents_path: str | Path | None = None) -> ValidationReport:
    report = ValidationReport()
    documents = {doc_id: segment_document(doc_id, text) for doc_id, text in read_documents(seeds).items()}
    if documents_path is not None:
        _check_meta(Path(documents_path), documents, report)
    spans_path, records_path, bio_path = Path(spans_path), Path(records_path), Path(bio_path)
    try:
        rows = read_jsonl(spans_path)
    except (OSError, ValueError) as error:
        report.problems.append(Problem(str(spans_path), None, str(error)))
        return report
    sentences = _check_sentence_rows(spans_path, rows, documents, report)
    report.sentences = len(sentences)
    report.documents.update(doc for doc, _ in sentences)
    _check_bio(bio_path, sentences, report)

    try:
        record_rows = read_jsonl(records_path)
    except (OSError, ValueError) as error:
        report.problems.append(Problem(str(records_path), None, str(error)))
        return report
    evidence_ranges: dict[tuple[str, int], list[tuple[int, int]]] = {}
    with_records = set()
    by_document: dict[str, list[SentenceAnnotation]] = {}
    for (doc_id, _), (_, sentence) in sentences.items():
        by_document.setdefault(doc_id, []).append(sentence)
    for line, row in record_rows:
        for message in _check_record(row, sentences, documents, by_document):
            report.problems.append(Problem(str(records_path), line, message))
        report.records += 1
        report.optional_records += bool(row.get("optional"))
        key = (row.get("doc_id"), row.get("sent_id"))
        with_records.add(key)
        evidence = row.get("evidence") or {}
        evidence_ranges.setdefault(key, []).append((evidence.get("start", -1), evidence.get("end", -1)))
    report.sentences_with_records = len(with_records)
    for (doc_id, sent_id), (line, sentence) in sentences.items():
        document = documents[doc_id]
        for span in sentence.spans:
            if span.label != "VALUE":
                continue
            start, end = document.sentence_span_to_original(sent_id, span.start, span.end)
            if not any(a <= start and end <= b for a, b in evidence_ranges.get((doc_id, sent_id), [])):
                report.problems.append(Problem(str(spans_path), line, f"VALUE [{span.start},{span.end}) {span.text!r} "
                                                                      f"belongs to no record"))
    return report


def _check_meta(path: Path, documents: dict[str, SegmentedDocument], report: ValidationReport) -> None:
    """Every document has one valid metadata row."""
    try:
        rows = read_jsonl(path)
    except (OSError, ValueError) as error:
        report.problems.append(Problem(str(path), None, str(error)))
        return
    seen = set()
    for line, row in rows:
        doc_id = row.get("doc_id")
        if doc_id not in documents:
            report.problems.append(Problem(str(path), line, f"no document {doc_id!r}"))
        if doc_id in seen:
            report.problems.append(Problem(str(path), line, f"document {doc_id!r} listed twice"))
        seen.add(doc_id)
        for message in meta_problems({k: v for k, v in row.items() if k != "doc_id"}):
            report.problems.append(Problem(str(path), line, message))
    for doc_id in sorted(set(documents) - seen):
        report.problems.append(Problem(str(path), None, f"document {doc_id!r} has no metadata row"))


__all__ = ["Problem", "SpanError", "ValidationReport", "validate_annotations"]

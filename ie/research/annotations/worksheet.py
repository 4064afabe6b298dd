"""Worksheets: the hand-editable form in which people annotate a document.

A worksheet lists a document's sentences; the annotator writes spans as
``[label, text]`` (or ``[label, text, k]`` for the k-th occurrence of ``text`` in the
sentence, 1-based) in left-to-right order, and records that refer to those spans by
text. ``compile_worksheet`` turns it into offset-based ``SentenceAnnotation`` rows and
gold records, and reports every problem with the sentence it is in. Offsets are never
typed by hand.

Record entries::

    {"metric": "电诈发案数", "value": "39.1%", "from": null, "direction": "down",
     "baseline": "同比", "period": "今年以来", "org": "公安机关", "optional": false}

``value`` and ``from`` name VALUE spans (``value_occurrence`` / ``from_occurrence``: which
of several VALUE spans with the same text, 1-based); ``metric`` is one METRIC span's text or two joined
(verb + noun around the value); ``value``, ``unit``, ``qualifier`` and ``from_value`` come
from ``ie.quantity.parse_quantity`` unless ``override`` gives them (with a ``note``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ie.research.annotations.corpus import META_FIELDS, meta_problems
from ie.document import SegmentedDocument, SentenceAnnotation
from ie.quantity import QuantityError, canonical_unit, find_mentions, parse_quantity
from ie.schema import LABELS, Span
from ie.spans import SpanError, check_spans

RECORD_KEYS = ("metric", "value", "value_occurrence", "from", "from_occurrence", "direction", "baseline", "period", "org",
               "optional", "override", "note")


@dataclass(frozen=True)
class WorksheetProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def propose_worksheet(document: SegmentedDocument) -> dict[str, Any]:
    """A fresh worksheet: every sentence, with the quantity parser's VALUE candidates."""
    return {
        "doc_id": document.doc_id,
        "meta": {key: None for key in META_FIELDS} | {"damage": []},
        "sentences": [
            {
                "sent_id": s.sent_id,
                "paragraph": s.paragraph,
                "text": s.text,
                "candidates": [m.text for m in find_mentions(s.text) if m.kind in ("quantity", "bare")],
                "spans": [],
                "records": [],
            }
            for s in document.sentences
        ],
    }


def worksheet_from_gold(
    document: SegmentedDocument, sentences: list[SentenceAnnotation], records: list[dict[str, Any]],
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A worksheet holding the gold spans, records and metadata, to correct them by hand and compile again."""
    sheet = propose_worksheet(document)
    if meta is not None:
        sheet["meta"] = dict(meta)
    gold = {s.sent_id: s for s in sentences if s.doc_id == document.doc_id}
    for row in sheet["sentences"]:
        sentence = gold.get(row["sent_id"])
        if sentence is None:
            continue
        row["spans"] = [[span.label, span.text, _occurrence(sentence.text, span)] for span in sentence.spans]
        values = [s for s in sentence.spans if s.label == "VALUE"]
        for record in (r for r in records if r["doc_id"] == document.doc_id and r["sent_id"] == row["sent_id"]):
            base = document.normalized_starts[sentence.sent_id]
            start, end = document.normalized.from_original(record["evidence"]["start"], record["evidence"]["end"])
            value = next(s for s in values if s.end == end - base)
            same_text = [s for s in values if s.text == value.text]
            entry = {"metric": record["metric"], "value": value.text}
            if len(same_text) > 1:
                entry["value_occurrence"] = same_text.index(value) + 1
            if record.get("from_value") is not None:
                first = next(s for s in values if s.start >= start - base and s.end < end - base)
                entry["from"] = first.text
                same_from = [s for s in values if s.text == first.text]
                if len(same_from) > 1:
                    entry["from_occurrence"] = same_from.index(first) + 1
            entry.update({key: record.get(key) for key in ("direction", "baseline", "period", "org", "optional")})
            if record.get("note"):
                entry["note"] = record["note"]
                entry["override"] = {k: record[k] for k in ("value", "unit", "qualifier", "from_value")}
            row["records"].append(entry)
    return sheet


def _occurrence(text: str, span: Span) -> int:
    """1-based occurrence of ``span.text`` in ``text`` that starts at ``span.start``."""
    count, position = 0, -1
    while True:
        position = text.find(span.text, position + 1)
        count += 1
        if position == span.start:
            return count


def _locate_spans(text: str, entries: list[Any], where: str, problems: list[WorksheetProblem]) -> list[Span]:
    spans, cursor = [], 0
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) in (2, 3) and entry[0] in LABELS and isinstance(entry[1], str)
                and entry[1]):
            problems.append(WorksheetProblem(where, f"span entry {entry!r} is not [LABEL, text] or [LABEL, text, k]"))
            continue
        label, needle = entry[0], entry[1]
        if len(entry) == 3:
            start = -1
            for _ in range(int(entry[2])):
                start = text.find(needle, start + 1)
                if start < 0:
                    break
        else:
            start = text.find(needle, cursor)
        if start < 0:
            problems.append(WorksheetProblem(where, f"{label} {needle!r} not found in the sentence "
                                                    f"after character {cursor}"))
            continue
        spans.append(Span(start, start + len(needle), label, needle))
        cursor = start + len(needle)
    try:
        return check_spans(text, spans)
    except SpanError as error:
        problems.append(WorksheetProblem(where, str(error)))
        return []


def _value_span(spans: list[Span], text: str, occurrence: int) -> Span | None:
    matches = [s for s in spans if s.label == "VALUE" and s.text == text]
    return matches[occurrence - 1] if 0 < occurrence <= len(matches) else None


def metric_matches_spans(metric: str, spans: list[Span], context: set[str] = frozenset()) -> bool:
    """True when ``metric`` is one METRIC span's text or two of them joined in order, or one of ``context``.

    ``context`` holds the METRIC texts of the rest of the document: a heading, list item,
    table header or earlier sentence can name the metric of a sentence's values.
    """
    metrics = [s.text for s in spans if s.label == "METRIC"]
    if metric in metrics or metric in context:
        return True
    return any(metrics[i] + metrics[j] == metric for i in range(len(metrics)) for j in range(i + 1, len(metrics)))


def compile_worksheet(
    worksheet: dict[str, Any], document: SegmentedDocument, *, name: str = "worksheet"
) -> tuple[list[SentenceAnnotation], list[dict[str, Any]], list[WorksheetProblem]]:
    """Sentences with spans, gold records and problems for one worksheet."""
    problems: list[WorksheetProblem] = []
    by_id = {s.sent_id: s for s in document.sentences}
    rows = {int(row["sent_id"]): row for row in worksheet.get("sentences", [])}
    sentences, records = [], []
    located: list[tuple[SentenceAnnotation, dict[str, Any], list[Span], str]] = []
    for sentence in document.sentences:
        row = rows.get(sentence.sent_id)
        where = f"{name}: sentence {sentence.sent_id}"
        if row is None:
            problems.append(WorksheetProblem(where, "missing from the worksheet"))
            continue
        if row.get("text") != sentence.text:
            problems.append(WorksheetProblem(where, f"text differs from the segmented document: {row.get('text')!r}"))
            continue
        located.append((sentence, row, _locate_spans(sentence.text, row.get("spans", []), where, problems), where))
    context = document_labels(spans for _, _, spans, _ in located)
    for sentence, row, spans, where in located:
        sentences.append(replace(sentence, spans=tuple(spans)))
        used_values: set[Span] = set()
        for k, entry in enumerate(row.get("records", [])):
            record = _compile_record(entry, spans, context, document, sentence, f"{where} record {k + 1}", problems)
            if record is not None:
                records.append(record[0])
                used_values.update(record[1])
        for span in spans:
            if span.label == "VALUE" and span not in used_values:
                problems.append(WorksheetProblem(where, f"VALUE {span.text!r} belongs to no record"))
    extra = set(rows) - set(by_id)
    if extra:
        problems.append(WorksheetProblem(name, f"sentence ids {sorted(extra)} are not in the document"))
    if "meta" in worksheet:
        problems += [WorksheetProblem(f"{name}: meta", message) for message in meta_problems(worksheet["meta"])]
    return sentences, records, problems


def document_labels(sentence_spans: Any) -> dict[str, set[str]]:
    """``{label: texts}`` of every span of a document (the context a record's slots may come from)."""
    labels: dict[str, set[str]] = {label: set() for label in LABELS}
    for spans in sentence_spans:
        for span in spans:
            labels[span.label].add(span.text)
    return labels


def _compile_record(
    entry: dict[str, Any], spans: list[Span], context: dict[str, set[str]], document: SegmentedDocument,
    sentence: SentenceAnnotation, where: str, problems: list[WorksheetProblem],
) -> tuple[dict[str, Any], list[Span]] | None:
    unknown = set(entry) - set(RECORD_KEYS)
    if unknown:
        problems.append(WorksheetProblem(where, f"unknown keys {sorted(unknown)}"))
        return None
    value = _value_span(spans, str(entry.get("value")), int(entry.get("value_occurrence", 1)))
    if value is None:
        problems.append(WorksheetProblem(where, f"value {entry.get('value')!r} is not a VALUE span of the sentence"))
        return None
    used = [value]
    start = value.start
    if entry.get("from"):
        first = _value_span(spans, str(entry["from"]), int(entry.get("from_occurrence", 1)))
        if first is None or first.start >= value.start:
            problems.append(WorksheetProblem(where, f"from {entry['from']!r} is not a VALUE span before the value"))
            return None
        used.append(first)
        start = first.start - 1 if first.start > 0 and sentence.text[first.start - 1] in "由从" else first.start
    metric = entry.get("metric")
    if not isinstance(metric, str) or not metric_matches_spans(metric, spans, context["METRIC"]):
        problems.append(WorksheetProblem(where, f"metric {metric!r} is not a METRIC span of the sentence "
                                                f"(or two joined) nor of the document"))
        return None
    override = entry.get("override")
    try:
        quantity = parse_quantity(sentence.text[start:value.end]) if entry.get("from") else parse_quantity(value.text)
    except QuantityError as error:
        if not override:
            problems.append(WorksheetProblem(where, f"{error}; give an override with a note"))
            return None
        quantity = None
    fields = {
        "value": quantity.value if quantity else None, "unit": quantity.unit if quantity else None,
        "qualifier": quantity.qualifier if quantity else None, "from_value": quantity.from_value if quantity else None,
    }
    if override:
        if not entry.get("note"):
            problems.append(WorksheetProblem(where, "an override needs a note saying why"))
        fields.update(override)
        fields["unit"] = canonical_unit(fields.get("unit"))
    direction = entry.get("direction")
    if direction not in (None, "up", "down"):
        problems.append(WorksheetProblem(where, f"direction {direction!r} is not up, down or null"))
        return None
    for key, label in (("baseline", "BASE"), ("period", "TIME"), ("org", "ORG")):
        slot = entry.get(key)
        if slot is not None and slot not in context[label]:
            problems.append(WorksheetProblem(where, f"{key} {slot!r} is not a {label} span of the document"))
    original_start, original_end = document.sentence_span_to_original(sentence.sent_id, start, value.end)
    record = {
        "doc_id": document.doc_id, "sent_id": sentence.sent_id, "metric": metric,
        "value": fields["value"], "unit": fields["unit"], "qualifier": fields["qualifier"],
        "direction": direction, "baseline": entry.get("baseline"), "period": entry.get("period"),
        "org": entry.get("org"), "from_value": fields["from_value"],
        "evidence": {"start": original_start, "end": original_end,
                     "text": document.normalized.original[original_start:original_end]},
        "optional": bool(entry.get("optional", False)),
    }
    if entry.get("note"):
        record["note"] = str(entry["note"])
    return record, used


def load_worksheet(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)

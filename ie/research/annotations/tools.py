"""Import and export of the formats annotators use: Label Studio JSON and doccano JSONL.

Both carry sentences with character spans; ``doc_id`` and ``sent_id`` travel in the task
data so that corrected spans come back to the right sentence. Records are not part of
these tools: after an import, re-check the records with ``scripts/validate.py``.

Label Studio: a JSON list of tasks ``{"data": {"text", "doc_id", "sent_id", ...},
"annotations": [{"result": [{"value": {"start", "end", "text", "labels": [L]}, ...}]}]}``
(the labelling config needs ``<Labels name="label" toName="text">`` and
``<Text name="text" value="$text"/>``; ``label_studio_config()`` writes it). On import the
last annotation of a task wins; a task without annotations keeps its ``predictions``.

doccano (sequence labelling): JSONL rows ``{"text", "label": [[start, end, L], ...],
"doc_id", "sent_id"}``; rows with ``"entities": [{"start_offset", "end_offset",
"label"}]`` (newer exports) are read too.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from ie.document import SentenceAnnotation
from ie.atomic import write_jsonl_atomic, write_text_atomic
from ie.research.annotations.corpus import read_jsonl
from ie.schema import LABELS, Span
from ie.spans import check_spans


class FormatError(ValueError):
    """A file in an annotation-tool format that cannot be read; names the file and task."""


def label_studio_config() -> str:
    """The Label Studio labelling config for ``LABELS``."""
    labels = "\n".join(f'    <Label value="{label}"/>' for label in LABELS)
    return f'<View>\n  <Labels name="label" toName="text">\n{labels}\n  </Labels>\n  <Text name="text" value="$text"/>\n</View>\n'


def to_label_studio(sentences: list[SentenceAnnotation]) -> list[dict[str, Any]]:
    tasks = []
    for sentence in sentences:
        result = [
            {"id": f"{sentence.doc_id}-{sentence.sent_id}-{k}", "from_name": "label", "to_name": "text",
             "type": "labels", "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]}}
            for k, s in enumerate(sentence.spans)
        ]
        tasks.append({
            "data": {"text": sentence.text, "doc_id": sentence.doc_id, "sent_id": sentence.sent_id,
                     "start": sentence.start, "end": sentence.end, "paragraph": sentence.paragraph},
            "annotations": [{"result": result}],
        })
    return tasks


def write_label_studio(path: str | Path, sentences: list[SentenceAnnotation]) -> None:
    write_text_atomic(path, json.dumps(to_label_studio(sentences), ensure_ascii=False, indent=1) + "\n")


def _sentence_from_task(data: dict[str, Any], spans: list[Span], where: str) -> SentenceAnnotation:
    try:
        text = str(data["text"])
        return SentenceAnnotation(str(data["doc_id"]), int(data["sent_id"]), int(data.get("start", 0)),
                                  int(data.get("end", 0)), text, int(data.get("paragraph", 0)),
                                  tuple(check_spans(text, spans)))
    except (KeyError, TypeError, ValueError) as error:
        raise FormatError(f"{where}: {error}") from None


def read_label_studio(path: str | Path) -> list[SentenceAnnotation]:
    with open(path, encoding="utf-8") as stream:
        tasks = json.load(stream)
    if not isinstance(tasks, list):
        raise FormatError(f"{path}: expected a JSON list of Label Studio tasks")
    sentences = []
    for number, task in enumerate(tasks, start=1):
        where = f"{path}: task {number}"
        annotations = task.get("annotations") or task.get("predictions") or [{"result": []}]
        spans = []
        for item in annotations[-1].get("result", []):
            value = item.get("value", {})
            labels = value.get("labels", [])
            if len(labels) != 1:
                raise FormatError(f"{where}: a region needs exactly one label, got {labels!r}")
            text = str(task["data"]["text"])
            start, end = int(value["start"]), int(value["end"])
            spans.append(Span(start, end, labels[0], text[start:end]))
        sentences.append(_sentence_from_task(task.get("data", {}), spans, where))
    return sentences


def to_doccano(sentences: list[SentenceAnnotation]) -> list[dict[str, Any]]:
    return [
        {"text": s.text, "label": [[span.start, span.end, span.label] for span in s.spans],
         "doc_id": s.doc_id, "sent_id": s.sent_id, "start": s.start, "end": s.end, "paragraph": s.paragraph}
        for s in sentences
    ]


def write_doccano(path: str | Path, sentences: list[SentenceAnnotation]) -> None:
    write_jsonl_atomic(path, to_doccano(sentences))


def read_doccano(path: str | Path) -> list[SentenceAnnotation]:
    sentences = []
    for number, row in read_jsonl(path):
        where = f"{path}:{number}"
        text = str(row.get("text", ""))
        if "entities" in row:
            triples = [(e["start_offset"], e["end_offset"], e["label"]) for e in row["entities"]]
        else:
            triples = [tuple(item) for item in row.get("label", [])]
        try:
            spans = [Span(int(start), int(end), str(label), text[int(start):int(end)]) for start, end, label in triples]
        except (TypeError, ValueError) as error:
            raise FormatError(f"{where}: {error}") from None
        sentences.append(_sentence_from_task(row, spans, where))
    return sentences


def merge_spans(gold: list[SentenceAnnotation], imported: list[SentenceAnnotation]) -> list[SentenceAnnotation]:
    """Replace the spans of ``gold`` sentences by the imported ones (matched by doc and sentence id).

    Raises ``FormatError`` when an imported sentence is unknown or its text changed.
    """
    updates = {(s.doc_id, s.sent_id): s for s in imported}
    merged = []
    for sentence in gold:
        update = updates.pop((sentence.doc_id, sentence.sent_id), None)
        if update is not None and update.text != sentence.text:
            raise FormatError(f"{sentence.doc_id} sentence {sentence.sent_id}: the text was edited in the tool; "
                              f"only spans may change")
        merged.append(replace(sentence, spans=update.spans) if update else sentence)
    if updates:
        raise FormatError(f"imported sentences not in the corpus: {sorted(updates)[:5]}")
    return merged

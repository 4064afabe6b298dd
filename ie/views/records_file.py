"""A records JSONL file as the views read it: one reader, two policies on top of it.

``read_records_file`` reads every line and never stops at a bad one: each line that holds JSON
becomes a ``RecordRow`` (its file, line, the value as read with every key kept, and the ``Record``
it makes, if it makes one), and each line that is not a record becomes a ``Problem`` naming
``file:line`` (not UTF-8, not valid JSON, not a record: not an object, a field missing or of the
wrong type). Lines are split at ``\\n`` only (a U+2028 inside a string ends no line), a
byte-order mark at the start of a line is dropped and blank lines are skipped.

- ``read_records`` is the strict policy of the table and the plot: the file's records, or
  ``ViewError`` naming the first line that is not one, since a table that silently lacked rows
  would count wrong and its ``record`` keys would not match the file.
- The review (``ie.views.review``) is lenient: it shows every row it can place in its document
  (``RecordRow.unplaced``), record or not, and warns about the other lines.

``check_view_output`` refuses an output that would overwrite the records file or is a folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ie.schema import Record, SchemaError


class ViewError(ValueError):
    """A records file, texts or output a view cannot use; the message names the file (and line)."""


@dataclass(frozen=True)
class Problem:
    """Something in a file that a view cannot use as it is, with the file and, where it has one, the line."""

    source: str
    message: str
    line: int | None = None
    doc_id: str | None = None

    @property
    def where(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class RecordRow:
    """A line of a records file that holds JSON: ``data`` is the value as read (an object for a record,
    every key kept: ``confidence``, ``metric_id``, the gold files' ``sent_id``), ``record`` the
    ``Record`` it makes, None when it makes none (the reader reports why as a ``Problem``).

    The other properties read ``data`` as written, for a page that shows a row which is not a full
    record: they hold for a row that can be placed (``unplaced`` is None). Typed values are in ``record``.
    """

    source: str
    line: int
    data: Any
    record: Record | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def unplaced(self) -> str | None:
        """Why the row cannot be placed in a document's text: None when ``data`` has a non-empty
        ``doc_id`` and an ``evidence`` with integer offsets, whether or not it is a full record."""
        if not isinstance(self.data, dict):
            return "expected a JSON object (a record)"
        doc_id = self.data.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            return f'the "doc_id" must be a non-empty string, not {json.dumps(doc_id, ensure_ascii=False)}'
        evidence = self.data.get("evidence")
        if not (isinstance(evidence, dict) and isinstance(evidence.get("text"), str)
                and all(type(evidence.get(key)) is int for key in ("start", "end"))):
            return 'the "evidence" must be {"start", "end", "text"} with integer offsets'
        return None

    @property
    def doc_id(self) -> str:
        return self.data["doc_id"]

    @property
    def start(self) -> int:
        return self.data["evidence"]["start"]

    @property
    def end(self) -> int:
        return self.data["evidence"]["end"]

    @property
    def evidence(self) -> str:
        return self.data["evidence"]["text"]

    @property
    def metric(self) -> str:
        return str(self.data.get("metric") or "")

    @property
    def flags(self) -> list[str]:
        flags = self.data.get("flags") or []
        return [str(flag) for flag in flags] if isinstance(flags, list) else [str(flags)]

    @property
    def confidence(self) -> float | None:
        value = self.data.get("confidence")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def data_to_record(data: Any) -> Record:
    """The record a line's JSON value makes; ``SchemaError`` saying why it makes none. An empty
    ``metric_id`` is read as none."""
    if not isinstance(data, dict):
        raise SchemaError(f"expected a JSON object, got {type(data).__name__}")
    try:
        record = Record.from_dict(data)
    except (KeyError, TypeError, ValueError) as error:  # SchemaError is a ValueError
        raise SchemaError(str(error)) from None
    metric_id, confidence = data.get("metric_id"), data.get("confidence")
    if metric_id is not None and not isinstance(metric_id, str):
        raise SchemaError(f"metric_id {metric_id!r} is not a string")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))):
        raise SchemaError(f"confidence {confidence!r} is not a number")
    return replace(record, metric_id=None) if metric_id == "" else record


def read_records_file(path: str | Path) -> tuple[list[RecordRow], list[Problem]]:
    """Every line of a records JSONL file that holds JSON as a row, in file order, and a ``Problem``
    naming ``file:line`` for each line that is not a record (a line that holds JSON but makes no
    record has both). Raises ``ViewError`` only when the file cannot be read."""
    source = str(path)
    rows: list[RecordRow] = []
    problems: list[Problem] = []
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise ViewError(f"{path}: cannot read the records: {error.strerror or error}") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            try:
                line = raw.decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError as error:
                problems.append(Problem(source, f"not UTF-8 (byte {error.start})", number))
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(Problem(source, f"not valid JSON ({error.msg})", number))
                continue
            try:
                rows.append(RecordRow(source, number, data, data_to_record(data)))
            except SchemaError as error:
                rows.append(RecordRow(source, number, data))
                problems.append(Problem(source, f"not a record: {error}", number))
    return rows, problems


def read_records(path: str | Path) -> list[RecordRow]:
    """The records of a JSONL file in file order, each row with its ``record``; the first line that
    is not a record raises ``ViewError`` naming ``file:line`` (the strict policy)."""
    rows, problems = read_records_file(path)
    if problems:
        raise ViewError(str(problems[0]))
    return rows


def check_view_output(output: str | Path, records: str | Path, suffixes: Sequence[str] = ()) -> Path:
    """The output path, or ``ViewError`` when it is the records file, a folder or (``suffixes`` given)
    of another kind."""
    path = Path(output)
    if path.resolve() == Path(records).resolve():
        raise ViewError(f"{output} is the records file: it would be overwritten")
    if path.is_dir():
        raise ViewError(f"{output} is a folder: name a file in it")
    if suffixes and path.suffix.lower() not in suffixes:
        raise ViewError(f"{output}: the output must end in {' or '.join(suffixes)}")
    return path

"""A tidy table of records: one row per record, as CSV (core install) or Parquet (``pip install -e ".[tables]"``).

Columns (``COLUMNS``): ``record`` (the record's line in the records file: a stable key),
``document`` (doc_id), ``metric_id`` (the canonical metric, when the record has one; empty
otherwise), ``metric`` (as written), ``value``, ``from_value``, ``unit``, ``qualifier``,
``direction``, ``baseline``, ``period`` (as written), ``period_norm``, ``period_start`` and
``period_end`` (``ie.views.periods``: ``2024-H1``, 2024-01-01, 2024-06-30), ``org``,
``evidence_text``, ``evidence_start``, ``evidence_end``, ``flags``, ``confidence`` (the
extractor's, when the record has one), ``duplicate_of`` (the
``record`` of the first mention this one restates, ``ie.views.duplicates``; empty for a first
mention: leave the others out to count each figure once). Other keys of a records file (the
gold files' ``sent_id`` and ``optional``) are left out.

CSV is UTF-8 with a byte-order mark, comma-separated, CRLF line ends: Excel opens a CSV without
a BOM in the system's legacy code page (GBK on Chinese Windows, mojibake elsewhere) and one
with it as UTF-8, so Chinese text reads correctly; pandas reads it with
``encoding="utf-8-sig"``. Nulls are empty cells, ``flags`` are joined with ``;``. Parquet keeps
types: floats, integers, dates, nulls, and ``flags`` as a list of strings.

A records file with a bad line is refused as a whole (``ViewError`` naming ``file:line``,
``ie.views.records_file.read_records``): a table that silently lacks rows would count wrong, and
its ``record`` keys would not match.
The output is written atomically and never over the records file.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ie.atomic import atomic_path, write_text_atomic
from ie.reading import InputDocument, iter_inputs
from ie.views.duplicates import Mention, mentions_to_duplicates
from ie.views.periods import DocumentDates, Period, periods_to_context, text_to_dates, written_to_period
from ie.views.records_file import RecordRow, ViewError, check_view_output, read_records

logger = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "record", "document", "metric_id", "metric", "value", "from_value", "unit", "qualifier", "direction",
    "baseline", "period", "period_norm", "period_start", "period_end", "org", "evidence_text",
    "evidence_start", "evidence_end", "flags", "confidence", "duplicate_of",
)
SUFFIXES = (".csv", ".parquet")


def read_document_dates(path: str | Path) -> dict[str, DocumentDates]:
    """``{doc_id: its date line and heading week}`` for the bulletins at ``path`` (what ``extract``
    read: a ``.txt`` file, a folder of them or a JSONL file); inputs that cannot be read are logged."""
    found = {}
    for item in iter_inputs(path):
        if isinstance(item, InputDocument):
            found[item.doc_id] = text_to_dates(item.text)
        else:
            logger.warning("texts: %s", item)
    return found


def normalise_periods(rows: Sequence[RecordRow], dates: dict[str, DocumentDates] | None = None) -> list[Period]:
    """The normalised period of each row, in the context of its document's periods and head."""
    by_document: dict[str, list[str | None]] = defaultdict(list)
    for row in rows:
        by_document[row.record.doc_id].append(row.record.period)
    contexts = {doc_id: periods_to_context(periods, (dates or {}).get(doc_id, DocumentDates()))
                for doc_id, periods in by_document.items()}
    return [written_to_period(row.record.period, contexts[row.record.doc_id]) for row in rows]


def rows_to_table(rows: Sequence[RecordRow], dates: dict[str, DocumentDates] | None = None) -> list[dict[str, Any]]:
    """The table's rows (dicts of ``COLUMNS``; dates as ``date``, flags as a list)."""
    periods = normalise_periods(rows, dates)
    duplicates = mentions_to_duplicates([Mention(row.record, row.record.metric_id, period)
                                         for row, period in zip(rows, periods)], [row.line for row in rows])
    table = []
    for row, period, duplicate in zip(rows, periods, duplicates):
        record = row.record
        table.append({
            "record": row.line, "document": record.doc_id, "metric_id": record.metric_id, "metric": record.metric,
            "value": record.value, "from_value": record.from_value, "unit": record.unit,
            "qualifier": record.qualifier, "direction": record.direction, "baseline": record.baseline,
            "period": record.period, "period_norm": period.form, "period_start": period.start,
            "period_end": period.end, "org": record.org, "evidence_text": record.evidence.text,
            "evidence_start": record.evidence.start, "evidence_end": record.evidence.end,
            "flags": list(record.flags), "confidence": record.confidence, "duplicate_of": duplicate,
        })
    return table


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 9700, not 9700.0
    return value


def write_csv(table: Sequence[dict[str, Any]], output: str | Path) -> None:
    """UTF-8 with BOM, CRLF, nulls as empty cells, flags joined with ``;``; written atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(row[name]) for name in COLUMNS] for row in table)
    write_text_atomic(output, "\ufeff" + buffer.getvalue())


def write_parquet(table: Sequence[dict[str, Any]], output: str | Path) -> None:
    """Typed columns through pyarrow (the ``tables`` extra); written atomically."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ViewError('Parquet needs pyarrow: pip install -e ".[tables]" (or write a .csv)') from None
    types = {"record": pa.int64(), "value": pa.float64(), "from_value": pa.float64(), "confidence": pa.float64(),
             "period_start": pa.date32(),
             "period_end": pa.date32(), "evidence_start": pa.int64(), "evidence_end": pa.int64(),
             "flags": pa.list_(pa.string()), "duplicate_of": pa.int64()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])
    arrow = pa.Table.from_pylist(list(table), schema=schema)
    with atomic_path(output) as temporary:
        pq.write_table(arrow, temporary)


@dataclass(frozen=True)
class TableSummary:
    rows: int
    documents: int
    periods_normalised: int
    periods_written: int
    duplicates: int

    def __str__(self) -> str:
        return (f"rows: {self.rows}, documents: {self.documents}, periods normalised: {self.periods_normalised} "
                f"of {self.periods_written}, duplicates marked: {self.duplicates}")


def records_to_table(records: str | Path, output: str | Path, *, texts: str | Path | None = None) -> TableSummary:
    """Read ``records``, write the table to ``output`` (``.csv`` or ``.parquet``); ``texts`` are the
    bulletins the records came from, read for their date lines (``今年``, ``去年``)
    and heading weeks (``本周``)."""
    path = check_view_output(output, records, SUFFIXES)
    rows = read_records(records)
    table = rows_to_table(rows, read_document_dates(texts) if texts is not None else None)
    (write_parquet if path.suffix.lower() == ".parquet" else write_csv)(table, path)
    return TableSummary(len(table), len({row["document"] for row in table}),
                        sum(row["period_norm"] is not None for row in table),
                        sum(row["period"] is not None for row in table),
                        sum(row["duplicate_of"] is not None for row in table))

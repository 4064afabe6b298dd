"""Batch extraction over many bulletins into one JSON Lines file, safely.

Records are written to a temporary file beside the output, one document at a time, and
the file is renamed into place at the end — also when the run stops on an error or an
interrupt, cut back to the last whole document, so the output only ever holds whole
documents. The ids of the finished documents go to ``OUTPUT.done`` beside it (one JSON
string a line); ``resume=True`` keeps the existing output and skips those documents
(including the ones that gave no record). A document id seen twice in one input is a
failure, not a silent skip (``ie.reading.unique_ids``). ``ie.ray_engine`` runs the same
extraction on Ray Data and writes the same two files.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ie.io import temporary_beside, write_text_atomic
from ie.pipeline import Extractor
from ie.reading import Document, InputFailure, iter_inputs

logger = logging.getLogger(__name__)


@dataclass
class BatchSummary:
    documents: int = 0
    skipped: int = 0
    records: int = 0
    characters: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    warnings: int = 0

    @property
    def chars_per_second(self) -> float:
        return self.characters / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        return (f"documents: {self.documents} ({self.skipped} skipped as done), records: {self.records}, "
                f"failures: {len(self.failures)}, text warnings: {self.warnings}, seconds: {self.seconds:.2f}, "
                f"characters/second: {self.chars_per_second:,.0f}")


def done_path(output: Path) -> Path:
    return output.with_name(output.name + ".done")


def write_done(output: Path, doc_ids: list[str]) -> None:
    write_text_atomic(done_path(output), "".join(json.dumps(doc_id, ensure_ascii=False) + "\n" for doc_id in doc_ids))


def read_done(output: Path) -> list[str]:
    """Finished document ids (one JSON string per line, so ids may hold spaces)."""
    path = done_path(output)
    if path.exists():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    if output.exists():  # an output written without a done list: its documents count as done
        return sorted({json.loads(line)["doc_id"] for line in output.read_text(encoding="utf-8").split("\n")
                       if line.strip()})
    return []


def run_batch(extractor: Extractor, inputs: str | Path, output: str | Path, *, resume: bool = False,
              progress: bool = True) -> BatchSummary:
    """Extract records from every document of ``inputs`` into ``output`` (JSONL).

    Only whole documents ever reach ``output``: after each document the temporary file is
    flushed and its length noted; if the run stops (an error, an interrupt, a full disk),
    the temporary file is cut back to the last whole document before it is renamed, and
    ``OUTPUT.done`` lists exactly the documents it holds.
    """
    from tqdm import tqdm

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    done = read_done(output) if resume and output.exists() else []
    finished = set(done)
    summary = BatchSummary()
    temporary = temporary_beside(output)
    if done:
        shutil.copyfile(output, temporary)
    started = time.perf_counter()
    good_length = Path(temporary).stat().st_size
    committed = list(done)
    try:
        with open(temporary, "a", encoding="utf-8", newline="\n") as stream:
            for item in tqdm(iter_inputs(inputs), desc="documents", unit="doc", disable=not progress):
                if isinstance(item, InputFailure):
                    logger.error("%s", item)
                    summary.failures.append(str(item))
                    continue
                if item.doc_id in finished:
                    summary.skipped += 1
                    continue
                if extract_one(extractor, item, stream, summary):
                    stream.flush()
                    good_length = stream.tell()
                    committed.append(item.doc_id)
    except BaseException:
        with open(temporary, "r+b") as raw:  # drop a partly written document
            raw.truncate(good_length)
        raise
    finally:
        os.replace(temporary, output)
        write_done(output, committed)
        summary.seconds = time.perf_counter() - started
    return summary


def extract_one(extractor: Extractor, document: Document, stream, summary: BatchSummary) -> bool:
    """Write one document's records to ``stream`` and count them; False when its extraction failed (logged,
    counted). Both engines use it, so they write the same lines and failures."""
    try:
        extraction = extractor.extract_document(document.text, document.doc_id)
    except Exception as error:  # one bad document must not stop the batch
        logger.exception("%s: extraction failed", document.source)
        summary.failures.append(f"{document.source}: extraction failed: {error}")
        return False
    for warning in extraction.warnings:
        logger.warning("%s: %s", document.source, warning)
    stream.write("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in extraction.records))
    summary.documents += 1
    summary.records += len(extraction.records)
    summary.characters += len(document.text)
    summary.warnings += len(extraction.warnings)
    return True

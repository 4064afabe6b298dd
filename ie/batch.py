"""Batch extraction over many bulletins into one JSON Lines file, safely.

Records are written to a temporary file beside the output, one document at a time, and
the file is renamed into place at the end — also when the run stops on an error or an
interrupt, so the output only ever holds whole documents. The ids of the finished
documents go to ``OUTPUT.done`` beside it; ``resume=True`` keeps the existing output
and skips those documents (including the ones that gave no record).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ie.io import write_text_atomic
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


def run_batch(extractor: Extractor, inputs: str | Path, output: str | Path, *, resume: bool = False,
              progress: bool = True) -> BatchSummary:
    """Extract records from every document of ``inputs`` into ``output`` (JSONL)."""
    from tqdm import tqdm

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    done: list[str] = []
    kept = ""
    if resume and output.exists():
        kept = output.read_text(encoding="utf-8")
        if done_path(output).exists():
            done = done_path(output).read_text(encoding="utf-8").split()
        else:  # an output written without a done list: its documents count as done
            done = sorted({json.loads(line)["doc_id"] for line in kept.splitlines() if line.strip()})
    finished = set(done)
    summary = BatchSummary()
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    started = time.perf_counter()
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(kept)
            for item in tqdm(iter_inputs(inputs), desc="documents", unit="doc", disable=not progress):
                if isinstance(item, InputFailure):
                    logger.error("%s", item)
                    summary.failures.append(str(item))
                    continue
                if item.doc_id in finished:
                    summary.skipped += 1
                    continue
                _extract_one(extractor, item, stream, summary)
                done.append(item.doc_id)
                finished.add(item.doc_id)
    finally:
        os.replace(temporary, output)
        write_text_atomic(done_path(output), "".join(f"{doc_id}\n" for doc_id in done))
        summary.seconds = time.perf_counter() - started
    return summary


def _extract_one(extractor: Extractor, document: Document, stream, summary: BatchSummary) -> None:
    try:
        extraction = extractor.extract_document(document.text, document.doc_id)
    except Exception as error:  # one bad document must not stop the batch
        logger.exception("%s: extraction failed", document.source)
        summary.failures.append(f"{document.source}: extraction failed: {error}")
        return
    for warning in extraction.warnings:
        logger.warning("%s: %s", document.source, warning)
    stream.write("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in extraction.records))
    summary.documents += 1
    summary.records += len(extraction.records)
    summary.characters += len(document.text)
    summary.warnings += len(extraction.warnings)

"""Batch extraction over many bulletins into one JSON Lines file, without losing data.

``extract_one`` is the unit of work of both engines: one document in, a ``DocumentResult``
out (its records as JSON lines, or its failure). ``run_batch`` drives it over the inputs
on this machine; ``ie.ray_engine`` drives it on Ray. Both check the output path before any
work and hold the output's lock for the run (``ie.writing``). Locally, every finished
document is durable at once (``OUTPUT.partial``), ``resume=True`` goes on from there, and
``OUTPUT`` with its done list ``OUTPUT.done`` is replaced only when the run completes. A
document id seen twice in one input is a failure, not a silent skip
(``ie.reading.unique_ids``); entries of a folder that are not read are listed in the
summary with the reason.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ie.pipeline import Extractor
from ie.reading import InputDocument, InputFailure, InputSkipped, input_files, read_inputs
from ie.writing import OutputLock, RecordWriter, check_output

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentResult:
    """What extracting one document gave: its records as JSON lines, or why it failed."""

    doc_id: str
    source: str
    lines: str = ""
    records: int = 0
    characters: int = 0
    warnings: tuple[str, ...] = ()
    failure: str | None = None


class DocumentTimeout(Exception):
    """A document's extraction ran past its time budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` in the block after ``seconds`` (a POSIX interval timer; only in the main
    thread, where signals arrive; without a budget, or elsewhere, the block runs unbounded)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_one(extractor: Extractor, document: InputDocument, *, seconds: float | None = None) -> DocumentResult:
    """Extract one document within ``seconds`` (None: no budget); an error or a document that runs past its
    budget becomes the result's failure (one bad document never stops a batch)."""
    try:
        with time_budget(seconds):
            extraction = extractor.extract_document(document.text, document.doc_id)
    except DocumentTimeout:
        logger.error("%s: extraction stopped after %s s", document.source, seconds)
        return DocumentResult(document.doc_id, document.source,
                              failure=f"{document.source}: extraction took longer than {seconds} s "
                                      f"(document_seconds), stopped")
    except Exception as error:
        logger.exception("%s: extraction failed", document.source)
        return DocumentResult(document.doc_id, document.source, failure=f"{document.source}: extraction failed: {error}")
    warnings = (*document.warnings, *(str(w) for w in extraction.warnings))
    return DocumentResult(document.doc_id, document.source,
                          "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in extraction.records),
                          len(extraction.records), len(document.text), warnings)


@dataclass
class BatchSummary:
    documents: int = 0
    skipped: int = 0
    records: int = 0
    characters: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    warnings: int = 0
    not_read: list[str] = field(default_factory=list)  # entries of an input folder left out, with the reason
    interrupted: bool = False

    def add(self, result: DocumentResult) -> None:
        """Count one document's result (its warnings are logged here, once)."""
        for warning in result.warnings:
            logger.warning("%s: %s", result.source, warning)
        if result.failure:
            logger.error("%s", result.failure)
            self.failures.append(result.failure)
            return
        self.documents += 1
        self.records += result.records
        self.characters += result.characters
        self.warnings += len(result.warnings)

    def fail(self, failure: InputFailure) -> None:
        logger.error("%s", failure)
        self.failures.append(str(failure))

    @property
    def chars_per_second(self) -> float:
        return self.characters / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        lines = [f"documents: {self.documents} ({self.skipped} skipped as done), records: {self.records}, "
                 f"failures: {len(self.failures)}, text warnings: {self.warnings}, seconds: {self.seconds:.2f}, "
                 f"characters/second: {self.chars_per_second:,.0f}"]
        if self.not_read:
            lines.append(f"not read: {len(self.not_read)} entries of the input folder")
            lines += [f"  {entry}" for entry in self.not_read[:20]]
            if len(self.not_read) > 20:
                lines.append(f"  … and {len(self.not_read) - 20} more")
        return "\n".join(lines)


def run_batch(extractor: Extractor, inputs: str | Path, output: str | Path, *, resume: bool = False,
              progress: bool = True, recursive: bool = False, document_seconds: float | None = None) -> BatchSummary:
    """Extract records from every document of ``inputs`` into ``output`` (JSONL).

    Raises ``ie.writing.OutputError`` before any work when the output path would lose data or
    another run holds it. On an interrupt (``KeyboardInterrupt``) the summary comes back with
    ``interrupted`` set: the finished documents are in ``OUTPUT.partial`` for ``resume=True``.
    A document whose extraction takes longer than ``document_seconds`` is stopped and reported.
    """
    from tqdm import tqdm

    found = input_files(inputs, recursive=recursive)
    output = check_output(output, [] if isinstance(found, InputFailure) else found[0])
    summary = BatchSummary()
    started = time.perf_counter()
    with OutputLock(output):
        writer = RecordWriter(output, resume=resume)
        try:
            for item in tqdm(read_inputs(found), desc="documents", unit="doc", disable=not progress):
                if isinstance(item, InputSkipped):
                    summary.not_read.append(str(item))
                elif isinstance(item, InputFailure):
                    summary.fail(item)
                elif item.doc_id in writer.finished:
                    summary.skipped += 1
                else:
                    result = extract_one(extractor, item, seconds=document_seconds)
                    summary.add(result)
                    if not result.failure:
                        writer.write(result.doc_id, result.lines)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            writer.close()
            summary.seconds = time.perf_counter() - started
        if not summary.interrupted:
            writer.complete()
    return summary

"""Writing records of a batch so that nothing is lost: paths checked first, one run per output,
progress that survives a crash, and an existing output kept until a new one is complete.

While a run lasts, whole documents are appended to ``OUTPUT.partial`` and flushed, and each
finished document's id is then appended to ``OUTPUT.partial.done``: a run killed at any
moment (Ctrl-C, SIGKILL, out of memory) leaves every finished document there, and
``resume=true`` goes on from them (lines of a document whose id did not reach the done list
are dropped). ``OUTPUT`` and ``OUTPUT.done`` are replaced only when the run completes, so an
interrupted re-run never cuts down a complete earlier output. ``OUTPUT.lock`` holds an
advisory lock (``fcntl.flock``) for the run: a second run on the same output fails at once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ie.atomic import write_text_atomic

logger = logging.getLogger(__name__)


class OutputError(ValueError):
    """An output path that would lose data, or an output another run is writing."""


def done_path(output: Path) -> Path:
    return output.with_name(output.name + ".done")


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def lock_path(output: Path) -> Path:
    return output.with_name(output.name + ".lock")


def read_done(output: Path) -> list[str]:
    """Finished document ids of an output (one JSON string per line, so ids may hold spaces)."""
    path = done_path(output)
    if path.exists():
        return _read_ids(path)
    if output.exists():  # an output written without a done list: its documents count as done
        return sorted({json.loads(line)["doc_id"] for line in output.read_text(encoding="utf-8").split("\n")
                       if line.strip()})
    return []


def _read_ids(path: Path) -> list[str]:
    ids = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        try:
            ids.append(json.loads(line))
        except json.JSONDecodeError:  # empty, or a last line cut by a crash
            continue
    return ids


def check_output(output: str | Path, inputs: Iterable[str | Path]) -> Path:
    """The output as a path, or ``OutputError`` when writing it would lose data: an empty path, an
    existing folder, or one of the input files (a record file would overwrite a bulletin)."""
    if output is None or not str(output).strip():
        raise OutputError("output= is empty: name the JSONL file to write")
    path = Path(output)
    if path.is_dir():
        raise OutputError(f"output={output} is a folder: name a file in it, such as {path / 'records.jsonl'}")
    resolved = path.resolve()
    for source in inputs:
        if Path(source).resolve() == resolved:
            raise OutputError(f"output={output} is also an input file: it would be overwritten")
        for companion in (done_path(path), partial_path(path), partial_path(done_path(path)), lock_path(path)):
            if Path(source).resolve() == companion.resolve():
                raise OutputError(f"input {source} is a file this output writes ({companion.name})")
    return path


class OutputLock:
    """``OUTPUT.lock`` held for one run (``fcntl.flock``, released by the system even on SIGKILL)."""

    def __init__(self, output: Path) -> None:
        self.path = lock_path(output)
        self.stream: TextIO | None = None

    def __enter__(self) -> OutputLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        stream = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            stream.seek(0)
            holder = stream.read().strip() or "another process"
            stream.close()
            raise OutputError(f"another run is writing {self.path.with_suffix('')} ({holder} holds {self.path}); "
                              f"wait for it, or choose another output") from None
        stream.seek(0)
        stream.truncate()
        stream.write(f"process {os.getpid()}\n")
        stream.flush()
        self.stream = stream
        return self

    def __exit__(self, *exc) -> None:
        if self.stream:
            self.path.unlink(missing_ok=True)  # while still held: no other run can have taken it
            self.stream.close()
            self.stream = None


class RecordWriter:
    """Append whole documents durably; replace ``OUTPUT`` only at ``complete()``.

    ``resume``: go on from ``OUTPUT.partial`` when an interrupted run left one, else from a
    complete ``OUTPUT`` and its done list. Without ``resume`` a new run starts empty (an old
    ``OUTPUT.partial`` is replaced, with a warning; ``OUTPUT`` itself stays until completion).
    """

    def __init__(self, output: Path, *, resume: bool = False) -> None:
        self.output, self.partial = output, partial_path(output)
        self.partial_done = done_path(self.partial)
        self.done: list[str] = []
        if resume and self.partial.exists():
            self.done = _read_ids(self.partial_done) if self.partial_done.exists() else []
            self._keep_whole_documents(set(self.done))
            logger.info("resuming %s: %d documents already done", self.partial, len(self.done))
        elif resume and self.output.exists():
            self.done = read_done(output)
            shutil.copyfile(output, self.partial)
            write_text_atomic(self.partial_done, "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in self.done))
        else:
            if self.partial.exists():
                logger.warning("%s of an interrupted run is replaced (resume=true would go on from it)", self.partial)
            write_text_atomic(self.partial, "")
            write_text_atomic(self.partial_done, "")
        self.finished = set(self.done)
        self.records = open(self.partial, "a", encoding="utf-8", newline="\n")
        self.ids = open(self.partial_done, "a", encoding="utf-8", newline="\n")

    def _keep_whole_documents(self, done: set[str]) -> None:
        """Drop the lines of documents whose id never reached the done list (and a line cut by a crash)."""
        kept = []
        for line in self.partial.read_text(encoding="utf-8").split("\n"):
            try:
                if line and json.loads(line)["doc_id"] in done:
                    kept.append(line + "\n")
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
        write_text_atomic(self.partial, "".join(kept))

    def write(self, doc_id: str, lines: str) -> None:
        """One finished document: its records' lines, flushed, then its id in the done list."""
        self.records.write(lines)
        self.records.flush()
        self.ids.write(json.dumps(doc_id, ensure_ascii=False) + "\n")
        self.ids.flush()
        self.done.append(doc_id)
        self.finished.add(doc_id)

    def close(self) -> None:
        """Stop writing; what is written stays in ``OUTPUT.partial`` (for ``resume``) until ``complete()``."""
        self.records.close()
        self.ids.close()

    def discard(self) -> None:
        """Drop what this run wrote (``OUTPUT`` and its done list stay as they were)."""
        self.close()
        self.partial.unlink(missing_ok=True)
        self.partial_done.unlink(missing_ok=True)

    def complete(self) -> None:
        """The run is complete: ``OUTPUT`` and ``OUTPUT.done`` become this run's."""
        self.close()
        for stream in (self.partial, self.partial_done):
            with open(stream, "rb") as raw:
                os.fsync(raw.fileno())
        os.replace(self.partial, self.output)
        os.replace(self.partial_done, done_path(self.output))

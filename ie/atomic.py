"""File writing that never leaves a half-written file behind."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


def temporary_beside(path: Path) -> str:
    """A new empty file beside ``path`` for writing then renaming, with the permissions a plain
    ``open`` would give (``mkstemp`` makes it private)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    return temporary


@contextmanager
def atomic_path(path: str | Path) -> Iterator[str]:
    """A temporary file's path beside ``path`` for a writer that wants a path (a chart, a Parquet
    file); renamed into place when the block ends without an error, removed when it does not."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_beside(path)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def open_atomic(path: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text stream to a temporary file beside ``path``, renamed into place when the block ends
    without an error (and removed when it does not): for content too large to hold as one string."""
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8", newline="\n") as stream:
        yield stream


def write_text_atomic(path: str | Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place."""
    with open_atomic(path) as stream:
        stream.write(content)


def write_jsonl_atomic(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    """One JSON object per line, UTF-8 kept readable (no ``\\u`` escapes)."""
    write_text_atomic(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))

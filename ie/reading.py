"""Reading bulletins as they come: files, directories, JSONL; any common Chinese encoding.

``iter_inputs(path)`` yields a ``Document`` for each readable input and an
``InputFailure`` (with a one-line reason naming the file, and the line for JSONL) for
each bad one, so that a batch goes on past bad files.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030/GBK or Big5 as
detected by charset-normalizer (restricted to those two, which short Chinese texts
otherwise confuse with UTF-16). Binary files (NUL bytes, control characters) are refused.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CONTROL_LIMIT = 0.01  # share of control characters above which a text is binary


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    source: str


@dataclass(frozen=True)
class InputFailure:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class InputError(ValueError):
    """An input that cannot be read as text."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``; raises ``InputError`` for binary or undecodable data."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:65536]:
        raise InputError("binary file (NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise InputError(f"UTF-8 BOM but invalid UTF-8 at byte {error.start}") from None
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
        if best is None:
            raise InputError("neither UTF-8, GB18030 nor Big5 text") from None
        text, encoding = str(best), best.encoding
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if text and controls / len(text) > _CONTROL_LIMIT:
        raise InputError(f"binary file ({controls} control characters), not text")
    return text, encoding


def read_text_file(path: str | Path) -> str:
    return decode_bytes(Path(path).read_bytes())[0]


def _from_file(path: Path, doc_id: str) -> Document | InputFailure:
    try:
        return Document(doc_id, read_text_file(path), str(path))
    except (OSError, InputError) as error:
        return InputFailure(str(path), str(error))


def _from_jsonl(path: Path) -> Iterator[Document | InputFailure]:
    try:
        text, _ = decode_bytes(path.read_bytes())
    except (OSError, InputError) as error:
        yield InputFailure(str(path), str(error))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputFailure(source, f"not valid JSON: {error.msg}")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "id" not in row:
            yield InputFailure(source, 'expected an object with "id" and a string "text"')
            continue
        yield Document(str(row["id"]), row["text"], source)


def iter_inputs(path: str | Path) -> Iterator[Document | InputFailure]:
    """Documents of a ``.txt`` file, a directory of ``.txt`` files, or a JSONL file of ``{"id", "text"}``."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not files:
            yield InputFailure(str(path), "directory holds no .txt file")
        for file in files:
            yield _from_file(file, file.stem)
    elif path.suffix == ".jsonl":
        yield from _from_jsonl(path)
    elif path.is_file():
        yield _from_file(path, path.stem)
    else:
        yield InputFailure(str(path), "no such file or directory")

"""The annotated corpus on disk: seed documents and the span JSONL file."""

from __future__ import annotations

from pathlib import Path

from ie.document import SentenceAnnotation
from ie.io import read_jsonl, write_jsonl_atomic
from ie.reading import read_text_file


def read_documents(directory: str | Path) -> dict[str, str]:
    """``{doc_id: original text}`` for the ``*.txt`` files of a directory, read as batch extraction reads them."""
    return {path.stem: read_text_file(path) for path in sorted(Path(directory).glob("*.txt"))}


def read_sentences(path: str | Path) -> list[SentenceAnnotation]:
    """Read a span JSONL file; errors name ``file:line``."""
    sentences = []
    for number, row in read_jsonl(path):
        try:
            sentences.append(SentenceAnnotation.from_dict(row))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: {error}") from None
    return sentences


def write_sentences(path: str | Path, sentences: list[SentenceAnnotation]) -> None:
    write_jsonl_atomic(path, (s.to_dict() for s in sorted(sentences, key=lambda s: (s.doc_id, s.sent_id))))

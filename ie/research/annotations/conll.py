"""Character-per-line BIO (CoNLL style), derived from the span JSONL.

Each sentence starts with ``# doc_id sent_id``, then one ``character<TAB>tag`` line per
character (a space is written as ``<SP>`` so that the column stays visible), then a blank
line. ``read_bio`` reads it back into ``(doc_id, sent_id, text, tags)``.
"""

from __future__ import annotations

from pathlib import Path

from ie.document import SentenceAnnotation
from ie.atomic import write_text_atomic
from ie.spans import spans_to_bio

_SPACE = "<SP>"


def sentences_to_bio_text(sentences: list[SentenceAnnotation]) -> str:
    blocks = []
    for sentence in sorted(sentences, key=lambda s: (s.doc_id, s.sent_id)):
        tags = spans_to_bio(sentence.text, sentence.spans)
        lines = [f"# {sentence.doc_id} {sentence.sent_id}"]
        lines += [f"{_SPACE if char == ' ' else char}\t{tag}" for char, tag in zip(sentence.text, tags)]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def write_bio(path: str | Path, sentences: list[SentenceAnnotation]) -> None:
    write_text_atomic(path, sentences_to_bio_text(sentences))


def read_bio(path: str | Path) -> list[tuple[str, int, str, list[str]]]:
    """Sentences of a BIO file; a malformed line raises ``ValueError`` naming ``file:line``."""
    result: list[tuple[str, int, str, list[str]]] = []
    header, chars, tags = None, [], []

    def flush() -> None:
        if header is not None:
            result.append((header[0], header[1], "".join(chars), list(tags)))

    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            line = line.rstrip("\n")
            if line.startswith("# "):
                flush()
                parts = line[2:].split(" ")
                if len(parts) != 2 or not parts[1].isdigit():
                    raise ValueError(f"{path}:{number}: header must be '# doc_id sent_id', got {line!r}")
                header, chars, tags = (parts[0], int(parts[1])), [], []
            elif line:
                char, sep, tag = line.partition("\t")
                if not sep or header is None or len(char) not in (1, len(_SPACE)):
                    raise ValueError(f"{path}:{number}: expected 'character<TAB>tag' inside a sentence, got {line!r}")
                chars.append(" " if char == _SPACE else char)
                tags.append(tag)
    flush()
    return result

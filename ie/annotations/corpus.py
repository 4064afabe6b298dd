"""The annotated corpus: documents cut into sentences, their spans, and gold records.

A document is segmented once, deterministically: normalise (``ie.text.normalize``), split
into sentences, number them, and remember each sentence's paragraph (its line in the
normalised text) and its offsets in both texts. Annotation files store the sentence's
ORIGINAL offsets and its normalised text; spans are offsets within that text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ie.io import read_jsonl, write_jsonl_atomic
from ie.schema import Span
from ie.spans import check_spans
from ie.text import NormalizedText, normalize, split_sentences


@dataclass(frozen=True)
class SentenceAnnotation:
    """One sentence of a document with its spans (offsets within ``text``)."""

    doc_id: str
    sent_id: int
    start: int  # offsets of the sentence in the ORIGINAL document
    end: int
    text: str  # the normalised sentence
    paragraph: int
    spans: tuple[Span, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "sent_id": self.sent_id, "start": self.start, "end": self.end,
            "paragraph": self.paragraph, "text": self.text, "spans": [s.to_dict() for s in self.spans],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentenceAnnotation:
        text = str(data["text"])
        spans = tuple(check_spans(text, (Span.from_dict(s) for s in data.get("spans", ()))))
        return cls(str(data["doc_id"]), int(data["sent_id"]), int(data["start"]), int(data["end"]), text,
                   int(data.get("paragraph", 0)), spans)


@dataclass(frozen=True)
class SegmentedDocument:
    """A document's normalisation and its sentences, with normalised sentence starts."""

    doc_id: str
    normalized: NormalizedText
    sentences: tuple[SentenceAnnotation, ...]
    normalized_starts: tuple[int, ...]

    def sentence_span_to_original(self, sent_id: int, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` within sentence ``sent_id`` to ORIGINAL document offsets."""
        base = self.normalized_starts[sent_id]
        return self.normalized.to_original(base + start, base + end)


def segment_document(doc_id: str, original: str, **normalize_options: Any) -> SegmentedDocument:
    """Normalise and split ``original``; sentences carry no spans yet."""
    normalized = normalize(original, **normalize_options)
    sentences, starts = [], []
    for sent_id, sentence in enumerate(split_sentences(normalized.text)):
        start, end = normalized.to_original(sentence.start, sentence.end)
        paragraph = normalized.text.count("\n", 0, sentence.start)
        sentences.append(SentenceAnnotation(doc_id, sent_id, start, end, sentence.text, paragraph))
        starts.append(sentence.start)
    return SegmentedDocument(doc_id, normalized, tuple(sentences), tuple(starts))


def read_documents(directory: str | Path) -> dict[str, str]:
    """``{doc_id: original text}`` for the ``*.txt`` files of a directory (UTF-8)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(Path(directory).glob("*.txt"))}


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

"""A document cut into sentences: normalised once, with offsets in both texts.

A document is segmented deterministically: normalise (``ie.text.normalize``), split into
sentences, number them, and remember each sentence's paragraph (its line in the
normalised text) and its offsets in both texts. Spans are offsets within a sentence's
normalised text; ``SegmentedDocument.sentence_span_to_original`` maps them to the
ORIGINAL document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    paragraph, counted_to = 0, 0
    for sent_id, sentence in enumerate(split_sentences(normalized.text)):
        start, end = normalized.to_original(sentence.start, sentence.end)
        paragraph += normalized.text.count("\n", counted_to, sentence.start)  # line number, counted once
        counted_to = sentence.start
        sentences.append(SentenceAnnotation(doc_id, sent_id, start, end, sentence.text, paragraph))
        starts.append(sentence.start)
    return SegmentedDocument(doc_id, normalized, tuple(sentences), tuple(starts))

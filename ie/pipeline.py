"""The extractor: text in, records out (normalise, split, tag, decode).

>>> extractor = Extractor.from_config("rules")
>>> [(r.metric, r.value, r.unit) for r in extractor.extract("全市公安机关破获刑事案件9700起。", doc_id="d")]
[('破获刑事案件', 9700.0, '起')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ie.decoding import decode_document
from ie.document import SegmentedDocument, segment_document
from ie.schema import Record, Span
from ie.text import NormalizationWarning


class Tagger(Protocol):
    """Anything that labels a batch of normalised sentences with spans."""

    name: str

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]: ...


@dataclass(frozen=True)
class Extraction:
    records: list[Record]
    document: SegmentedDocument
    spans: list[list[Span]]

    @property
    def warnings(self) -> tuple[NormalizationWarning, ...]:
        return self.document.normalized.warnings


class Extractor:
    """Normalise, split, tag and decode; one instance serves many documents."""

    def __init__(self, tagger: Tagger, *, opencc_config: str | None = "t2s") -> None:
        self.tagger = tagger
        self.opencc_config = opencc_config

    @classmethod
    def from_config(cls, name: str = "rules", *, opencc_config: str | None = "t2s", **options) -> Extractor:
        """``name``: ``rules`` (the rule tagger) or ``model`` (``checkpoint=DIR``, a fine-tuned classifier).

        A model extractor normalises text with the settings saved in its checkpoint.
        """
        if name == "rules":
            from ie.rule_tagger import RuleTagger

            return cls(RuleTagger(**options), opencc_config=opencc_config)
        if name == "model":
            from ie.model.tagger import ModelTagger

            checkpoint = options.pop("checkpoint", None)
            if not checkpoint:
                raise ValueError("extractor=model needs checkpoint=DIR (a directory written by scripts/train.py)")
            tagger = ModelTagger(checkpoint, **options)
            return cls(tagger, opencc_config=tagger.meta.get("normalization", {}).get("opencc", opencc_config))
        raise ValueError(f"unknown extractor {name!r}; choose one of: rules, model")

    def extract_document(self, text: str, doc_id: str) -> Extraction:
        document = segment_document(doc_id, text, opencc_config=self.opencc_config)
        spans = self.tagger.tag([s.text for s in document.sentences])
        return Extraction(decode_document(document, spans), document, spans)

    def extract(self, text: str, doc_id: str = "doc") -> list[Record]:
        return self.extract_document(text, doc_id).records

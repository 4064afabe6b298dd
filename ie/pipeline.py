"""The extractor: text in, records out (normalise, split, tag, decode).

>>> extractor = Extractor.from_config("rules")
>>> [(r.metric, r.value, r.unit) for r in extractor.extract("全市公安机关破获刑事案件9700起。", doc_id="d")]
[('破获刑事案件', 9700.0, '起')]
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ie.decoding import decode_document, sentences_that_matter, untagged_lead
from ie.document import SegmentedDocument, segment_document
from ie.extractor_options import CombinedOptions, ModelOptions, options_for
from ie.metrics import metric_to_id
from ie.reading import REPLACEMENT
from ie.schema import Record, Span
from ie.structure import Structure, analyse_structure
from ie.text import NormalizationWarning

logger = logging.getLogger(__name__)


def _flag_replaced(record: Record, text: str) -> Record:
    """The record flagged ``replaced_characters`` when its evidence or a character beside it was replaced."""
    start, end = record.evidence.start, record.evidence.end
    if REPLACEMENT not in text[max(0, start - 1):end + 1]:
        return record
    return replace(record, flags=(*record.flags, "replaced_characters"))


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


def spans_to_records(document: SegmentedDocument, spans: Sequence[Sequence[Span]], structure: Structure | None = None,
                     *, min_confidence: float | None = None) -> list[Record]:
    """The one way from a document's spans (per sentence) to its records, for extraction and
    evaluation alike: the decoder (``ie.decoding``), each record's canonical ``metric_id``
    (``docs/metrics.md``), the ``min_confidence`` filter (records without a confidence are kept),
    and the ``replaced_characters`` flag."""
    records = [replace(record, metric_id=metric_id) if (metric_id := metric_to_id(record.metric)) else record
               for record in decode_document(document, spans, structure)]
    if min_confidence is not None:
        records = [r for r in records if r.confidence is None or r.confidence >= min_confidence]
    original = document.normalized.original
    if REPLACEMENT in original:
        records = [_flag_replaced(record, original) for record in records]
    return records


class Extractor:
    """Normalise, split, tag and decode; one instance serves many documents.

    With ``skip_numberless`` (the default) sentences whose spans cannot change any record
    are not tagged (``ie.decoding.sentences_that_matter``): same records, less work. With
    ``min_confidence``, records whose confidence is below it are left out (records without a
    confidence are kept).
    """

    def __init__(self, tagger: Tagger, *, opencc_config: str | None = "t2s", skip_numberless: bool = True,
                 min_confidence: float | None = None) -> None:
        self.tagger = tagger
        self.opencc_config = opencc_config
        self.skip_numberless = skip_numberless
        self.min_confidence = min_confidence

    @classmethod
    def from_config(cls, name: str = "combined", *, opencc_config: str | None = "t2s", **options) -> Extractor:
        """``name``: ``combined`` (the rule tagger's spans, gaps of the ``fill`` labels filled from the
        model's), ``model`` (a fine-tuned classifier; ``checkpoint=None``: the shipped default model)
        or ``rules`` (the rule tagger). ``options``: the settings of ``ie.extractor_options``, whose
        defaults fill what is not given; an unknown one is an error.

        Every extractor normalises text with ``opencc_config`` (a model's own training setting is
        logged when it differs).
        """
        from ie.rule_tagger import RuleTagger

        if name == "rules":
            if options.pop("checkpoint", None):
                raise ValueError("a checkpoint has no effect with extractor=rules; use extractor=model")
        settings = options_for(name, options)
        common = {"opencc_config": opencc_config, "skip_numberless": settings.skip_numberless,
                  "min_confidence": settings.min_confidence}
        if not isinstance(settings, ModelOptions):
            return cls(RuleTagger(), **common)
        from ie.model.tagger import ModelTagger

        model = ModelTagger(settings.checkpoint, device=settings.device, batch_size=settings.batch_size,
                            runtime=settings.runtime, threads=settings.threads)
        trained_with = model.meta.get("normalization", {}).get("opencc", opencc_config)
        if trained_with != opencc_config:
            logger.info("normalization.opencc=%s as asked; the model was trained on text normalised with %s",
                        opencc_config, trained_with)
        if not isinstance(settings, CombinedOptions):
            return cls(model, **common)
        from ie.combined_tagger import CombinedTagger

        return cls(CombinedTagger(RuleTagger(), model, fill=settings.fill, prefer=settings.prefer), **common)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], *, opencc_config: str | None = "t2s",
                      checkpoint: str | None = None) -> Extractor:
        """From a config mapping ``{name, **options}`` (the scripts' ``extractor`` group).

        ``checkpoint`` (the scripts' top-level setting) fills the group's when that one is empty.
        """
        options = {key: value for key, value in settings.items() if key != "name"}
        if checkpoint and options.get("checkpoint") and str(options["checkpoint"]) != str(checkpoint):
            raise ValueError(f"two checkpoints: {checkpoint} and extractor.checkpoint={options['checkpoint']}")
        if checkpoint and settings["name"] not in ("model", "combined"):
            raise ValueError(f"checkpoint={checkpoint} has no effect with extractor={settings['name']}; "
                             f"use extractor=model")
        if checkpoint:
            options["checkpoint"] = checkpoint
        return cls.from_config(settings["name"], opencc_config=opencc_config, **options)

    def extract_document(self, text: str, doc_id: str) -> Extraction:
        """Records of one document; ``spans`` holds ``[]`` for the sentences skipped as unable to
        change any record (``skip_numberless``)."""
        document = segment_document(doc_id, text, opencc_config=self.opencc_config)
        structure = analyse_structure(document)
        sentences = [s.text for s in document.sentences]
        if not self.skip_numberless:
            spans = self.tagger.tag(sentences)
        else:
            tagged = sentences_that_matter(document, structure)
            spans = [[] for _ in sentences]
            needed = [i for i, matters in enumerate(tagged) if matters]
            while needed:  # a second round tags the lead sentences that may still give its period or org
                for i, found in zip(needed, self.tagger.tag([sentences[i] for i in needed])):
                    spans[i], tagged[i] = found, True
                needed = untagged_lead(document, structure, spans, tagged)
        return Extraction(spans_to_records(document, spans, structure, min_confidence=self.min_confidence),
                          document, spans)

    def extract(self, text: str, doc_id: str = "doc") -> list[Record]:
        return self.extract_document(text, doc_id).records

"""Evaluate an extractor on annotated corpora: spans, records, slots, the decoder ceiling, groups.

``evaluate_extractor`` tags the gold sentences (the same segmentation as the
annotation), decodes them, and scores:

- spans: seqeval strict IOB2 per label, over per-character tags;
- records and values: ``ie.research.scoring.evaluate_records`` (the matching of ``docs/record_format.md``);
- per document record scores, and the errors with their sentences;
- the same record scores and slot accuracies per genre, script and corpus of the documents;
- the decoder ceiling: gold spans through the same decoder, against the gold records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ie.research.annotations.corpus import load_corpus, read_document_meta, read_documents, read_jsonl, read_sentences
from ie.document import SegmentedDocument, segment_document
from ie.pipeline import Extractor, spans_to_records
from ie.schema import Span
from ie.research.scoring import PRF, RecordEvaluation, evaluate_records, evaluate_spans
from ie.spans import spans_to_bio


@dataclass
class GoldCorpus:
    documents: dict[str, SegmentedDocument]
    spans: dict[str, list[tuple[Span, ...]]]  # per document, per sentence
    records: list[dict[str, Any]]
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)  # per document: genre, script, ..., corpus

    def doc_records(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        wanted = set(doc_ids)
        return [r for r in self.records if r["doc_id"] in wanted]


def load_gold(seeds: str | Path, spans_path: str | Path, records_path: str | Path,
              opencc_config: str | None = "t2s", documents_path: str | Path | None = None) -> GoldCorpus:
    """The annotated documents of one directory, with their spans, records and (optional) metadata."""
    documents = {d: segment_document(d, t, opencc_config=opencc_config) for d, t in read_documents(seeds).items()}
    by_sentence = {(s.doc_id, s.sent_id): s.spans for s in read_sentences(spans_path)}
    spans = {d: [by_sentence.get((d, s.sent_id), ()) for s in doc.sentences] for d, doc in documents.items()}
    records = [row for _, row in read_jsonl(records_path)]
    meta = read_document_meta(documents_path) if documents_path is not None else {}
    return GoldCorpus(documents, spans, records, meta)


def load_corpora(names: Sequence[str] | str, annotations: str | Path,
                 opencc_config: str | None = "t2s") -> GoldCorpus:
    """Several corpora of ``annotations/corpora.yaml`` as one; each document's meta names its corpus."""
    merged = GoldCorpus({}, {}, [], {})
    for name in [names] if isinstance(names, str) else names:
        corpus = load_corpus(name, annotations)
        gold = load_gold(corpus.texts, corpus.spans, corpus.records, opencc_config, corpus.documents)
        clash = set(gold.documents) & set(merged.documents)
        if clash:
            raise ValueError(f"corpus {name!r} repeats document ids {sorted(clash)[:5]}")
        merged.documents.update(gold.documents)
        merged.spans.update(gold.spans)
        merged.records += gold.records
        merged.meta.update({d: {**gold.meta.get(d, {}), "corpus": name} for d in gold.documents})
    return merged


@dataclass
class ErrorCase:
    kind: str  # missed | spurious
    doc_id: str
    sentence: str
    record: dict[str, Any]
    reason: str


@dataclass
class GroupScores:
    """The scores of the documents that share one metadata value (a genre, a script...)."""

    documents: int
    scores: RecordEvaluation

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, **self.scores.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupScores:
        return cls(int(data["documents"]), RecordEvaluation.from_dict(data))


@dataclass
class EvaluationResult:
    """One extractor on annotated corpora: what ``scripts/evaluate.py`` writes to ``metrics.json`` (``to_dict``)
    and what reports, ``scripts/results_table.py`` and the model card read back (``from_dict``)."""

    extractor: str
    spans: dict[str, dict[str, Any]]  # per label (and "micro avg"): seqeval's precision, recall, f1, support
    records: RecordEvaluation
    per_document: dict[str, RecordEvaluation]
    ceiling: RecordEvaluation  # the gold spans through the decoder
    errors: list[ErrorCase] = field(default_factory=list)  # worst first (see _severity)
    groups: dict[str, dict[str, GroupScores]] = field(default_factory=dict)  # {"genre": {"press_conference": ...}}
    # The records scored (``to_dict`` rows, documents in order), which ``records.pairs``, ``false_positives`` and
    # ``false_negatives`` index; for the evaluation view, not written to metrics.json (``from_dict`` leaves them empty).
    predicted: list[dict[str, Any]] = field(default_factory=list, repr=False)
    gold: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"extractor": self.extractor, "spans": self.spans, "records": self.records.to_dict(),
                "per_document": {doc_id: scores.to_dict() for doc_id, scores in self.per_document.items()},
                "decoder_ceiling": self.ceiling.to_dict(),
                "groups": {key: {value: group.to_dict() for value, group in groups.items()}
                           for key, groups in self.groups.items()},
                "errors": [e.__dict__ for e in self.errors]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvaluationResult:
        return cls(data["extractor"], data.get("spans", {}), RecordEvaluation.from_dict(data["records"]),
                   {doc_id: RecordEvaluation.from_dict(scores)
                    for doc_id, scores in data.get("per_document", {}).items()},
                   RecordEvaluation.from_dict(data["decoder_ceiling"]),
                   [ErrorCase(**error) for error in data.get("errors", [])],
                   {key: {value: GroupScores.from_dict(group) for value, group in groups.items()}
                    for key, groups in data.get("groups", {}).items()})


def _sentence_of(document: SegmentedDocument, evidence_start: int) -> str:
    for sentence in document.sentences:
        if sentence.start <= evidence_start < sentence.end:
            return sentence.text
    return ""


def _explain(missed: dict[str, Any], predicted: list[dict[str, Any]]) -> str:
    """Why a gold record found no match: the closest prediction at the same place."""
    same_place = [p for p in predicted if p["doc_id"] == missed["doc_id"]
                  and p["evidence"]["end"] == missed["evidence"]["end"]]
    if not same_place:
        return "value not extracted (no record at this value)"
    p = same_place[0]
    if p["value"] != missed["value"] or p["unit"] != missed["unit"]:
        return f"value read as {p['value']:g} {p['unit']}"
    if p["direction"] != missed["direction"]:
        return f"direction {p['direction']} instead of {missed['direction']}"
    return f"metric {p['metric']!r} instead of {missed['metric']!r}"


def evaluate_predictions(corpus: GoldCorpus, doc_ids: Sequence[str], predicted_spans: dict[str, list[list[Span]]],
                         name: str, min_confidence: float | None = None) -> EvaluationResult:
    """Score predicted spans (per document, per sentence) of ``doc_ids`` against the gold; with
    ``min_confidence``, records below it are left out first, as the extractor does."""
    gold_tags, predicted_tags, predicted, ceiling_records = [], [], [], []
    for doc_id in doc_ids:
        document = corpus.documents[doc_id]
        for sentence, gold, spans in zip(document.sentences, corpus.spans[doc_id], predicted_spans[doc_id]):
            gold_tags.append(spans_to_bio(sentence.text, gold))
            predicted_tags.append(spans_to_bio(sentence.text, spans))
        predicted += [r.to_dict() for r in spans_to_records(document, predicted_spans[doc_id],
                                                            min_confidence=min_confidence)]
        ceiling_records += [r.to_dict() for r in spans_to_records(document, corpus.spans[doc_id])]
    gold_records = corpus.doc_records(doc_ids)
    scores = evaluate_records(predicted, gold_records)
    per_document = {}
    for doc_id in doc_ids:
        doc_scores = evaluate_records([p for p in predicted if p["doc_id"] == doc_id], corpus.doc_records([doc_id]))
        per_document[doc_id] = doc_scores
    errors = [ErrorCase("missed", gold_records[j]["doc_id"],
                        _sentence_of(corpus.documents[gold_records[j]["doc_id"]], gold_records[j]["evidence"]["start"]),
                        gold_records[j], _explain(gold_records[j], predicted)) for j in scores.false_negatives]
    errors += [ErrorCase("spurious", predicted[i]["doc_id"],
                         _sentence_of(corpus.documents[predicted[i]["doc_id"]], predicted[i]["evidence"]["start"]),
                         predicted[i], "no gold record with this value, direction and metric")
               for i in scores.false_positives]
    errors.sort(key=_severity)
    return EvaluationResult(name, evaluate_spans(gold_tags, predicted_tags), scores, per_document,
                            evaluate_records(ceiling_records, gold_records), errors,
                            group_scores(corpus, doc_ids, predicted), predicted, gold_records)


GROUP_KEYS = ("corpus", "genre", "script", "region")


def group_scores(corpus: GoldCorpus, doc_ids: Sequence[str], predicted: list[dict[str, Any]]
                 ) -> dict[str, dict[str, GroupScores]]:
    """Record scores and slot accuracies per value of each metadata key (documents without one are left out)."""
    groups: dict[str, dict[str, GroupScores]] = {}
    for key in GROUP_KEYS:
        members: dict[str, list[str]] = {}
        for doc_id in doc_ids:
            value = corpus.meta.get(doc_id, {}).get(key)
            if value is not None:
                members.setdefault(str(value), []).append(doc_id)
        for value, docs in sorted(members.items()):
            wanted = set(docs)
            scores = evaluate_records([p for p in predicted if p["doc_id"] in wanted], corpus.doc_records(docs))
            groups.setdefault(key, {})[value] = GroupScores(len(docs), scores)
    return groups


_REASON_ORDER = ("value not extracted", "value read as", "direction", "metric", "no gold record")


def _severity(error: ErrorCase) -> tuple[int, float]:
    """Worst first: values lost, then misread, wrong direction, wrong metric, spurious; big values first."""
    rank = next((k for k, prefix in enumerate(_REASON_ORDER) if error.reason.startswith(prefix)), len(_REASON_ORDER))
    return rank, -abs(float(error.record.get("value") or 0))


def evaluate_extractor(extractor: Extractor, corpus: GoldCorpus, doc_ids: Sequence[str] | None = None,
                       name: str | None = None) -> EvaluationResult:
    """Tag the gold sentences of ``doc_ids`` (default: all) with the extractor's tagger and score."""
    doc_ids = list(doc_ids or corpus.documents)
    predicted = {d: extractor.tagger.tag([s.text for s in corpus.documents[d].sentences]) for d in doc_ids}
    return evaluate_predictions(corpus, doc_ids, predicted, name or extractor.tagger.name, extractor.min_confidence)


def sum_prf(rows: Sequence[dict[str, Any]]) -> PRF:
    """Micro-average: add up ``{"tp", "fp", "fn"}`` rows."""
    total = PRF()
    for row in rows:
        total = total + PRF(row["tp"], row["fp"], row["fn"])
    return total

"""Record-level and span-level scores, following ``docs/record_format.md`` ("How records are scored").

A predicted record matches a gold record of the same document when value, unit and
direction are equal and the metrics overlap (longest common substring of at least 2
characters covering at least half of the shorter metric). Matching is one-to-one,
greedy by overlap. Gold records marked ``optional`` are neither required nor wrong: a
prediction matched to one is not counted, and an unmatched one is no miss. Value-level
scores match on value + unit alone. Slots are scored on matched records.

Span scores use seqeval with ``mode="strict", scheme=IOB2`` over per-character tags.
``None`` stands where there is nothing to score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ie.text.overlap import longest_common_substring

SLOTS = ("period", "org", "baseline", "qualifier")


@dataclass
class PRF:
    """Counts that add up; precision, recall and F1 are ``None`` where undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """``None`` only when there is nothing at all (no gold, no prediction); missing everything is 0."""
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        if p is None or r is None or p + r == 0:
            return 0.0
        return 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall,
                "f1": self.f1}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PRF:
        return cls(int(data["tp"]), int(data["fp"]), int(data["fn"]))


def metrics_overlap(predicted: str, gold: str) -> int:
    """The overlap (common-substring length) when it counts as a match, else 0."""
    common = longest_common_substring(predicted, gold)
    return common if common >= 2 and common * 2 >= min(len(predicted), len(gold)) else 0


def _same_value(a: Any, b: Any) -> bool:
    return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _record_score(predicted: dict, gold: dict) -> int:
    if not (_same_value(predicted["value"], gold["value"]) and predicted["unit"] == gold["unit"]
            and predicted["direction"] == gold["direction"]):
        return 0
    return metrics_overlap(predicted["metric"], gold["metric"])


def _value_score(predicted: dict, gold: dict) -> int:
    return 1 if _same_value(predicted["value"], gold["value"]) and predicted["unit"] == gold["unit"] else 0


def match(predicted: Sequence[dict], gold: Sequence[dict],
          score: Callable[[dict, dict], int] = _record_score) -> list[tuple[int, int]]:
    """One-to-one ``(predicted index, gold index)`` pairs of the same document, best first."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if p["doc_id"] == g["doc_id"] and (s := score(p, g)):
                distance = abs(p["evidence"]["start"] - g["evidence"]["start"])
                candidates.append((-s, distance, i, j))
    pairs, used_p, used_g = [], set(), set()
    for _, _, i, j in sorted(candidates):
        if i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    return pairs


CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
"""Edges of the confidence bins of a reliability table (the last bin includes 1.0)."""


@dataclass
class ConfidenceBin:
    """Predicted records whose confidence falls in ``[low, high)``, and how many of them are right."""

    low: float | None  # None for the records without a confidence
    high: float | None
    records: int
    correct: int
    mean_confidence: float | None

    @property
    def precision(self) -> float | None:
        return self.correct / self.records if self.records else None

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "records": self.records, "correct": self.correct,
                "mean_confidence": self.mean_confidence, "precision": self.precision}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConfidenceBin:
        return cls(data["low"], data["high"], int(data["records"]), int(data["correct"]), data["mean_confidence"])


def reliability(predicted: Sequence[dict], pairs: Sequence[tuple[int, int]],
                gold: Sequence[dict]) -> list[ConfidenceBin]:
    """Precision of the predicted records per confidence bin (``CONFIDENCE_BINS``), then one bin of the
    records without a confidence; empty bins are left out. A record matched to an optional gold
    record is not counted, as in the scores.

    >>> bins = reliability([{"confidence": 0.97}, {"confidence": 0.96}, {"confidence": None}], [(0, 0)], [{}])
    >>> [(b.low, b.records, b.correct, b.precision) for b in bins]
    [(0.95, 2, 1, 0.5), (None, 1, 0, 0.0)]
    """
    right = {i for i, j in pairs if not gold[j].get("optional")}
    counted = [i for i in range(len(predicted)) if i in right or i not in {i for i, _ in pairs}]
    edges = list(zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:]))
    members: dict[tuple[float | None, float | None], list[int]] = {}
    for i in counted:
        confidence = predicted[i].get("confidence")
        edge = (None, None) if confidence is None else next(
            (low, high) for low, high in edges if confidence < high or high == CONFIDENCE_BINS[-1])
        members.setdefault(edge, []).append(i)
    bins = []
    for edge in [*edges, (None, None)]:
        if edge in members:
            indices = members[edge]
            scores = [predicted[i]["confidence"] for i in indices if predicted[i].get("confidence") is not None]
            bins.append(ConfidenceBin(edge[0], edge[1], len(indices), sum(i in right for i in indices),
                                      round(sum(scores) / len(scores), 4) if scores else None))
    return bins


@dataclass
class RecordEvaluation:
    records: PRF
    values: PRF
    slots: dict[str, float | None]
    pairs: list[tuple[int, int]]
    false_positives: list[int]
    false_negatives: list[int]
    confidence: list[ConfidenceBin] = field(default_factory=list)  # the reliability table (``reliability``)

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records.to_dict(), "values": self.values.to_dict(), "slots": self.slots,
                "confidence": [b.to_dict() for b in self.confidence]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordEvaluation:
        """The scores of ``to_dict`` (which keeps no matching: ``pairs`` and the error lists come back empty)."""
        return cls(PRF.from_dict(data["records"]), PRF.from_dict(data["values"]), dict(data.get("slots", {})),
                   [], [], [], [ConfidenceBin.from_dict(b) for b in data.get("confidence", [])])


def _count(predicted: Sequence[dict], gold: Sequence[dict], pairs: list[tuple[int, int]]) -> tuple[PRF, list, list]:
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    tp = sum(1 for _, j in pairs if not gold[j].get("optional"))
    fps = [i for i in range(len(predicted)) if i not in matched_p]
    fns = [j for j in range(len(gold)) if j not in matched_g and not gold[j].get("optional")]
    return PRF(tp, len(fps), len(fns)), fps, fns


def evaluate_records(predicted: Sequence[dict], gold: Sequence[dict]) -> RecordEvaluation:
    """Record-level and value-level P/R/F1 and slot accuracy (records as ``to_dict()`` rows)."""
    pairs = match(predicted, gold)
    records, fps, fns = _count(predicted, gold, pairs)
    values, _, _ = _count(predicted, gold, match(predicted, gold, _value_score))
    scored = [(i, j) for i, j in pairs if not gold[j].get("optional")]
    slots = {
        slot: (sum(predicted[i][slot] == gold[j][slot] for i, j in scored) / len(scored) if scored else None)
        for slot in SLOTS
    }
    return RecordEvaluation(records, values, slots, pairs, fps, fns, reliability(predicted, pairs, gold))


def evaluate_spans(gold_tags: Sequence[Sequence[str]], predicted_tags: Sequence[Sequence[str]]) -> dict[str, Any]:
    """seqeval strict IOB2 scores per label and micro-averaged (``None`` where undefined)."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    from seqeval.metrics.sequence_labeling import get_entities

    gold = [list(t) for t in gold_tags]
    predicted = [list(t) for t in predicted_tags]
    if not any(tag != "O" for tags in gold + predicted for tag in tags):
        return {}
    predicted_counts: dict[str, int] = {}
    for tags in predicted:
        for label, _, _ in get_entities(tags):
            predicted_counts[label] = predicted_counts.get(label, 0) + 1
    report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    scores = {}
    for label, row in report.items():
        if label in ("macro avg", "weighted avg"):
            continue
        support = int(row["support"])
        made = sum(predicted_counts.values()) if label == "micro avg" else predicted_counts.get(label, 0)
        precision = float(row["precision"]) if made else None  # nothing predicted: nothing to score
        recall = float(row["recall"]) if support else None
        f1 = float(row["f1-score"]) if precision is not None and recall is not None else (
            0.0 if made or support else None)
        scores[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return scores

"""Cross-validation results as types: what ``ie.research.crossvalidation.cross_validate`` returns,
what ``scripts/crossval.py`` writes to ``metrics.json`` (``to_dict``) and what reports, plots,
the model card and ``scripts/summarize_crossval.py`` read back (``from_dict``).

A system's scores are flat: ``{"record_f1": ..., "span_p_METRIC": ..., "slot_org": ...}``
(``SUMMARY_KEYS``), one such mapping per fold, their mean and deviation over the folds, and
the scores of all held-out documents pooled into one evaluation.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from ie.schema import LABELS

SUMMARY_KEYS = ["record_f1", "record_precision", "record_recall", "value_f1", "span_micro_f1",
                *[f"span_{score}_{label}" for label in LABELS for score in ("p", "r", "f1")],
                "slot_period", "slot_org", "slot_baseline", "slot_qualifier"]
SYSTEMS = ("model", "student", "student_int8", "combined", "rules")

Scores = dict[str, float | None]
"""One system's flat scores (``SUMMARY_KEYS``)."""


@dataclass(frozen=True)
class MeanStd:
    mean: float | None
    std: float | None

    @classmethod
    def of(cls, values: list[float | None]) -> MeanStd:
        present = [v for v in values if v is not None]
        if not present:
            return cls(None, None)
        return cls(statistics.fmean(present), statistics.pstdev(present) if len(present) > 1 else 0.0)


@dataclass
class Fold:
    """One fold: what was held out, how the model trained, and each system's scores on it."""

    held_out: str
    held_out_docs: list[str]
    scores: dict[str, Scores]
    train: dict[str, Any] = field(default_factory=dict)
    best_epoch: int | None = None
    seconds: float = 0.0
    history: list[dict[str, Any]] = field(default_factory=list)
    student_training: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"held_out": self.held_out, "held_out_docs": self.held_out_docs, "train": self.train,
                "best_epoch": self.best_epoch, "seconds": self.seconds, "history": self.history, **self.scores}
        if self.student_training is not None:
            data["student_training"] = self.student_training
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fold:
        return cls(held_out=data["held_out"], held_out_docs=list(data.get("held_out_docs", [data["held_out"]])),
                   scores={system: data[system] for system in SYSTEMS if system in data},
                   train=data.get("train", {}), best_epoch=data.get("best_epoch"), seconds=data.get("seconds", 0.0),
                   history=data.get("history", []), student_training=data.get("student_training"))


@dataclass
class CrossValRun:
    """The folds of one training-data fraction, with their mean, deviation and pooled scores."""

    fraction: float
    fold_by: str
    systems: list[str]
    folds: list[Fold]
    pooled: dict[str, Scores] = field(default_factory=dict)

    @property
    def aggregate(self) -> dict[str, dict[str, MeanStd]]:
        """Per system and key, the mean and standard deviation over the folds."""
        return {system: {key: MeanStd.of([fold.scores[system].get(key) for fold in self.folds])
                         for key in SUMMARY_KEYS} for system in self.systems}

    def mean(self, system: str, key: str) -> MeanStd:
        return MeanStd.of([fold.scores[system].get(key) for fold in self.folds if system in fold.scores])

    @property
    def documents(self) -> int:
        return sum(len(fold.held_out_docs) for fold in self.folds)

    def to_dict(self) -> dict[str, Any]:
        return {"fraction": self.fraction, "fold_by": self.fold_by, "systems": self.systems,
                "folds": [fold.to_dict() for fold in self.folds],
                "aggregate": {system: {key: stat.__dict__ for key, stat in stats.items()}
                              for system, stats in self.aggregate.items()},
                "pooled": self.pooled}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrossValRun:
        folds = [Fold.from_dict(fold) for fold in data["folds"]]
        systems = data.get("systems") or [s for s in SYSTEMS if folds and s in folds[0].scores]
        return cls(fraction=data.get("fraction", 1.0), fold_by=data.get("fold_by", "document"), systems=systems,
                   folds=folds, pooled=data.get("pooled", {}))


@dataclass
class CrossValResult:
    """A named cross-validation: its config and one run per training-data fraction."""

    name: str
    runs: list[CrossValRun]
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def last(self) -> CrossValRun:
        return self.runs[-1]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "config": self.config, "runs": [run.to_dict() for run in self.runs]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrossValResult:
        return cls(name=data["name"], runs=[CrossValRun.from_dict(run) for run in data["runs"]],
                   config=data.get("config", {}))

"""Evaluation reports: ``metrics.json`` and a readable ``report.md`` whose tables paste into a paper."""

from __future__ import annotations

import json
from pathlib import Path

from ie.research.crossval_results import CrossValResult, CrossValRun, MeanStd
from ie.research.evaluation import EvaluationResult
from ie.atomic import write_text_atomic
from ie.schema import LABELS
from ie.research.scoring import PRF, SLOTS

WORST = 10


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _prf_row(name: str, scores: PRF) -> list[str]:
    return [name, fmt(scores.precision), fmt(scores.recall), fmt(scores.f1), str(scores.tp), str(scores.fp),
            str(scores.fn)]


def render_report(result: EvaluationResult) -> str:
    parts = [f"# Evaluation: {result.extractor}", ""]
    parts += ["## Records (matched as docs/record_format.md says)", "",
              table(["level", "P", "R", "F1", "TP", "FP", "FN"], [
                  _prf_row("record", result.records.records),
                  _prf_row("value (value + unit)", result.records.values),
                  _prf_row("decoder ceiling (gold spans -> records)", result.ceiling.records),
              ]), ""]
    parts += ["## Slot accuracy on matched records", "",
              table(["slot", result.extractor, "decoder ceiling"],
                    [[slot, fmt(result.records.slots[slot]), fmt(result.ceiling.slots[slot])] for slot in SLOTS]),
              ""]
    confidence_rows = [["none" if b.low is None else f"{b.low:.2f}–{b.high:.2f}", str(b.records), str(b.correct),
                        fmt(b.precision), fmt(b.mean_confidence)] for b in result.records.confidence]
    parts += ["## Confidence (precision of the predicted records per confidence bin)", "",
              table(["confidence", "records", "right", "precision", "mean confidence"], confidence_rows), ""]
    span_rows = [[label, fmt(result.spans[label]["precision"]), fmt(result.spans[label]["recall"]),
                  fmt(result.spans[label]["f1"]), str(result.spans[label]["support"])]
                 for label in (*LABELS, "micro avg") if label in result.spans]
    parts += ["## Spans (seqeval, strict, IOB2)", "", table(["label", "P", "R", "F1", "support"], span_rows), ""]
    doc_rows = [[doc_id, fmt(scores.records.precision), fmt(scores.records.recall), fmt(scores.records.f1),
                 fmt(scores.values.f1)] for doc_id, scores in result.per_document.items()]
    parts += ["## Per document", "", table(["document", "record P", "record R", "record F1", "value F1"], doc_rows), ""]
    for key, groups in result.groups.items():
        rows = [[value, str(g.documents), str(g.scores.records.tp + g.scores.records.fn),
                 fmt(g.scores.records.precision), fmt(g.scores.records.recall), fmt(g.scores.records.f1),
                 fmt(g.scores.values.f1), fmt(g.scores.slots["period"]), fmt(g.scores.slots["org"])]
                for value, g in groups.items()]
        parts += [f"## By {key}", "", table([key, "documents", "gold records", "record P", "record R", "record F1",
                                             "value F1", "period acc.", "org acc."], rows), ""]
    parts += [f"## The {WORST} worst errors", ""]
    if not result.errors:
        parts.append("None.")
    for error in result.errors[:WORST]:
        r = error.record
        parts.append(f"- **{error.kind}** `{error.doc_id}`: {r['metric']} = {r['value']:g} {r['unit'] or ''} "
                     f"({r['direction'] or 'level'}) — {error.reason}  \n  > {error.sentence}")
    return "\n".join(parts) + "\n"


def write_report(result: EvaluationResult, directory: str | Path) -> tuple[Path, Path]:
    directory = Path(directory)
    metrics, report = directory / "metrics.json", directory / "report.md"
    write_text_atomic(metrics, json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    write_text_atomic(report, render_report(result))
    return metrics, report


def mean_std(stat: MeanStd) -> str:
    """``0.905 ± 0.042``; ``–`` when there is no value."""
    return "–" if stat.mean is None else f"{stat.mean:.3f} ± {stat.std:.3f}"


CROSSVAL_ROWS = [("record F1", "record_f1"), ("record P", "record_precision"), ("record R", "record_recall"),
                 ("value F1", "value_f1"), ("span micro F1", "span_micro_f1"),
                 *[(f"span {name} {label}", f"span_{key}_{label}") for label in LABELS
                   for name, key in (("P", "p"), ("R", "r"), ("F1", "f1"))],
                 ("period accuracy", "slot_period"), ("org accuracy", "slot_org"),
                 ("baseline accuracy", "slot_baseline"), ("qualifier accuracy", "slot_qualifier")]


def student_gaps(run: CrossValRun, system: str = "student_int8") -> list[float]:
    """Per fold, ``system``'s record F1 minus its teacher's (``model``); folds where either is missing are left out."""
    return [fold.scores[system]["record_f1"] - fold.scores["model"]["record_f1"] for fold in run.folds
            if fold.scores.get(system, {}).get("record_f1") is not None
            and fold.scores["model"]["record_f1"] is not None]


def render_crossval(result: CrossValResult, plots: list[str]) -> str:
    """Markdown for a cross-validation: pooled scores, mean ± std, per fold, the learning curve, plots."""
    last = result.last
    parts = [f"# Cross-validation: {result.name}", "",
             f"Leave one {last.fold_by} out: train on the other documents, test on the held-out ones; the rule "
             "tagger is scored on the same held-out documents.", ""]
    systems = last.systems
    if last.pooled:
        parts += ["## All held-out documents pooled", "",
                  table(["metric", *systems], [[name, *[fmt(last.pooled[system].get(key)) for system in systems]]
                                               for name, key in CROSSVAL_ROWS]), ""]
    parts += ["## Mean ± std over folds", "",
              table(["metric", *systems], [[name, *[mean_std(last.mean(system, key)) for system in systems]]
                                           for name, key in CROSSVAL_ROWS]), ""]
    parts += ["## Per fold (record F1 / span micro F1)", "",
              table([f"held-out {last.fold_by}", *[f"{system} record F1" for system in systems],
                     *[f"{system} span F1" for system in systems], "best epoch", "train s"],
                    [[fold.held_out, *[fmt(fold.scores[system]["record_f1"]) for system in systems],
                      *[fmt(fold.scores[system]["span_micro_f1"]) for system in systems], str(fold.best_epoch),
                      f"{fold.seconds:.0f}"] for fold in last.folds]), ""]
    if len(result.runs) > 1:
        parts += ["## Learning curve", "",
                  table(["training sentences", "model record F1", "model span micro F1"],
                        [[f"{run.fraction * 100:.0f} %", mean_std(run.mean("model", "record_f1")),
                          mean_std(run.mean("model", "span_micro_f1"))] for run in result.runs]), ""]
    parts += [f"![{name}]({name})" for name in plots]
    return "\n".join(parts) + "\n"

"""Evaluation reports: ``metrics.json`` and a readable ``report.md`` whose tables paste into a paper."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ie.evaluation import EvaluationResult
from ie.io import write_text_atomic
from ie.schema import LABELS
from ie.scoring import SLOTS

WORST = 10


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _prf_row(name: str, scores: dict[str, Any]) -> list[str]:
    return [name, fmt(scores["precision"]), fmt(scores["recall"]), fmt(scores["f1"]),
            str(scores["tp"]), str(scores["fp"]), str(scores["fn"])]


def render_report(result: EvaluationResult) -> str:
    parts = [f"# Evaluation: {result.extractor}", ""]
    parts += ["## Records (RECORD_SPEC matching)", "",
              table(["level", "P", "R", "F1", "TP", "FP", "FN"], [
                  _prf_row("record", result.records["records"]),
                  _prf_row("value (value + unit)", result.records["values"]),
                  _prf_row("decoder ceiling (gold spans -> records)", result.ceiling["records"]),
              ]), ""]
    parts += ["## Slot accuracy on matched records", "",
              table(["slot", result.extractor, "decoder ceiling"],
                    [[slot, fmt(result.records["slots"][slot]), fmt(result.ceiling["slots"][slot])] for slot in SLOTS]),
              ""]
    span_rows = [[label, fmt(result.spans[label]["precision"]), fmt(result.spans[label]["recall"]),
                  fmt(result.spans[label]["f1"]), str(result.spans[label]["support"])]
                 for label in (*LABELS, "micro avg") if label in result.spans]
    parts += ["## Spans (seqeval, strict, IOB2)", "", table(["label", "P", "R", "F1", "support"], span_rows), ""]
    doc_rows = [[doc_id, fmt(scores["records"]["precision"]), fmt(scores["records"]["recall"]),
                 fmt(scores["records"]["f1"]), fmt(scores["values"]["f1"])]
                for doc_id, scores in result.per_document.items()]
    parts += ["## Per document", "", table(["document", "record P", "record R", "record F1", "value F1"], doc_rows), ""]
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

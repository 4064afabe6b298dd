"""Cross-validation with plain arguments: leave one document (or one genre) out, train on the
rest (``ie.research.corpus_training``), score the model, the rule tagger and the combined
extractor on the held-out documents; ``write_crossval`` writes the run's metrics, plots and report.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ie.atomic import write_text_atomic
from ie.extractor_options import CombinedOptions
from ie.research.corpus_training import DataSettings, distil_on, resolve_encoder, train_on
from ie.research.crossval_results import SYSTEMS, CrossValResult, CrossValRun, Fold, Scores
from ie.research.distillation import DistilSettings
from ie.research.evaluation import GoldCorpus, evaluate_predictions
from ie.research.training import ModelSettings, TrainSettings
from ie.schema import LABELS, Span

logger = logging.getLogger(__name__)

COMBINED_FILL = tuple(CombinedOptions().fill)
COMBINED_PREFER = tuple(CombinedOptions().prefer)
"""The labels the combined extractor of a fold takes from the fold's model: the default extractor's."""


def summarize(result) -> Scores:
    """The flat numbers of one evaluation (``ie.research.evaluation.EvaluationResult``)."""
    records, values = result.records.records, result.records.values
    row = {"record_f1": records.f1, "record_precision": records.precision, "record_recall": records.recall,
           "value_f1": values.f1, "span_micro_f1": result.spans.get("micro avg", {}).get("f1")}
    for label in LABELS:
        scores = result.spans.get(label, {})
        row[f"span_p_{label}"], row[f"span_r_{label}"] = scores.get("precision"), scores.get("recall")
        row[f"span_f1_{label}"] = scores.get("f1")
    for slot, accuracy in result.records.slots.items():
        row[f"slot_{slot}"] = accuracy
    return row


def fold_groups(corpus: GoldCorpus, fold_by: str, folds: Sequence[str] | None = None) -> dict[str, list[str]]:
    """``{fold name: held-out documents}``: one fold per document, or per value of a metadata key (genre...)."""
    if fold_by == "document":
        groups = {doc_id: [doc_id] for doc_id in corpus.documents}
    else:
        groups = {}
        for doc_id in corpus.documents:
            value = corpus.meta.get(doc_id, {}).get(fold_by)
            if value is None:
                raise ValueError(f"document {doc_id!r} has no {fold_by!r} to fold by")
            groups.setdefault(str(value), []).append(doc_id)
    if folds:
        unknown = set(folds) - set(groups)
        if unknown:
            raise ValueError(f"no fold {sorted(unknown)} when folding by {fold_by} (folds: {sorted(groups)})")
        groups = {name: groups[name] for name in folds}
    return groups


def cross_validate(corpus: GoldCorpus, data: DataSettings, model: ModelSettings, trainer: TrainSettings,
                   work_dir: Path, *, folds: Sequence[str] | None = None, fraction: float = 1.0,
                   normalization: dict[str, Any] | None = None, keep_checkpoints: bool = False,
                   distil: DistilSettings | None = None, fold_by: str = "document", workers: int = 1,
                   fold_dir: Path | None = None, resume: bool = False, retag_rules: bool = False) -> CrossValRun:
    """Leave one document (or one genre, ``fold_by``) out: train on the others, test on it; the rule
    tagger and the combined extractor (rules, gaps filled from the fold's model as the default fills
    them) on the same folds.

    With ``distil``, each fold's model is also distilled into a student, scored as trained
    (``student``) and as shipped, int8 ONNX (``student_int8``), next to its own teacher.

    ``workers`` folds run at once, each in its own process (on one GPU they share the device).
    With ``fold_dir``, each finished fold is written there at once (``<fold>.json``, its held-out
    predictions included); with ``resume``, folds already there for the same settings are read
    back instead of trained again; with ``retag_rules`` too, the folds read back have their rule
    tagger's and combined extractor's spans made again with the current rules (which need no
    training) and every system scored again with the current decoder and gold, so a change to the
    rules or the decoder is measured on the kept models. The result
    has each fold's scores, their mean and deviation (``aggregate``) and the scores of all held-out
    documents pooled into one evaluation (``pooled``).
    """
    if retag_rules and not resume:
        raise ValueError("retag_rules=true tags kept folds again: it needs resume=true")
    normalization = normalization or {"opencc": "t2s"}
    fold_data = DataSettings(**{**data.__dict__, "train_fraction": data.train_fraction * fraction})
    job = _FoldJob(fold_data, model, trainer, work_dir, normalization, keep_checkpoints, distil)
    groups = fold_groups(corpus, fold_by, folds)
    rows: dict[str, dict[str, Any]] = {}
    if fold_dir and resume:
        rows = {name: row for name in groups if (row := _read_fold(fold_dir, name, job.settings())) is not None}
        if rows:
            logger.info("resuming: %d of %d folds already in %s", len(rows), len(groups), fold_dir)
        if retag_rules:
            rows = {name: retag_rules_of_fold(corpus, row) for name, row in rows.items()}
    todo = {name: docs for name, docs in groups.items() if name not in rows}
    if workers > 1 and len(todo) > 1:
        resolve_encoder(model, work_dir, corpus)  # converted once, before the workers look for it
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(min(workers, len(todo)), mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_limit_threads, initargs=(workers, trainer.threads)) as pool:
            futures = {pool.submit(job.run, corpus, name, docs): name for name, docs in todo.items()}
            for future in as_completed(futures):
                rows[futures[future]] = _keep_fold(future.result(), fold_dir)
    else:
        for name, docs in todo.items():
            rows[name] = _keep_fold(job.run(corpus, name, docs), fold_dir)
    ordered = [rows[name] for name in groups]
    systems = [system for system in SYSTEMS if system in ordered[0]]
    held_out = [doc_id for row in ordered for doc_id in row["held_out_docs"]]
    pooled = {system: summarize(evaluate_predictions(
        corpus, held_out, {doc_id: _spans_from_json(spans) for row in ordered
                           for doc_id, spans in row["predictions"][system].items()}, system))
        for system in systems}
    return CrossValRun(fraction, fold_by, systems, [Fold.from_dict(row) for row in ordered], pooled)


@dataclass(frozen=True)
class _FoldJob:
    """One fold's training and scoring; picklable, so that a worker process can run it."""

    data: DataSettings
    model: ModelSettings
    trainer: TrainSettings
    work_dir: Path
    normalization: dict[str, Any]
    keep_checkpoints: bool
    distil: DistilSettings | None

    def settings(self) -> dict[str, Any]:
        """What a finished fold must have been trained with to be reused."""
        return json.loads(json.dumps({"data": self.data.__dict__, "model": self.model.__dict__,
                                      "trainer": self.trainer.__dict__, "normalization": self.normalization,
                                      "distil": self.distil.__dict__ if self.distil else None}, default=str))

    def run(self, corpus: GoldCorpus, held_out: str, held_docs: list[str]) -> dict[str, Any]:
        from ie.model.tagger import ModelTagger
        from ie.rule_tagger import RuleTagger

        trainer = self.trainer
        train_docs = [d for d in corpus.documents if d not in held_docs]
        output = self.work_dir / f"fold-{held_out}"
        logger.info("fold %s: training on %d documents", held_out, len(train_docs))
        trained = train_on(corpus, train_docs, self.data, self.model, trainer, output, self.normalization)
        taggers = {"model": ModelTagger(output, runtime="torch", device=trainer.device, batch_size=32),
                   "rules": RuleTagger()}
        row = {"held_out": held_out, "held_out_docs": list(held_docs), "settings": self.settings(),
               "train": trained.data, "best_epoch": trained.best_epoch, "seconds": trained.seconds,
               "history": trained.history}
        student_dir = self.work_dir / f"fold-{held_out}-student"
        if self.distil:
            from ie.research.export import export_onnx

            student = distil_on(corpus, train_docs, self.data, output, self.distil, trainer, student_dir,
                                self.normalization)
            export_onnx(student_dir, keep_fp32=False)
            taggers["student"] = ModelTagger(student_dir, runtime="torch", device=trainer.device, batch_size=32)
            taggers["student_int8"] = ModelTagger(student_dir, runtime="onnx-int8")  # as shipped
            row["student_training"] = {"best_epoch": student.best_epoch, "seconds": student.seconds,
                                       "history": student.history}
        row["predictions"] = {}
        found = {}
        for system, tagger in taggers.items():
            found[system] = {d: tagger.tag([s.text for s in corpus.documents[d].sentences]) for d in held_docs}
        # the default of the fold: the rules and the spans its model found (as shipped: the int8 student),
        # made the way retag_rules_of_fold makes it again
        secondary = found["student_int8" if "student_int8" in found else "model"]
        found["combined"] = {d: tag_rules_again(corpus, d, secondary[d])["combined"] for d in held_docs}
        for system, predicted in found.items():
            row[system] = summarize(evaluate_predictions(corpus, held_docs, predicted, system))
            row["predictions"][system] = {d: _spans_to_json(spans) for d, spans in predicted.items()}
        if not self.keep_checkpoints:
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(student_dir, ignore_errors=True)
        return row


class _KeptSpans:
    """A tagger that answers with the spans a fold kept for one document's sentences."""

    def __init__(self, doc_id: str, texts: Sequence[str], spans: list[list[Span]]) -> None:
        if len(texts) != len(spans):
            raise ValueError(f"{doc_id}: the kept fold has spans for {len(spans)} sentences, the document has "
                             f"{len(texts)}; it changed since the fold was trained (run the fold again)")
        self.name, self.doc_id, self.by_text = "model", doc_id, dict(zip(texts, spans))

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        return [list(self.by_text[text]) if text in self.by_text else self._prefix(text) for text in sentences]

    def _prefix(self, text: str) -> list[Span]:
        """The start of a sentence (the combined tagger reads some only up to their first value): the
        spans the fold model found in the whole sentence that lie inside it (the shipped default's
        model reads the start alone, so a fold's default approximates it there)."""
        whole = next((kept for kept in self.by_text if kept.startswith(text)), None)
        if whole is None:
            raise ValueError(f"{self.doc_id}: no kept sentence starts with {text!r}; it changed since the fold "
                             f"was trained (run the fold again)")
        return [span for span in self.by_text[whole] if span.end <= len(text)]


def tag_rules_again(corpus: GoldCorpus, doc_id: str, model_spans: list[list[Span]]) -> dict[str, list[list[Span]]]:
    """The current rule tagger's spans of a held-out document, and the combined extractor's made from
    them and a fold model's kept spans, as ``_FoldJob.run`` makes them."""
    from ie.combined_tagger import CombinedTagger
    from ie.rule_tagger import RuleTagger

    texts = [s.text for s in corpus.documents[doc_id].sentences]
    rules = RuleTagger()
    combined = CombinedTagger(rules, _KeptSpans(doc_id, texts, model_spans), fill=COMBINED_FILL, prefer=COMBINED_PREFER)
    return {"rules": rules.tag(texts), "combined": combined.tag(texts)}


def retag_rules_of_fold(corpus: GoldCorpus, row: dict[str, Any]) -> dict[str, Any]:
    """A kept fold with its rules' and combined extractor's spans made again, and every system scored
    again (the models' kept spans through the current decoder, against the current gold)."""
    row = {**row, "predictions": dict(row["predictions"])}
    secondary = "student_int8" if "student_int8" in row["predictions"] else "model"
    predictions = {system: {d: _spans_from_json(spans) for d, spans in kept.items()}
                   for system, kept in row["predictions"].items()}
    for doc_id in row["held_out_docs"]:
        for system, spans in tag_rules_again(corpus, doc_id, predictions[secondary][doc_id]).items():
            predictions[system][doc_id] = spans
    for system, predicted in predictions.items():
        row[system] = summarize(evaluate_predictions(corpus, row["held_out_docs"], predicted, system))
        row["predictions"][system] = {d: _spans_to_json(spans) for d, spans in predicted.items()}
    return row


def _limit_threads(workers: int, threads: int | None) -> None:
    """A worker's share of the CPU cores, unless the trainer names a thread count."""
    import torch

    torch.set_num_threads(threads or max(1, (os.cpu_count() or 1) // workers))


def _keep_fold(row: dict[str, Any], fold_dir: Path | None) -> dict[str, Any]:
    if fold_dir:
        write_text_atomic(fold_dir / f"{row['held_out']}.json", json.dumps(row, ensure_ascii=False) + "\n")
    return row


def _read_fold(fold_dir: Path, name: str, settings: dict[str, Any]) -> dict[str, Any] | None:
    path = fold_dir / f"{name}.json"
    if not path.exists():
        return None
    row = json.loads(path.read_text(encoding="utf-8"))
    if row.get("settings") != settings:
        raise ValueError(f"{path} was trained with other settings; remove it or run without resume")
    return row


def _spans_to_json(sentences: list[list[Span]]) -> list[list[list[Any]]]:
    return [[[span.start, span.end, span.label, span.text] for span in spans] for spans in sentences]


def _spans_from_json(sentences: list[list[list[Any]]]) -> list[list[Span]]:
    return [[Span(*span) for span in spans] for spans in sentences]


def write_crossval(result: CrossValResult, report_dir: str | Path) -> Path:
    """``metrics.json``, the plots (per-label F1; the learning curve when the run has several
    fractions) and ``report.md`` of a cross-validation into ``report_dir``; the report's path."""
    from ie.research.plots import plot_label_f1, plot_learning_curve
    from ie.research.report import render_crossval

    report_dir = Path(report_dir)
    write_text_atomic(report_dir / "metrics.json", json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    plots = [plot_label_f1(result.runs[-1], report_dir / "label_f1.png")]
    if len(result.runs) > 1:
        plots.append(plot_learning_curve(result.runs, report_dir / "learning_curve.png"))
    write_text_atomic(report_dir / "report.md", render_crossval(result, [p.name for p in plots]))
    return report_dir / "report.md"

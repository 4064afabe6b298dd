"""Experiments with plain arguments: training data, one training run, cross-validation.

The scripts turn their Hydra configs into these dataclasses and call these functions;
everything here runs from Python without Hydra.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ie.research.evaluation import GoldCorpus, evaluate_predictions, load_corpora
from ie.research.crossval_results import SYSTEMS, CrossValRun, Fold, Scores
from ie.research.distillation import DistilSettings
from ie.research.training import Example, ModelSettings, TrainResult, TrainSettings, train_tagger
from ie.atomic import write_text_atomic
from ie.schema import LABELS, Span

logger = logging.getLogger(__name__)


@dataclass
class DataSettings:
    corpora: list[str] = field(default_factory=lambda: ["seeds", "train"])  # names in annotations/corpora.yaml
    annotations: str = "annotations"  # the folder holding corpora.yaml and the annotation files
    train_docs: list[str] | None = None  # None: every document (train) / all but the held-out ones (crossval)
    train_fraction: float = 1.0  # share of the training sentences kept (learning curves)
    dev_fraction: float = 0.1  # share held out to pick the best epoch (0: the last epoch)
    synthetic_size: int = 0  # synthetic sentences added to the training data
    synthetic_seed: int = 7
    variant_rate: float = 0.2  # share of synthetic sentences rendered traditional / with pinyin / full-width


def load_training_corpus(data: DataSettings, opencc_config: str | None = "t2s") -> GoldCorpus:
    """The corpora named by ``data`` as one; the frozen test split is refused."""
    if "test" in data.corpora:
        raise ValueError("the test corpus is for scoring only; train on other corpora (data.corpora)")
    return load_corpora(data.corpora, data.annotations, opencc_config)


def gold_examples(corpus: GoldCorpus, doc_ids: Sequence[str]) -> list[Example]:
    """Every annotated sentence of the documents (negatives included)."""
    return [(sentence.text, spans) for doc_id in doc_ids
            for sentence, spans in zip(corpus.documents[doc_id].sentences, corpus.spans[doc_id])]


def synthetic_examples(size: int, seed: int, variant_rate: float) -> list[Example]:
    from ie.research.synthetic import VARIANTS, SyntheticGenerator, render_variant

    generator, rng = SyntheticGenerator(seed), random.Random(seed + 1)
    examples = []
    for sentence in generator.generate(size):
        if rng.random() < variant_rate:
            sentence = render_variant(sentence, rng.choice(VARIANTS), rng)
        examples.append((sentence.text, sentence.spans))
    return examples


def training_data(corpus: GoldCorpus, doc_ids: Sequence[str], data: DataSettings,
                  seed: int) -> tuple[list[Example], list[Example]]:
    """``(train, dev)``: the documents' sentences, a fraction of them, a dev split, plus synthetic."""
    examples = gold_examples(corpus, doc_ids)
    rng = random.Random(seed)
    rng.shuffle(examples)
    examples = examples[:max(1, round(len(examples) * data.train_fraction))]
    n_dev = round(len(examples) * data.dev_fraction)
    dev, train = examples[:n_dev], examples[n_dev:]
    if data.synthetic_size:
        train = train + synthetic_examples(data.synthetic_size, data.synthetic_seed, data.variant_rate)
    return train, dev


def resolve_encoder(model: ModelSettings, work_dir: Path, corpus: GoldCorpus | None = None) -> str:
    """The encoder directory: the offline e5 (converted on first use), a tiny local one, or a hub name."""
    from ie.research.e5 import ensure_encoder

    if model.pretrained == "tiny":
        from ie.research.tiny import build_tiny_encoder

        texts = [s.text for doc in corpus.documents.values() for s in doc.sentences] if corpus else []
        directory = work_dir / "tiny-encoder"
        if not (directory / "config.json").exists():
            build_tiny_encoder(directory, texts)
        return str(directory)
    return ensure_encoder(model.pretrained)


def train_on(corpus: GoldCorpus, doc_ids: Sequence[str], data: DataSettings, model: ModelSettings,
             trainer: TrainSettings, output: Path, normalization: dict[str, Any]) -> TrainResult:
    from ie.research.distributed import main_first, setup_process

    train, dev = training_data(corpus, doc_ids, data, trainer.seed)
    with main_first(setup_process(trainer.device)):  # under torchrun, one process converts the encoder
        encoder = resolve_encoder(model, output.parent, corpus)
    return train_tagger(train, dev, output, encoder=encoder, model_settings=model, settings=trainer,
                        normalization=normalization,
                        extra_meta={"train_docs": list(doc_ids), "synthetic_size": data.synthetic_size})


def distil_on(corpus: GoldCorpus, doc_ids: Sequence[str], data: DataSettings, teacher_dir: Path,
              distil: DistilSettings, trainer: TrainSettings, output: Path,
              normalization: dict[str, Any]) -> TrainResult:
    """Distil the teacher at ``teacher_dir`` into a student on the teacher's training data.

    The gold sentences and the dev split are the teacher's; ``distil.synthetic_size`` may give
    the student more synthetic sentences than the teacher had (a larger transfer set).
    """
    from ie.research.distillation import Teacher
    from ie.model.tagger import read_meta

    meta = read_meta(teacher_dir)
    model = ModelSettings(**meta["model"])
    student_trainer = replace(trainer, epochs=distil.epochs or trainer.epochs,
                              learning_rate=distil.learning_rate or trainer.learning_rate,
                              select_epoch=distil.select_epoch)
    student_data = data if distil.synthetic_size is None else replace(data, synthetic_size=distil.synthetic_size)
    train, dev = training_data(corpus, doc_ids, student_data, trainer.seed)
    teacher = Teacher(teacher_dir, distil, device=trainer.device)
    return train_tagger(train, dev, output, encoder=str(teacher_dir), model_settings=model,
                        settings=student_trainer, normalization=normalization, teacher=teacher,
                        extra_meta={"train_docs": list(doc_ids), "synthetic_size": student_data.synthetic_size,
                                    "teacher_synthetic_size": data.synthetic_size})


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
                   fold_dir: Path | None = None, resume: bool = False) -> CrossValRun:
    """Leave one document (or one genre, ``fold_by``) out: train on the others, test on it; the rule
    tagger and the combined extractor (rules, METRIC gaps filled from the fold's model) on the same folds.

    With ``distil``, each fold's model is also distilled into a student, scored as trained
    (``student``) and as shipped, int8 ONNX (``student_int8``), next to its own teacher.

    ``workers`` folds run at once, each in its own process (on one GPU they share the device).
    With ``fold_dir``, each finished fold is written there at once (``<fold>.json``, its held-out
    predictions included); with ``resume``, folds already there for the same settings are read
    back instead of trained again. The result has each fold's scores, their mean and deviation
    (``aggregate``) and the scores of all held-out documents pooled into one evaluation (``pooled``).
    """
    normalization = normalization or {"opencc": "t2s"}
    fold_data = DataSettings(**{**data.__dict__, "train_fraction": data.train_fraction * fraction})
    job = _FoldJob(fold_data, model, trainer, work_dir, normalization, keep_checkpoints, distil)
    groups = fold_groups(corpus, fold_by, folds)
    rows: dict[str, dict[str, Any]] = {}
    if fold_dir and resume:
        rows = {name: row for name in groups if (row := _read_fold(fold_dir, name, job.settings())) is not None}
        if rows:
            logger.info("resuming: %d of %d folds already in %s", len(rows), len(groups), fold_dir)
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
        from ie.combined_tagger import CombinedTagger
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
        taggers["combined"] = CombinedTagger(taggers["rules"], taggers.get("student_int8", taggers["model"]),
                                             fill=("METRIC",))
        row["predictions"] = {}
        for system, tagger in taggers.items():
            predicted = {d: tagger.tag([s.text for s in corpus.documents[d].sentences]) for d in held_docs}
            row[system] = summarize(evaluate_predictions(corpus, held_docs, predicted, system))
            row["predictions"][system] = {d: _spans_to_json(spans) for d, spans in predicted.items()}
        if not self.keep_checkpoints:
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(student_dir, ignore_errors=True)
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



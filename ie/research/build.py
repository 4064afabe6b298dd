"""Building the shipped default model: train the teacher, distil the student, export it to int8
ONNX and ship it with its metadata (provenance included) and model card into the package.
``scripts/build_default_model.py`` runs ``build`` from its Hydra config."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from ie.atomic import write_text_atomic
from ie.model.onnx import INT8_FILE
from ie.model.tagger import META_FILE, read_meta
from ie.research.card import render_model_card
from ie.research.config_groups import distil_settings, training_settings
from ie.research.corpus_training import distil_on, load_training_corpus, train_on
from ie.research.export import export_onnx
from ie.research.provenance import provenance

logger = logging.getLogger(__name__)

SHIPPED_FILES = (INT8_FILE, "config.json", "tokenizer.json", "tokenizer_config.json", META_FILE)


def _read_json(path: str | None) -> dict[str, Any] | None:
    return json.loads(Path(path).read_text(encoding="utf-8")) if path and Path(path).exists() else None


def render_card(cfg: DictConfig, directory: Path) -> str:
    return render_model_card(directory, read_meta(directory), crossval=_read_json(cfg.crossval_report),
                             crossval_source=cfg.crossval_report, benchmark=_read_json(cfg.benchmark_report),
                             benchmark_source=cfg.benchmark_report, evaluation=_read_json(cfg.test_report),
                             evaluation_source=cfg.test_report)


OUTPUT_KEYS = ("target_dir=", "work_dir=", "hydra.")
"""Overrides that say only where outputs go: left out of the recorded command (they name local paths)."""


def build_command() -> str:
    """This run's command line with the overrides that change the model."""
    overrides = HydraConfig.get().overrides.task if HydraConfig.initialized() else []
    return " ".join(["python scripts/build_default_model.py",
                     *[o for o in overrides if not o.startswith(OUTPUT_KEYS)]])


def describe(staging: Path, origin: dict[str, Any]) -> None:
    """The shipped metadata: the provenance of the model, and no path of the machine that built it."""
    meta = read_meta(staging)
    meta.get("distillation", {})["teacher"] = "the teacher trained by the same command"
    meta["provenance"] = origin
    (staging / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def ship(cfg: DictConfig, student: Path, target: Path, origin: dict[str, Any]) -> None:
    """Stage the int8 model, what it needs and its card beside ``target``, then swap it in."""
    size = sum((student / name).stat().st_size for name in SHIPPED_FILES) / 2**20
    if size > cfg.max_megabytes:
        raise SystemExit(f"the student takes {size:.1f} MiB > max_megabytes={cfg.max_megabytes}: not shipped")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    staging.chmod(0o755)  # mkdtemp makes it private; the package must be readable by all
    for name in SHIPPED_FILES:
        shutil.copy2(student / name, staging / name)
    describe(staging, origin)
    (staging / "MODEL_CARD.md").write_text(render_card(cfg, staging), encoding="utf-8")
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def build(cfg: DictConfig) -> dict[str, Any]:
    target = Path(cfg.target_dir)
    if cfg.card_only:
        write_text_atomic(target / "MODEL_CARD.md", render_card(cfg, target))
        return {"card": str(target / "MODEL_CARD.md")}
    data, model, trainer = training_settings(cfg)
    distil = distil_settings(cfg)
    origin = provenance(build_command(), data.corpora, data.annotations)  # the code and data as training starts
    normalization = OmegaConf.to_container(cfg.normalization, resolve=True)
    corpus = load_training_corpus(data, normalization["opencc"])
    doc_ids = data.train_docs or list(corpus.documents)
    work = Path(cfg.work_dir)
    teacher = train_on(corpus, doc_ids, data, model, trainer, work / "teacher", normalization)
    logger.info("teacher: best epoch %s, %.0f s", teacher.best_epoch, teacher.seconds)
    student = distil_on(corpus, doc_ids, data, work / "teacher", distil, trainer, work / "student", normalization)
    logger.info("student: best epoch %s, %.0f s", student.best_epoch, student.seconds)
    export_onnx(work / "student")
    ship(cfg, work / "student", target, origin)
    size = sum(p.stat().st_size for p in target.iterdir()) / 2**20
    return {"teacher": str(work / "teacher"), "student": str(work / "student"), "shipped": str(target),
            "card": str(target / "MODEL_CARD.md"), "megabytes": round(size, 1),
            "seconds": round(teacher.seconds + student.seconds, 1)}

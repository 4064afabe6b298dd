"""Leave-one-document-out cross-validation, model and rule tagger side by side (Hydra).

    python scripts/crossval.py                                   # -> reports/crossval/e5_small_zh/
    python scripts/crossval.py experiment=ablation_random_init   # pretrained vs random encoder
    python scripts/crossval.py experiment=ablation_subword       # subword vs char tokenisation
    python scripts/crossval.py experiment=with_synthetic         # with synthetic data
    python scripts/crossval.py experiment=learning_curve         # 25 / 50 / 100 % of the training sentences
    python scripts/crossval.py experiment=distil                 # teacher and its distilled 4-layer student
    python scripts/crossval.py fold_by=genre trainer=gpu workers=6   # leave one genre out, 6 folds at once

Each finished fold is kept in report_dir/folds/ at once; resume=true reads those back instead of
training them again (after an interruption, or to add folds); resume=true retag_rules=true also
tags their held-out documents again with the current rules (no training: a change to the rules or
the decoder measured on the kept fold models).

Writes metrics.json, report.md and PNG plots (per-label F1; the learning curve when
several fractions are given) to report_dir.
"""

from __future__ import annotations

import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from ie.research.config_groups import distil_settings, register_configs, training_settings
from ie.research.corpus_training import load_training_corpus
from ie.research.crossval_results import CrossValResult
from ie.research.crossvalidation import cross_validate, write_crossval

logger = logging.getLogger("crossval")


def crossval(cfg: DictConfig) -> CrossValResult:
    data, model, trainer = training_settings(cfg)
    logger.info("config:\n%s", OmegaConf.to_yaml(cfg))
    corpus = load_training_corpus(data, cfg.normalization.opencc)
    runs = [cross_validate(corpus, data, model, trainer, Path(cfg.work_dir), folds=cfg.folds, fraction=fraction,
                           normalization=OmegaConf.to_container(cfg.normalization, resolve=True),
                           keep_checkpoints=cfg.keep_checkpoints, distil=distil_settings(cfg), fold_by=cfg.fold_by,
                           workers=cfg.workers, resume=cfg.resume, retag_rules=cfg.retag_rules,
                           fold_dir=Path(cfg.report_dir) / "folds" / f"{round(fraction * 100)}")
            for fraction in cfg.fractions]
    result = CrossValResult(cfg.name, runs, OmegaConf.to_container(cfg, resolve=True))
    write_crossval(result, cfg.report_dir)
    return result


register_configs()  # the settings dataclasses as the base of the data, model, trainer and student groups


@hydra.main(config_path="../configs", config_name="crossval", version_base="1.3")
def main(cfg: DictConfig) -> None:
    result = crossval(cfg)
    last = result.last
    for system in last.systems:
        f1, pooled = last.mean(system, "record_f1"), last.pooled[system]["record_f1"]
        print(f"{system}: record F1 {f1.mean:.3f} ± {f1.std:.3f} over folds, {pooled:.3f} pooled")
    print(f"wrote {cfg.report_dir}/report.md")


if __name__ == "__main__":
    main()

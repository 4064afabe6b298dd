"""Evaluate an extractor on an annotated corpus and write metrics.json + report.md (Hydra).

    python scripts/evaluate.py                                  # rules on the seeds -> reports/rules/
    python scripts/evaluate.py extractor=model corpus=test report_dir=reports/test/model
"""

from __future__ import annotations

import logging

import hydra
from omegaconf import DictConfig, OmegaConf

from ie.research.evaluation import evaluate_extractor, load_corpora
from ie.pipeline import Extractor
from ie.research.report import fmt, write_report

logger = logging.getLogger("evaluate")


@hydra.main(config_path="../configs", config_name="evaluate", version_base="1.3")
def main(cfg: DictConfig) -> None:
    extractor = Extractor.from_settings(OmegaConf.to_container(cfg.extractor, resolve=True),
                                        opencc_config=cfg.normalization.opencc, checkpoint=cfg.checkpoint)
    names = cfg.corpus if isinstance(cfg.corpus, str) else list(cfg.corpus)
    corpus = load_corpora(names, hydra.utils.to_absolute_path(cfg.annotations), opencc_config=cfg.normalization.opencc)
    result = evaluate_extractor(extractor, corpus, name=cfg.extractor.name)
    metrics, report = write_report(result, cfg.report_dir)
    records = result.records["records"]
    print(f"{cfg.extractor.name}: record F1 {fmt(records['f1'])} (P {fmt(records['precision'])}, "
          f"R {fmt(records['recall'])}); value F1 {fmt(result.records['values']['f1'])}; "
          f"decoder ceiling F1 {fmt(result.ceiling['records']['f1'])}")
    print(f"wrote {metrics} and {report}")


if __name__ == "__main__":
    main()

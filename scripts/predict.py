"""Batch extraction of records from bulletins (Hydra).

    python scripts/predict.py input=seeds output=/tmp/records.jsonl
    python scripts/predict.py input=bulletins.jsonl output=out.jsonl extractor=rules resume=true

Exits 1 when any input failed (each failure is logged with its file and line).
"""

from __future__ import annotations

import logging
import sys

import hydra
from omegaconf import DictConfig, OmegaConf

from ie.batch import run_batch
from ie.pipeline import Extractor

logger = logging.getLogger("predict")


@hydra.main(config_path="../configs", config_name="predict", version_base="1.3")
def main(cfg: DictConfig) -> None:
    extractor = Extractor.from_settings(OmegaConf.to_container(cfg.extractor, resolve=True),
                                        opencc_config=cfg.normalization.opencc, checkpoint=cfg.checkpoint)
    summary = run_batch(extractor, cfg.input, cfg.output, resume=cfg.resume, progress=cfg.progress)
    logger.info("%s", summary)
    print(summary)
    for failure in summary.failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if summary.failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Batch extraction of records from bulletins (Hydra).

    python scripts/predict.py input=seeds output=/tmp/records.jsonl
    python scripts/predict.py input=bulletins.jsonl output=out.jsonl extractor=rules resume=true
    python scripts/predict.py input=seeds output=/tmp/records.jsonl engine=ray ray.num_actors=4

Exits 1 when any input failed (each failure is logged with its file and line).
"""

from __future__ import annotations

import logging
import sys

import hydra
from omegaconf import DictConfig, OmegaConf

from ie.batch import BatchSummary, run_batch
from ie.pipeline import Extractor

logger = logging.getLogger("predict")


def predict(cfg: DictConfig) -> BatchSummary:
    """Run the configured engine: ``local`` (``ie.batch``) or ``ray`` (``ie.ray_engine``)."""
    settings = OmegaConf.to_container(cfg.extractor, resolve=True)
    if cfg.engine == "local":
        extractor = Extractor.from_settings(settings, opencc_config=cfg.normalization.opencc, checkpoint=cfg.checkpoint)
        return run_batch(extractor, cfg.input, cfg.output, resume=cfg.resume, progress=cfg.progress)
    if cfg.engine == "ray":
        if cfg.resume:
            raise ValueError("resume=true needs engine=local: engine=ray always extracts the whole input")
        from ie.ray_engine import run_ray

        return run_ray(settings, cfg.normalization.opencc, cfg.input, cfg.output, num_actors=cfg.ray.num_actors,
                       batch_size=cfg.ray.batch_size, address=cfg.ray.address, shards_dir=cfg.ray.shards_dir,
                       checkpoint=cfg.checkpoint, progress=cfg.progress)
    raise ValueError(f"unknown engine {cfg.engine!r}; choose one of: local, ray")


@hydra.main(config_path="../configs", config_name="predict", version_base="1.3")
def main(cfg: DictConfig) -> None:
    summary = predict(cfg)
    logger.info("%s", summary)
    print(summary)
    for failure in summary.failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if summary.failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

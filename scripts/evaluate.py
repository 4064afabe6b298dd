"""Evaluate an extractor on annotated corpora and write metrics.json + report.md (Hydra);
the same as `bulletin-ie evaluate`.

    python scripts/evaluate.py                                  # the default extractor on the seeds
    python scripts/evaluate.py extractor=model corpus=test report_dir=reports/test/model
"""

from __future__ import annotations

import sys

import hydra
from omegaconf import DictConfig

from ie.cli import evaluate
from ie.extractor_options import register_extractor_configs

register_extractor_configs()  # the extractor group's defaults (configs/extractor/*.yaml start from them)


@hydra.main(config_path="../configs", config_name="evaluate", version_base="1.3")
def main(cfg: DictConfig) -> None:
    sys.exit(evaluate(cfg))


if __name__ == "__main__":
    main()

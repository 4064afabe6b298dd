"""Batch extraction of records from bulletins (Hydra); the same job as `bulletin-ie extract INPUT OUTPUT`.

    python scripts/predict.py input=seeds output=/tmp/records.jsonl
    python scripts/predict.py input=bulletins.jsonl output=out.jsonl extractor=rules resume=true
    python scripts/predict.py input=seeds output=/tmp/records.jsonl engine=ray ray.num_actors=4
    python scripts/predict.py "input='/data/公安 通报'" output=out.jsonl   # Hydra needs quotes around such paths

Prints the summary on stdout (logs go to stderr). Exits 1 when any input failed, 2 when the
settings or the output path are refused before any work, 130 when interrupted (the finished
documents are kept for resume=true). See ie/cli.py.
"""

from __future__ import annotations

import sys

import hydra
from omegaconf import DictConfig

from ie.cli import extract
from ie.extractor_options import register_extractor_configs

register_extractor_configs()  # the extractor group's defaults (configs/extractor/*.yaml start from them)


@hydra.main(config_path="../configs", config_name="predict", version_base="1.3")
def main(cfg: DictConfig) -> None:
    sys.exit(extract(cfg))


if __name__ == "__main__":
    main()

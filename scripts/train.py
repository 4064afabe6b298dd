"""Fine-tune the token classifier (Hydra). See configs/train.yaml.

    python scripts/train.py                                   # e5-small-zh on all five seeds
    python scripts/train.py data.synthetic_size=2000 name=e5_synth
    python scripts/train.py model=hub model.pretrained=bert-base-chinese   # with a model hub
    python scripts/train.py trainer=gpu                       # one GPU
    torchrun --nproc_per_node=4 scripts/train.py trainer=gpu  # four GPUs, data parallel (or accelerate launch)
    python scripts/train.py debug=fast                        # a tiny model, three steps

The checkpoint goes to output_dir (outputs/checkpoints/NAME); `bulletin-ie train` does the same, and
`ie.cli.train(cfg)` returns the metrics from Python.
"""

from __future__ import annotations

import sys

import hydra
from omegaconf import DictConfig

from ie.cli import train, train_and_report  # noqa: F401  (train: the function, for Python callers)
from ie.research.config_groups import register_configs

register_configs()  # the settings dataclasses as the base of the data, model, trainer and student groups


@hydra.main(config_path="../configs", config_name="train", version_base="1.3")
def main(cfg: DictConfig) -> None:
    sys.exit(train_and_report(cfg))


if __name__ == "__main__":
    main()

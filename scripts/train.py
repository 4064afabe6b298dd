"""Fine-tune the token classifier (Hydra). See configs/train.yaml.

    python scripts/train.py                                   # e5-small-zh on all five seeds
    python scripts/train.py data.synthetic_size=2000 name=e5_synth
    python scripts/train.py model=hub model.pretrained=bert-base-chinese   # with a model hub
    python scripts/train.py trainer=gpu                       # one GPU
    torchrun --nproc_per_node=4 scripts/train.py trainer=gpu  # four GPUs, data parallel (or accelerate launch)
    python scripts/train.py debug=fast                        # a tiny model, three steps

The checkpoint goes to output_dir (outputs/checkpoints/NAME); `train(cfg)` returns the
metrics and can be called from Python.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import hydra
from omegaconf import DictConfig, OmegaConf

from ie.research.experiment import load_training_corpus, train_on
from ie.research.distributed import finish
from ie.research.settings import register_configs, training_settings

logger = logging.getLogger("train")


def train(cfg: DictConfig) -> dict[str, Any]:
    data, model, trainer = training_settings(cfg)
    logger.info("config:\n%s", OmegaConf.to_yaml(cfg))
    corpus = load_training_corpus(data, cfg.normalization.opencc)
    doc_ids = data.train_docs or list(corpus.documents)
    result = train_on(corpus, doc_ids, data, model, trainer, Path(cfg.output_dir),
                      OmegaConf.to_container(cfg.normalization, resolve=True))
    metrics = {"checkpoint": str(result.checkpoint), "best_epoch": result.best_epoch, "history": result.history,
               "data": result.data, "seconds": round(result.seconds, 1)}
    logger.info("metrics: %s", json.dumps(metrics, ensure_ascii=False))
    return metrics


register_configs()  # the settings dataclasses as the base of the data, model, trainer and student groups


@hydra.main(config_path="../configs", config_name="train", version_base="1.3")
def main(cfg: DictConfig) -> None:
    metrics = train(cfg)
    finish()
    print(f"checkpoint: {metrics['checkpoint']} (best epoch {metrics['best_epoch']}, {metrics['seconds']} s)")


if __name__ == "__main__":
    main()

"""Rebuild the shipped default model from the annotations (Hydra). See configs/build_default_model.yaml.

    python scripts/build_default_model.py                  # teacher, student, int8 ONNX, model card
    python scripts/build_default_model.py card_only=true   # rewrite MODEL_CARD.md from the reports
    python scripts/build_default_model.py debug=fast student.layers=1 student.epochs=1 target_dir=/tmp/m

`ie.research.build.build(cfg)` returns what it wrote and can be called from Python.
"""

from __future__ import annotations

import hydra
from omegaconf import DictConfig

from ie.research.build import build
from ie.research.config_groups import register_configs

register_configs()  # the settings dataclasses as the base of the data, model, trainer and student groups


@hydra.main(config_path="../configs", config_name="build_default_model", version_base="1.3")
def main(cfg: DictConfig) -> None:
    result = build(cfg)
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()

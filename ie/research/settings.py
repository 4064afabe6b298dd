"""Hydra configs turned into the library's settings: the one place the scripts' config groups
(``data``, ``model``, ``trainer``, ``student``) become dataclasses."""

from __future__ import annotations

from typing import Any

from omegaconf import DictConfig, OmegaConf

from ie.research.distillation import DistilSettings
from ie.research.experiment import DataSettings
from ie.research.training import ModelSettings, TrainSettings


def _group(cfg: DictConfig, name: str) -> dict[str, Any]:
    return OmegaConf.to_container(cfg[name], resolve=True)


def training_settings(cfg: DictConfig) -> tuple[DataSettings, ModelSettings, TrainSettings]:
    """The ``data``, ``model`` and ``trainer`` groups."""
    return DataSettings(**_group(cfg, "data")), ModelSettings(**_group(cfg, "model")), \
        TrainSettings(**_group(cfg, "trainer"))


def distil_settings(cfg: DictConfig) -> DistilSettings | None:
    """The ``student`` group, or None where the config has none."""
    return DistilSettings(**_group(cfg, "student")) if cfg.get("student") else None

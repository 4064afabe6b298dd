"""The library's settings as Hydra config groups, and configs turned back into settings.

The dataclasses are the single source of defaults: ``register_configs`` stores each as the
``base`` option of its group (``data``, ``model``, ``trainer``, ``student``; the ``extractor``
group's are ``ie.extractor_options``), and every YAML
option of those groups starts from ``base`` and states only what it changes, so a default
cannot differ between Python and the configs, and a misspelt or mistyped key is an error.
"""

from __future__ import annotations

from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from ie.extractor_options import register_extractor_configs
from ie.research.distillation import DistilSettings
from ie.research.corpus_training import DataSettings
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


GROUPS = {"data": DataSettings, "model": ModelSettings, "trainer": TrainSettings, "student": DistilSettings}


def register_configs() -> None:
    """Store each settings dataclass as its group's ``base`` option (call before composing a config)."""
    store = ConfigStore.instance()
    for group, node in GROUPS.items():
        store.store(group=group, name="base", node=node)
    register_extractor_configs()

"""The extractors' settings, declared once.

Each dataclass is the one source of its extractor's defaults: ``Extractor.from_config`` fills
what it is not given from it, ``ie.settings_check`` accepts exactly its keys, and
``register_extractor_configs`` stores it as the ``base_NAME`` option of the ``extractor`` config
group, which ``configs/extractor/NAME.yaml`` starts from (stating only what it changes), so a
default cannot differ between Python and the configs.

>>> options_for("combined", {"fill": ["METRIC", "TIME"]}).fill
['METRIC', 'TIME']
>>> options_for("rules", {"batch_size": 4})
Traceback (most recent call last):
...
ValueError: extractor.batch_size: not a setting of extractor=rules (its settings: min_confidence, name, skip_numberless)
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Optional

# Optional[...] rather than "X | None": OmegaConf reads these annotations at run time.


@dataclass
class RulesOptions:
    """The rule tagger (``ie/rule_tagger.py``): no model, no training."""

    name: str = "rules"
    skip_numberless: bool = True  # do not tag sentences that cannot change any record (same records, less work)
    min_confidence: Optional[float] = None  # leave out records below this confidence (docs/record_format.md)


@dataclass
class ModelOptions(RulesOptions):
    """The token classifier; ``checkpoint`` None: the shipped default model (int8 ONNX)."""

    name: str = "model"
    checkpoint: Optional[str] = None  # a directory from scripts/train.py (export it: scripts/export_onnx.py DIR)
    runtime: str = "onnx-int8"  # onnx-int8 | onnx | torch
    device: str = "cpu"  # torch only (cuda for a GPU)
    batch_size: int = 1  # windows per forward pass; 1 keeps each sentence's tags independent under int8
    threads: Optional[int] = None  # intra-op threads; None: one per CPU core


@dataclass
class CombinedOptions(ModelOptions):
    """The default: the rule tagger's spans, with gaps of the ``fill`` labels filled from the model's
    and the model's spans of the ``prefer`` labels in place of the rules' (``ie/combined_tagger.py``;
    the measurement behind the default: docs/generalisation.md)."""

    name: str = "combined"
    fill: list[str] = field(default_factory=lambda: ["METRIC"])
    prefer: list[str] = field(default_factory=lambda: ["ORG"])


OPTIONS: dict[str, type[RulesOptions]] = {"combined": CombinedOptions, "model": ModelOptions, "rules": RulesOptions}
"""Each extractor's settings; the first is the default extractor."""


def option_keys(name: str) -> set[str]:
    """The keys extractor ``name`` accepts."""
    return {f.name for f in fields(OPTIONS[name])}


def options_for(name: str, settings: dict[str, Any]) -> RulesOptions:
    """``settings`` (any subset of the keys, ``name`` optional) over the defaults of extractor ``name``."""
    if name not in OPTIONS:
        raise ValueError(f"unknown extractor {name!r}; choose one of: {', '.join(OPTIONS)}")
    unknown = sorted(set(settings) - option_keys(name))
    if unknown:
        raise ValueError(f"extractor.{unknown[0]}: not a setting of extractor={name} "
                         f"(its settings: {', '.join(sorted(option_keys(name)))})")
    return OPTIONS[name](**{**settings, "name": name})


def register_extractor_configs() -> None:
    """Store each options dataclass as the ``base_NAME`` option of the ``extractor`` group (call before
    composing a config that has that group)."""
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    for name, node in OPTIONS.items():
        store.store(group="extractor", name=f"base_{name}", node=node)

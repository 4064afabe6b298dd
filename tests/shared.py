"""Paths, settings and helpers that several test modules use (test modules never import each other)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hydra import compose, initialize_config_dir

from ie.research.config_groups import register_configs
from ie.research.training import TrainSettings

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "annotations"
SPANS, RECORDS, BIO = ANNOTATIONS / "seeds.spans.jsonl", ANNOTATIONS / "seeds.records.jsonl", ANNOTATIONS / "seeds.bio"

TINY_TRAINING = TrainSettings(epochs=10, batch_size=8, learning_rate=5e-3, head_learning_rate=3e-2, max_steps=80,
                              seed=3, threads=1)
"""A tiny model that learns the seeds' tags in seconds."""


def load_script(name: str):
    """``scripts/NAME.py`` as a module, to call its functions from a test."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compose_config(config: str, overrides: list[str]):
    """``configs/CONFIG.yaml`` composed with ``overrides``, as a script would see it."""
    register_configs()
    with initialize_config_dir(config_dir=str(ROOT / "configs"), version_base="1.3"):
        return compose(config_name=config, overrides=overrides)


class InterruptedAtThirdSeed:
    """A tagger (the rule tagger's tags) that is interrupted, as by Ctrl-C, on the third seed bulletin."""

    name = "interrupted"

    def __init__(self) -> None:
        from ie.document import segment_document
        from ie.rule_tagger import RuleTagger

        self.inner = RuleTagger()
        third = sorted((ROOT / "seeds").glob("*.txt"))[2]
        self.third = {s.text for s in segment_document(third.stem, third.read_text(encoding="utf-8")).sentences}

    def tag(self, sentences):
        if self.third.intersection(sentences):
            raise KeyboardInterrupt
        return self.inner.tag(sentences)

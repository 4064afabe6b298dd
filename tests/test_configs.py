"""The Hydra configs compose and instantiate; train.py runs a tiny job from Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ie.research.distillation import DistilSettings
from ie.research.corpus_training import DataSettings
from ie.research.config_groups import distil_settings, training_settings
from ie.research.training import ModelSettings, TrainSettings

from tests.shared import compose_config, load_script


def _compose(config: str, overrides: list[str]):
    return compose_config(config, overrides)


@pytest.mark.parametrize("overrides", [
    [], ["model=e5_small"], ["model=tiny"], ["model=hub", "model.pretrained=bert-base-chinese"], ["trainer=gpu"],
    ["debug=fast"], ["experiment=ablation_random_init"], ["experiment=ablation_subword"],
    ["experiment=with_synthetic"], ["experiment=learning_curve"],
])
@pytest.mark.parametrize("config", ["train", "crossval"])
def test_configs_compose_into_settings(config, overrides):
    cfg = _compose(config, overrides)
    data, model, trainer = training_settings(cfg)
    assert data == DataSettings(**cfg.data) and model == ModelSettings(**cfg.model)
    assert trainer == TrainSettings(**cfg.trainer) and trainer.epochs == cfg.trainer.epochs
    assert model.tokenization in ("char", "subword")
    assert distil_settings(cfg) is None


def test_the_dataclasses_are_the_defaults_of_the_config_groups():
    """One source of defaults: the YAML options state only what they change, and keys are checked."""
    assert training_settings(_compose("train", [])) == (DataSettings(), ModelSettings(),
                                                        TrainSettings(threads=2, device="cpu"))
    assert distil_settings(_compose("crossval", ["experiment=distil"])) == DistilSettings()
    assert training_settings(_compose("train", ["data=seeds"]))[0] == DataSettings(corpora=["seeds"])
    with pytest.raises(Exception, match="epochz"):
        _compose("train", ["trainer.epochz=3"])
    with pytest.raises(Exception, match="many"):
        _compose("train", ["trainer.epochs=many"])


def test_experiments_set_what_they_name():
    assert _compose("crossval", ["experiment=ablation_random_init"]).model.from_scratch is True
    assert _compose("crossval", ["experiment=ablation_subword"]).model.tokenization == "subword"
    assert _compose("crossval", ["experiment=with_synthetic"]).data.synthetic_size > 0
    assert list(_compose("crossval", ["experiment=learning_curve"]).fractions) == [0.25, 0.5, 1.0]
    gpu, cpu = _compose("train", ["trainer=gpu"]).trainer, _compose("train", []).trainer
    assert gpu.device == "cuda" and {**gpu, "device": "cpu", "threads": cpu.threads} == {**cpu}  # the CPU recipe on cuda
    distil = _compose("crossval", ["experiment=distil"])
    assert distil.student.layers == 4 and distil.student.select_epoch == "last" and distil.data.synthetic_size == 400
    six = _compose("crossval", ["experiment=distil", "student=bottom6"]).student
    assert six.layers == 6 and six.hidden_weight == 1.0 and six.alpha == distil.student.alpha
    assert _compose("crossval", []).get("student") is None
    build = _compose("build_default_model", [])
    assert build.student == distil.student and build.data.synthetic_size == 400 and build.target_dir == "ie/model/default_model"


@pytest.mark.parametrize("config,overrides,name,checkpoint", [
    ("predict", ["input=seeds", "output=x.jsonl"], "combined", None),  # rules + the shipped default model
    ("predict", ["input=a", "output=b", "checkpoint=c", "extractor.runtime=torch"], "combined", "c"),
    ("predict", ["input=a", "output=b", "extractor=model", "checkpoint=c"], "model", "c"),
    ("predict", ["input=a", "output=b", "extractor=rules"], "rules", None),
    ("evaluate", [], "combined", None), ("evaluate", ["extractor=model", "checkpoint=c"], "model", "c"),
])
def test_predict_and_evaluate_configs(config, overrides, name, checkpoint):
    cfg = _compose(config, overrides)
    assert cfg.extractor.name == name and cfg.extractor.get("checkpoint") == checkpoint
    assert cfg.extractor.skip_numberless is True


@pytest.mark.slow
def test_train_function_runs_a_tiny_job(tmp_path):
    cfg = _compose("train", ["debug=fast", f"output_dir={tmp_path / 'ckpt'}"])
    metrics = load_script("train").train(cfg)
    assert Path(metrics["checkpoint"]).joinpath("bulletin_ie.json").exists()
    assert metrics["history"][0]["step"] == 3


@pytest.mark.parametrize("override,message", [
    ("model.max_length=4", "model.max_length=4: between 8 and 512"),
    ("model.stride=500", "model.stride=500: null (half a window) or 1 to max_length - 2"),
    ("model.tokenization=word", "model.tokenization=word: char or subword"),
])
def test_window_settings_are_checked(override, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        training_settings(_compose("train", [override]))


@pytest.mark.parametrize("name", ["combined", "model", "rules"])
def test_the_extractor_group_is_its_options_defaults(name):
    """configs/extractor/NAME.yaml starts from ie.extractor_options, so a default cannot differ; a
    misspelt key is refused when the config composes."""
    import dataclasses

    from omegaconf import OmegaConf

    from ie.extractor_options import OPTIONS
    from ie.settings_check import extractor_problems

    composed = OmegaConf.to_container(_compose("predict", [f"extractor={name}"]).extractor, resolve=True)
    assert composed == dataclasses.asdict(OPTIONS[name]())
    assert _compose("predict", [f"extractor={name}", "extractor.min_confidence=0.5"]).extractor.min_confidence == 0.5
    with pytest.raises(Exception, match="min_confidense"):
        _compose("predict", [f"extractor={name}", "extractor.min_confidense=0.5"])
    with pytest.raises(Exception, match="skip_numberless"):
        _compose("predict", [f"extractor={name}", "extractor.skip_numberless=sometimes"])
    added = OmegaConf.to_container(_compose("predict", [f"extractor={name}", "+extractor.min_confidense=0.5"]).extractor)
    assert extractor_problems(added, "t2s")[0].startswith(f"extractor.min_confidense: not a setting of extractor={name}")


def test_the_model_tagger_defaults_are_the_model_options():
    import inspect

    from ie.extractor_options import ModelOptions
    from ie.model.tagger import ModelTagger

    defaults = {key: p.default for key, p in inspect.signature(ModelTagger).parameters.items()
                if p.default is not inspect.Parameter.empty}
    assert defaults == {key: getattr(ModelOptions(), key) for key in defaults}

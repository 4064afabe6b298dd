"""ONNX export: the fp32 graph gives torch's logits and tags on every seed sentence; int8 is close."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from ie.research.evaluation import load_gold  # noqa: E402
from ie.model.onnx import OnnxRunner, onnx_path  # noqa: E402
from ie.research.export import export_onnx  # noqa: E402
from ie.model.tagger import ModelTagger, TorchRunner, predict_spans  # noqa: E402

from tests.shared import RECORDS, ROOT, SPANS  # noqa: E402
from tests.shared import TINY_TRAINING as SETTINGS  # noqa: E402

pytestmark = pytest.mark.slow  # training, export, several processes or Ray


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    from ie.research.corpus_training import gold_examples
    from ie.research.tiny import build_tiny_encoder
    from ie.research.training import ModelSettings, train_tagger

    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    examples = gold_examples(corpus, list(corpus.documents))
    root = tmp_path_factory.mktemp("onnx")
    encoder = build_tiny_encoder(root / "encoder", [t for t, _ in examples])
    train_tagger(examples[:100], [], root / "ckpt", encoder=str(encoder),
                 model_settings=ModelSettings(pretrained=str(encoder), tokenization="subword", max_length=64),
                 settings=SETTINGS)
    export_onnx(root / "ckpt")
    return root / "ckpt"


@pytest.fixture(scope="module")
def sentences():
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    return [s.text for doc in corpus.documents.values() for s in doc.sentences]


def test_fp32_logits_match_torch(checkpoint):
    torch_runner = ModelTagger(checkpoint, runtime="torch").runner
    onnx_runner = OnnxRunner(onnx_path(checkpoint))
    rng = np.random.default_rng(0)
    ids = rng.integers(5, 100, size=(4, 50))
    mask = np.ones_like(ids)
    mask[1, 30:] = 0
    difference = np.abs(torch_runner(ids, mask) - onnx_runner(ids, mask))[mask.astype(bool)]
    assert difference.max() < 1e-4


def test_onnx_tags_equal_torch_tags_on_all_seed_sentences(checkpoint, sentences):
    torch_tags = ModelTagger(checkpoint, runtime="torch").tag(sentences)
    assert ModelTagger(checkpoint, runtime="onnx").tag(sentences) == torch_tags
    int8 = ModelTagger(checkpoint, runtime="onnx-int8").tag(sentences)
    same = sum(a == b for a, b in zip(int8, torch_tags)) / len(sentences)
    assert same > 0.8  # int8 is an approximation; the benchmark reports its accuracy


def test_batching_by_length_changes_nothing(checkpoint, sentences):
    tagger = ModelTagger(checkpoint, runtime="torch")
    settings = dict(tokenization=tagger.tokenization, max_length=tagger.max_length, stride=tagger.stride)
    one_by_one = [predict_spans(tagger.runner, tagger.tokenizer, [s], batch_size=1, **settings)[0]
                  for s in sentences[:60]]
    assert predict_spans(tagger.runner, tagger.tokenizer, sentences[:60], batch_size=16, **settings) == one_by_one


def test_missing_export_is_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/export_onnx.py"):
        onnx_path(tmp_path)


def test_unknown_runtime_is_refused(checkpoint):
    with pytest.raises(ValueError, match="runtime 'tensorrt'"):
        ModelTagger(checkpoint, runtime="tensorrt")


def test_a_checkpoint_without_onnx_files_names_the_export_command(checkpoint, tmp_path):
    """Building a tagger never writes into the checkpoint: a missing export is an error that says what to run."""
    import shutil

    copy = tmp_path / "ckpt"
    shutil.copytree(checkpoint, copy, ignore=shutil.ignore_patterns("*.onnx"))
    assert isinstance(ModelTagger(copy, runtime="torch").runner, TorchRunner)
    with pytest.raises(FileNotFoundError, match=f"python scripts/export_onnx.py {copy}"):
        ModelTagger(copy)  # the default runtime: int8 ONNX
    assert not list(copy.glob("*.onnx"))
    export_onnx(copy)
    assert isinstance(ModelTagger(copy).runner, OnnxRunner)

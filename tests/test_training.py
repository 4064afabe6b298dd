"""Training a tiny local model: it trains, saves, reloads, extracts; deterministic; long sentences."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ie.research.evaluation import load_gold
from ie.research.corpus_training import DataSettings, gold_examples, training_data
from ie.model.tagger import META_FILE, CheckpointError, ModelTagger, read_meta
from ie.research.tiny import build_tiny_encoder
from ie.research.training import ModelSettings, train_tagger
from ie.pipeline import Extractor

from tests.shared import RECORDS, ROOT, SPANS, TINY_TRAINING

pytestmark = pytest.mark.slow  # training, export, several processes or Ray


@pytest.fixture(scope="module")
def corpus():
    return load_gold(ROOT / "seeds", SPANS, RECORDS)


@pytest.fixture(scope="module")
def encoder(corpus, tmp_path_factory):
    texts = [s.text for doc in corpus.documents.values() for s in doc.sentences]
    return build_tiny_encoder(tmp_path_factory.mktemp("tiny") / "encoder", texts)


SETTINGS = TINY_TRAINING


def _train(corpus, encoder, output, settings=SETTINGS, **model):
    examples = gold_examples(corpus, list(corpus.documents))
    return train_tagger(examples[:80], examples[80:100], output, encoder=str(encoder),
                        model_settings=ModelSettings(pretrained=str(encoder), tokenization="subword", max_length=64,
                                                     **model), settings=settings)


def test_train_save_reload_extract(corpus, encoder, tmp_path):
    result = _train(corpus, encoder, tmp_path / "ckpt")
    assert result.history[-1]["step"] <= 80 and result.best_epoch is not None
    meta = read_meta(tmp_path / "ckpt")
    assert meta["tokenization"] == "subword" and meta["base_encoder"] == str(encoder)
    assert meta["data"]["train_sentences"] == 80
    extractor = Extractor.from_config("model", checkpoint=str(tmp_path / "ckpt"), runtime="torch")
    seed_text = (ROOT / "seeds" / "001_e668537ba56dba67.txt").read_text(encoding="utf-8")
    extraction = extractor.extract_document(seed_text, "001")
    assert extraction.spans == ModelTagger(tmp_path / "ckpt", runtime="torch").tag([s.text for s in extraction.document.sentences])
    assert extraction.records, "the tiny model learns at least the numbers"
    for record in extraction.records:
        assert seed_text[record.evidence.start:record.evidence.end] == record.evidence.text


def test_training_is_deterministic(corpus, encoder, tmp_path):
    first = _train(corpus, encoder, tmp_path / "a").history
    second = _train(corpus, encoder, tmp_path / "b").history
    assert [h["train_loss"] for h in first] == [h["train_loss"] for h in second]


def test_the_last_epoch_is_kept_when_asked_and_dev_scores_still_logged(corpus, encoder, tmp_path, monkeypatch):
    scores = iter([0.9, 0.5, 0.9, 0.5])  # dev F1 falls after the first epoch, each run
    monkeypatch.setattr("ie.research.training.span_f1", lambda *args, **kwargs: next(scores))
    settings = replace(SETTINGS, epochs=2, max_steps=None)
    assert _train(corpus, encoder, tmp_path / "dev", settings).best_epoch == 1
    result = _train(corpus, encoder, tmp_path / "last", replace(settings, select_epoch="last"))
    assert result.best_epoch == 2 and [h["dev_span_f1"] for h in result.history] == [0.9, 0.5]
    with pytest.raises(ValueError, match="select_epoch"):
        _train(corpus, encoder, tmp_path / "bad", replace(SETTINGS, select_epoch="best"))


def test_long_sentences_are_windowed_not_truncated(corpus, encoder, tmp_path):
    """A runner that calls every token ORG: the decoded span must reach the sentence's last character."""
    import numpy as np

    from ie.model.tagger import predict_spans
    from ie.schema import TAG_TO_ID, TAGS

    _train(corpus, encoder, tmp_path / "ckpt")
    tagger = ModelTagger(tmp_path / "ckpt", runtime="torch")
    long_text = "全市公安机关破获刑事案件9700起" * 40  # about 680 characters; windows of 64 tokens
    shapes = []

    def everything_org(ids, mask):
        shapes.append(ids.shape)
        scores = np.full((*ids.shape, len(TAGS)), -9.0, dtype=np.float32)
        scores[..., TAG_TO_ID["I-ORG"]] = 0.0
        scores[:, 1, TAG_TO_ID["B-ORG"]] = 1.0
        return scores

    [spans] = predict_spans(everything_org, tagger.tokenizer, [long_text], tokenization="subword", max_length=64,
                            stride=31)
    assert len(shapes) == 1 and shapes[0][0] > 10 and shapes[0][1] <= 64  # many windows, none longer than 64
    assert [(s.label, s.start, s.end) for s in spans] == [("ORG", 0, len(long_text))]


def test_a_checkpoint_of_another_schema_is_refused(tmp_path):
    (tmp_path / META_FILE).write_text(json.dumps({"schema_version": "0.1", "tags": ["O", "B-X"]}), encoding="utf-8")
    with pytest.raises(CheckpointError, match="does not match this toolkit's schema"):
        read_meta(tmp_path)
    with pytest.raises(CheckpointError, match="not a bulletin-ie checkpoint"):
        read_meta(tmp_path / "nowhere")


def test_training_data_fraction_dev_and_synthetic(corpus):
    docs = list(corpus.documents)[:4]
    full_train, full_dev = training_data(corpus, docs, DataSettings(dev_fraction=0.1), seed=1)
    half_train, _ = training_data(corpus, docs, DataSettings(dev_fraction=0.1, train_fraction=0.5), seed=1)
    with_synthetic, _ = training_data(corpus, docs, DataSettings(dev_fraction=0.1, synthetic_size=50), seed=1)
    total = len(gold_examples(corpus, docs))
    assert len(full_train) + len(full_dev) == total and abs(len(full_dev) - total * 0.1) <= 1
    assert abs(len(half_train) - len(full_train) / 2) <= 2
    assert len(with_synthetic) == len(full_train) + 50

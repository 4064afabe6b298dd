"""The tokenizers-only tokenizer: the same tokens as AutoTokenizer, and no torch in the int8 path."""

from __future__ import annotations

import subprocess
import sys

from transformers import AutoTokenizer

from ie.research.evaluation import load_gold
from ie.research.corpus_training import synthetic_examples
from ie.model.alignment import tokenize
from ie.model.light_tokenizer import LightTokenizer
from ie.model.tagger import DEFAULT_CHECKPOINT

from tests.shared import RECORDS, ROOT, SPANS


def test_it_tokenises_every_seed_and_synthetic_sentence_as_auto_tokenizer():
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    texts = [s.text for doc in corpus.documents.values() for s in doc.sentences]
    texts += [text for text, _ in synthetic_examples(200, 7, 0.5)]  # traditional, pinyin, full-width variants
    auto, light = AutoTokenizer.from_pretrained(DEFAULT_CHECKPOINT), LightTokenizer(DEFAULT_CHECKPOINT)
    assert (light.cls_token_id, light.sep_token_id, light.pad_token_id) == (
        auto.cls_token_id, auto.sep_token_id, auto.pad_token_id)
    for mode in ("char", "subword"):
        assert [tokenize(light, t, mode) for t in texts] == [tokenize(auto, t, mode) for t in texts]


def test_the_default_extractor_runs_without_importing_torch():
    code = ("import sys; from ie.pipeline import Extractor; from ie.model.tagger import ModelTagger; "
            "records = Extractor(ModelTagger()).extract('全年破获刑事案件9700起，同比上升12%。', doc_id='x'); "
            "print(len(records), 'torch' in sys.modules, 'transformers' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    count, torch_loaded, transformers_loaded = result.stdout.split()
    assert int(count) >= 1 and torch_loaded == "False" and transformers_loaded == "False"

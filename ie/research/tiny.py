"""A tiny randomly initialised BERT with a character tokenizer, built locally (tests, debug runs).

It needs no download and no conversion: a WordPiece vocabulary of the characters of
the given texts (plus digits, ASCII and common punctuation) and a 2-layer encoder.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable
from pathlib import Path

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_tiny_encoder(directory: str | Path, texts: Iterable[str], *, hidden: int = 32, layers: int = 2,
                       heads: int = 2, max_positions: int = 512, seed: int = 0) -> Path:
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    chars = sorted({c for text in texts for c in text if not c.isspace()} | set(string.digits + string.ascii_letters)
                   | set("，。、；：？！“”（）《》%.,;:()-+·—"))
    vocab = {token: i for i, token in enumerate(SPECIALS + chars + [f"##{c}" for c in chars])}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                      strip_accents=False, lowercase=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]", model_max_length=max_positions)
    fast.save_pretrained(directory)
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(vocab), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                        intermediate_size=hidden * 2, max_position_embeddings=max_positions, pad_token_id=0)
    BertModel(config, add_pooling_layer=False).save_pretrained(directory)
    (directory / "tiny.json").write_text(json.dumps({"characters": len(chars)}), encoding="utf-8")
    return directory

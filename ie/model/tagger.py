"""The BERT-family token classifier as a tagger: checkpoint directory in, spans out.

A checkpoint describes itself: the Hugging Face model and tokenizer files, plus
``bulletin_ie.json`` with the schema version, the tag list, the tokenisation, the window,
the normalisation settings and the base encoder. Prediction needs only that directory.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ie.model.alignment import constrained_decode, score_spans, tokenize, tokens_to_spans, windows
from ie.schema import SCHEMA_VERSION, TAGS, Span

logger = logging.getLogger(__name__)

META_FILE = "bulletin_ie.json"


class CheckpointError(ValueError):
    """A checkpoint directory that cannot serve this version of the toolkit."""


def read_meta(directory: str | Path) -> dict[str, Any]:
    path = Path(directory) / META_FILE
    if not path.exists():
        raise CheckpointError(f"{directory}: no {META_FILE}; not a bulletin-ie checkpoint")
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("schema_version") != SCHEMA_VERSION or tuple(meta.get("tags", ())) != TAGS:
        raise CheckpointError(f"{path}: schema {meta.get('schema_version')!r} with tags {meta.get('tags')} "
                              f"does not match this toolkit's schema {SCHEMA_VERSION!r} {list(TAGS)}")
    return meta


def write_meta(directory: str | Path, **fields: Any) -> None:
    meta = {"schema_version": SCHEMA_VERSION, "tags": list(TAGS), **fields}
    (Path(directory) / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


class TorchRunner:
    """Log-probabilities from a torch token classifier."""

    def __init__(self, model, device: str = "cpu") -> None:
        self.model, self.device = model, device

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch  # only here: the ONNX runtimes run without loading torch

        self.model.eval()
        with torch.no_grad():
            logits = self.model(input_ids=torch.from_numpy(ids).to(self.device),
                                attention_mask=torch.from_numpy(mask).to(self.device)).logits.float()
            return torch.log_softmax(logits, dim=-1).cpu().numpy()


def predict_spans(runner, tokenizer, texts: Sequence[str], *, tokenization: str, max_length: int, stride: int,
                  batch_size: int = 32) -> list[list[Span]]:
    """Spans of each text: tokens, windows batched by length, averaged log-probabilities, constrained decoding;
    each span scored by ``score_spans``.

    Windows of all texts are sorted by length and padded per batch; sentences longer than
    the window run in overlapping windows whose scores are averaged (never truncated).
    """
    tokenized = [tokenize(tokenizer, text, tokenization) if text.strip() else None for text in texts]
    pieces = []  # (text index, window start, window end)
    for index, tokens in enumerate(tokenized):
        if tokens is not None and tokens.ids:
            pieces += [(index, a, b) for a, b in windows(len(tokens.ids), max_length - 2, stride)]
    totals = {i: np.zeros((len(t.ids), len(TAGS)), dtype=np.float32) for i, t in enumerate(tokenized) if t and t.ids}
    counts = {i: np.zeros(len(t.ids), dtype=np.float32) for i, t in enumerate(tokenized) if t and t.ids}
    pieces.sort(key=lambda piece: piece[2] - piece[1])
    for start in range(0, len(pieces), batch_size):
        batch = pieces[start:start + batch_size]
        width = max(b - a for _, a, b in batch) + 2
        ids = np.full((len(batch), width), tokenizer.pad_token_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, (index, a, b) in enumerate(batch):
            content = tokenized[index].ids[a:b]
            ids[row, :len(content) + 2] = [tokenizer.cls_token_id, *content, tokenizer.sep_token_id]
            mask[row, :len(content) + 2] = 1
        scores = runner(ids, mask)
        for row, (index, a, b) in enumerate(batch):
            totals[index][a:b] += scores[row, 1:1 + b - a]
            counts[index][a:b] += 1
    results = []
    for index, (text, tokens) in enumerate(zip(texts, tokenized)):
        if index not in totals:
            results.append([])
            continue
        averaged = totals[index] / np.maximum(counts[index], 1)[:, None]
        path = constrained_decode(averaged)
        chosen = averaged[np.arange(len(path)), path]
        results.append(score_spans(tokens_to_spans(text, tokens.offsets, path), tokens.offsets, chosen))
    return results


RUNTIMES = ("torch", "onnx", "onnx-int8")
# The shipped default model: an int8 ONNX student with its tokenizer and model card.
DEFAULT_CHECKPOINT = Path(__file__).resolve().parent / "default_model"


class ModelTagger:
    """Tags normalised sentences with a fine-tuned token classifier (torch or ONNX Runtime)."""

    name = "model"

    def __init__(self, checkpoint: str | Path | None = None, *, device: str = "cpu", batch_size: int = 1,
                 runtime: str = "onnx-int8", threads: int | None = None) -> None:
        """``checkpoint=None``: the shipped default model (int8 ONNX only).

        ``batch_size=1`` keeps each sentence's tags independent of its neighbours: int8
        dynamic quantisation scales activations per batch, so batching changes its output
        (and on two CPU cores it is not faster, see the README's benchmark).
        """
        from ie.model.light_tokenizer import LightTokenizer

        if runtime not in RUNTIMES:
            raise ValueError(f"runtime {runtime!r}: choose one of {RUNTIMES}")
        self.checkpoint = Path(checkpoint) if checkpoint else DEFAULT_CHECKPOINT
        if not checkpoint and runtime != "onnx-int8":
            raise ValueError(f"runtime={runtime} needs a full checkpoint; the shipped model ({DEFAULT_CHECKPOINT}) "
                             f"is int8 ONNX only: use runtime=onnx-int8, or checkpoint=DIR with the student that "
                             f"python scripts/build_default_model.py writes (outputs/default_model/student)")
        self.meta = read_meta(self.checkpoint)
        self.tokenizer = LightTokenizer(self.checkpoint)  # no transformers: the ONNX path never imports torch
        self.batch_size = batch_size
        self.tokenization = self.meta["tokenization"]
        self.max_length = int(self.meta["max_length"])
        self.stride = int(self.meta.get("stride", (self.max_length - 2) // 2))
        if runtime == "torch":
            import torch
            from transformers import AutoModelForTokenClassification

            if threads:
                torch.set_num_threads(threads)
            model = AutoModelForTokenClassification.from_pretrained(self.checkpoint).to(device).eval()
            self.runner = TorchRunner(model, device)
        else:
            from ie.model.onnx import OnnxRunner, onnx_path

            if device != "cpu":
                logger.warning("device=%s ignored: the ONNX runtimes run on the CPU", device)
            if checkpoint:
                logger.info("%s: running its %s ONNX graph (extractor.runtime=torch runs the trained weights "
                            "as they are)", checkpoint, "int8" if runtime == "onnx-int8" else "fp32")
            self.runner = OnnxRunner(onnx_path(self.checkpoint, quantized=runtime == "onnx-int8"),
                                     threads=threads)

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        return predict_spans(self.runner, self.tokenizer, sentences, tokenization=self.tokenization,
                             max_length=self.max_length, stride=self.stride, batch_size=self.batch_size)

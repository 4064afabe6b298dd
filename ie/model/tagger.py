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
import torch

from ie.model.alignment import constrained_decode, tokenize, tokens_to_spans, windows
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


def sentence_logits(model, tokenizer, token_ids: list[int], *, max_length: int, stride: int,
                    device: str = "cpu") -> np.ndarray:
    """Log-probabilities per content token; long sentences run in overlapping windows, averaged."""
    size = max_length - 2
    total = np.zeros((len(token_ids), len(TAGS)), dtype=np.float32)
    counts = np.zeros(len(token_ids), dtype=np.float32)
    spans = windows(len(token_ids), size, stride)
    batch = [[tokenizer.cls_token_id, *token_ids[a:b], tokenizer.sep_token_id] for a, b in spans]
    width = max(len(row) for row in batch)
    ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, row in enumerate(batch):
        ids[i, :len(row)] = torch.tensor(row)
        mask[i, :len(row)] = 1
    with torch.no_grad():
        logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits.float()
        log_probs = torch.log_softmax(logits, dim=-1).cpu().numpy()
    for (a, b), row in zip(spans, log_probs):
        total[a:b] += row[1:1 + b - a]
        counts[a:b] += 1
    return total / np.maximum(counts, 1)[:, None]


class ModelTagger:
    """Tags normalised sentences with a fine-tuned token classifier."""

    name = "model"

    def __init__(self, checkpoint: str | Path, *, device: str = "cpu", batch_size: int = 32) -> None:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        self.checkpoint = Path(checkpoint)
        self.meta = read_meta(self.checkpoint)
        self.tokenizer = AutoTokenizer.from_pretrained(self.checkpoint)
        self.model = AutoModelForTokenClassification.from_pretrained(self.checkpoint).to(device).eval()
        self.device = device
        self.batch_size = batch_size
        self.tokenization = self.meta["tokenization"]
        self.max_length = int(self.meta["max_length"])
        self.stride = int(self.meta.get("stride", (self.max_length - 2) // 2))

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        return predict_spans(self.model, self.tokenizer, sentences, tokenization=self.tokenization,
                             max_length=self.max_length, stride=self.stride, device=self.device)


def predict_spans(model, tokenizer, texts: Sequence[str], *, tokenization: str, max_length: int, stride: int,
                  device: str = "cpu") -> list[list[Span]]:
    """Spans of each text: tokens, windowed logits, constrained IOB2 decoding, back to characters."""
    model.eval()
    result = []
    for text in texts:
        tokens = tokenize(tokenizer, text, tokenization) if text.strip() else None
        if not tokens or not tokens.ids:
            result.append([])
            continue
        scores = sentence_logits(model, tokenizer, tokens.ids, max_length=max_length, stride=stride, device=device)
        result.append(tokens_to_spans(text, tokens.offsets, constrained_decode(scores)))
    return result

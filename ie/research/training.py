"""Fine-tune a token classifier on labelled sentences and save a self-describing checkpoint.

``train_tagger`` takes plain arguments (no Hydra): the training and development
sentences as ``(text, spans)`` pairs, the encoder, and the optimisation settings. It is
deterministic for a fixed seed, logs data sizes and per-epoch metrics, keeps the
epoch with the best development span F1 (seqeval, strict IOB2), and writes the
checkpoint with ``bulletin_ie.json`` (``ie.model.tagger``).
"""

from __future__ import annotations

import copy
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch

from ie.model.alignment import IGNORE, alignment_loss, tokenize, token_labels, windows
from ie.research.tensor_batches import padded_batches
from ie.research.distributed import barrier, setup_process, unwrap, wrap
from ie.model.tagger import TorchRunner, predict_spans, write_meta
from ie.schema import TAG_TO_ID, TAGS, Span
from ie.research.scoring import evaluate_spans
from ie.spans import spans_to_bio

logger = logging.getLogger(__name__)



class DistillationTeacher(Protocol):
    """What training needs of a teacher to distil into its student (``ie.research.distillation.Teacher``)."""

    settings: Any

    def student(self) -> tuple[Any, Any]: ...

    def attach_soft_targets(self, features: list[dict[str, Any]], pad_id: int) -> None: ...

    def loss(self, student_logits: Any, student_hidden: Any, targets: dict[str, Any], valid: Any, real: Any,
             gold_loss: Any) -> Any: ...

    def meta(self) -> dict[str, Any]: ...

Example = tuple[str, Sequence[Span]]


@dataclass
class TrainSettings:
    epochs: int = 5
    batch_size: int = 8
    learning_rate: float = 1e-4  # the encoder
    head_learning_rate: float = 3e-3  # the new classifier: a small encoder learns slowly with one rate
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_grad_norm: float = 1.0
    max_steps: int | None = None  # stop early (debug runs)
    select_epoch: str = "dev"  # "dev": the epoch with the best dev span F1; "last": the last epoch (dev F1 logged)
    seed: int = 13
    threads: int | None = None
    device: str = "cpu"
    bf16: bool = False


@dataclass
class ModelSettings:
    pretrained: str = "e5-small-zh"  # resolved by ie.research.e5.ensure_encoder
    tokenization: str = "char"
    max_length: int = 128  # tokens per window (longer sentences run in overlapping windows)
    stride: int | None = None  # window step; None: half a window
    from_scratch: bool = False  # same architecture and tokenizer, random weights (ablation)
    dropout: float | None = None

    def __post_init__(self) -> None:
        if self.tokenization not in ("char", "subword"):
            raise ValueError(f"model.tokenization={self.tokenization}: char or subword")
        if not 8 <= self.max_length <= 512:
            raise ValueError(f"model.max_length={self.max_length}: between 8 and 512 tokens (the encoder's positions)")
        if self.stride is not None and not 1 <= self.stride <= self.max_length - 2:
            raise ValueError(f"model.stride={self.stride}: null (half a window) or 1 to max_length - 2 "
                             f"({self.max_length - 2})")
        if self.dropout is not None and not 0 <= self.dropout < 1:
            raise ValueError(f"model.dropout={self.dropout}: null or at least 0 and below 1")


@dataclass
class TrainResult:
    checkpoint: Path
    history: list[dict[str, Any]] = field(default_factory=list)
    best_epoch: int | None = None
    seconds: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def encode_examples(tokenizer, examples: Sequence[Example], *, tokenization: str, max_length: int,
                    stride: int) -> tuple[list[dict[str, list[int]]], int]:
    """Windows of ``input_ids``/``labels`` (specials -100) and the count of lost span boundaries."""
    features, lost = [], 0
    for text, spans in examples:
        tokens = tokenize(tokenizer, text, tokenization)
        if not tokens.ids:
            continue
        labels = token_labels(text, tokens.offsets, spans)
        lost += alignment_loss(text, tokens.offsets, spans)
        for a, b in windows(len(tokens.ids), max_length - 2, stride):
            features.append({
                "input_ids": [tokenizer.cls_token_id, *tokens.ids[a:b], tokenizer.sep_token_id],
                "labels": [IGNORE, *labels[a:b], IGNORE],
            })
    return features, lost


def span_f1(model, tokenizer, examples: Sequence[Example], **settings) -> float | None:
    if not examples:
        return None
    device = settings.pop("device", "cpu")
    predicted = predict_spans(TorchRunner(model, device), tokenizer, [t for t, _ in examples], **settings)
    gold = [spans_to_bio(t, s) for t, s in examples]
    scores = evaluate_spans(gold, [spans_to_bio(t, p) for (t, _), p in zip(examples, predicted)])
    return scores.get("micro avg", {}).get("f1")


def load_model(model_settings: ModelSettings, encoder: str):
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(encoder)
    labels = {"num_labels": len(TAGS), "id2label": dict(enumerate(TAGS)), "label2id": dict(TAG_TO_ID)}
    extra = {} if model_settings.dropout is None else {"hidden_dropout_prob": model_settings.dropout}
    if model_settings.from_scratch:
        config = AutoConfig.from_pretrained(encoder, **labels, **extra)
        model = AutoModelForTokenClassification.from_config(config)
    else:
        model = AutoModelForTokenClassification.from_pretrained(encoder, **labels, **extra)
    return model, tokenizer


def train_tagger(train: Sequence[Example], dev: Sequence[Example], output: str | Path, *, encoder: str,
                 model_settings: ModelSettings, settings: TrainSettings,
                 normalization: dict[str, Any] | None = None, extra_meta: dict[str, Any] | None = None,
                 teacher: DistillationTeacher | None = None) -> TrainResult:
    """Fine-tune on ``train``, select the epoch on ``dev`` (the last epoch when ``dev`` is empty).

    With a ``teacher`` (``ie.research.distillation``) the model to train is the teacher's
    student and the loss mixes the gold labels with the teacher's softened predictions.
    """
    from transformers import get_linear_schedule_with_warmup

    if settings.select_epoch not in ("dev", "last"):
        raise ValueError(f"select_epoch={settings.select_epoch!r}: choose dev or last")
    started = time.perf_counter()
    set_seed(settings.seed)
    if settings.threads:
        torch.set_num_threads(settings.threads)
    process = setup_process(settings.device)
    model, tokenizer = teacher.student() if teacher else load_model(model_settings, encoder)
    model.to(process.device)
    stride = (model_settings.max_length - 2) // 2 if model_settings.stride is None else model_settings.stride
    if not 0 < stride <= model_settings.max_length - 2:
        raise ValueError(f"model.stride={stride} must be in 1..{model_settings.max_length - 2} (max_length - 2)")
    features, lost = encode_examples(tokenizer, train, tokenization=model_settings.tokenization,
                                     max_length=model_settings.max_length, stride=stride)
    if not features:
        raise ValueError("no training example has any token")
    if teacher:
        teacher.attach_soft_targets(features, tokenizer.pad_token_id)
    data = {"train_sentences": len(train), "train_windows": len(features), "dev_sentences": len(dev),
            "train_tokens": sum(len(f["input_ids"]) for f in features), "boundaries_lost_in_tokens": lost,
            "processes": process.world_size}
    logger.info("data: %s", data)
    # Several processes (torchrun): each takes every world_size-th batch; the remainder is dropped.
    steps_per_epoch = math.ceil(len(features) / settings.batch_size) // process.world_size
    if steps_per_epoch == 0:
        raise ValueError(f"{len(features)} training windows make fewer batches of {settings.batch_size} than "
                         f"the {process.world_size} processes")
    total = steps_per_epoch * settings.epochs if settings.max_steps is None else min(
        settings.max_steps, steps_per_epoch * settings.epochs)
    no_decay = ("bias", "LayerNorm.weight")
    groups = []
    for is_head in (False, True):
        for decays in (True, False):
            params = [p for n, p in model.named_parameters()
                      if n.startswith("classifier.") == is_head and (not any(k in n for k in no_decay)) == decays]
            groups.append({"params": params, "weight_decay": settings.weight_decay if decays else 0.0,
                           "lr": settings.head_learning_rate if is_head else settings.learning_rate})
    optimizer = torch.optim.AdamW(groups, lr=settings.learning_rate)
    model = wrap(model, process)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * settings.warmup_ratio), total)
    generator = random.Random(settings.seed)
    predict = {"tokenization": model_settings.tokenization, "max_length": model_settings.max_length,
               "stride": stride, "device": process.device}
    history, best, best_state, step = [], None, None, 0
    autocast = torch.autocast(device_type=process.device.split(":")[0], dtype=torch.bfloat16,
                              enabled=settings.bf16)
    for epoch in range(1, settings.epochs + 1):
        model.train()
        losses = []
        order = list(range(len(features)))
        generator.shuffle(order)
        batches = list(padded_batches(features, settings.batch_size, tokenizer.pad_token_id, order))
        for ids, mask, labels, targets in batches[process.rank:steps_per_epoch * process.world_size:process.world_size]:
            with autocast:
                outputs = model(input_ids=ids.to(process.device), attention_mask=mask.to(process.device),
                                output_hidden_states=bool(teacher and teacher.settings.hidden_weight))
                logits, labels = outputs.logits, labels.to(process.device)
                loss = torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), labels.flatten(),
                                                         ignore_index=IGNORE)
                if teacher:
                    hidden = outputs.hidden_states[-1].float() if outputs.hidden_states else None
                    loss = teacher.loss(logits.float(), hidden, {k: t.to(process.device) for k, t in targets.items()},
                                        labels != IGNORE, mask.to(process.device).bool(), loss)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), settings.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            step += 1
            if step >= total:
                break
        dev_f1 = span_f1(unwrap(model), tokenizer, dev, **predict)  # every process: the same choice of epoch
        record = {"epoch": epoch, "step": step, "train_loss": float(np.mean(losses)) if losses else None,
                  "dev_span_f1": dev_f1}
        history.append(record)
        logger.info("epoch %d: %s", epoch, record)
        score = dev_f1 if dev_f1 is not None and settings.select_epoch == "dev" else epoch  # else the last
        if best is None or score > best:
            best, best_state, best_epoch = score, copy.deepcopy(unwrap(model).state_dict()), epoch
        if step >= total:
            break
    model = unwrap(model)
    model.load_state_dict(best_state)
    output = Path(output)
    result = TrainResult(output, history, best_epoch, time.perf_counter() - started, data)
    if not process.is_main:
        barrier(process)
        return result
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output)
    tokenizer.save_pretrained(output)
    write_meta(output, tokenization=model_settings.tokenization, max_length=model_settings.max_length,
               stride=stride, normalization=normalization or {"opencc": "t2s"}, base_encoder=model_settings.pretrained,
               model=asdict(model_settings), training=asdict(settings), data=data, history=history,
               best_epoch=best_epoch, **(teacher.meta() if teacher else {}), **(extra_meta or {}))
    barrier(process)
    return result

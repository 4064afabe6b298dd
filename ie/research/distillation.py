"""Knowledge distillation: a small student learns from a fine-tuned teacher and the gold labels.

The student is the teacher cut down to its bottom ``layers`` transformer layers (same
embeddings, same pruned vocabulary, same classifier), then trained on the teacher's own
training windows with

    loss = alpha * CE(gold tags) + (1 - alpha) * T^2 * KL(teacher_T || student_T)
           + hidden_weight * MSE(student's last hidden states, teacher's last hidden states)

where ``_T`` is a softmax at temperature ``T`` over the teacher's logits. The teacher's
logits (and last hidden states, when ``hidden_weight`` > 0) are computed once, before
training (``attach_soft_targets``). The hidden-state term (as in TinyBERT's
intermediate-layer loss, here on the last layer only) asks the student's top layer to
reproduce the representation the shared classifier reads, a far richer target per token
than the tags' distribution. Starting from the teacher's
bottom layers keeps the lexical knowledge of the fine-tuned encoder; the KL term passes
on what the teacher learnt to do with it. ``train_tagger(..., teacher=Teacher(...))``
runs the loop.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ie.research.tensor_batches import padded_batches


@dataclass
class DistilSettings:
    layers: int = 4              # bottom layers of the teacher kept in the student
    temperature: float = 1.0     # softening of both distributions in the KL term
    alpha: float = 0.1           # weight of the gold-label cross-entropy; 1 - alpha for the teacher
    epochs: int | None = 6       # None: the trainer's epochs
    learning_rate: float | None = 2e-4  # the student's encoder; None: the trainer's
    synthetic_size: int | None = 1600   # synthetic sentences in the student's data; None: as the teacher's
    hidden_weight: float = 0.0   # weight of the MSE between the last hidden states (0: logits only)
    select_epoch: str = "last"   # "last": keep the last epoch; "dev": the best on the dev sentences (as the teacher)


class Teacher:
    """A fine-tuned checkpoint as a source of soft targets and of the student's initial weights."""

    def __init__(self, checkpoint: str | Path, settings: DistilSettings, *, device: str = "cpu",
                 batch_size: int = 32) -> None:
        self.checkpoint, self.settings, self.device, self.batch_size = Path(checkpoint), settings, device, batch_size
        if not 0.0 <= settings.alpha <= 1.0 or settings.temperature <= 0 or settings.hidden_weight < 0:
            raise ValueError("distillation needs 0 <= alpha <= 1, temperature > 0 and hidden_weight >= 0, "
                             f"got {settings}")

    def _load(self):
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        model = AutoModelForTokenClassification.from_pretrained(self.checkpoint)
        return model, AutoTokenizer.from_pretrained(self.checkpoint)

    def student(self):
        """``(model, tokenizer)``: the teacher with its bottom ``layers`` layers only."""
        model, tokenizer = self._load()
        encoder = model.base_model.encoder
        total = len(encoder.layer)
        if not 1 <= self.settings.layers <= total:
            raise ValueError(f"student layers={self.settings.layers}: the teacher has {total} layers")
        encoder.layer = encoder.layer[:self.settings.layers]
        model.config.num_hidden_layers = self.settings.layers
        return model, tokenizer

    def attach_soft_targets(self, features: list[dict[str, Any]], pad_id: int) -> None:
        """Add the teacher's logits (``soft``, tokens x tags) to every training window, batched by
        length, and its last hidden states (``hidden``, tokens x hidden) when ``hidden_weight`` > 0."""

        model, _ = self._load()
        model.to(self.device).eval()
        with_hidden = self.settings.hidden_weight > 0
        order = sorted(range(len(features)), key=lambda i: len(features[i]["input_ids"]))
        chunks = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        with torch.no_grad():  # each batch is padded before its features get their targets
            for chunk, (ids, mask, _, _) in zip(chunks, padded_batches(features, self.batch_size, pad_id, order)):
                outputs = model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device),
                                output_hidden_states=with_hidden)
                targets = {"soft": outputs.logits}
                if with_hidden:
                    targets["hidden"] = outputs.hidden_states[-1]
                targets = {key: value.float().cpu().numpy() for key, value in targets.items()}
                for row, i in enumerate(chunk):
                    n = len(features[i]["input_ids"])
                    for key, value in targets.items():
                        features[i][key] = value[row, :n].astype(np.float32)

    def loss(self, student_logits: torch.Tensor, student_hidden: torch.Tensor | None,
             targets: dict[str, torch.Tensor], valid: torch.Tensor, real: torch.Tensor,
             gold_loss: torch.Tensor) -> torch.Tensor:
        """The mixed loss: tags over the ``valid`` (labelled) positions, hidden states over the
        ``real`` (non-padding) ones."""
        t = self.settings.temperature
        student = torch.log_softmax(student_logits[valid] / t, dim=-1)
        teacher = torch.log_softmax(targets["soft"][valid] / t, dim=-1)
        kl = torch.nn.functional.kl_div(student, teacher, log_target=True, reduction="batchmean") * t * t
        loss = self.settings.alpha * gold_loss + (1 - self.settings.alpha) * kl
        if self.settings.hidden_weight:
            mse = torch.nn.functional.mse_loss(student_hidden[real], targets["hidden"][real])
            loss = loss + self.settings.hidden_weight * mse
        return loss

    def meta(self) -> dict[str, Any]:
        teacher = json.loads((self.checkpoint / "config.json").read_text(encoding="utf-8"))
        return {"distillation": {"teacher": str(self.checkpoint), "teacher_layers": teacher["num_hidden_layers"],
                                 **asdict(self.settings)}}

"""Training features (token ids, labels, a teacher's per-token arrays) padded into batches of tensors."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ie.model.alignment import IGNORE

TEACHER_TARGETS = ("soft", "hidden")
"""Per-token arrays a teacher attaches to training features (``Teacher.attach_soft_targets``)."""


def padded_batches(features: list[dict], batch_size: int, pad_id: int, order: Sequence[int]):
    """``(ids, mask, labels, targets)`` of the features in ``order``, padded per batch.

    ``targets`` holds the teacher's per-token arrays that the features carry (``soft``:
    logits; ``hidden``: last hidden states), padded with zeros; it is empty without a teacher.
    """
    for start in range(0, len(order), batch_size):
        chunk = [features[i] for i in order[start:start + batch_size]]
        width = max(len(f["input_ids"]) for f in chunk)
        ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
        labels = torch.full((len(chunk), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        targets = {key: torch.zeros((len(chunk), width, chunk[0][key].shape[-1]))
                   for key in TEACHER_TARGETS if key in chunk[0]}
        for i, f in enumerate(chunk):
            n = len(f["input_ids"])
            ids[i, :n] = torch.tensor(f["input_ids"])
            labels[i, :n] = torch.tensor(f["labels"])
            mask[i, :n] = 1
            for key, tensor in targets.items():
                tensor[i, :n] = torch.from_numpy(f[key])
        yield ids, mask, labels, targets

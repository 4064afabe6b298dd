"""ONNX export of a checkpoint (``torch.onnx.export``) and int8 quantisation with ONNX Runtime.

optimum does not support transformers 5, so the export is done directly: the classifier
is loaded with eager attention, traced with a padded dummy batch (so that the attention
mask stays in the graph), with dynamic batch and sequence axes. ``model.onnx`` (fp32) and
``model.int8.onnx`` (dynamic int8 weights) are written into the checkpoint directory.
Needs the ``onnx`` extra: ``pip install -e ".[onnx]"``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ie.model.onnx import FP32_FILE, INT8_FILE

logger = logging.getLogger(__name__)


def export_onnx(checkpoint: str | Path, *, quantize: bool = True, keep_fp32: bool = True,
                opset: int = 17) -> list[Path]:
    """Write ``model.onnx`` (and ``model.int8.onnx``) next to the checkpoint's weights.

    ``keep_fp32=False`` removes ``model.onnx`` once the int8 model is written. Each file is
    written under a temporary name and renamed, so an interrupted export leaves no file that
    looks complete.
    """
    import torch
    from transformers import AutoModelForTokenClassification

    try:
        import onnx  # noqa: F401  (torch.onnx.export and the quantiser need it)
    except ImportError:
        raise ImportError('exporting to ONNX needs the onnx extra: pip install -e ".[onnx]"') from None

    checkpoint = Path(checkpoint)
    model = AutoModelForTokenClassification.from_pretrained(checkpoint, attn_implementation="eager").eval()

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).logits

    wrapper = Logits().eval()
    ids = torch.full((2, 16), 5, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0  # a padded row keeps the mask in the traced graph
    fp32 = checkpoint / FP32_FILE
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
            "logits": {0: "batch", 1: "sequence"}}
    partial = fp32.with_name(f".{FP32_FILE}.partial")
    with torch.no_grad():
        torch.onnx.export(wrapper, (ids, mask), str(partial), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], dynamic_axes=axes, opset_version=opset, dynamo=False)
    os.replace(partial, fp32)
    written = [fp32]
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        int8 = checkpoint / INT8_FILE
        partial = int8.with_name(f".{INT8_FILE}.partial")
        # Per output channel, 7-bit range: measured on the first 4-layer student (seeds and 300
        # synthetic sentences), the int8 tags then differ from fp32 in 9 of 1,998 spans against 40
        # with one scale per tensor (README, "Speed"); reduce_range avoids the int16 saturation of
        # u8s8 products on CPUs without VNNI.
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
        os.replace(partial, int8)
        written.append(int8)
        if not keep_fp32:
            fp32.unlink()
            written.remove(fp32)
    logger.info("exported %s", ", ".join(str(p) for p in written))
    return written

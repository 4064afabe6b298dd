"""Running an exported checkpoint with ONNX Runtime: where its ONNX files are, and a runner.

The export itself (``model.onnx``, ``model.int8.onnx``) is ``ie.research.export``
(``python scripts/export_onnx.py CHECKPOINT``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"


def onnx_path(checkpoint: str | Path, *, quantized: bool = False) -> Path:
    """The ONNX file of an exported checkpoint."""
    path = Path(checkpoint) / (INT8_FILE if quantized else FP32_FILE)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run python scripts/export_onnx.py {checkpoint}")
    return path


class OnnxRunner:
    """Log-probabilities from an ONNX Runtime session (one session, reused for every batch)."""

    def __init__(self, path: str | Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        logits = self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0].astype(np.float32)
        shifted = logits - logits.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

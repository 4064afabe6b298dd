"""The research layer: annotation tooling, evaluation and reports, training, distillation,
ONNX export, cross-validation, benchmarks and the model card.

It builds on the extraction core (everything else under ``ie``) and is never imported by it.
"""

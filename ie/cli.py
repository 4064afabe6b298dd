"""The commands of the toolkit, above both layers: the console script ``bulletin-ie`` and the
thin ``scripts/predict.py``, ``scripts/evaluate.py`` and ``scripts/train.py`` run these.

    bulletin-ie extract INPUT OUTPUT [key=value ...]     # = scripts/predict.py input=INPUT output=OUTPUT ...
    bulletin-ie evaluate [key=value ...]                  # = scripts/evaluate.py ...
    bulletin-ie train [key=value ...]                     # = scripts/train.py ...

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
    """Score an extractor on annotated corpora (config ``evaluate``): metrics.json and report.md."""
    from ie.pipeline import Extractor
    from ie.research.evaluation import evaluate_extractor, load_corpora
    from ie.research.report import fmt, write_report

    extractor = Extractor.from_settings(OmegaConf.to_container(cfg.extractor, resolve=True),
                                        opencc_config=cfg.normalization.opencc, checkpoint=cfg.checkpoint)
    names = cfg.corpus if isinstance(cfg.corpus, str) else list(cfg.corpus)
    corpus = load_corpora(names, cfg.annotations, opencc_config=cfg.normalization.opencc)
    result = evaluate_extractor(extractor, corpus, name=cfg.extractor.name)
    metrics, report = write_report(result, cfg.report_dir)
    records = result.records.records
    print(f"{cfg.extractor.name}: record F1 {fmt(records.f1)} (P {fmt(records.precision)}, "
          f"R {fmt(records.recall)}); value F1 {fmt(result.records.values.f1)}; "
          f"decoder ceiling F1 {fmt(result.ceiling.records.f1)}")
    print(f"wrote {metrics} and {report}")
    return 0


def train(cfg: DictConfig) -> dict[str, Any]:
    """Fine-tune the token classifier (config ``train``); the checkpoint's metrics."""
    from ie.research.experiment import load_training_corpus, train_on
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


def hydra_value(value: str) -> str:
    """A value quoted for Hydra's override grammar, whatever characters it holds."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def compose_config(name: str, overrides: list[str]) -> DictConfig:
    from hydra import compose, initialize_config_dir

    if not (CONFIGS / f"{name}.yaml").exists():
        raise SystemExit(f"bulletin-ie needs the configs/ folder of its checkout ({CONFIGS} is missing): "
                         f"install it with pip install -e . from the repository")
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
    args = parser.parse_args(argv)
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

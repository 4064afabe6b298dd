"""Characters per second and peak memory of the extractors, side by side (Hydra). See configs/benchmark.yaml.

    python scripts/benchmark.py                                   # -> reports/benchmark/report.md
    python scripts/benchmark.py only=[rules,default_int8] megabytes=0.1
"""

from __future__ import annotations

import json
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from ie.research.benchmark import render_benchmark, run_benchmark
from ie.atomic import write_text_atomic


@hydra.main(config_path="../configs", config_name="benchmark", version_base="1.3")
def main(cfg: DictConfig) -> None:
    systems = OmegaConf.to_container(cfg.systems, resolve=True)
    unknown = set(cfg.only or []) - set(systems)
    if unknown:
        raise SystemExit(f"only={sorted(unknown)}: no such system; choose from {sorted(systems)}")
    result = run_benchmark(systems, cfg.corpus, cfg.work_dir, cfg.megabytes, only=cfg.only, repeats=cfg.repeats,
                           timeout=cfg.timeout)
    report = render_benchmark(result, cfg.reference, cfg.baseline, cfg.goal)
    report_dir = Path(cfg.report_dir)
    write_text_atomic(report_dir / "benchmark.json", json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    write_text_atomic(report_dir / "report.md", report)
    print(report)
    print(f"wrote {report_dir / 'report.md'}")


if __name__ == "__main__":
    main()

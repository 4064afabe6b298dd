"""The benchmark runs systems in fresh processes on one corpus and tabulates speed, memory and ratios."""

from __future__ import annotations

import pytest

from ie.research.benchmark import build_corpus, render_benchmark, run_benchmark

from tests.shared import ROOT

pytestmark = pytest.mark.slow  # training, export, several processes or Ray


def test_corpus_repeats_the_test_split_to_the_size_asked_in_utf8(tmp_path):
    source = ROOT / "corpora" / "test"
    corpus = build_corpus(source, tmp_path, 0.1)
    assert corpus["bytes"] >= 100_000 and corpus["documents"] % len(list(source.glob("*.txt"))) == 0
    assert corpus["characters"] == sum(len(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*.txt"))


def test_benchmark_measures_each_system_and_reports_what_could_not_run(tmp_path):
    systems = {"rules": {"name": "rules"}, "rules_all": {"name": "rules", "skip_numberless": False},
               "missing": {"name": "model", "checkpoint": str(tmp_path / "nowhere")}}
    result = run_benchmark(systems, ROOT / "seeds", tmp_path, 0.05, repeats=2, timeout=300)
    rows = {row["system"]: row for row in result["rows"]}
    assert len(rows["rules"]["runs_chars_per_second"]) == 2
    assert rows["rules"]["chars_per_second"] > 0 and rows["rules"]["peak_rss_mb"] > 10
    assert rows["rules"]["records"] == rows["rules_all"]["records"] > 0
    assert "nowhere" in rows["missing"]["error"]
    report = render_benchmark(result, "rules", "rules_all", goal=1.0)
    assert "| rules | " in report and "| 1.00 |" in report and "not run:" in report and "reached" in report

"""The README's set-up commands are exactly what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", setup, flags=re.S)
    assert len(commands) == 2, "the set-up is two commands: install-and-run, test"
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command.strip() in ci_lines


def test_every_test_the_fault_table_cites_exists():
    """docs/reliability.md names a test for each case; each one is a test function of that file."""
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "reliability.md").read_text(encoding="utf-8")
    cited, current = [], None
    for path, name in re.findall(r"`(tests/[\w/]+\.py|…)::(test_\w+)`", text):
        current = current if path == "…" else path
        cited.append((current, name))
    assert len(cited) >= 20
    for path, name in cited:
        assert re.search(rf"^def {name}\(", (root / path).read_text(encoding="utf-8"), flags=re.M), f"{path}::{name}"


def _numbers(row: str) -> list[str]:
    return re.findall(r"\d\.\d{3}", row)


def test_the_readme_results_are_the_committed_snapshots():
    """The README's results tables repeat docs/results/*.json (written by results_table.py and
    summarize_crossval.py --snapshot), to three decimals."""
    import json

    root = Path(__file__).resolve().parents[1]
    results = root / "docs" / "results"
    test, train, seeds = (json.loads((results / f"{name}.json").read_text(encoding="utf-8"))
                          for name in ("test", "train", "seeds"))
    crossval = {run["name"]: run["pooled"] for run in
                json.loads((results / "crossval.json").read_text(encoding="utf-8"))}
    rows = {line.split("|")[1].strip(): line for line in (root / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ")}

    def three(value: float) -> str:
        return f"{value:.3f}"

    test_keys = ("record_precision", "record_recall", "record_f1", "value_f1", "period", "org")
    for label, report in (("**default** (`combined`: rules + model)", "combined"), ("model alone (`model`)", "model"),
                          ("rules alone (`rules`)", "rules")):
        expected = [three(test[report][key]) for key in test_keys]
        expected += [three(train[report]["record_f1"]), three(seeds[report]["record_f1"])]
        assert _numbers(rows[label]) == expected, label
    before = [three(test["model_before"][key]) for key in test_keys]
    assert _numbers(rows["before this corpus: the model trained on the seeds, then the default"]) == before
    for label, genre_system, document_system in (("**default**", "combined", "combined"),
                                                 ("model alone", "student_int8", "model"),
                                                 ("rules alone¹", "rules", "rules")):
        genre, document = crossval["genre"][genre_system], crossval["document"][document_system]
        expected = [three(genre[key]) for key in ("record_f1", "value_f1", "slot_period", "slot_org")]
        expected += [three(document["record_f1"]), three(document["slot_org"])]
        assert _numbers(rows[label]) == expected, label

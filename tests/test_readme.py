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

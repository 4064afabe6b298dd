"""train.py under torchrun: two CPU processes (Gloo) train one model data-parallel and save it once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ie.research.distributed import Process, setup_process

pytestmark = pytest.mark.slow  # training, export, several processes or Ray

ROOT = Path(__file__).resolve().parent.parent


def test_without_a_launcher_nothing_changes(monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    assert setup_process("cpu") == Process(world_size=1, rank=0, device="cpu")


def test_train_runs_under_torchrun_with_two_processes(tmp_path):
    torchrun = Path(sys.executable).with_name("torchrun")
    command = [str(torchrun), "--nproc_per_node=2", "--master_port=29533", str(ROOT / "scripts" / "train.py"),
               "debug=fast", "trainer.max_steps=4", f"output_dir={tmp_path / 'ckpt'}",
               f"hydra.run.dir={tmp_path / 'hydra'}"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    meta = json.loads((tmp_path / "ckpt" / "bulletin_ie.json").read_text(encoding="utf-8"))
    assert meta["data"]["processes"] == 2 and meta["history"][-1]["step"] == 4

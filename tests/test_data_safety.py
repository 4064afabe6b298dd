"""Batch runs that never lose data: each case of the fault table in docs/reliability.md."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ie.batch import run_batch
from ie.pipeline import Extractor
from ie.settings_check import batch_problems
from ie.writing import OutputError, OutputLock, partial_path, read_done

from tests.shared import ROOT, InterruptedAtThirdSeed

RULES = Extractor.from_config("rules")
SEED = ROOT / "seeds" / "000_14766219b9e3793c.txt"
BULLETIN_IE = Path(sys.executable).parent / "bulletin-ie"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(BULLETIN_IE), *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def many_bulletins(folder: Path, copies: int) -> Path:
    folder.mkdir()
    for n in range(copies):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copy(seed, folder / f"{n:04d}_{seed.name}")
    return folder


@pytest.mark.parametrize("name", ["bulletin.txt", "rows.jsonl"])
def test_an_output_equal_to_the_input_is_refused_before_any_work(tmp_path, name):
    source = tmp_path / name
    text = json.dumps({"id": "a", "text": "破获案件9200起。"}, ensure_ascii=False) if name.endswith("jsonl") else "破获案件9200起。"
    source.write_text(text, encoding="utf-8")
    done = cli("extract", str(source), str(source), "extractor=rules")
    assert done.returncode == 2 and "is also an input file: it would be overwritten" in done.stderr
    assert source.read_text(encoding="utf-8") == text and sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_an_output_that_is_a_folder_or_empty_is_refused(tmp_path):
    done = cli("extract", str(SEED), str(tmp_path), "extractor=rules")
    assert done.returncode == 2 and "is a folder" in done.stderr and list(tmp_path.iterdir()) == []
    assert "output= is empty" in cli("extract", str(SEED), "", "extractor=rules").stderr


def test_an_output_among_the_files_of_an_input_folder_is_refused(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs)
    run_batch(RULES, inputs, inputs / "records.txt", progress=False)  # a .txt output inside the input folder
    written = (inputs / "records.txt").read_bytes()
    with pytest.raises(OutputError, match="is also an input file"):
        run_batch(RULES, inputs, inputs / "records.txt", progress=False)  # now one of the folder's bulletins
    assert (inputs / "records.txt").read_bytes() == written


@pytest.mark.slow
def test_a_kill_keeps_every_finished_document_and_resume_goes_on(tmp_path):
    """SIGKILL in the middle of a run: the finished documents are durable, resume=true completes the run."""
    inputs = many_bulletins(tmp_path / "in", 40)
    output = tmp_path / "out.jsonl"
    process = subprocess.Popen([str(BULLETIN_IE), "extract", str(inputs), str(output), "extractor=rules",
                                "progress=false"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    partial_done = Path(str(partial_path(output)) + ".done")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not partial_done.exists() or partial_done.read_text().count("\n") < 20):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    kept = read_done(partial_path(output))
    assert 20 <= len(kept) < 200, "the run ended before the kill"
    resumed = run_batch(RULES, inputs, output, resume=True, progress=False)
    assert resumed.skipped == len(kept) and resumed.documents == 200 - len(kept)
    full = tmp_path / "full.jsonl"
    run_batch(RULES, inputs, full, progress=False)
    assert output.read_bytes() == full.read_bytes() and read_done(output) == read_done(full)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.jsonl", "full.jsonl.done", "in", "out.jsonl",
                                                          "out.jsonl.done"]


def test_an_interrupted_rerun_keeps_the_complete_earlier_output(tmp_path):
    output = tmp_path / "r.jsonl"
    run_batch(RULES, ROOT / "seeds", output, progress=False)
    complete, done = output.read_bytes(), read_done(output)
    summary = run_batch(Extractor(InterruptedAtThirdSeed()), ROOT / "seeds", output, progress=False)  # no resume
    assert summary.interrupted and summary.documents == 2
    assert output.read_bytes() == complete and read_done(output) == done


def test_a_second_run_on_the_same_output_fails_clearly(tmp_path):
    output = tmp_path / "r.jsonl"
    with OutputLock(output):
        with pytest.raises(OutputError, match=f"another run is writing {output}"):
            run_batch(RULES, ROOT / "seeds", output, progress=False)
        done = cli("extract", str(ROOT / "seeds"), str(output), "extractor=rules")
        assert done.returncode == 2 and "another run is writing" in done.stderr
    assert not output.exists() and not (tmp_path / "r.jsonl.lock").exists()
    run_batch(RULES, ROOT / "seeds", output, progress=False)  # free again once the holder is done


@pytest.mark.parametrize("override,message", [
    ("extractor.batch_size=-3", "extractor.batch_size=-3: a whole number of at least 1"),
    ("extractor.threads=0", "extractor.threads=0: null (one per core) or a whole number of at least 1"),
    ("normalization.opencc=s2twp", "normalization.opencc=s2twp: null or one of t2s, tw2s, hk2s"),
    ("extractor.runtime=tensorrt", "extractor.runtime=tensorrt: one of torch, onnx, onnx-int8"),
    ("engine=spark", "engine=spark: one of local, ray"),
    ("extractor.min_confidence=1.5", "extractor.min_confidence=1.5: null (keep every record) or a number from 0 to 1"),
])
def test_settings_are_checked_before_the_run(tmp_path, override, message):
    done = cli("extract", str(ROOT / "seeds"), str(tmp_path / "r.jsonl"), "extractor=model", override)
    assert done.returncode == 2 and message in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_empty_input_is_refused_not_read_as_the_current_folder(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "predict.py"), "input=",
                           f"output={tmp_path / 'r.jsonl'}", "extractor=rules", f"hydra.run.dir={tmp_path / 'h'}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2 and "input= is empty" in done.stderr and not (tmp_path / "r.jsonl").exists()
    assert batch_problems({"input": "seeds", "output": "x.jsonl", "extractor": {"name": "rules"},
                           "normalization": {"opencc": "t2s"}}) == []


def test_paths_with_chinese_spaces_commas_and_equals_signs(tmp_path):
    folder = tmp_path / "公安 通报,2023=全年"
    folder.mkdir()
    shutil.copy(SEED, folder / "通报 一.txt")
    output = folder / "记录, 结果=1.jsonl"
    done = cli("extract", str(folder), str(output), "extractor=rules")
    assert done.returncode == 0, done.stderr
    assert {json.loads(line)["doc_id"] for line in output.read_text(encoding="utf-8").splitlines()} == {"通报 一"}
    quoted = subprocess.run([sys.executable, str(ROOT / "scripts" / "predict.py"), f"input='{folder}'",
                             f"output='{tmp_path / '脚本 输出.jsonl'}'", "extractor=rules",
                             f"hydra.run.dir={tmp_path / 'h'}"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert quoted.returncode == 0, quoted.stderr
    assert (tmp_path / "脚本 输出.jsonl").read_bytes() == output.read_bytes()


def test_records_touching_replaced_bytes_are_flagged(tmp_path):
    text = "2023年，全市公安机关破获刑事案件9700起，同比下降3.1%；挽回经济损失1.12亿元。"
    data = text.encode("gb18030")
    cut = data.index("9700".encode("gb18030")) + 2
    (tmp_path / "damaged.txt").write_bytes(data[:cut] + b"\xff" + data[cut:])
    summary = run_batch(RULES, tmp_path / "damaged.txt", tmp_path / "r.jsonl", progress=False)
    assert summary.documents == 1 and summary.warnings >= 1 and not summary.failures
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    flagged = {r["evidence"]["text"]: r["flags"] for r in records}
    assert "replaced_characters" in flagged["00起"] and flagged["1.12亿元"] == []


def test_the_summary_is_printed_once_on_stdout_and_logs_go_to_stderr(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ROOT / "seeds" / "004_15f0c9efca7b4b78.txt", inputs)  # a bulletin with text warnings
    (inputs / "notes.pdf").write_bytes(b"%PDF")
    done = cli("extract", str(inputs), str(tmp_path / "r.jsonl"), "extractor=rules")
    assert done.returncode == 0
    assert done.stdout.count("documents: 1 (0 skipped as done)") == 1
    assert f"{inputs / 'notes.pdf'}: not a .txt file (.pdf)" in done.stdout
    assert "documents: 1" not in done.stderr and "[WARNING]" in done.stderr and "[WARNING]" not in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == len(set(warnings)) > 0  # each text warning once
    assert "documents/s" not in done.stderr  # no progress bar off a terminal


@pytest.mark.slow
def test_ctrl_c_prints_the_summary_and_how_to_resume(tmp_path):
    inputs = many_bulletins(tmp_path / "in", 40)
    output = tmp_path / "out.jsonl"
    process = subprocess.Popen([str(BULLETIN_IE), "extract", str(inputs), str(output), "extractor=rules"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    partial_done = Path(str(partial_path(output)) + ".done")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not partial_done.exists() or partial_done.read_text().count("\n") < 5):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr[-2000:]
    assert "documents:" in stdout and "Traceback" not in stderr
    assert f"interrupted: the finished documents are kept in {partial_path(output)}" in stderr
    assert "resume=true" in stderr and not output.exists()


pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and locks as on POSIX")

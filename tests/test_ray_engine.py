"""The Ray engine (a local Ray, two CPUs) writes the local engine's output and done list, line for line."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from ie import ray_engine
from ie.batch import run_batch
from ie.cli import extract
from ie.pipeline import Extractor
from ie.ray_engine import run_ray
from ie.writing import read_done

from tests.shared import ROOT, compose_config

pytestmark = pytest.mark.slow  # training, export, several processes or Ray
SETTINGS = {"name": "rules"}
SEEDS = ["000_14766219b9e3793c", "001_e668537ba56dba67", "004_15f0c9efca7b4b78"]  # 004: Big5-era text, warnings


@pytest.fixture(scope="module")
def local_ray():
    """One Ray for the module: starting one takes seconds. ``run_ray`` uses it as it finds it."""
    import ray  # a dev dependency: this module is never skipped

    ray.init(address="local", num_cpus=2, include_dashboard=False)
    yield ray
    ray.shutdown()


def _both_engines(inputs: Path, tmp_path: Path):
    local = run_batch(Extractor.from_settings(SETTINGS), inputs, tmp_path / "local.jsonl", progress=False)
    distributed = run_ray(SETTINGS, "t2s", inputs, tmp_path / "ray.jsonl", num_actors=2, batch_size=2,
                          progress=False)
    return local, distributed


def _same(local, distributed, tmp_path: Path) -> None:
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert read_done(tmp_path / "ray.jsonl") == read_done(tmp_path / "local.jsonl")
    for field in ("documents", "records", "characters", "warnings", "failures"):
        assert getattr(distributed, field) == getattr(local, field), field


def test_a_directory_gives_the_local_lines_in_the_local_order(tmp_path, local_ray, monkeypatch):
    monkeypatch.setattr(ray_engine, "SHARD_DOCUMENTS", 2)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEEDS:
        shutil.copy(ROOT / "seeds" / f"{seed}.txt", inputs)
    (inputs / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (inputs / "公告 2023.txt").write_bytes("2021年，全市公安机关破获刑事案件9200起，挽回经济损失1.12亿元。".encode("gbk"))
    local, distributed = _both_engines(inputs, tmp_path)
    _same(local, distributed, tmp_path)
    assert distributed.documents == 4 and distributed.records > 100
    assert distributed.failures == [f"{inputs / 'bad.txt'}: binary file (NUL bytes), not text"]
    assert read_done(tmp_path / "ray.jsonl") == SEEDS + ["公告 2023"]
    merged = (tmp_path / "ray.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["value"] for line in merged if json.loads(line)["doc_id"] == "公告 2023"] == [9200, 112000000]
    shards = sorted((tmp_path / "ray.jsonl.shards").glob("part-*.jsonl"))
    assert len(shards) == 3  # four documents and a failure, two a shard
    assert sorted(line for shard in shards for line in shard.read_text(encoding="utf-8").splitlines()) == sorted(merged)


def test_jsonl_rows_duplicates_and_bad_lines(tmp_path, local_ray):
    inputs = tmp_path / "in.jsonl"
    rows = [{"id": "report 2023", "text": "破获案件9200起。"}, {"id": "b", "text": "抓获嫌疑人2300人\u2028。"},
            {"id": "report 2023", "text": "挽回损失1亿元。"}, {"id": "7", "text": "破获命案41起。"}, {"id": 8, "text": "x"}]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    inputs.write_text("\n".join(lines[:2] + ["{not json}", ""] + lines[2:]) + "\n", encoding="utf-8")
    local, distributed = _both_engines(inputs, tmp_path)
    _same(local, distributed, tmp_path)
    assert read_done(tmp_path / "ray.jsonl") == ["report 2023", "b", "7"]
    assert distributed.failures == [f"{inputs}:3: not valid JSON: Expecting property name enclosed in double quotes",
                                    f"{inputs}:5: duplicate document id 'report 2023', skipped",
                                    f'{inputs}:7: the "id" must be a non-empty string, not 8']


def test_a_missing_input_is_a_failure_without_ray(tmp_path):
    summary = run_ray(SETTINGS, "t2s", tmp_path / "nope.txt", tmp_path / "r.jsonl", progress=False)
    assert summary.failures == [f"{tmp_path / 'nope.txt'}: no such file or directory"]
    assert (tmp_path / "r.jsonl").read_text() == "" and read_done(tmp_path / "r.jsonl") == []
    assert not (tmp_path / "r.jsonl.lock").exists()


def test_without_ray_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ImportError, match=r'pip install -e "\.\[ray\]"'):
        run_ray(SETTINGS, "t2s", ROOT / "seeds", tmp_path / "r.jsonl")


def _compose(overrides: list[str]):
    return compose_config("predict", overrides)


def test_the_predict_command_runs_engine_ray(tmp_path, local_ray, capsys):
    output = tmp_path / "r.jsonl"
    base = ["input=seeds/000_14766219b9e3793c.txt", "extractor=rules", "progress=false"]
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "part-00099.jsonl").write_text("a shard of an earlier run\n", encoding="utf-8")
    cfg = _compose(base + [f"output={output}", "engine=ray", f"ray.shards_dir={tmp_path / 'parts'}"])
    assert extract(cfg) == 0
    assert "documents: 1 (0 skipped as done)" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "parts").iterdir()] == ["part-00000.jsonl"]
    assert extract(_compose(base + [f"output={tmp_path / 'local.jsonl'}"])) == 0
    assert output.read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert read_done(output) == read_done(tmp_path / "local.jsonl")


@pytest.mark.parametrize("overrides,message", [
    (["engine=spark"], "engine=spark: one of local, ray"),
    (["engine=ray", "resume=true"], "resume=true needs engine=local"),
    (["engine=ray", "ray.num_actors=0"], "ray.num_actors=0: a whole number of at least 1"),
])
def test_the_predict_command_refuses_before_any_work(tmp_path, overrides, message, capsys):
    cfg = _compose(["input=seeds", f"output={tmp_path / 'r.jsonl'}", "extractor=rules"] + overrides)
    assert extract(cfg) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_ray_client_address_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Ray Data does not run through Ray Client"):
        run_ray(SETTINGS, "t2s", ROOT / "seeds", tmp_path / "r.jsonl", address="ray://head:10001")


def test_the_shipped_model_gives_the_same_records_on_ray(tmp_path, local_ray):
    """With the default model (int8, one sentence per batch) the actors' records equal the local ones."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEEDS[1:3]:
        shutil.copy(ROOT / "seeds" / f"{seed}.txt", inputs)
    settings = {"name": "model", "checkpoint": None, "runtime": "onnx-int8", "batch_size": 1, "threads": None,
                "skip_numberless": True}
    local = run_batch(Extractor.from_settings(settings), inputs, tmp_path / "local.jsonl", progress=False)
    distributed = run_ray(settings, "t2s", inputs, tmp_path / "ray.jsonl", num_actors=2, batch_size=1,
                          progress=False)
    _same(local, distributed, tmp_path)
    assert distributed.documents == 2 and distributed.records > 50

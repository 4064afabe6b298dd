"""Batch extraction: the seeds end to end, robustness, atomic output, resume, the script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ie.batch import run_batch
from ie.pipeline import Extractor
from ie.schema import RECORD_FIELDS
from ie.writing import RecordWriter, partial_path, read_done

from tests.shared import ROOT, InterruptedAtThirdSeed
EXTRACTOR = Extractor.from_config("rules")


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_seeds_end_to_end_with_exact_evidence(tmp_path):
    output = tmp_path / "r.jsonl"
    summary = run_batch(EXTRACTOR, ROOT / "seeds", output, progress=False)
    assert summary.documents == 5 and not summary.failures and summary.warnings == 6
    records = _records(output)
    assert summary.records == len(records) > 150
    originals = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    assert {r["doc_id"] for r in records} == set(originals)
    for record in records:
        assert list(record) == list(RECORD_FIELDS) + ["flags", "confidence"]
        evidence = record["evidence"]
        assert originals[record["doc_id"]][evidence["start"]:evidence["end"]] == evidence["text"]
    assert any("萬" in r["evidence"]["text"] or "(" in r["evidence"]["text"]
               for r in records if r["doc_id"].startswith("004"))  # evidence keeps the original script


def test_bad_files_do_not_stop_the_batch(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("全市公安机关破获刑事案件9700起。", encoding="utf-8")
    (inputs / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (inputs / "c.txt").write_bytes("挽回經濟損失1.12億元。".encode("big5"))
    (inputs / "d.txt").write_bytes(b"")
    summary = run_batch(EXTRACTOR, inputs, tmp_path / "out.jsonl", progress=False)
    assert summary.documents == 3
    assert len(summary.failures) == 1 and "b.txt: binary file" in summary.failures[0]
    assert [(r["doc_id"], r["value"]) for r in _records(tmp_path / "out.jsonl")] == [("a", 9700), ("c", 112000000)]


def test_a_five_megabyte_file(tmp_path):
    seed = (ROOT / "seeds" / "001_e668537ba56dba67.txt").read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(seed * (5_000_000 // len(seed.encode("utf-8")) + 1), encoding="utf-8")
    assert big.stat().st_size >= 5_000_000
    summary = run_batch(EXTRACTOR, big, tmp_path / "big.jsonl", progress=False)
    assert summary.documents == 1 and summary.records > 10_000


def test_an_interrupted_run_keeps_whole_documents_and_resumes(tmp_path):
    output = tmp_path / "r.jsonl"
    interrupted = run_batch(Extractor(InterruptedAtThirdSeed()), ROOT / "seeds", output, progress=False)
    assert interrupted.interrupted and interrupted.documents == 2
    assert not output.exists()  # nothing is called complete
    partial = partial_path(output)
    assert read_done(partial) == ["000_14766219b9e3793c", "001_e668537ba56dba67"]
    assert {r["doc_id"] for r in _records(partial)} == {"000_14766219b9e3793c", "001_e668537ba56dba67"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.jsonl.partial", "r.jsonl.partial.done"]
    summary = run_batch(EXTRACTOR, ROOT / "seeds", output, resume=True, progress=False)
    assert summary.skipped == 2 and summary.documents == 3
    full = tmp_path / "full.jsonl"
    run_batch(EXTRACTOR, ROOT / "seeds", full, progress=False)
    assert _records(output) == _records(full)


def test_an_extraction_error_is_reported_and_the_batch_goes_on(tmp_path):
    class Failing:
        name = "failing"

        def tag(self, sentences):
            raise RuntimeError("boom")

    summary = run_batch(Extractor(Failing()), ROOT / "seeds", tmp_path / "r.jsonl", progress=False)
    assert len(summary.failures) == 5 and "extraction failed: boom" in summary.failures[0]


def _predict(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "predict.py"), *args, "progress=false",
                           "hydra.run.dir=" + str(Path(args[-1].split("=", 1)[1]).parent / "hydra")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_predict_script_on_the_seeds(tmp_path):
    result = _predict("input=seeds", "extractor=rules", f"output={tmp_path / 'r.jsonl'}")
    assert result.returncode == 0, result.stderr
    assert "documents: 5" in result.stdout and "failures: 0" in result.stdout
    assert len(_records(tmp_path / "r.jsonl")) > 150


def test_predict_script_exits_non_zero_on_a_bad_file(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "ok.txt").write_text("破获案件9200起。", encoding="utf-8")
    (inputs / "bad.txt").write_bytes(b"\x00\x01\x02")
    result = _predict(f"input={inputs}", f"output={tmp_path / 'r.jsonl'}")
    assert result.returncode == 1
    assert f"{inputs / 'bad.txt'}: binary file" in result.stderr
    assert len(_records(tmp_path / "r.jsonl")) == 1


def test_ids_with_spaces_resume_and_duplicates_fail(tmp_path):
    inputs = tmp_path / "in.jsonl"
    rows = [{"id": "report 2023", "text": "破获案件9200起。"}, {"id": "b", "text": "抓获嫌疑人2300人\u2028。"},
            {"id": "report 2023", "text": "挽回损失1亿元。"}]
    inputs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    output = tmp_path / "out.jsonl"
    first = run_batch(EXTRACTOR, inputs, output, progress=False)
    assert first.documents == 2 and len(first.failures) == 1 and "duplicate document id 'report 2023'" in first.failures[0]
    assert read_done(output) == ["report 2023", "b"]
    again = run_batch(EXTRACTOR, inputs, output, resume=True, progress=False)
    assert again.skipped == 2 and again.documents == 0
    assert [r["doc_id"] for r in _records(output)] == ["report 2023", "b"]


def test_a_failing_write_keeps_whole_documents(tmp_path, monkeypatch):
    output = tmp_path / "r.jsonl"
    run_batch(EXTRACTOR, ROOT / "seeds" / "000_14766219b9e3793c.txt", output, progress=False)
    before = output.read_text(encoding="utf-8")
    original = RecordWriter.write

    def full_disk(self, doc_id, lines):
        self.records.write('{"doc_id": "half')  # a partial line, then the disk is full
        self.records.flush()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RecordWriter, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        run_batch(EXTRACTOR, ROOT / "seeds", output, resume=True, progress=False)
    monkeypatch.setattr(RecordWriter, "write", original)
    assert output.read_text(encoding="utf-8") == before  # the complete output is untouched
    assert read_done(output) == ["000_14766219b9e3793c"]
    resumed = run_batch(EXTRACTOR, ROOT / "seeds", output, resume=True, progress=False)  # drops the half line
    assert resumed.skipped == 1 and resumed.documents == 4
    full = tmp_path / "full.jsonl"
    run_batch(EXTRACTOR, ROOT / "seeds", full, progress=False)
    assert _records(output) == _records(full)

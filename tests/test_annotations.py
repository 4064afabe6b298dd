"""The gold annotation files, their validation, worksheets, BIO export and tool formats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ie.research.annotations import tools
from ie.research.annotations.conll import read_bio, sentences_to_bio_text, write_bio
from ie.research.annotations.corpus import read_document_meta, read_documents, read_sentences, write_sentences
from ie.document import segment_document
from ie.research.annotations.validate import validate_annotations
from ie.research.annotations.worksheet import compile_worksheet, propose_worksheet, worksheet_from_gold
from ie.schema import LABELS

from tests.shared import ANNOTATIONS, BIO, RECORDS, ROOT, SPANS


@pytest.fixture(scope="module")
def report():
    return validate_annotations(ROOT / "seeds", SPANS, RECORDS, BIO)


def test_gold_annotations_are_valid_and_complete(report):
    assert report.problems == []
    expected = sum(len(segment_document(d, t).sentences) for d, t in read_documents(ROOT / "seeds").items())
    assert report.sentences == expected
    assert len(report.documents) == 5
    assert report.records >= 160
    assert all(report.labels[label] > 0 for label in LABELS)


def test_seed_copies_are_byte_identical_to_shared():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for path in sorted(shared.glob("*.txt")):
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_bio_file_is_in_sync_with_spans():
    assert BIO.read_text(encoding="utf-8") == sentences_to_bio_text(read_sentences(SPANS))


def test_bio_round_trip(tmp_path):
    sentences = read_sentences(SPANS)[:20]
    write_bio(tmp_path / "x.bio", sentences)
    blocks = read_bio(tmp_path / "x.bio")
    assert [(d, i, t) for d, i, t, _ in blocks] == [(s.doc_id, s.sent_id, s.text) for s in sentences]


def test_bio_reader_names_file_and_line(tmp_path):
    path = tmp_path / "bad.bio"
    path.write_text("# 000 0\n破\tB-METRIC\n获 B-METRIC\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.bio:3: expected"):
        read_bio(path)


def _copy_annotations(tmp_path: Path) -> tuple[Path, Path, Path]:
    for path in (SPANS, RECORDS, BIO):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path / SPANS.name, tmp_path / RECORDS.name, tmp_path / BIO.name


def _rewrite_line(path: Path, number: int, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = json.dumps(edit(json.loads(lines[number - 1])), ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def _first_line_with(path: Path, predicate) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if predicate(json.loads(line)):
            return number
    raise AssertionError("no such line")


def test_validation_names_file_and_line_for_span_errors(tmp_path):
    spans, records, bio = _copy_annotations(tmp_path)
    number = _first_line_with(spans, lambda row: len(row["spans"]) >= 2)

    def shift(row):
        row["spans"][0]["start"] += 1  # no longer the slice
        return row

    _rewrite_line(spans, number, shift)
    problems = [str(p) for p in validate_annotations(ROOT / "seeds", spans, records, bio).problems]
    assert any(p.startswith(f"{spans}:{number}: span") and "does not fit" in p for p in problems), problems


def test_validation_catches_overlaps_and_unknown_labels(tmp_path):
    spans, records, bio = _copy_annotations(tmp_path)
    number = _first_line_with(spans, lambda row: len(row["spans"]) >= 2)

    def overlap(row):
        first = row["spans"][0]
        row["spans"].append({**first, "label": "ORG"})
        return row

    _rewrite_line(spans, number, overlap)
    _rewrite_line(spans, number + 1, lambda row: {**row, "spans": [{"start": 0, "end": 1, "label": "PER",
                                                                    "text": row["text"][0]}]})
    problems = [str(p) for p in validate_annotations(ROOT / "seeds", spans, records, bio).problems]
    assert any(p.startswith(f"{spans}:{number}:") and "overlaps" in p for p in problems), problems
    assert any(p.startswith(f"{spans}:{number + 1}:") and "unknown label 'PER'" in p for p in problems), problems


def test_validation_checks_records_against_spans_and_parser(tmp_path):
    spans, records, bio = _copy_annotations(tmp_path)
    _rewrite_line(records, 1, lambda row: {**row, "value": row["value"] + 1})
    _rewrite_line(records, 2, lambda row: {**row, "metric": "不存在的指标"})
    _rewrite_line(records, 3, lambda row: {**row, "evidence": {**row["evidence"], "start": row["evidence"]["start"] + 1}})
    problems = [str(p) for p in validate_annotations(ROOT / "seeds", spans, records, bio).problems]
    assert any(p.startswith(f"{records}:1:") and "disagree with the quantity parser" in p for p in problems), problems
    assert any(p.startswith(f"{records}:2:") and "'不存在的指标' is not a METRIC span" in p for p in problems), problems
    assert any(p.startswith(f"{records}:3:") and "is not the original text there" in p for p in problems), problems


def test_validation_reports_missing_sentences_and_stale_bio(tmp_path):
    spans, records, bio = _copy_annotations(tmp_path)
    lines = spans.read_text(encoding="utf-8").splitlines(keepends=True)
    spans.write_text("".join(lines[1:]), encoding="utf-8")
    problems = [str(p) for p in validate_annotations(ROOT / "seeds", spans, records, bio).problems]
    assert any("sentences [0] are not annotated" in p for p in problems), problems
    assert any(str(bio) in p and "not in the span file" in p for p in problems), problems


DOC_TEXT = "2021年，全市公安机关破获案件9200起，同比下降5%。流动人口比例由49.5%提升至63.5%。\n标题"


@pytest.fixture
def document():
    return segment_document("demo", DOC_TEXT)


META = {"genre": "periodic_bulletin", "domain": "crime", "script": "simplified", "region": "mainland",
        "level": "city", "damage": []}


def test_worksheet_compiles_records_with_evidence(document):
    sheet = propose_worksheet(document)
    assert sheet["sentences"][0]["candidates"] == ["9200起", "5%"]
    sheet["meta"] = META
    sheet["sentences"][0]["spans"] = [["TIME", "2021年"], ["ORG", "全市公安机关"], ["METRIC", "破获案件"],
                                      ["VALUE", "9200起"], ["BASE", "同比"], ["TREND", "下降"], ["VALUE", "5%"]]
    sheet["sentences"][0]["records"] = [
        {"metric": "破获案件", "value": "9200起", "period": "2021年", "org": "全市公安机关"},
        {"metric": "破获案件", "value": "5%", "direction": "down", "baseline": "同比", "period": "2021年"},
    ]
    sheet["sentences"][1]["spans"] = [["METRIC", "流动人口比例"], ["VALUE", "49.5%"], ["TREND", "提升"],
                                      ["VALUE", "63.5%"]]
    sheet["sentences"][1]["records"] = [{"metric": "流动人口比例", "value": "63.5%", "from": "49.5%",
                                         "direction": "up"}]
    sentences, records, problems = compile_worksheet(sheet, document)
    assert problems == []
    assert [r["value"] for r in records] == [9200, 5, 63.5]
    assert records[2]["from_value"] == 49.5
    assert records[2]["evidence"]["text"] == "由49.5%提升至63.5%"
    for record in records:
        evidence = record["evidence"]
        assert DOC_TEXT[evidence["start"]:evidence["end"]] == evidence["text"]


def test_worksheet_problems_name_the_sentence(document):
    sheet = propose_worksheet(document)
    sheet["sentences"][0]["spans"] = [["METRIC", "破获案件"], ["VALUE", "9200起"], ["VALUE", "不存在"]]
    sheet["sentences"][0]["records"] = [{"metric": "抓获", "value": "9200起"}]
    sheet["meta"]["genre"] = "poem"
    _, _, problems = compile_worksheet(sheet, document, name="demo.json")
    messages = [str(p) for p in problems]
    assert any(m.startswith("demo.json: meta: meta genre 'poem' is not one of periodic_bulletin") for m in messages)
    after = DOC_TEXT.index("9200起") + len("9200起")
    assert f"demo.json: sentence 0: VALUE '不存在' not found in the sentence after character {after}" in messages
    assert any("record 1: metric '抓获' is not a METRIC span" in m for m in messages)
    assert any("VALUE '9200起' belongs to no record" in m for m in messages)


HEADED_TEXT = "2023年全市公安机关警情通报\n一、本月警情\n（一）入室盗窃\n本月发案23起，环比下降8%。\n（二）诈骗\n发案12起。"


def test_worksheet_takes_metric_period_and_org_from_headings_and_lead():
    document = segment_document("headed", HEADED_TEXT)
    sheet = propose_worksheet(document)
    sheet["meta"] = META
    rows = sheet["sentences"]
    assert [row["text"] for row in rows] == HEADED_TEXT.split("\n")
    rows[0]["spans"] = [["TIME", "2023年"], ["ORG", "全市公安机关"]]
    rows[1]["spans"] = [["TIME", "本月"]]
    rows[2]["spans"] = [["METRIC", "入室盗窃"]]
    rows[3]["spans"] = [["TIME", "本月"], ["VALUE", "23起"], ["BASE", "环比"], ["TREND", "下降"], ["VALUE", "8%"]]
    rows[3]["records"] = [{"metric": "入室盗窃", "value": "23起", "period": "本月", "org": "全市公安机关"},
                          {"metric": "入室盗窃", "value": "8%", "direction": "down", "baseline": "环比",
                           "period": "本月", "org": "全市公安机关"}]
    rows[4]["spans"] = [["METRIC", "诈骗"]]
    rows[5]["spans"] = [["VALUE", "12起"]]
    rows[5]["records"] = [{"metric": "诈骗", "value": "12起", "period": "本月", "org": "公安局"}]
    sentences, records, problems = compile_worksheet(sheet, document, name="headed.json")
    assert [str(p) for p in problems] == [
        "headed.json: sentence 5 record 1: org '公安局' is not a ORG span of the document"]
    rows[5]["records"][0]["org"] = "全市公安机关"
    sentences, records, problems = compile_worksheet(sheet, document, name="headed.json")
    assert problems == []
    assert [(r["metric"], r["value"], r["period"], r["org"]) for r in records] == [
        ("入室盗窃", 23, "本月", "全市公安机关"), ("入室盗窃", 8, "本月", "全市公安机关"),
        ("诈骗", 12, "本月", "全市公安机关")]


def test_validation_accepts_slots_from_earlier_sentences_only(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "headed.txt").write_text(HEADED_TEXT, encoding="utf-8")
    document = segment_document("headed", HEADED_TEXT)
    sheet = propose_worksheet(document)
    sheet["meta"] = META
    rows = sheet["sentences"]
    rows[0]["spans"] = [["TIME", "2023年"], ["ORG", "全市公安机关"]]
    rows[2]["spans"] = [["METRIC", "入室盗窃"]]
    rows[3]["spans"] = [["VALUE", "23起"], ["BASE", "环比"], ["TREND", "下降"], ["VALUE", "8%"]]
    rows[3]["records"] = [{"metric": "入室盗窃", "value": "23起", "period": "2023年"},
                          {"metric": "入室盗窃", "value": "8%", "direction": "down", "baseline": "环比"}]
    sentences, records, problems = compile_worksheet(sheet, document)
    assert problems == []
    spans, records_path, bio = tmp_path / "s.jsonl", tmp_path / "r.jsonl", tmp_path / "s.bio"
    write_sentences(spans, sentences)
    write_bio(bio, sentences)
    records_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert validate_annotations(texts, spans, records_path, bio).problems == []
    moved = dict(records[0], sent_id=1, evidence=records[0]["evidence"])  # a record placed before its METRIC/VALUE
    records_path.write_text(json.dumps(moved, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = [str(p) for p in validate_annotations(texts, spans, records_path, bio).problems]
    assert any("evidence '23起' is not a VALUE span of sentence 1" in p for p in problems), problems
    late = dict(records[1], sent_id=3, baseline="同比")
    records_path.write_text(json.dumps(late, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = [str(p) for p in validate_annotations(texts, spans, records_path, bio).problems]
    assert any("baseline '同比' is not a BASE span of sentence 3 or of one before it" in p for p in problems), problems


def test_gold_to_worksheet_and_back_is_lossless():
    gold_sentences = read_sentences(SPANS)
    gold_records = [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    meta = read_document_meta(ANNOTATIONS / "seeds.documents.jsonl")
    for doc_id, text in read_documents(ROOT / "seeds").items():
        document = segment_document(doc_id, text)
        sheet = worksheet_from_gold(document, gold_sentences, gold_records, meta[doc_id])
        sentences, records, problems = compile_worksheet(sheet, document)
        assert problems == []
        assert sentences == [s for s in gold_sentences if s.doc_id == doc_id]
        assert records == [r for r in gold_records if r["doc_id"] == doc_id]


def test_label_studio_round_trip(tmp_path):
    sentences = read_sentences(SPANS)
    tools.write_label_studio(tmp_path / "ls.json", sentences)
    assert tools.read_label_studio(tmp_path / "ls.json") == sentences
    assert '<Label value="METRIC"/>' in tools.label_studio_config()


def test_doccano_round_trip(tmp_path):
    sentences = read_sentences(SPANS)
    tools.write_doccano(tmp_path / "dc.jsonl", sentences)
    assert tools.read_doccano(tmp_path / "dc.jsonl") == sentences


def test_doccano_entities_format_and_merge(tmp_path):
    sentences = read_sentences(SPANS)
    target = next(s for s in sentences if s.spans)
    path = tmp_path / "entities.jsonl"
    row = {"text": target.text, "doc_id": target.doc_id, "sent_id": target.sent_id, "start": target.start,
           "end": target.end, "paragraph": target.paragraph,
           "entities": [{"start_offset": 0, "end_offset": 2, "label": "ORG"}]}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    merged = tools.merge_spans(sentences, tools.read_doccano(path))
    changed = next(s for s in merged if (s.doc_id, s.sent_id) == (target.doc_id, target.sent_id))
    assert [(s.start, s.end, s.label) for s in changed.spans] == [(0, 2, "ORG")]
    assert sum(1 for a, b in zip(sentences, merged) if a != b) == 1


def test_merge_refuses_edited_text(tmp_path):
    sentences = read_sentences(SPANS)
    edited = [tools._sentence_from_task({**sentences[0].to_dict(), "text": "改过的文本"}, [], "x")]
    with pytest.raises(tools.FormatError, match="text was edited"):
        tools.merge_spans(sentences, edited)


def test_label_studio_import_names_the_task(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"data": {"text": "破获案件", "doc_id": "x", "sent_id": 0},
                                 "annotations": [{"result": [{"value": {"start": 0, "end": 2, "labels": []}}]}]}]),
                    encoding="utf-8")
    with pytest.raises(tools.FormatError, match="bad.json: task 1: a region needs exactly one label"):
        tools.read_label_studio(path)


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / script), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_validate_script_exits_zero_and_prints_counts():
    result = _run("validate.py")
    assert result.returncode == 0, result.stderr
    assert "spans per label:" in result.stdout and "VALUE" in result.stdout and "problems: 0" in result.stdout


def test_validate_script_fails_with_file_and_line(tmp_path):
    spans, records, bio = _copy_annotations(tmp_path)
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = "{not json\n"
    records.write_text("".join(lines), encoding="utf-8")
    (tmp_path / "corpora.yaml").write_text(f"seeds: {ROOT / 'seeds'}\n", encoding="utf-8")
    result = _run("validate.py", "--annotations", str(tmp_path))
    assert result.returncode == 1
    assert f"{records}:5: not valid JSON" in result.stderr


def test_annotate_script_registers_a_corpus_and_checks_one_worksheet(tmp_path):
    annotations, texts = tmp_path / "annotations", tmp_path / "mine"
    annotations.mkdir()
    texts.mkdir()
    (texts / "headed.txt").write_text(HEADED_TEXT, encoding="utf-8")
    (texts / "other.txt").write_bytes(b"\xff\xfe\x00broken")
    result = _run("annotate.py", "propose", "--annotations", str(annotations), "--corpus", "mine",
                  "--texts", str(texts), "--doc", "headed")
    assert result.returncode == 0, result.stderr
    assert "mine: " in (annotations / "corpora.yaml").read_text(encoding="utf-8")
    sheet_path = annotations / "worksheets" / "mine" / "headed.json"
    sheet = json.loads(sheet_path.read_text(encoding="utf-8"))
    sheet["meta"] = META
    sheet["sentences"][2]["spans"] = [["METRIC", "入室盗窃"]]
    sheet["sentences"][3]["spans"] = [["VALUE", "23起"]]
    sheet["sentences"][3]["records"] = [{"metric": "入室盗窃", "value": "23起"}]
    sheet_path.write_text(json.dumps(sheet, ensure_ascii=False), encoding="utf-8")
    result = _run("annotate.py", "compile", "--annotations", str(annotations), "--corpus", "mine", "--check", "headed")
    assert result.returncode == 0, result.stderr
    assert "s3 '23起' -> 入室盗窃 = 23 起" in result.stdout
    assert not (annotations / "mine.spans.jsonl").exists()  # --check writes nothing
    result = _run("annotate.py", "compile", "--annotations", str(annotations), "--corpus", "nosuch")
    assert result.returncode == 2 and "no corpus 'nosuch'" in result.stderr


def test_the_frozen_test_split_is_unchanged():
    import hashlib

    lines = (ANNOTATIONS / "test.sha256").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 28  # 24 documents and 4 annotation files
    for line in lines:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, name
    listed = {line.split(maxsplit=1)[1] for line in lines}
    assert {f"corpora/test/{p.name}" for p in (ROOT / "corpora" / "test").glob("*.txt")} <= listed


def test_a_users_own_corpus_goes_through_propose_compile_validate_and_evaluate(tmp_path):
    annotations, texts = tmp_path / "annotations", tmp_path / "mine"
    annotations.mkdir()
    texts.mkdir()
    (texts / "doc.txt").write_text("2024年，全市公安机关破获刑事案件9700起，同比下降5%。\n挽回损失1.1亿元。", encoding="utf-8")
    assert _run("annotate.py", "propose", "--annotations", str(annotations), "--corpus", "mine",
                "--texts", str(texts)).returncode == 0
    sheet_path = annotations / "worksheets" / "mine" / "doc.json"
    sheet = json.loads(sheet_path.read_text(encoding="utf-8"))
    sheet["meta"] = META
    first, second = sheet["sentences"]
    first["spans"] = [["TIME", "2024年"], ["ORG", "全市公安机关"], ["METRIC", "破获刑事案件"], ["VALUE", "9700起"],
                      ["BASE", "同比"], ["TREND", "下降"], ["VALUE", "5%"]]
    first["records"] = [{"metric": "破获刑事案件", "value": "9700起", "period": "2024年", "org": "全市公安机关"},
                        {"metric": "破获刑事案件", "value": "5%", "direction": "down", "baseline": "同比",
                         "period": "2024年", "org": "全市公安机关"}]
    second["spans"] = [["METRIC", "挽回损失"], ["VALUE", "1.1亿元"]]
    second["records"] = [{"metric": "挽回损失", "value": "1.1亿元", "period": "2024年", "org": "全市公安机关"}]
    sheet_path.write_text(json.dumps(sheet, ensure_ascii=False), encoding="utf-8")
    compiled = _run("annotate.py", "compile", "--annotations", str(annotations), "--corpus", "mine")
    assert compiled.returncode == 0, compiled.stderr
    validated = _run("validate.py", "--annotations", str(annotations), "--corpus", "mine")
    assert validated.returncode == 0 and "records: 3 (0 optional)" in validated.stdout, validated.stderr
    evaluated = _run("evaluate.py", "extractor=rules", "corpus=mine", f"annotations={annotations}",
                     f"report_dir={tmp_path / 'report'}", f"hydra.run.dir={tmp_path / 'hydra'}")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "rules: record F1 1.000" in evaluated.stdout
    assert "| mine | 1 | 3 |" in (tmp_path / "report" / "report.md").read_text(encoding="utf-8")

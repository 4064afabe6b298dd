"""The tidy table of records (ie.views.table) and its restated figures (ie.views.duplicates): real
records of the corpora, the CSV Excel reads, Parquet's types, refused inputs and outputs, the command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ie.cli import main
from ie.pipeline import Extractor
from ie.reading import read_text_file
from ie.schema import Evidence, Record
from ie.text.overlap import longest_common_substring
from ie.views.duplicates import Mention, mentions_to_duplicates, same_metric
from ie.views.periods import Period
from ie.views.records_file import ViewError, read_records
from ie.views.table import COLUMNS, records_to_table, rows_to_table

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "annotations" / "train.records.jsonl"
TEST = ROOT / "annotations" / "test.records.jsonl"


def gold(path: Path, doc_id: str, *starts: int) -> list[dict]:
    """Gold records of one document, picked by evidence start, in the order given."""
    rows = {(row["doc_id"], row["evidence"]["start"]): row
            for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    return [rows[(doc_id, start)] for start in starts]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def table_of(tmp_path: Path, rows: list[dict]) -> list[dict]:
    return rows_to_table(read_records(write_jsonl(tmp_path / "records.jsonl", rows)))


# --- restated figures -------------------------------------------------------------------------

@pytest.mark.parametrize("path, doc_id, first, again", [
    # a monthly bulletin: the summary's 交通警情1032起 and its section's 本月共接报交通警情1032起
    (TRAIN, "train_b1_county_monthly_headings", 122, 647),
    # a national release: the title's 3.16亿人次 and the lead's
    (TRAIN, "train_e2_national_exit_entry_halfyear", 23, 163),
    # a fire table and the text under it: 与去年同期相比 and 同比 are both year on year
    (TRAIN, "train_f3_city_fire_table", 102, 404),
    # a traffic table's 2024年第三季度 row and the text's 第三季度
    (TRAIN, "train_a3_province_traffic_table", 150, 378),
    # a weekly bulletin: 刑事警情58起 in the summary, 本周全县接报刑事警情58起 in its section
    (TEST, "test_a3_county_weekly", 239, 352),
    # a Hong Kong table: 交通意外 16 012宗 and 交通意外宗数 16 012宗
    (TEST, "test_c2_hk_traffic_table", 86, 279),
])
def test_a_restated_figure_points_at_its_first_mention(tmp_path, path, doc_id, first, again):
    rows = table_of(tmp_path, gold(path, doc_id, again, first))  # in any order: the first is the earliest
    assert [row["duplicate_of"] for row in rows] == [2, None]


@pytest.mark.parametrize("path, doc_id, starts, why", [
    (TRAIN, "train_g1_city_weekly_110_headings", (68, 176), "澄州市公安局 and 全市公安机关: another org"),
    (TRAIN, "train_c3_hk_traffic_yearly", (515, 515), "西九龙总区 and 新界南总区, one span: another org"),
    (TRAIN, "train_c2_hk_press_conference", (262, 973), "全年/警务处 and 二○二三年/刑事及保安处"),
    (TRAIN, "train_f3_city_fire_table", (269, 332, 353), "死亡人数 1 of three districts"),
    (TEST, "test_e4_city_110_quarterly", (224, 405), "2024年一季度 and 2024年: another period"),
    (TRAIN, "train_b2_macau_yearly_crime", (85, 911), "开立刑事调查案件 and 立案: metrics too far apart"),
    (TEST, "test_a3_county_weekly", (93, 451), "电诈发案 and 电信网络诈骗发案: overlap 发案 only"),
    (TRAIN, "train_e5_county_yearend_lead", (277, 790, 1041), "100% of three rates"),
])
def test_the_same_value_is_not_always_a_restated_figure(tmp_path, path, doc_id, starts, why):
    rows = table_of(tmp_path, gold(path, doc_id, *starts))
    assert [row["duplicate_of"] for row in rows] == [None] * len(starts), why


def record(metric: str, value: float, start: int, **fields) -> Record:
    values = {"doc_id": "d", "unit": "起", "qualifier": None, "direction": None, "baseline": None, "period": "2024年",
              "org": "全市公安机关", "from_value": None, **fields}
    return Record(metric=metric, value=value, evidence=Evidence(start, start + 4, f"{value:g}起"), **values)


def mention(rec: Record, metric_id: str | None = None, form: str | None = "2024") -> Mention:
    return Mention(rec, metric_id, Period(rec.period, form))


def test_a_third_mention_points_at_the_first_and_other_differences_keep_records_apart():
    mentions = [mention(record("破获刑事案件", 9700, 10)), mention(record("破获刑事案件", 9700, 300)),
                mention(record("破获刑事案件", 9700, 600)),
                mention(record("破获刑事案件", 9700, 700, baseline="环比", direction="up")),
                mention(record("破获刑事案件", 9700, 800, baseline="同比", direction="up")),
                mention(record("破获刑事案件", 9700, 900, doc_id="e")),
                mention(record("破获刑事案件", 9700, 950, qualifier="more_than")),
                mention(record("破获刑事案件", 9700, 990, unit="人"))]
    assert mentions_to_duplicates(mentions, [11, 12, 13, 14, 15, 16, 17, 18]) == [None, 11, 11, None, None, None,
                                                                                 11, None]


def test_metric_ids_decide_when_both_records_have_one():
    a, b = record("电诈发案数", 120, 10), record("电信网络诈骗发案", 120, 200)
    assert not same_metric(mention(a), mention(b))
    assert same_metric(mention(a, "fraud_cases"), mention(b, "fraud_cases"))
    assert not same_metric(mention(a, "fraud_cases"), mention(record("电诈发案数", 120, 300), "fraud_losses"))
    assert same_metric(mention(a, "fraud_cases"), mention(record("电诈发案数", 120, 300)))  # one id: the strings
    assert longest_common_substring("解除分期付款受理案件", "解除分期付款诈欺") == 6
    assert same_metric(mention(record("解除分期付款受理案件", 31, 10)), mention(record("解除分期付款诈欺", 31, 200)))
    # a Taiwan monthly bulletin: all accidents 較去年同月增加52件, then A2 accidents 本月發生…↑52件, the
    # latter's metric cut down to 发生: two characters in common say too little
    assert not same_metric(mention(record("发生道路交通事故", 52, 114)), mention(record("发生", 52, 437)))


# --- the table ------------------------------------------------------------------------------------

SEED_RECORDS = gold(TRAIN, "train_c2_hk_press_conference", 153, 262, 973)


def test_the_csv_opens_in_excel_and_reads_back(tmp_path):
    rows = [{**SEED_RECORDS[0], "metric_id": "crime_total", "confidence": 0.93},
            {**SEED_RECORDS[1], "flags": ["no_metric", "x"]}, SEED_RECORDS[2]]
    records = write_jsonl(tmp_path / "r.jsonl", rows)
    summary = records_to_table(records, tmp_path / "t.csv")
    data = (tmp_path / "t.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrecord,document,") and b"\r\n" in data
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as stream:
        table = list(csv.DictReader(stream))
    assert tuple(table[0]) == COLUMNS and len(table) == summary.rows == 3
    first, second = table[0], table[1]
    assert first["metric_id"] == "crime_total" and second["metric_id"] == ""
    assert first["confidence"] == "0.93" and second["confidence"] == ""
    assert first["metric"] == "整体罪案" and first["value"] == "86514" and first["evidence_text"] == "86 514宗"
    assert (first["period"], first["period_norm"], first["period_start"], first["period_end"]) == (
        "二○二三年", "2023", "2023-01-01", "2023-12-31")
    assert second["flags"] == "no_metric;x" and second["qualifier"] == "" and second["duplicate_of"] == ""
    assert "sent_id" not in first and "optional" not in first  # the gold files' own keys are left out


def test_parquet_keeps_types(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    records = write_jsonl(tmp_path / "r.jsonl", gold(TRAIN, "train_b1_county_monthly_headings", 122, 647))
    records_to_table(records, tmp_path / "t.parquet")
    table = pq.read_table(tmp_path / "t.parquet")
    assert table.column_names == list(COLUMNS)
    rows = table.to_pylist()
    assert [row["duplicate_of"] for row in rows] == [None, 1]
    assert rows[1]["period"] == "本月" and rows[1]["period_norm"] == "2024-08"
    assert str(rows[1]["period_start"]) == "2024-08-01" and rows[0]["flags"] == [] and rows[0]["value"] == 1032.0
    assert str(table.schema.field("period_start").type) == "date32[day]"


def test_the_date_lines_of_the_texts_settle_relative_years(tmp_path):
    records = write_jsonl(tmp_path / "r.jsonl", gold(TRAIN, "train_c2_hk_press_conference", 153, 527))
    assert [row["period"] for row in map(json.loads, records.read_text(encoding="utf-8").splitlines())] == [
        "二○二三年", "去年"]
    records_to_table(records, tmp_path / "without.csv")
    text = ROOT / "corpora" / "train" / "train_c2_hk_press_conference.txt"
    records_to_table(records, tmp_path / "with.csv", texts=text)
    read = [list(csv.DictReader(open(tmp_path / name, encoding="utf-8-sig", newline=""))) for name in
            ("without.csv", "with.csv")]
    assert [row["period_norm"] for row in read[0]] == ["2023", ""]
    assert [row["period_norm"] for row in read[1]] == ["2023", "2023"]  # the press conference of 29 January 2024


@pytest.mark.parametrize("line, message", [
    ('{"doc_id": "d", "metric": "破案", "value": 1', "not valid JSON"),
    ('["d", "破案"]', "not a record: expected a JSON object, got list"),
    ('{"doc_id": "d", "metric": "破案"}', "not a record: record lacks fields"),
    ('{"doc_id": "d", "metric": "破案", "value": "九", "unit": null, "qualifier": null, "direction": null, '
     '"baseline": null, "period": null, "org": null, "from_value": null, "evidence": {"start": 0, "end": 1, '
     '"text": "九"}}', "not a record"),
])
def test_a_bad_line_refuses_the_file_naming_file_and_line(tmp_path, capsys, line, message):
    good = json.dumps(SEED_RECORDS[0], ensure_ascii=False)
    records = tmp_path / "r.jsonl"
    records.write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    with pytest.raises(ViewError, match=f"r.jsonl:3: {message}"):
        read_records(records)
    (tmp_path / "t.csv").write_text("earlier", encoding="utf-8")
    assert main(["table", str(records), str(tmp_path / "t.csv")]) == 2
    assert f"r.jsonl:3: {message}" in capsys.readouterr().err
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "earlier"  # no half table, no lost rows


def test_outputs_that_would_lose_data_are_refused(tmp_path, capsys):
    records = write_jsonl(tmp_path / "r.jsonl", SEED_RECORDS)
    before = records.read_bytes()
    assert main(["table", str(records), str(records)]) == 2
    assert "is the records file" in capsys.readouterr().err and records.read_bytes() == before
    assert main(["table", str(records), str(tmp_path / "t.xlsx")]) == 2
    assert "must end in .csv or .parquet" in capsys.readouterr().err
    (tmp_path / "folder.csv").mkdir()
    assert main(["table", str(records), str(tmp_path / "folder.csv")]) == 2
    assert main(["table", str(tmp_path / "missing.jsonl"), str(tmp_path / "t.csv")]) == 2
    assert "missing.jsonl: cannot read" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.csv", "r.jsonl"]  # no stray temporary


def test_the_seeds_end_to_end(tmp_path, capsys):
    records = tmp_path / "seeds.jsonl"
    with open(records, "w", encoding="utf-8") as stream:
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            for rec in Extractor.from_config("rules").extract(read_text_file(path), doc_id=path.stem):
                stream.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    assert main(["table", str(records), str(tmp_path / "seeds.csv"), "--texts", str(ROOT / "seeds")]) == 0
    assert capsys.readouterr().out.startswith("rows: ")
    table = list(csv.DictReader(open(tmp_path / "seeds.csv", encoding="utf-8-sig", newline="")))
    lines = records.read_text(encoding="utf-8").splitlines()
    assert len(table) == len(lines) > 150 and [int(row["record"]) for row in table] == list(range(1, len(lines) + 1))
    assert {row["period_norm"] for row in table if row["period"] == "2021年"} == {"2021"}
    assert all(row["period_norm"] == "" for row in table if row["period"] in ("今年以来", "十年来", "年内"))

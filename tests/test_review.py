"""The review page built without a browser (ie/views/review.py, ie/views/html.py): highlights over
the ORIGINAL text, escaping, safe names, bad records reported with file and line, the command's
exit status. The page in a real browser: tests/test_review_browser.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ie.cli import main
from ie.pipeline import Extractor
from ie.reading import InputDocument, iter_inputs
from ie.views.html import Mark, escape, highlight, metric_colour, safe_name, script_json
from ie.views.review import ReviewError, check_arguments, read_review_rows, write_review

ROOT = Path(__file__).resolve().parents[1]


class MarkedText(HTMLParser):
    """The text of an HTML fragment (as a browser's textContent) and each mark's range in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.open, self.marks = "", [], []

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.open.append((len(self.text), dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "mark":
            start, attrs = self.open.pop()
            self.marks.append((start, len(self.text), attrs))

    def handle_data(self, data):
        self.text += data


def parsed(fragment: str) -> MarkedText:
    parser = MarkedText()
    parser.feed(fragment)
    parser.close()
    assert parser.open == []
    return parser


TEXT = "电诈发案数、损失数同比均下降10%。\r\n破获刑事案件9700起<b>&"


@pytest.mark.parametrize("ranges", [
    [],
    [("10%",)],
    [("10%",), ("10%",)],                         # identical ranges nest
    [("均下降10%",), ("10%",)],                    # one inside another
    [("下降10%",), ("10%。\r\n破获",)],           # crossing: cut and continued
    [("损失数同比",), ("同比均",), ("均下降",)],  # a chain of crossings
    [("\r\n破获",), ("9700起<b>&",)],              # CR LF and characters to escape
], ids=["none", "one", "identical", "nested", "crossing", "chain", "escaped"])
def test_highlight_keeps_the_text_and_every_range(ranges):
    marks = [Mark(TEXT.index(r[0]), TEXT.index(r[0]) + len(r[0]), {"data-i": i}) for i, r in enumerate(ranges)]
    result = parsed(highlight(TEXT, marks))
    assert result.text == TEXT
    for i, mark in enumerate(marks):
        pieces = sorted((start, end) for start, end, attrs in result.marks if attrs["data-i"] == str(i))
        assert pieces[0][0] == mark.start and pieces[-1][1] == mark.end
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))  # contiguous pieces
        assert "".join(TEXT[s:e] for s, e in pieces) == TEXT[mark.start:mark.end]


def test_a_crossing_range_is_cut_into_numbered_parts():
    html = highlight("abcdef", [Mark(0, 4, {"id": "a"}), Mark(2, 6, {"id": "b"})])
    assert re.findall(r'data-part="(\d)"', html) == ["1", "2"]


@pytest.mark.parametrize("start, end", [(0, 0), (3, 2), (-1, 2), (5, 99)])
def test_highlight_refuses_a_range_outside_the_text(start, end):
    with pytest.raises(ValueError, match=rf"\[{start},{end}\)"):
        highlight("破获案件9700起", [Mark(start, end)])


def test_escape_keeps_carriage_returns_and_quotes():
    assert parsed(escape('a\r\nb<"c">&')).text == 'a\r\nb<"c">&'


def test_script_json_cannot_close_its_element():
    data = {"text": "</script><!-- <script>alert(1)</script> & \u2028"}
    assert "</" not in script_json(data) and "<!--" not in script_json(data)
    assert json.loads(script_json(data)) == data


def test_metric_colours_are_stable_and_differ():
    assert metric_colour("破获刑事案件") == metric_colour("破获刑事案件") != metric_colour("电诈发案数")
    assert metric_colour(None) == metric_colour("")


@pytest.mark.parametrize("doc_id", ["001", "通报 #1", "a/b", "../x", "<script>", "A", "a", "x" * 300, "?&=%"])
def test_safe_names_are_plain_and_distinct(doc_id):
    assert re.fullmatch(r"[0-9A-Za-z_-]{1,60}", safe_name(doc_id))
    assert safe_name(doc_id) != safe_name(doc_id + " ")


def rules_records(input_path: Path, output: Path, extra: list[dict] = ()) -> list[dict]:
    extractor = Extractor.from_config("rules")
    rows = [record.to_dict() for item in iter_inputs(input_path) if isinstance(item, InputDocument)
            for record in extractor.extract(item.text, doc_id=item.doc_id)] + list(extra)
    output.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return rows


def sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="text" data-doc="([^"]*)">(.*?)</div>', html, flags=re.S))


def test_every_seed_record_is_highlighted_over_its_evidence(tmp_path):
    rows = rules_records(ROOT / "seeds", tmp_path / "records.jsonl")
    summary = write_review(ROOT / "seeds", tmp_path / "records.jsonl", tmp_path / "review.html")
    assert (summary.documents, summary.records, summary.highlighted, summary.problems) == (5, len(rows), len(rows), ())
    texts = {item.doc_id: item.text for item in iter_inputs(ROOT / "seeds")}
    found = {}
    for doc_id, fragment in sections((tmp_path / "review.html").read_text(encoding="utf-8")).items():
        result = parsed(fragment)
        assert result.text == texts[doc_id]
        for start, end, attrs in result.marks:
            assert (int(attrs["data-start"]), int(attrs["data-end"]), attrs["data-doc"]) == (start, end, doc_id)
            found.update(dict.fromkeys(map(int, attrs["data-records"].split()), (doc_id, start, end)))
    assert found == {line: (row["doc_id"], row["evidence"]["start"], row["evidence"]["end"])
                     for line, row in enumerate(rows, start=1)}


def bulletins(path: Path, documents: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n" for k, v in documents.items()),
                    encoding="utf-8")
    return path


def record(doc_id: str, text: str, evidence: str, metric: str, **more) -> dict:
    start = text.index(evidence)
    return {"doc_id": doc_id, "metric": metric, "value": 10.0, "unit": "%", "qualifier": None, "direction": "down",
            "baseline": "同比", "period": None, "org": None, "from_value": None,
            "evidence": {"start": start, "end": start + len(evidence), "text": evidence}, "flags": [], **more}


ODD = "<b>通报 #1/../x</b>"


def test_shared_evidence_one_mark_bad_records_reported(tmp_path):
    text = "电诈发案数、损失数同比均下降10%。<script>alert(1)</script>"
    rows = [record(ODD, text, "10%", "电诈发案数", confidence=0.9, metric_id="M1"),
            record(ODD, text, "10%", "损失数<i>"),
            record("missing", text, "10%", "电诈发案数"),
            {**record(ODD, text, "10%", "损失数"), "evidence": {"start": 0, "end": 3, "text": "10%"}}]
    records = tmp_path / "records.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + ["{not json", '{"doc_id": 7}']
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = write_review(bulletins(tmp_path / "in.jsonl", {ODD: text}), records, tmp_path / "out.html")
    assert [p.where for p in summary.problems] == [f"{records}:{n}" for n in (3, 4, 5, 6)]
    assert "not a document of INPUT" in summary.problems[0].message
    assert "does not match" in summary.problems[1].message and "at [14,17)" in summary.problems[1].message
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>通报" not in html and "<i>" not in html
    result = parsed(sections(html)[escape(ODD)])
    assert [(s, e, a["data-records"], json.loads(a["data-metrics"])) for s, e, a in result.marks] == [
        (14, 17, "1 2", ["电诈发案数", "损失数<i>"])]
    assert f'id="d-{safe_name(ODD)}"' in html and 'class="confidence" hidden' not in html
    assert html.count('<tr data-record="4"') == 1 and 'data-record="4" data-doc="' in html
    assert '<details class="notices" open><summary>problems: 4</summary>' in html


def test_a_large_input_is_split_into_an_index_and_one_page_per_document(tmp_path):
    documents = {f"{i:03d}/{ODD}": f"破获刑事案件{i}起，同比下降10%。" for i in range(5)}
    rows = [record(doc_id, text, "10%", "破获刑事案件") for doc_id, text in documents.items()]
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    summary = write_review(bulletins(tmp_path / "in.jsonl", documents), records, tmp_path / "out.html", split_above=3)
    names = [safe_name(doc_id) for doc_id in documents]
    assert summary.pages == 6 and sorted(p.stem for p in (tmp_path / "out_files").glob("*.html")) == sorted(names)
    index = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert all(f'href="out_files/{name}.html"' in index for name in names)
    middle = (tmp_path / "out_files" / f"{names[2]}.html").read_text(encoding="utf-8")
    assert f'href="{names[1]}.html"' in middle and f'href="{names[3]}.html"' in middle
    assert 'href="../out.html"' in middle


@pytest.mark.parametrize("args, message", [
    (["seeds", "records.jsonl", "seeds/000.txt"], "must be an .html file"),
    (["same.html", "records.jsonl", "same.html"], "is also INPUT"),
    (["seeds", "records.jsonl", "folder.html"], "is a folder"),
    (["seeds", "missing.jsonl", "out.html"], "RECORDS missing.jsonl is not a file"),
    (["nowhere", "records.jsonl", "out.html"], "INPUT nowhere: no such file"),
    (["out_files/in.txt", "records.jsonl", "out.html"], "lies in out_files"),
])
def test_refused_arguments_exit_2(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    for name in ("seeds/000.txt", "same.html", "out_files/in.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("破获案件9700起", encoding="utf-8")
    (tmp_path / "records.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "folder.html").mkdir()
    assert main(["review", *args]) == 2
    assert message in capsys.readouterr().err
    with pytest.raises(ReviewError, match=re.escape(message)):
        check_arguments(*args)
    assert (tmp_path / "same.html").read_text(encoding="utf-8") == "破获案件9700起"


def test_the_command_warns_with_file_and_line_and_exits_0(tmp_path, capsys):
    records = tmp_path / "records.jsonl"
    rules_records(ROOT / "seeds", records)
    with open(records, "a", encoding="utf-8") as stream:
        stream.write('{"doc_id": "001_e668537ba56dba67", "evidence": {"start": 0}}\n\n[1, 2]\n')
    total = len(records.read_text(encoding="utf-8").splitlines())
    assert main(["review", str(ROOT / "seeds"), str(records), str(tmp_path / "review.html")]) == 0
    out, err = capsys.readouterr()
    assert f"warning: {records}:{total - 2}: the \"evidence\" must be" in err
    assert f"warning: {records}:{total}: expected a JSON object" in err
    assert out.startswith(f"wrote {tmp_path / 'review.html'}: 5 documents") and "2 problems" in out


def test_read_review_rows_names_the_line_of_bad_bytes(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_bytes(b'\n{"doc_id": "\xff"}\n')
    rows, problems = read_review_rows(path)
    assert rows == [] and [str(p) for p in problems] == [f"{path}:2: not UTF-8 (byte 12); line skipped"]

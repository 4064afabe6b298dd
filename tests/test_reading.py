"""Reading inputs: encodings, binary and empty files, JSONL rows; errors name file and line."""

from __future__ import annotations

import codecs

import pytest

from ie.reading import Document, InputFailure, decode_bytes, iter_inputs

TRADITIONAL = "2021年，全市公安機關偵破刑事案件9700起，破獲命案41起，挽回經濟損失1.12億元。"
SIMPLIFIED = "2021年，全市公安机关侦破刑事案件9700起，破获命案41起，挽回经济损失1.12亿元。"


@pytest.mark.parametrize("data,text", [
    (SIMPLIFIED.encode("utf-8"), SIMPLIFIED),
    (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED),
    (SIMPLIFIED.encode("gb18030"), SIMPLIFIED),
    (SIMPLIFIED.encode("gbk"), SIMPLIFIED),
    (TRADITIONAL.encode("big5"), TRADITIONAL),
    (SIMPLIFIED.encode("utf-16"), SIMPLIFIED),
    ("破获案件。\r\n抓获嫌疑人。".encode("gb18030"), "破获案件。\r\n抓获嫌疑人。"),
    ("破获案件9200起。".encode("gbk"), "破获案件9200起。"),            # short: detectors guess Big5
    ("破獲案件".encode("big5"), "破獲案件"),
    (b"", ""),
])
def test_decode_bytes(data, text):
    assert decode_bytes(data)[0] == text


def test_files_of_every_encoding_in_a_directory(tmp_path):
    (tmp_path / "gb.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + "破获案件9200起。\r\n".encode("utf-8"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = list(iter_inputs(tmp_path))
    documents = {d.doc_id: d.text for d in items if isinstance(d, Document)}
    failures = [f for f in items if isinstance(f, InputFailure)]
    assert documents == {"big5": TRADITIONAL, "bom": "破获案件9200起。\r\n", "empty": "", "gb": SIMPLIFIED}
    assert [str(f) for f in failures] == [f"{tmp_path / 'binary.txt'}: binary file (NUL bytes), not text"]


def test_jsonl_rows_and_bad_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "破获案件9200起。"}\n\n{not json}\n{"id": "c"}\n{"id": 4, "text": "x"}\n',
                    encoding="utf-8")
    items = list(iter_inputs(path))
    assert [(d.doc_id, d.source) for d in items if isinstance(d, Document)] == [("a", f"{path}:1"), ("4", f"{path}:5")]
    messages = [str(f) for f in items if isinstance(f, InputFailure)]
    assert messages[0].startswith(f"{path}:3: not valid JSON")
    assert messages[1] == f'{path}:4: expected an object with "id" and a string "text"'


def test_missing_path_and_empty_directory(tmp_path):
    assert [str(f) for f in iter_inputs(tmp_path / "nope.txt")] == [f"{tmp_path / 'nope.txt'}: no such file or directory"]
    assert [str(f) for f in iter_inputs(tmp_path)] == [f"{tmp_path}: directory holds no .txt file"]

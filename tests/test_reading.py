"""Reading inputs: encodings, binary and empty files, JSONL rows; errors name file and line."""

from __future__ import annotations

import codecs
import json
import os

import pytest

from ie.reading import REPLACEMENT, InputDocument, InputError, InputFailure, InputSkipped, decode_bytes, iter_inputs

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
    decoded = decode_bytes(data)
    assert decoded.text == text and decoded.replaced == ()


def test_files_of_every_encoding_in_a_directory(tmp_path):
    (tmp_path / "gb.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + "破获案件9200起。\r\n".encode("utf-8"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = list(iter_inputs(tmp_path))
    documents = {d.doc_id: d.text for d in items if isinstance(d, InputDocument)}
    failures = [f for f in items if isinstance(f, InputFailure)]
    assert documents == {"big5": TRADITIONAL, "bom": "破获案件9200起。\r\n", "empty": "", "gb": SIMPLIFIED}
    assert [str(f) for f in failures] == [f"{tmp_path / 'binary.txt'}: binary file (NUL bytes), not text"]


def test_jsonl_rows_and_bad_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "破获案件9200起。"}\n\n{not json}\n{"id": "c"}\n{"id": "4", "text": "x"}\n',
                    encoding="utf-8")
    items = list(iter_inputs(path))
    assert [(d.doc_id, d.source) for d in items if isinstance(d, InputDocument)] == [("a", f"{path}:1"), ("4", f"{path}:5")]
    messages = [str(f) for f in items if isinstance(f, InputFailure)]
    assert messages[0].startswith(f"{path}:3: not valid JSON")
    assert messages[1] == f'{path}:4: expected an object with "id" and a string "text"'


def test_ids_are_strings_and_anything_else_names_file_and_line(tmp_path):
    """null, a number or an object as id is an error, so that 12 and "12" can never collide."""
    path = tmp_path / "in.jsonl"
    rows = [{"id": "12", "text": "a"}, {"id": 12, "text": "b"}, {"id": None, "text": "c"},
            {"id": {"n": 1}, "text": "d"}, {"id": "", "text": "e"}, {"id": True, "text": "f"}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    items = list(iter_inputs(path))
    assert [d.doc_id for d in items if isinstance(d, InputDocument)] == ["12"]
    assert [str(f) for f in items if isinstance(f, InputFailure)] == [
        f'{path}:2: the "id" must be a non-empty string, not 12',
        f'{path}:3: the "id" must be a non-empty string, not null',
        f'{path}:4: the "id" must be a non-empty string, not {{"n": 1}}',
        f'{path}:5: the "id" must be a non-empty string, not ""',
        f'{path}:6: the "id" must be a non-empty string, not true']


def test_a_bad_byte_fails_only_its_jsonl_row(tmp_path):
    path = tmp_path / "in.jsonl"
    good = [json.dumps({"id": i, "text": f"破获案件{n}起。"}, ensure_ascii=False).encode("utf-8")
            for i, n in (("a", 1), ("b", 2), ("c", 3))]
    path.write_bytes(good[0] + b"\n" + b'{"id": "x", "text": "\xff\xfe\xfd\xfc\xfb"}\n' + good[1] + b"\n" + good[2] + b"\n")
    items = list(iter_inputs(path))
    assert [d.doc_id for d in items if isinstance(d, InputDocument)] == ["a", "b", "c"]
    assert [str(f) for f in items if isinstance(f, InputFailure)] == [
        f"{path}:2: not UTF-8, GB18030 or Big5 text (byte 21)"]


def test_a_few_bad_bytes_are_replaced_with_a_warning_and_exact_offsets(tmp_path):
    text = "2021年，全市公安机关侦破刑事案件9700起，破获命案41起，挽回经济损失1.12亿元。" * 3
    data = text.encode("gb18030")
    cut = data.index("命案".encode("gb18030"))
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])  # one byte no GB18030 or Big5 reading accepts
    (document,) = iter_inputs(path)
    assert document.text.replace(REPLACEMENT, "") == text
    offset = document.text.index(REPLACEMENT)
    assert len(document.warnings) == 1
    assert f"1 undecodable byte run(s) of gb18030 text replaced by U+FFFD (first at character {offset})" \
        in document.warnings[0]


def test_mostly_undecodable_bytes_are_still_refused():
    with pytest.raises(InputError, match="too many undecodable bytes"):
        decode_bytes("破获案件9200起。".encode("utf-8") + b"\xff" * 100)


def test_missing_path_and_empty_directory(tmp_path):
    assert [str(f) for f in iter_inputs(tmp_path / "nope.txt")] == [f"{tmp_path / 'nope.txt'}: no such file or directory"]
    assert [str(f) for f in iter_inputs(tmp_path)] == [f"{tmp_path}: folder holds no .txt file"]


def test_what_a_folder_holds_besides_txt_files_is_listed_with_the_reason(tmp_path):
    (tmp_path / "a.txt").write_text("破获案件9200起。", encoding="utf-8")
    (tmp_path / "UPPER.TXT").write_text("抓获嫌疑人30人。", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text("挽回损失1亿元。", encoding="utf-8")
    (sub / "loop").symlink_to(tmp_path, target_is_directory=True)  # a link loop
    items = list(iter_inputs(tmp_path))
    assert [d.doc_id for d in items if isinstance(d, InputDocument)] == ["UPPER", "a"]
    assert [str(s) for s in items if isinstance(s, InputSkipped)] == [
        f"{tmp_path / 'notes.docx'}: not a .txt file (.docx)", f"{tmp_path / 'report.pdf'}: not a .txt file (.pdf)",
        f"{sub}: a subfolder (recursive=true reads subfolders)"]
    deep = list(iter_inputs(tmp_path, recursive=True))
    assert [d.doc_id for d in deep if isinstance(d, InputDocument)] == ["UPPER", "a", "b"]
    assert f"{sub / 'loop'}: a link to a folder, not followed" in [str(s) for s in deep if isinstance(s, InputSkipped)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_says_permission_denied(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    try:
        assert [str(f) for f in iter_inputs(folder)] == [f"{folder}: permission denied"]
    finally:
        folder.chmod(0o755)


def test_a_folder_that_cannot_be_listed_says_permission_denied(tmp_path, monkeypatch):
    """The same as above for any user (root reads every folder): listing the folder is refused."""
    from pathlib import Path as PathType

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(PathType, "iterdir", refuse)
    assert [str(f) for f in iter_inputs(tmp_path)] == [f"{tmp_path}: permission denied"]

"""Document structure: roles of sentences and flattened tables."""

from __future__ import annotations

import pytest

from ie.document import segment_document
from ie.structure import analyse_structure, heading_level, is_number_cell


@pytest.mark.parametrize("text,level", [
    ("一、总体情况", 1), ("十二、其他", 1), ("（二）盗窃电动车", 2), ("(3)诈骗", 4), ("【数据】本周警情", 2),
    ("3.入室盗窃", 3), ("12、交通", 3), ("（1）夜间", 4), ("①酒驾", 4), ("第二部分 打击犯罪", 1),
    ("1.4万余起案件", 0), ("2023年全市", 0), ("破获案件", 0),
])
def test_heading_level(text, level):
    assert heading_level(text) == level


@pytest.mark.parametrize("text,number", [
    ("1,234", True), ("-8.1", True), ("+3.1百分点", True), ("12.5%", True), ("1523起", True), ("↓3", True),
    ("东城区", False), ("同比", False), ("2023年各地发案情况统计表", False), ("", False),
])
def test_number_cells(text, number):
    assert is_number_cell(text) == number


def roles(text: str) -> list[tuple[str, str, int]]:
    document = segment_document("d", text)
    return [(s.text, r.kind, r.level) for s, r in zip(document.sentences, analyse_structure(document).sentences)]


def test_title_dateline_headings_speaker_and_text():
    text = ("滨江市公安局2024年上半年工作情况\n发布时间：2024-07-05\n今年以来，全市公安机关破获案件812起。\n"
            "一、打击犯罪\n（一）电诈\n发案下降12%。\n市反诈中心主任李某：我们挽回损失1.1亿元。")
    assert [(kind, level) for _, kind, level in roles(text)] == [
        ("title", 0), ("dateline", 0), ("text", 0), ("heading", 1), ("heading", 2), ("text", 0), ("speaker", 0)]


def test_a_flattened_table_is_found_with_its_caption_skipped():
    text = "表1 各区发案情况\n地区\n发案数\n同比\n东城区\n412\n-5.1%\n西城区\n1,380\n+2.0%\n以上数据为初步统计。"
    document = segment_document("d", text)
    structure = analyse_structure(document)
    [table] = structure.tables
    texts = [s.text for s in document.sentences]
    assert [texts[i] for i in table.header] == ["地区", "发案数", "同比"]
    assert [[texts[i] for i in row] for row in table.rows] == [["东城区", "412", "-5.1%"], ["西城区", "1,380", "+2.0%"]]
    assert [r.kind for r in structure.sentences].count("cell") == 9


@pytest.mark.parametrize("text", [
    "一、本月警情\n发案23起。\n二、下月安排",                # headings and prose, no table
    "地区\n东城区\n西城区\n南城区\n北城区\n中城区",            # short lines without numbers
    "地区\n发案\n东城区\n412\n西城区\n抢劫",                  # a column that is not all numbers
])
def test_runs_of_short_lines_that_are_no_table(text):
    assert analyse_structure(segment_document("d", text)).tables == ()


def test_structure_is_linear_in_the_number_of_lines():
    import time

    def seconds(n: int) -> float:
        text = "\n".join(("地区", "发案", "同比") + ("东城区", "412", "-5.1%") * n)
        document = segment_document("d", text)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            analyse_structure(document)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = seconds(300), seconds(4800)
    assert large < small * 48  # 16 times the lines: linear is 16 times, quadratic 256 times

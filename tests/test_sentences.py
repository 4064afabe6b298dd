"""Sentence splitting with offsets."""

from __future__ import annotations

import pytest

from ie.text import split_sentences


@pytest.mark.parametrize("text,expected", [
    ("破获案件9200起。抓获嫌疑人2300人。", ["破获案件9200起。", "抓获嫌疑人2300人。"]),
    ("电诈发案数同比下降39.1%；损失数同比下降46.8%！", ["电诈发案数同比下降39.1%；", "损失数同比下降46.8%！"]),
    ("标题\n正文第一句。正文第二句", ["标题", "正文第一句。", "正文第二句"]),
    ("他说：“发案少。秩序好。”随后离开。", ["他说：“发案少。秩序好。”", "随后离开。"]),
    ("实行“一室一队一网”模式（灵山岛警务室。看船护港队）。完成。", ["实行“一室一队一网”模式（灵山岛警务室。看船护港队）。", "完成。"]),
    ("未闭合的“引号。下一句。", ["未闭合的“引号。", "下一句。"]),            # an unclosed quote protects nothing
    ("  前后空白。  \n\n", ["前后空白。"]),
    ("好吗？！对。", ["好吗？！", "对。"]),
    ("你好?我们", ["你好?我们"]),                                        # ASCII ? is not a terminator
    ("", []),
])
def test_split_sentences(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text

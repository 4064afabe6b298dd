"""The rule tagger on sentences written for the tests (not taken from the seeds)."""

from __future__ import annotations

import pytest

from ie.rule_tagger import RuleTagger

TAGGER = RuleTagger()


def labelled(text: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in TAGGER.tag_sentence(text)]


@pytest.mark.parametrize("text,expected", [
    ("今年以来，全市公安机关破获盗窃案件3200余起，同比下降12.5%。",
     [("TIME", "今年以来"), ("ORG", "全市公安机关"), ("METRIC", "破获盗窃案件"), ("VALUE", "3200余起"),
      ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "12.5%")]),
    ("2022年，市反诈中心预警劝阻群众15.6万人次。",
     [("TIME", "2022年"), ("ORG", "市反诈中心"), ("METRIC", "预警劝阻群众"), ("VALUE", "15.6万人次")]),
    ("抢劫案件发案较2021年下降30%。",
     [("METRIC", "抢劫案件发案"), ("BASE", "较2021年"), ("TREND", "下降"), ("VALUE", "30%")]),
    ("新建3处派出所。", [("METRIC", "新建"), ("VALUE", "3处"), ("METRIC", "派出所")]),
])
def test_tagging(text, expected):
    assert labelled(text) == expected


@pytest.mark.parametrize("text", [
    "2023年11月24日，拨打110报警。",          # date, hotline
    "落实“三个一”工作机制。",                  # quoted slogan
    "第二届论坛在青岛举行。",                   # ordinal
    "实现24小时自助办理。",                     # a duration modifying a noun
    "这是一项基本方针。",                       # 一项: an article
])
def test_non_records_get_no_value(text):
    assert not [s for s in TAGGER.tag_sentence(text) if s.label == "VALUE"]


def test_awarders_and_quoted_names_are_not_orgs():
    spans = labelled("被公安部表彰为“全国优秀公安局”。")
    assert ("ORG", "全国优秀公安局") not in spans and ("ORG", "公安部") not in spans


def test_batch_interface():
    sentences = ["破获案件9200起。", "", "抓获犯罪嫌疑人2300人。"]
    tagged = TAGGER.tag(sentences)
    assert [[(s.label, s.text) for s in spans] for spans in tagged] == [
        [("METRIC", "破获案件"), ("VALUE", "9200起")], [], [("METRIC", "抓获犯罪嫌疑人"), ("VALUE", "2300人")]]

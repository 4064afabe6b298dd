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
    ("今年上半年，警方共录得刑事案件44126宗，按年下跌3.1%。",
     [("TIME", "今年上半年"), ("ORG", "警方"), ("METRIC", "刑事案件"), ("VALUE", "44126宗"), ("BASE", "按年"),
      ("TREND", "下跌"), ("VALUE", "3.1%")]),
    ("立案8892宗，增加612宗(+7.4%)。",
     [("METRIC", "立案"), ("VALUE", "8892宗"), ("TREND", "增加"), ("VALUE", "612宗"), ("VALUE", "+7.4%")]),
    ("交通事故12起↓，较上月多伤9人。",
     [("METRIC", "交通事故"), ("VALUE", "12起"), ("TREND", "↓"), ("BASE", "较上月"), ("TREND", "多伤"), ("VALUE", "9人")]),
    ("电诈、盗窃同比增幅较大，分别为187.32%、96.41%。",
     [("METRIC", "电诈"), ("METRIC", "盗窃"), ("BASE", "同比"), ("TREND", "增幅"), ("VALUE", "187.32%"),
      ("VALUE", "96.41%")]),
    ("共侦破案件1523、1311、987起。",
     [("METRIC", "侦破案件"), ("VALUE", "1523"), ("VALUE", "1311"), ("VALUE", "987起")]),
    ("其中，东城区412起，西城区380起。", [("ORG", "东城区"), ("VALUE", "412起"), ("ORG", "西城区"), ("VALUE", "380起")]),
    ("2023年全市公安机关警情通报", [("TIME", "2023年"), ("ORG", "全市公安机关")]),
    ("8月，全县公安机关接报警情2318起。",
     [("TIME", "8月"), ("ORG", "全县公安机关"), ("METRIC", "接报警情"), ("VALUE", "2318起")]),
    ("2024年首三季，翠岭警区共录得刑事案件4186宗。",
     [("TIME", "2024年首三季"), ("ORG", "翠岭警区"), ("METRIC", "刑事案件"), ("VALUE", "4186宗")]),
    ("临江市、白沙市、北岭市伤亡事故起数同比分别下降18.2%、15.6%、12.9%。",
     [("ORG", "临江市"), ("ORG", "白沙市"), ("ORG", "北岭市"), ("METRIC", "伤亡事故起数"), ("BASE", "同比"),
      ("TREND", "下降"), ("VALUE", "18.2%"), ("VALUE", "15.6%"), ("VALUE", "12.9%")]),
])
def test_tagging(text, expected):
    assert labelled(text) == expected


@pytest.mark.parametrize("text", [
    "2023年11月24日，拨打110报警。",          # date, hotline
    "落实“三个一”工作机制。",                  # quoted slogan
    "第二届论坛在青岛举行。",                   # ordinal
    "实现24小时自助办理。",                     # a duration modifying a noun
    "这是一项基本方针。",                       # 一项: an article
    "未发生一次死亡3人以上事故。",               # a threshold inside a category name
    "打掉3人以上犯罪团伙。",
    "平均每3分钟接警一起。",                     # a crime clock
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

"""The decoder: spans -> records, on hand-made sentences and on the gold seeds (its ceiling)."""

from __future__ import annotations

import pytest

from ie.decoding import decode_document, trend_direction
from ie.document import segment_document
from ie.research.evaluation import load_gold
from ie.schema import Span
from ie.research.scoring import evaluate_records

from tests.shared import RECORDS, ROOT, SPANS


def spans_of(text: str, *items: tuple[str, str] | tuple[str, str, int]) -> list[Span]:
    """Spans from ``(label, text[, occurrence])`` in order; offsets computed with ``str.index``."""
    spans, cursor = [], 0
    for label, needle, *rest in items:
        start = text.index(needle, cursor) if not rest else _nth(text, needle, rest[0])
        spans.append(Span(start, start + len(needle), label, needle))
        cursor = start + len(needle)
    return spans


def _nth(text: str, needle: str, n: int) -> int:
    start = -1
    for _ in range(n):
        start = text.index(needle, start + 1)
    return start


def decode(text: str, *items) -> list[dict]:
    document = segment_document("d", text)
    assert len(document.sentences) == 1, [s.text for s in document.sentences]
    return [r.to_dict() for r in decode_document(document, [spans_of(document.sentences[0].text, *items)])]


def brief(records: list[dict]) -> list[tuple]:
    return [(r["metric"], r["value"], r["unit"], r["direction"]) for r in records]


CASES = [
    ("enumeration with 分别",
     "8类暴力案件、侵财类案件、“两抢”案件分别下降21.9%、40.4%、93.9%。",
     [("METRIC", "8类暴力案件"), ("METRIC", "侵财类案件"), ("METRIC", "“两抢”案件"), ("TREND", "下降"),
      ("VALUE", "21.9%"), ("VALUE", "40.4%"), ("VALUE", "93.9%")],
     [("8类暴力案件", 21.9, "%", "down"), ("侵财类案件", 40.4, "%", "down"), ("“两抢”案件", 93.9, "%", "down")]),
    ("enumeration with 、 and a base",
     "电诈发案数、损失数同比下降39.1%、46.8%。",
     [("METRIC", "电诈发案数"), ("METRIC", "损失数"), ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "39.1%"),
      ("VALUE", "46.8%")],
     [("电诈发案数", 39.1, "%", "down"), ("损失数", 46.8, "%", "down")]),
    ("one shared value",
     "全市中小学“一键式紧急报警安装率、视频监控联网率、护学岗设置率”达到100%。",
     [("ORG", "全市"), ("METRIC", "一键式紧急报警安装率"), ("METRIC", "视频监控联网率"), ("METRIC", "护学岗设置率"),
      ("VALUE", "100%")],
     [("一键式紧急报警安装率", 100, "%", None), ("视频监控联网率", 100, "%", None), ("护学岗设置率", 100, "%", None)]),
    ("bracketed breakdown",
     "破获案件9200起(侦破本地案件2100起、外地案件7100起)。",
     [("METRIC", "破获案件"), ("VALUE", "9200起"), ("METRIC", "侦破本地案件"), ("VALUE", "2100起"),
      ("METRIC", "外地案件"), ("VALUE", "7100起")],
     [("破获案件", 9200, "起", None), ("侦破本地案件", 2100, "起", None), ("外地案件", 7100, "起", None)]),
    ("count and change",
     "破获毒品案件206起，同比下降5%。",
     [("METRIC", "破获毒品案件"), ("VALUE", "206起"), ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "5%")],
     [("破获毒品案件", 206, "起", None), ("破获毒品案件", 5, "%", "down")]),
    ("verb + value + noun, the verb carried over a list",
     "整合301个网格、1200余名网格员。",
     [("METRIC", "整合"), ("VALUE", "301个"), ("METRIC", "网格"), ("VALUE", "1200余名"), ("METRIC", "网格员")],
     [("整合网格", 301, "个", None), ("整合网格员", 1200, "名", None)]),
    ("value + noun + verb",
     "1105名社区民警深度融入网格化综治管理。",
     [("VALUE", "1105名"), ("METRIC", "社区民警"), ("METRIC", "融入网格化综治管理")],
     [("社区民警融入网格化综治管理", 1105, "名", None)]),
    ("from-to",
     "流动人口比例由49.5%提升至63.5%。",
     [("METRIC", "流动人口比例"), ("VALUE", "49.5%"), ("TREND", "提升"), ("VALUE", "63.5%")],
     [("流动人口比例", 63.5, "%", "up")]),
    ("个百分点",
     "解决率提高23.6个百分点。",
     [("METRIC", "解决率"), ("TREND", "提高"), ("VALUE", "23.6个百分点")],
     [("解决率", 23.6, "个百分点", "up")]),
]


@pytest.mark.parametrize("name,text,items,expected", CASES, ids=[c[0] for c in CASES])
def test_decode_patterns(name, text, items, expected):
    assert brief(decode(text, *items)) == expected


def test_from_to_record_has_from_value_and_whole_evidence():
    [record] = decode("流动人口比例由49.5%提升至63.5%。", ("METRIC", "流动人口比例"), ("VALUE", "49.5%"),
                      ("TREND", "提升"), ("VALUE", "63.5%"))
    assert record["from_value"] == 49.5
    assert record["evidence"]["text"] == "由49.5%提升至63.5%"


def test_baseline_clause_scopes_the_sentence():
    [record] = decode("与2014年相比,2023年辖区流动人口比例由49.5%提升至63.5%。", ("BASE", "与2014年相比"),
                      ("TIME", "2023年"), ("ORG", "辖区"), ("METRIC", "流动人口比例"), ("VALUE", "49.5%"),
                      ("TREND", "提升"), ("VALUE", "63.5%"))
    assert (record["baseline"], record["period"], record["org"]) == ("与2014年相比", "2023年", "辖区")


def test_the_paragraph_then_the_lead_govern_period_and_org():
    text = "2021年，全市公安机关破获案件9200起。抓获嫌疑人2300人。\n另据统计\n挽回损失1.12亿元。"
    document = segment_document("d", text)
    texts = [s.text for s in document.sentences]
    spans = [spans_of(texts[0], ("TIME", "2021年"), ("ORG", "全市公安机关"), ("METRIC", "破获案件"), ("VALUE", "9200起")),
             spans_of(texts[1], ("METRIC", "抓获嫌疑人"), ("VALUE", "2300人")),
             [],
             spans_of(texts[3], ("METRIC", "挽回损失"), ("VALUE", "1.12亿元"))]
    records = [r.to_dict() for r in decode_document(document, spans)]
    assert [(r["period"], r["org"]) for r in records] == [("2021年", "全市公安机关")] * 3
    for record in records:
        assert text[record["evidence"]["start"]:record["evidence"]["end"]] == record["evidence"]["text"]


def document_records(text: str, *per_sentence: list) -> list[dict]:
    """Decode a document whose sentences get the spans ``per_sentence[k]`` (``(label, text)`` items)."""
    document = segment_document("d", text)
    texts = [s.text for s in document.sentences]
    assert len(texts) == len(per_sentence), texts
    spans = [spans_of(sentence, *items) for sentence, items in zip(texts, per_sentence)]
    return [r.to_dict() for r in decode_document(document, spans)]


def test_headings_govern_their_section_and_name_its_metric():
    text = ("2024年9月全市警情通报\n2024年9月，全市公安机关共接报警情8000起。\n一、侵财类犯罪\n（一）入室盗窃\n"
            "本月发案23起，环比下降8%。\n（二）诈骗\n发案41起。\n二、上月情况\n8月，破获案件30起。")
    records = document_records(
        text, [("TIME", "2024年9月")],
        [("TIME", "2024年9月"), ("ORG", "全市公安机关"), ("METRIC", "共接报警情"), ("VALUE", "8000起")],
        [], [("METRIC", "入室盗窃")],
        [("TIME", "本月"), ("METRIC", "发案"), ("VALUE", "23起"), ("BASE", "环比"), ("TREND", "下降"), ("VALUE", "8%")],
        [], [("VALUE", "41起")], [], [("TIME", "8月"), ("METRIC", "破获案件"), ("VALUE", "30起")])
    assert [(r["metric"], r["value"], r["period"], r["org"], r["flags"]) for r in records] == [
        ("共接报警情", 8000, "2024年9月", "全市公安机关", []),
        ("入室盗窃发案", 23, "本月", "全市公安机关", []), ("入室盗窃发案", 8, "本月", "全市公安机关", []),
        ("诈骗", 41, "2024年9月", "全市公安机关", ["metric_from_context"]),
        ("破获案件", 30, "8月", "全市公安机关", [])]


def test_a_speaker_line_gives_its_org_to_the_answer():
    text = ("2023年，全市公安机关破获案件9200起。\n市公安局交警支队支队长王某：全年发生事故120起。\n死亡15人。\n"
            "市反诈中心主任李某：我们挽回损失1.1亿元。")
    records = document_records(
        text, [("TIME", "2023年"), ("ORG", "全市公安机关"), ("METRIC", "破获案件"), ("VALUE", "9200起")],
        [("ORG", "市公安局交警支队"), ("TIME", "全年"), ("METRIC", "发生事故"), ("VALUE", "120起")],
        [("METRIC", "死亡"), ("VALUE", "15人")],
        [("ORG", "市反诈中心"), ("METRIC", "挽回损失"), ("VALUE", "1.1亿元")])
    assert [(r["period"], r["org"]) for r in records] == [
        ("2023年", "全市公安机关"), ("全年", "市公安局交警支队"), ("2023年", "市公安局交警支队"),
        ("2023年", "市反诈中心")]


def test_a_sub_area_split_takes_the_metric_before_and_the_area_as_org():
    text = "全区发案1200起。其中，东城区412起，同比下降5%；西城区380起。"
    records = document_records(
        text, [("ORG", "全区"), ("METRIC", "发案"), ("VALUE", "1200起")],
        [("ORG", "东城区"), ("VALUE", "412起"), ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "5%")],
        [("ORG", "西城区"), ("VALUE", "380起")])
    assert [(r["metric"], r["value"], r["org"]) for r in records] == [
        ("发案", 1200, "全区"), ("发案", 412, "东城区"), ("发案", 5, "东城区"), ("发案", 380, "西城区")]


@pytest.mark.parametrize("name,text,items,expected", [
    ("respectively after counts", "破获刑事案件3127起、抓获犯罪嫌疑人2058名，同比分别上升9.6%、12.3%。",
     [("METRIC", "破获刑事案件"), ("VALUE", "3127起"), ("METRIC", "抓获犯罪嫌疑人"), ("VALUE", "2058名"), ("BASE", "同比"),
      ("TREND", "上升"), ("VALUE", "9.6%"), ("VALUE", "12.3%")],
     [("破获刑事案件", 3127, "起", None), ("抓获犯罪嫌疑人", 2058, "名", None), ("破获刑事案件", 9.6, "%", "up"),
      ("抓获犯罪嫌疑人", 12.3, "%", "up")]),
    ("metrics and trend lent to the list", "电诈、盗窃同比增幅较大，分别为187.32%、96.41%。",
     [("METRIC", "电诈"), ("METRIC", "盗窃"), ("BASE", "同比"), ("TREND", "增幅"), ("VALUE", "187.32%"),
      ("VALUE", "96.41%")], [("电诈", 187.32, "%", "up"), ("盗窃", 96.41, "%", "up")]),
    ("one unit for the list", "侦破案件分别为1523、1311、987起。",
     [("METRIC", "侦破案件"), ("VALUE", "1523"), ("VALUE", "1311"), ("VALUE", "987起")],
     [("侦破案件", 1523, "起", None), ("侦破案件", 1311, "起", None), ("侦破案件", 987, "起", None)]),
    ("signs and arrows", "立案8892宗(+7.4%)，事故12起↓，死亡↑3人。",
     [("METRIC", "立案"), ("VALUE", "8892宗"), ("VALUE", "+7.4%"), ("METRIC", "事故"), ("VALUE", "12起"),
      ("TREND", "↓"), ("METRIC", "死亡"), ("VALUE", "↑3人")],
     [("立案", 8892, "宗", None), ("立案", 7.4, "%", "up"), ("事故", 12, "起", "down"), ("死亡", 3, "人", "up")]),
])
def test_lists_signs_and_arrows(name, text, items, expected):
    assert brief(decode(text, *items)) == expected


@pytest.mark.parametrize("name,text,items,expected", [
    ("a bare share verb names the share of the figure before", "居民住宅火灾41起，占38.3%。",
     [("METRIC", "居民住宅火灾"), ("VALUE", "41起"), ("METRIC", "占"), ("VALUE", "38.3%")],
     [("居民住宅火灾", 41, "起", None), ("居民住宅火灾占", 38.3, "%", None)]),
    ("a change after a share is the figure's", "共录得诈骗案19804宗，占整体罪案的44.9%，按年增加8.5%。",
     [("METRIC", "诈骗案"), ("VALUE", "19804宗"), ("METRIC", "占整体罪案"), ("VALUE", "44.9%"), ("BASE", "按年"),
      ("TREND", "增加"), ("VALUE", "8.5%")],
     [("诈骗案", 19804, "宗", None), ("占整体罪案", 44.9, "%", None), ("诈骗案", 8.5, "%", "up")]),
    ("a change of the share in points stays the share's", "占全部警情的23.3%，上升2.6个百分点。",
     [("METRIC", "占全部警情"), ("VALUE", "23.3%"), ("TREND", "上升"), ("VALUE", "2.6个百分点")],
     [("占全部警情", 23.3, "%", None), ("占全部警情", 2.6, "个百分点", "up")]),
    ("a change after a daily average is the figure's", "接报警情45218起，日均1459起，环比下降3.2%。",
     [("METRIC", "接报警情"), ("VALUE", "45218起"), ("METRIC", "日均"), ("VALUE", "1459起"), ("BASE", "环比"),
      ("TREND", "下降"), ("VALUE", "3.2%")],
     [("接报警情", 45218, "起", None), ("日均", 1459, "起", None), ("接报警情", 3.2, "%", "down")]),
    ("deaths listed with the accidents are theirs", "涉及电动自行车的伤亡事故461起、死亡108人。",
     [("METRIC", "涉及电动自行车的伤亡事故"), ("VALUE", "461起"), ("METRIC", "死亡"), ("VALUE", "108人")],
     [("涉及电动自行车的伤亡事故", 461, "起", None), ("涉及电动自行车的伤亡事故死亡", 108, "人", None)]),
    ("a rank names nothing", "滨海区2641件最多。",
     [("ORG", "滨海区"), ("VALUE", "2641件"), ("METRIC", "最多")], [("", 2641, "件", None)]),
])
def test_shares_averages_outcomes_and_ranks(name, text, items, expected):
    assert brief(decode(text, *items)) == expected


def test_a_list_of_places_pairs_with_each_clause_of_respective_values():
    records = decode("城南街道、城北街道分别发生事故612起、498起，分别占全区的31.5%和25.6%。",
                     ("ORG", "城南街道"), ("ORG", "城北街道"), ("METRIC", "发生事故"), ("VALUE", "612起"),
                     ("VALUE", "498起"), ("METRIC", "占全区"), ("VALUE", "31.5%"), ("VALUE", "25.6%"))
    assert [(r["value"], r["org"]) for r in records] == [
        (612, "城南街道"), (498, "城北街道"), (31.5, "城南街道"), (25.6, "城北街道")]


def test_listed_places_do_not_scope_later_figures():
    records = document_records(
        "治安警察局今日公布数据。陆路口岸、海路口岸分别录得6914万、826万人次。旅客使用自助通道的比例为86.2%。",
        [("ORG", "治安警察局")],
        [("ORG", "陆路口岸"), ("ORG", "海路口岸"), ("METRIC", "录得"), ("VALUE", "6914万"), ("VALUE", "826万人次")],
        [("METRIC", "旅客使用自助通道的比例"), ("VALUE", "86.2%")])
    assert [r["org"] for r in records] == ["陆路口岸", "海路口岸", "治安警察局"]


def test_a_value_without_any_metric_is_kept_and_flagged():
    [record] = decode("共计9200起。", ("VALUE", "9200起"))
    assert (record["metric"], record["value"], record["flags"]) == ("", 9200, ["no_metric"])


def test_places_listed_before_their_values_are_their_orgs():
    records = decode("东城、西城两区分别下降12%、8%。", ("ORG", "东城"), ("ORG", "西城"), ("METRIC", "两区"), ("TREND", "下降"),
                     ("VALUE", "12%"), ("VALUE", "8%"))
    assert [(r["org"], r["value"]) for r in records] == [("东城", 12), ("西城", 8)]


def test_a_flattened_table_gives_one_record_per_cell():
    text = ("2023年，全市公安机关发案情况如下。\n地区\n发案数（起）\n同比\n东城区\n412\n-5.1%\n西城区\n380\n+2.0%\n"
            "合计\n792\n-1.2%\n表中数据为初步统计。")
    document = segment_document("d", text)
    spans = [[] for _ in document.sentences]
    spans[0] = spans_of(document.sentences[0].text, ("TIME", "2023年"), ("ORG", "全市公安机关"))
    records = [r.to_dict() for r in decode_document(document, spans)]
    assert [(r["metric"], r["value"], r["unit"], r["direction"], r["baseline"], r["period"], r["org"])
            for r in records] == [
        ("发案数", 412, "起", None, None, "2023年", "东城区"), ("发案数", 5.1, "%", "down", "同比", "2023年", "东城区"),
        ("发案数", 380, "起", None, None, "2023年", "西城区"), ("发案数", 2.0, "%", "up", "同比", "2023年", "西城区"),
        ("发案数", 792, "起", None, None, "2023年", "全市公安机关"),
        ("发案数", 1.2, "%", "down", "同比", "2023年", "全市公安机关")]
    for record in records:
        assert text[record["evidence"]["start"]:record["evidence"]["end"]] == record["evidence"]["text"]


def table_records(text: str, lead: tuple = ()) -> list[tuple]:
    """The records of a document whose only tagged sentence is its first (the lead's ``lead`` spans)."""
    document = segment_document("d", text)
    spans = [[] for _ in document.sentences]
    spans[0] = spans_of(document.sentences[0].text, *lead)
    records = [r.to_dict() for r in decode_document(document, spans)]
    for record in records:
        assert text[record["evidence"]["start"]:record["evidence"]["end"]] == record["evidence"]["text"]
    return [(r["metric"], r["value"], r["unit"], r["direction"], r["baseline"], r["period"], r["org"])
            for r in records]


@pytest.mark.parametrize("name,text,lead,expected", [
    ("places as rows, periods as columns: the caption names the measure",
     "8月，全县公安机关通报如下。\n表1  各派出所辖区刑事警情统计（2024年8月）\n派出所\n本月\n上月\n环比\n"
     "城关派出所\n96\n104\n-7.7%\n东岭派出所\n71\n66\n+7.6%\n合计\n167\n170\n-1.8%",
     (("TIME", "8月"), ("ORG", "全县公安机关")),
     [("刑事警情", 96, None, None, None, "本月", "城关派出所"), ("刑事警情", 104, None, None, None, "上月", "城关派出所"),
      ("刑事警情", 7.7, "%", "down", "环比", "本月", "城关派出所"),
      ("刑事警情", 71, None, None, None, "本月", "东岭派出所"), ("刑事警情", 66, None, None, None, "上月", "东岭派出所"),
      ("刑事警情", 7.6, "%", "up", "环比", "本月", "东岭派出所"),
      ("刑事警情", 167, None, None, None, "本月", "全县公安机关"),
      ("刑事警情", 170, None, None, None, "上月", "全县公安机关"),
      ("刑事警情", 1.8, "%", "down", "环比", "本月", "全县公安机关")]),
    ("a row of changes, and the unit in the caption",
     "本周，全市公安机关接报警情如下。\n表2　全市警情环比情况（单位：起）\n时段\n刑事警情\n交通警情\n"
     "本周\n500\n3350\n上周\n538\n3418\n环比\n-7.1%\n-2.0%",
     (("TIME", "本周"), ("ORG", "全市公安机关")),
     [("刑事警情", 500, "起", None, None, "本周", "全市公安机关"), ("交通警情", 3350, "起", None, None, "本周", "全市公安机关"),
      ("刑事警情", 538, "起", None, None, "上周", "全市公安机关"), ("交通警情", 3418, "起", None, None, "上周", "全市公安机关"),
      ("刑事警情", 7.1, "%", "down", "环比", "本周", "全市公安机关"),
      ("交通警情", 2.0, "%", "down", "环比", "本周", "全市公安机关")]),
    ("categories as rows are no orgs; year columns: the latest year is current",
     "全县公安机关上半年通报如下。\n类别\n二○二四年一月至六月\n二○二三年一月至六月\n按年变幅\n"
     "假投资\n412\n380\n+8.4%\n假网拍\n133\n150\n-11.3%",
     (("ORG", "全县公安机关"),),
     [("假投资", 412, None, None, None, "二○二四年一月至六月", "全县公安机关"),
      ("假投资", 380, None, None, None, "二○二三年一月至六月", "全县公安机关"),
      ("假投资", 8.4, "%", "up", "按年", "二○二四年一月至六月", "全县公安机关"),
      ("假网拍", 133, None, None, None, "二○二四年一月至六月", "全县公安机关"),
      ("假网拍", 150, None, None, None, "二○二三年一月至六月", "全县公安机关"),
      ("假网拍", 11.3, "%", "down", "按年", "二○二四年一月至六月", "全县公安机关")]),
    ("quarters as rows are periods",
     "本澳交通事故统计如下。\n季度\n交通事故（宗）\n死亡人数\n第一季\n3,412\n3\n第二季\n3,468\n2\n首三季合計\n10,482\n9",
     (("ORG", "本澳"),),
     [("交通事故", 3412, "宗", None, None, "第一季", "本澳"), ("死亡人数", 3, None, None, None, "第一季", "本澳"),
      ("交通事故", 3468, "宗", None, None, "第二季", "本澳"), ("死亡人数", 2, None, None, None, "第二季", "本澳"),
      ("交通事故", 10482, "宗", None, None, "首三季合计", "本澳"), ("死亡人数", 9, None, None, None, "首三季合计", "本澳")]),
])
def test_table_layouts(name, text, lead, expected):
    assert table_records(text, lead) == expected


def test_an_area_is_carried_within_its_paragraph_and_the_lead_beyond_it():
    text = "2023年，全市公安机关破获案件9200起。\n全区刑事发案下降5%。抓获嫌疑人2300人。\n挽回损失1.1亿元。"
    records = document_records(
        text, [("TIME", "2023年"), ("ORG", "全市公安机关"), ("METRIC", "破获案件"), ("VALUE", "9200起")],
        [("ORG", "全区"), ("METRIC", "刑事发案"), ("TREND", "下降"), ("VALUE", "5%")],
        [("METRIC", "抓获嫌疑人"), ("VALUE", "2300人")], [("METRIC", "挽回损失"), ("VALUE", "1.1亿元")])
    assert [r["org"] for r in records] == ["全市公安机关", "全区", "全区", "全市公安机关"]


def test_the_first_figures_name_the_scope_when_the_lead_names_only_the_reporting_body():
    text = ("市公安局召开新闻发布会。\n一、总体情况\n今年以来，全市公安机关破获案件9200起。\n二、打击电诈\n"
            "挽回损失1.1亿元。")
    records = document_records(
        text, [("ORG", "市公安局")], [],
        [("TIME", "今年以来"), ("ORG", "全市公安机关"), ("METRIC", "破获案件"), ("VALUE", "9200起")], [],
        [("METRIC", "挽回损失"), ("VALUE", "1.1亿元")])
    assert [(r["period"], r["org"]) for r in records] == [("今年以来", "全市公安机关")] * 2


def test_a_bureau_named_only_as_benju_in_the_first_figures_is_the_bureau_the_title_names():
    text = ("治安警察局公布上半年工作数据\n一、出入境管理\n上半年，本局签发证件12.8万份。\n"
            "二、打击非法入境\n共截获非法入境者142名。")
    records = document_records(
        text, [("ORG", "治安警察局")], [],
        [("TIME", "上半年"), ("ORG", "本局"), ("METRIC", "签发证件"), ("VALUE", "12.8万份")], [],
        [("METRIC", "截获非法入境者"), ("VALUE", "142名")])
    assert [r["org"] for r in records] == ["本局", "治安警察局"]  # 本局 as written in its own sentence


@pytest.mark.parametrize("text,items,flag", [
    ("发案数同比下降120%。", [("METRIC", "发案数"), ("BASE", "同比"), ("TREND", "下降"), ("VALUE", "120%")],
     "decrease_over_100"),
    ("破案率达到130%。", [("METRIC", "破案率"), ("VALUE", "130%")], "rate_over_100"),
    ("比例由63.5%提升至49.5%。", [("METRIC", "比例"), ("VALUE", "63.5%"), ("TREND", "提升"), ("VALUE", "49.5%")],
     "from_to_contradiction"),
    ("破获案件200起(侦破本地案件300起)。", [("METRIC", "破获案件"), ("VALUE", "200起"), ("METRIC", "侦破本地案件"),
                                     ("VALUE", "300起")], "subtotal_exceeds_total"),
])
def test_plausibility_flags_mark_but_keep(text, items, flag):
    records = decode(text, *items)
    assert any(flag in r["flags"] for r in records)


def test_plain_records_carry_no_flags():
    assert decode("破获案件9200起。", ("METRIC", "破获案件"), ("VALUE", "9200起"))[0]["flags"] == []


@pytest.mark.parametrize("word,direction", [("下降", "down"), ("提升", "up"), ("压减", "down"), ("降幅", "down"),
                                            ("增幅", "up"), ("回落", "down"), ("下跌", "down"), ("升幅", "up"),
                                            ("多伤", "up"), ("少发生", "down"), ("↓", "down"), ("持平", None)])
def test_trend_direction(word, direction):
    assert trend_direction(word) == direction


def test_decoder_ceiling_on_the_gold_seeds():
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    predicted = [r.to_dict() for d, doc in corpus.documents.items() for r in decode_document(doc, corpus.spans[d])]
    scores = evaluate_records(predicted, corpus.records)
    assert scores.records.f1 >= 0.99, scores.to_dict()
    assert scores.slots["baseline"] == 1.0 and scores.slots["qualifier"] == 1.0


def test_a_long_table_of_indicators_with_a_unit_column_and_a_change_column():
    text = "2023年石桥县统计公报。\n指标\n单位\n本年\n比上年增长(%)\n刑事案件立案数\n起\n1,234\n-8.1\n直接损失（万元）\n元\n12.5\n3.0"
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["metric"], r["value"], r["unit"], r["direction"], r["baseline"], r["period"]) for r in records] == [
        ("刑事案件立案数", 1234, "起", None, None, "本年"), ("刑事案件立案数", 8.1, "%", "down", "比上年", "本年"),
        ("直接损失", 125000, "元", None, None, "本年"), ("直接损失", 3.0, "%", "up", "比上年", "本年")]


def test_a_split_in_its_own_paragraph_takes_the_metric_of_the_figure_before():
    text = "全区发案1200起。\n其中，东城区412起。"
    records = document_records(text, [("ORG", "全区"), ("METRIC", "发案"), ("VALUE", "1200起")],
                               [("ORG", "东城区"), ("VALUE", "412起")])
    assert [(r["metric"], r["org"]) for r in records] == [("发案", "全区"), ("发案", "东城区")]


def records_with_caption_time(text: str, is_caption, time: str) -> list[dict]:
    """Decode a document with no spans but the TIME ``time`` on the line ``is_caption`` picks."""
    document = segment_document("d", text)
    spans = [[] for _ in document.sentences]
    caption = next(k for k, s in enumerate(document.sentences) if is_caption(s.text))
    spans[caption] = spans_of(document.sentences[caption].text, ("TIME", time))
    return [r.to_dict() for r in decode_document(document, spans)]


def test_a_table_caption_gives_its_period_and_a_change_column_the_latest_period():
    text = ("全市公安机关发案情况如下。\n表1 各区发案统计（2024年第一季度）\n地区\n发案数\n同比\n东城区\n412\n-5.1%\n西城区\n380\n+2.0%\n"
            "罪行类别\n二○二三年首季\n二○二四年首季\n变幅\n盗窃\n1 523\n1 402\n-7.9%\n诈骗\n812\n901\n+11.0%")
    records = records_with_caption_time(text, lambda line: line.startswith("表1"), "2024年第一季度")
    assert {r["period"] for r in records[:4]} == {"2024年第一季度"}
    assert [(r["metric"], r["value"], r["period"], r["direction"]) for r in records[4:8]] == [
        ("盗窃", 1523, "二○二三年首季", None), ("盗窃", 1402, "二○二四年首季", None),
        ("盗窃", 7.9, "二○二四年首季", "down"), ("诈骗", 812, "二○二三年首季", None)]


def test_a_level_given_as_the_basis_of_a_comparison_has_no_period_and_no_baseline():
    text = "上半年，旅客使用自助过关通道的比例为86.2%，较去年同期的78.5%上升7.7个百分点。"
    records = document_records(text, [("TIME", "上半年"), ("METRIC", "旅客使用自助过关通道的比例"), ("VALUE", "86.2%"),
                                      ("BASE", "较去年同期"), ("VALUE", "78.5%"), ("TREND", "上升"), ("VALUE", "7.7个百分点")])
    assert [(r["value"], r["period"], r["baseline"], r["direction"]) for r in records] == [
        (86.2, "上半年", None, None), (78.5, None, None, None), (7.7, "上半年", "较去年同期", "up")]


def test_a_list_before_each_and_one_value_gives_a_record_per_item():
    text = "网络贷款类、虚假征信类诈骗各发案3起。"
    records = document_records(text, [("METRIC", "网络贷款类"), ("METRIC", "虚假征信类诈骗"), ("METRIC", "发案"),
                                      ("VALUE", "3起")])
    assert [(r["metric"], r["value"]) for r in records] == [("网络贷款类发案", 3), ("虚假征信类诈骗发案", 3)]


def test_the_measure_named_in_a_clause_without_values_is_that_of_the_places_after_it():
    text = "各分局全般刑案发生件数，澄北分局286件、澄南分局241件，澄北分局较去年同期减少24件。"
    records = document_records(text, [("ORG", "各分局"), ("METRIC", "全般刑案发生件数"), ("ORG", "澄北分局"),
                                      ("VALUE", "286件"), ("ORG", "澄南分局"), ("VALUE", "241件"), ("ORG", "澄北分局", 2),
                                      ("BASE", "较去年同期"), ("TREND", "减少"), ("VALUE", "24件")])
    assert [(r["metric"], r["value"], r["org"]) for r in records] == [
        ("全般刑案发生件数", 286, "澄北分局"), ("全般刑案发生件数", 241, "澄南分局"), ("全般刑案发生件数", 24, "澄北分局")]


def test_figures_by_place_without_a_metric_take_the_figure_before_them_not_the_heading():
    text = "四、各分局治安概况\n各分局全般刑案发生件数，澄北分局286件；澄北、林湖两分局分别较去年同期减少24件、15件。"
    records = document_records(
        text, [("METRIC", "治安概况")],
        [("ORG", "各分局"), ("METRIC", "全般刑案发生件数"), ("ORG", "澄北分局"), ("VALUE", "286件")],
        [("ORG", "澄北"), ("ORG", "林湖两分局"), ("BASE", "较去年同期"), ("TREND", "减少"), ("VALUE", "24件"),
         ("VALUE", "15件")])
    assert [(r["metric"], r["value"], r["org"]) for r in records] == [
        ("全般刑案发生件数", 286, "澄北分局"), ("全般刑案发生件数", 24, "澄北"), ("全般刑案发生件数", 15, "林湖两分局")]


@pytest.mark.parametrize("text,spans", [
    ("本月全市共发生交通事故120起，造成死亡12人。东城区45起，西城区38起。",  # the unit is not the last figure's
     [[("TIME", "本月"), ("ORG", "全市"), ("METRIC", "共发生交通事故"), ("VALUE", "120起"), ("METRIC", "造成死亡"),
       ("VALUE", "12人")], [("ORG", "东城区"), ("VALUE", "45起"), ("ORG", "西城区"), ("VALUE", "38起")]]),
    ("本周全市接报诈骗警情41起，损失62.5万元。本周全市另有9起。",  # a scope is no place
     [[("TIME", "本周"), ("ORG", "全市"), ("METRIC", "接报诈骗警情"), ("VALUE", "41起"), ("METRIC", "损失"),
       ("VALUE", "62.5万元")], [("TIME", "本周"), ("ORG", "全市"), ("VALUE", "9起")]]),
])
def test_figures_by_place_in_another_unit_or_by_a_scope_keep_the_heading_metric(text, spans):
    records = document_records("（二）交通和诈骗\n" + text, [("METRIC", "交通和诈骗")], *spans)
    assert records[-1]["metric"] == "交通和诈骗"


def test_rows_of_a_table_that_are_no_places_are_no_orgs():
    text = ("本月全市盗窃发案如下。\n场所\n发案\n住宅小区\n61\n商铺\n42\n其他\n9\n"
            "九月份本澳交通事故如下。\n地区\n交通事故\n澳门半岛\n612\n氹仔\n351\n其他\n3")
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["value"], r["org"]) for r in records[1:]] == [  # 住宅小区 ends as a place does
        (42, None), (9, None), (612, "澳门半岛"), (351, "氹仔"), (3, None)]


def test_a_split_and_a_sentence_without_places_still_take_the_heading_metric():
    text = "（二）电信网络诈骗\n本周接报41起，损失62.5万元。其中，东湖派出所辖区11起。本周另有9起。"
    records = document_records(
        text, [("METRIC", "电信网络诈骗")],
        [("TIME", "本周"), ("METRIC", "接报"), ("VALUE", "41起"), ("METRIC", "损失"), ("VALUE", "62.5万元")],
        [("ORG", "东湖派出所辖区"), ("VALUE", "11起")], [("TIME", "本周"), ("VALUE", "9起")])
    assert [(r["metric"], r["value"]) for r in records[2:]] == [("电信网络诈骗", 11), ("电信网络诈骗", 9)]


def test_a_period_glossed_in_brackets_is_the_one_carried_on():
    text = "治安警察局今日公布二○二五年首季（一月至三月）罪案数据。期内本澳共接获刑事案件2318宗。"
    records = document_records(
        text, [("ORG", "治安警察局"), ("TIME", "二○二五年首季"), ("TIME", "一月至三月")],
        [("TIME", "期内"), ("ORG", "本澳"), ("METRIC", "共接获刑事案件"), ("VALUE", "2318宗")])
    assert [(r["value"], r["period"]) for r in records] == [(2318, "二○二五年首季")]


def test_short_names_among_places_in_a_table_are_places_too():
    text = "九月份，本澳共录得交通事故1046宗。\n地区\n交通事故（宗）\n澳门半岛\n612\n氹仔\n351\n路环\n83\n总数\n1046"
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["value"], r["org"]) for r in records] == [(612, "澳门半岛"), (351, "氹仔"), (83, "路环"), (1046, None)]


def test_a_table_of_categories_gives_its_rows_no_org():
    text = "全市公安机关情况如下。\n类别\n发案\n盗窃\n61\n诈骗\n42\n城区\n30"
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["value"], r["org"]) for r in records][:2] == [(61, None), (42, None)]


def test_a_bracketed_aside_lends_no_metric_to_the_changes_after_it():
    text = "全市共接报电信网络诈骗警情583起（不含已劝阻未造成损失的警情），环比下降6.9%。"
    records = document_records(text, [("ORG", "全市"), ("METRIC", "共接报电信网络诈骗警情"), ("VALUE", "583起"),
                                      ("METRIC", "不含已劝阻未造成损失的警情"), ("BASE", "环比"), ("TREND", "下降"),
                                      ("VALUE", "6.9%")])
    assert [(r["metric"], r["value"]) for r in records] == [("共接报电信网络诈骗警情", 583), ("共接报电信网络诈骗警情", 6.9)]


@pytest.mark.parametrize("values,expected", [
    (("412.6", "356.8", "207.3万元"), [(4126000, "元"), (3568000, "元"), (2073000, "元")]),  # the list's multiplier
    (("1.1万", "2400", "6800起"), [(11000, "起"), (2400, "起"), (6800, "起")]),  # items that write their own
    (("1.1万", "2400", "1.9万元"), [(11000, "元"), (2400, "元"), (19000, "元")]),
])
def test_a_unit_written_once_after_a_list_brings_its_multiplier(values, expected):
    text = "三个分局分别紧急止付" + "、".join(values) + "。"
    records = document_records(text, [("METRIC", "紧急止付")] + [("VALUE", v) for v in values])
    assert [(r["value"], r["unit"]) for r in records] == expected


def test_a_caption_without_a_table_number_gives_its_period():
    text = ("去年，总区共录得整体罪案11 588宗。\n二○二五年各警区整体罪案数字\n警区\n整体罪案\n按年变幅\n"
            "岚湾警区\n3 412\n+7.4%\n石涧警区\n2 876\n+4.2%")
    records = records_with_caption_time(text, lambda line: line.endswith("数字"), "二○二五年")
    assert [(r["value"], r["period"]) for r in records] == [
        (3412, "二○二五年"), (7.4, "二○二五年"), (2876, "二○二五年"), (4.2, "二○二五年")]


def test_with_a_change_column_after_each_measure_each_change_is_of_the_measure_before_it():
    text = ("全市公安机关本周警情如下。\n单位\n刑事警情\n环比\n电诈发案\n环比\n"
            "东城分局\n168\n-8.4%\n31\n-13.9%\n港区分局\n152\n+5.6%\n24\n+9.1%")
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["metric"], r["value"]) for r in records[:4]] == [
        ("刑事警情", 168), ("刑事警情", 8.4), ("电诈发案", 31), ("电诈发案", 13.9)]


def test_change_columns_after_the_last_measure_are_changes_of_the_first():
    text = "全省情况如下。\n地市\n事故起数\n死亡人数\n同比\n环比\n甲市\n412\n98\n-9.1%\n+2.0%\n乙市\n356\n87\n-4.3%\n+1.0%"
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["metric"], r["value"]) for r in records[:4]] == [
        ("事故起数", 412), ("死亡人数", 98), ("事故起数", 9.1), ("事故起数", 2.0)]


def test_tables_keyed_by_years_and_a_change_against_last_year():
    text = ("年份\n发案\n破案\n2022年\n12\n10\n2023年\n9\n8\n全市公安机关情况如下。\n"
            "指标\n本年\n上年\n同比\n发案\n12\n10\n+20%\n破案\n9\n8\n+12.5%")
    document = segment_document("d", text)
    records = [r.to_dict() for r in decode_document(document, [[] for _ in document.sentences])]
    assert [(r["metric"], r["value"], r["period"]) for r in records[:4]] == [
        ("发案", 12, "2022年"), ("破案", 10, "2022年"), ("发案", 9, "2023年"), ("破案", 8, "2023年")]
    assert [(r["metric"], r["value"], r["period"], r["direction"]) for r in records[4:7]] == [
        ("发案", 12, "本年", None), ("发案", 10, "上年", None), ("发案", 20, "本年", "up")]


def test_a_records_confidence_is_the_lowest_score_of_its_value_trend_and_metric_spans():
    text = "破获刑事案件9700起，同比上升12.5%。"
    document = segment_document("d", text)
    scores = {"METRIC": 0.8, "VALUE": 0.99, "TREND": 0.6, "BASE": 0.1}
    spans = [Span(s.start, s.end, s.label, s.text, scores[s.label]) for s in spans_of(
        text, ("METRIC", "破获刑事案件"), ("VALUE", "9700起"), ("BASE", "同比"), ("TREND", "上升"), ("VALUE", "12.5%"))]
    level, change = decode_document(document, [spans])
    assert (level.value, level.confidence) == (9700, 0.8)  # the METRIC's; BASE does not count
    assert (change.value, change.confidence) == (12.5, 0.6)  # the TREND's
    unscored = decode_document(document, [[Span(s.start, s.end, s.label, s.text) for s in spans]])
    assert [r.confidence for r in unscored] == [None, None]


def test_the_leads_org_is_the_one_before_its_first_value_not_a_later_comparison():
    text = ("西屿总区公布二○二四年罪案情况。\n二○二四年，西屿总区共录得整体罪案12486宗；同期全港整体罪案上升9.1%。\n"
            "爆窃案录得612宗。")
    records = document_records(
        text, [("ORG", "西屿总区"), ("TIME", "二○二四年")],
        [("TIME", "二○二四年"), ("ORG", "西屿总区"), ("METRIC", "共录得整体罪案"), ("VALUE", "12486宗")],
        [("TIME", "同期"), ("ORG", "全港"), ("METRIC", "整体罪案"), ("TREND", "上升"), ("VALUE", "9.1%")],
        [("METRIC", "爆窃案"), ("VALUE", "612宗")])
    assert [r["org"] for r in records] == ["西屿总区", "全港", "西屿总区"]


def test_a_list_of_places_after_a_subject_pairs_with_its_values():
    records = decode("各市稳步提升，衡州、安平、石原三市刑事案件立案数分别下降14.2%、11.6%、16.3%。",
                     ("ORG", "各市"), ("ORG", "衡州"), ("ORG", "安平"), ("ORG", "石原"), ("METRIC", "刑事案件立案数"),
                     ("TREND", "下降"), ("VALUE", "14.2%"), ("VALUE", "11.6%"), ("VALUE", "16.3%"))
    assert [r["org"] for r in records] == ["衡州", "安平", "石原"]


def test_a_tables_total_row_takes_the_documents_org_not_its_sections():
    text = ("本周，全县共接报警情1024起。\n一、各派出所警情情况\n表1 各派出所接报警情情况（单位：新台币万元）\n"
            "派出所\n本周\n上周\n城关派出所\n286\n301\n桥南派出所\n214\n198\n合计\n500\n499")
    document = segment_document("d", text)
    tagger = {"本周，全县共接报警情1024起。": [("TIME", "本周"), ("ORG", "全县"), ("METRIC", "共接报警情"), ("VALUE", "1024起")],
              "一、各派出所警情情况": [("ORG", "各派出所")], "本周": [("TIME", "本周")],
              "城关派出所": [("ORG", "城关派出所")], "桥南派出所": [("ORG", "桥南派出所")]}
    spans = [spans_of(s.text, *tagger.get(s.text, [])) for s in document.sentences]
    records = [r.to_dict() for r in decode_document(document, spans)]
    cells = [(r["org"], r["value"], r["unit"]) for r in records[1:]]
    assert cells[-2:] == [("全县", 5000000, "元"), ("全县", 4990000, "元")]  # the caption's 新台币万元 is 万元
    assert cells[0] == ("城关派出所", 2860000, "元")


def test_a_deictic_lead_period_after_an_announcing_sentence_is_the_announced_period():
    text = ("治安警察局公布第三季工作数据\n治安警察局今日公布二○二四年第三季工作数据。本季各口岸运作畅顺。\n一、出入境管理\n"
            "出入境旅客合共9847万人次。")
    records = document_records(
        text, [("ORG", "治安警察局"), ("TIME", "第三季")],
        [("ORG", "治安警察局"), ("TIME", "二○二四年第三季")], [("TIME", "本季")], [],
        [("METRIC", "出入境旅客"), ("VALUE", "9847万人次")])
    assert [r["period"] for r in records] == ["二○二四年第三季"]


def test_the_lead_period_ends_with_its_first_figures():
    text = "首季治安数据\n期内本局共接获报案2318宗。\n纵火案21宗，与去年同期相若。\n盗窃案518宗。"
    records = document_records(
        text, [("TIME", "首季")], [("TIME", "期内"), ("ORG", "本局"), ("METRIC", "共接获报案"), ("VALUE", "2318宗")],
        [("METRIC", "纵火案"), ("VALUE", "21宗"), ("TIME", "去年")], [("METRIC", "盗窃案"), ("VALUE", "518宗")])
    assert [r["period"] for r in records] == ["首季"] * 3  # a period after the lead's figures is no lead


def test_the_leads_org_is_the_body_in_the_clause_of_its_first_figure():
    text = "治安警察局公布首季数据\n期内本澳整体治安平稳，本局共接获刑事案件报案2318宗。\n盗窃案518宗。"
    records = document_records(
        text, [("ORG", "治安警察局"), ("TIME", "首季")],
        [("TIME", "期内"), ("ORG", "本澳"), ("ORG", "本局"), ("METRIC", "共接获刑事案件报案"), ("VALUE", "2318宗")],
        [("METRIC", "盗窃案"), ("VALUE", "518宗")])
    assert [r["org"] for r in records] == ["本局", "治安警察局"]  # 本局 as written, then the bureau the title names


def test_a_change_without_a_metric_is_of_the_figure_with_its_unit():
    records = decode("城关派出所辖区发案12起，损失47.3万元，环比减少3起。", ("ORG", "城关派出所辖区"), ("METRIC", "发案"),
                     ("VALUE", "12起"), ("METRIC", "损失"), ("VALUE", "47.3万元"), ("BASE", "环比"), ("TREND", "减少"),
                     ("VALUE", "3起"))
    assert [(r["metric"], r["value"], r["direction"]) for r in records] == [
        ("发案", 12, None), ("损失", 473000, None), ("发案", 3, "down")]


def test_an_average_names_no_metric():
    records = decode("刑事案件破案率为41.2%，全省平均为37.5%。", ("METRIC", "刑事案件破案率"), ("VALUE", "41.2%"),
                     ("ORG", "全省"), ("METRIC", "平均为"), ("VALUE", "37.5%"))
    assert [(r["metric"], r["org"]) for r in records] == [("刑事案件破案率", None), ("刑事案件破案率", "全省")]

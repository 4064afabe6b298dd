"""The quantity parser on real number expressions of the seed bulletins (and a few more)."""

from __future__ import annotations

import pytest

from ie.quantity import Quantity, QuantityError, canonical_unit, find_mentions, parse_number, parse_quantity

# text as written | value | unit | qualifier | from_value   (drawn from seeds/ 000-004)
CASES = """
9700起 | 9700 | 起 | - | -
41起 | 41 | 起 | - | -
765人 | 765 | 人 | - | -
1.09亿元 | 109000000 | 元 | - | -
1.09億元 | 109000000 | 元 | - | -
353万人次 | 3530000 | 人次 | - | -
353萬人次 | 3530000 | 人次 | - | -
9200起 | 9200 | 起 | - | -
2100起 | 2100 | 起 | - | -
7100起 | 7100 | 起 | - | -
2300人 | 2300 | 人 | - | -
9.1亿元 | 910000000 | 元 | - | -
274起 | 274 | 起 | - | -
220公斤 | 220 | 公斤 | - | -
323起 | 323 | 起 | - | -
1.12亿元 | 112000000 | 元 | - | -
1.12億元 | 112000000 | 元 | - | -
33% | 33 | % | - | -
350起 | 350 | 起 | - | -
308万起 | 3080000 | 起 | - | -
34.4万人次 | 344000 | 人次 | - | -
1.1万起 | 11000 | 起 | - | -
100% | 100 | % | - | -
7.65万处 | 76500 | 处 | - | -
0.9% | 0.9 | % | - | -
1.2% | 1.2 | % | - | -
6.9万家次 | 69000 | 家次 | - | -
4.6万处 | 46000 | 处 | - | -
552个 | 552 | 个 | - | -
320余万人次 | 3200000 | 人次 | more_than | -
320餘萬人次 | 3200000 | 人次 | more_than | -
445处 | 445 | 处 | - | -
62起 | 62 | 起 | - | -
940场次 | 940 | 场次 | - | -
突破1.7万亿条 | 1700000000000 | 条 | more_than | -
1.1万余个 | 11000 | 个 | more_than | -
23个 | 23 | 个 | - | -
696个 | 696 | 个 | - | -
21% | 21 | % | - | -
39个 | 39 | 个 | - | -
3.7万起 | 37000 | 起 | - | -
147个 | 147 | 个 | - | -
249项 | 249 | 项 | - | -
356名 | 356 | 名 | - | -
突破1000万 | 10000000 | - | more_than | -
3300万次 | 33000000 | 次 | - | -
89.6% | 89.6 | % | - | -
13万人次 | 130000 | 人次 | - | -
170条 | 170 | 条 | - | -
48.6万起 | 486000 | 起 | - | -
1000余处 | 1000 | 处 | more_than | -
698辆 | 698 | 辆 | - | -
698輛 | 698 | 辆 | - | -
2.1万只 | 21000 | 只 | - | -
870家 | 870 | 家 | - | -
103万人次 | 1030000 | 人次 | - | -
9.4万人 | 94000 | 人 | - | -
72.3% | 72.3 | % | - | -
1.4万余起 | 14000 | 起 | more_than | -
3万余名 | 30000 | 名 | more_than | -
19.8万元 | 198000 | 元 | - | -
2200余起 | 2200 | 起 | more_than | -
99.5万人次 | 995000 | 人次 | - | -
39.1% | 39.1 | % | - | -
46.8% | 46.8 | % | - | -
460余起 | 460 | 起 | more_than | -
206起 | 206 | 起 | - | -
650余起 | 650 | 起 | more_than | -
6.6亿余元 | 660000000 | 元 | more_than | -
7.66平方公里 | 7.66 | 平方公里 | - | -
2500余名 | 2500 | 名 | more_than | -
7.9% | 7.9 | % | - | -
3波次 | 3 | 波次 | - | -
9轮次 | 9 | 轮次 | - | -
13.6万余处 | 136000 | 处 | more_than | -
3900余起 | 3900 | 起 | more_than | -
1931处 | 1931 | 处 | - | -
334万人次 | 3340000 | 人次 | - | -
2.3万件 | 23000 | 件 | - | -
23.6个百分点 | 23.6 | 个百分点 | - | -
23.6個百分點 | 23.6 | 个百分点 | - | -
537名 | 537 | 名 | - | -
44.9万个 | 449000 | 个 | - | -
6000余万条 | 60000000 | 条 | more_than | -
21.9% | 21.9 | % | - | -
1.7万余起 | 17000 | 起 | more_than | -
1200余名 | 1200 | 名 | more_than | -
260余个 | 260 | 个 | more_than | -
5亿元 | 500000000 | 元 | - | -
4000余万元 | 40000000 | 元 | more_than | -
1586个 | 1586 | 个 | - | -
两项 | 2 | 项 | - | -
兩項 | 2 | 项 | - | -
4.5万人 | 45000 | 人 | - | -
29支 | 29 | 支 | - | -
4048亿条 | 404800000000 | 条 | - | -
3002路 | 3002 | 路 | - | -
10478个 | 10478 | 个 | - | -
149万张 | 1490000 | 张 | - | -
四分之一 | 25 | % | - | -
不到1分钟 | 1 | 分钟 | less_than | -
不到1分鐘 | 1 | 分钟 | less_than | -
1个工作日 | 1 | 个工作日 | - | -
5年以上 | 5 | 年 | more_than | -
40余万份 | 400000 | 份 | more_than | -
6523.5万元 | 65235000 | 元 | - | -
13.5% | 13.5 | % | - | -
40人次 | 40 | 人次 | - | -
由49.5%提升至63.5% | 63.5 | % | - | 49.5
由49.5提升至63.5% | 63.5 | % | - | 49.5
从3起降至1起 | 1 | 起 | - | 3
1,188.2萬 | 11882000 | - | - | -
7,442起 | 7442 | 起 | - | -
1.4万余 | 14000 | - | more_than | -
280余万起 | 2800000 | 起 | more_than | -
四千五百多 | 4500 | - | more_than | -
一千兩百七十 | 1270 | - | - | -
百分之四点一 | 4.1 | % | - | -
百分之四點一 | 4.1 | % | - | -
近四年 | 4 | 年 | nearly | -
将近3000人 | 3000 | 人 | nearly | -
接近一半 | - | - | - | -
约19.8万元 | 198000 | 元 | about | -
30%左右 | 30 | % | about | -
大约200起 | 200 | 起 | about | -
超过500名 | 500 | 名 | more_than | -
逾3000万元 | 30000000 | 元 | more_than | -
超2万人次 | 20000 | 人次 | more_than | -
不足5% | 5 | % | less_than | -
10%以下 | 10 | % | less_than | -
3个多月 | 3 | 个月 | more_than | -
十二起 | 12 | 起 | - | -
二〇二三 | 2023 | - | - | -
两千零五十人 | 2050 | 人 | - | -
三万五千名 | 35000 | 名 | - | -
五成 | 5 | 成 | - | -
3倍 | 3 | 倍 | - | -
1.5吨 | 1.5 | 吨 | - | -
1亿2000万元 | 120000000 | 元 | - | -
1万2千元 | 12000 | 元 | - | -
+7.4% | 7.4 | % | - | -
-31.5百分點 | 31.5 | 个百分点 | - | -
−5.2% | 5.2 | % | - | -
↓3起 | 3 | 起 | - | -
906.2千克 | 906.2 | 公斤 | - | -
2.9万辆次 | 29000 | 辆次 | - | -
1.46亿港元 | 146000000 | 港元 | - | -
約1.36億澳門元 | 136000000 | 澳门元 | about | -
21.3万本 | 213000 | 本 | - | -
約一成半 | 1.5 | 成 | about | -
七成二 | 7.2 | 成 | - | -
九成以上 | 9 | 成 | more_than | -
""".strip().splitlines()


def _row(line: str):
    text, value, unit, qualifier, from_value = (part.strip() for part in line.split("|"))
    none = lambda s: None if s == "-" else s  # noqa: E731
    return text, none(value), none(unit), none(qualifier), none(from_value)


ROWS = [_row(line) for line in CASES]


def test_table_is_large_enough():
    assert len(ROWS) >= 100


@pytest.mark.parametrize("text,value,unit,qualifier,from_value", [r for r in ROWS if r[1] is not None])
def test_parse_quantity(text, value, unit, qualifier, from_value):
    expected = Quantity(float(value), unit, qualifier, None if from_value is None else float(from_value))
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", [r[0] for r in ROWS if r[1] is None] + ["", "案件", "同比下降", "110接处警", "abc"])
def test_not_a_quantity_raises_naming_the_text(text):
    with pytest.raises(QuantityError, match=repr(text) if text else "empty"):
        parse_quantity(text)


@pytest.mark.parametrize("text,value", [
    ("9700", 9700), ("1.4万", 14000), ("1.09億", 109000000), ("4048亿", 404800000000), ("四千五百", 4500),
    ("一千兩百七十", 1270), ("两", 2), ("〇", 0), ("零", 0), ("7,442", 7442), ("1,188.2萬", 11882000),
    ("十", 10), ("十五", 15), ("一百零八", 108), ("三亿五千万", 350000000), ("四点五", 4.5),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text,value,low,unit", [
    ("3至5人", 5, 3, "人"), ("30%—40%", 40, 30, "%"), ("3至5万元", 50000, 30000, "元"),
    ("1.5万至2万元", 20000, 15000, "元"), ("三至五年", 5, 3, "年"), ("5-10起", 10, 5, "起"),
])
def test_ranges(text, value, low, unit):
    assert parse_quantity(text) == Quantity(float(value), unit, None, None, float(low))


@pytest.mark.parametrize("text,message", [("5至3人", "runs downwards"), ("3人至5起", "mixes units")])
def test_bad_ranges_are_refused(text, message):
    with pytest.raises(QuantityError, match=message):
        parse_quantity(text)


def test_values_are_exact_decimals():
    assert parse_quantity("1.09亿元").value == 109000000  # not 109000000.00000001


def test_contradicting_qualifiers_are_refused():
    with pytest.raises(QuantityError, match="contradicting"):
        parse_quantity("近3000余人")


def test_from_to_with_different_units_is_refused():
    with pytest.raises(QuantityError, match="mixes units"):
        parse_quantity("由3起提升至5人")


# sentence | mention text | kind     (what is and is not a quantity in running text)
MENTIONS = [
    ("2023年度辖区电信诈骗发案同比下降10.5%", "2023年", "date"),
    ("2023年度辖区电信诈骗发案同比下降10.5%", "10.5%", "quantity"),
    ("11月24日18时许，市公安局市北分局", "11", "date"),
    ("11月24日18时许，市公安局市北分局", "24日", "date"),
    ("11月24日18时许，市公安局市北分局", "18", "date"),
    ("大力推进110接处警改革实践", "110", "code"),
    ("汇集110、12345等21个渠道民意诉求", "12345", "code"),
    ("汇集110、12345等21个渠道民意诉求", "21个", "quantity"),
    ("高效运行“968110”执法管理监督热线", "968110", "quoted"),
    ("牵头发起“10·13”特大非法利用信息网络全国集群战役", "10", "code"),
    ("创新“1+10+16+N”合成作战线上值守模式", "1", "model"),
    ("圆满完成第二届跨国公司领导人青岛峰会等940场次大型活动安保任务", "二", "ordinal"),
    ("圆满完成第二届跨国公司领导人青岛峰会等940场次大型活动安保任务", "940场次", "quantity"),
    ("按照省公安厅“两个大抓、再抓三年”的统一部署", "三年", "quoted"),
    ("十年来,开发区公安分局", "十年", "period"),
    ("近四年连续荣获“全市优秀公安局”称号", "近四年", "period"),
    ("系2022年以来全市成功跨国追捕的首名红通逃犯", "2022年", "date"),
    ("创新设立“U18”警队", "18", "code"),
    ("全市公安机关年内破获刑事案件1.4万余起", "1.4万余起", "quantity"),
    ("电诈发案数、损失数同比下降39.1%、46.8%", "46.8%", "quantity"),
    ("查处黄赌违法犯罪案件较2020年提高33%", "2020年", "date"),
    ("上云数据突破1.7万亿条", "突破1.7万亿条", "quantity"),
    ("数量占全省总数四分之一、居全省第一", "四分之一", "quantity"),
    ("对标深圳和我省15地市的“网上”政务服务事项", "15", "bare"),
    ("1—7月全市电诈发案同比下降", "1", "date"),
    ("每起案件涉案金额3至5万元", "3至5万元", "quantity"),
    ("电诈发案数下降30%-40%。", "30%-40%", "quantity"),
    ("每次抓获3-5人", "3-5人", "quantity"),
    ("民警走进千家万户宣传", "千家", "idiom"),
    ("涉案金额1亿2000万元", "1亿2000万元", "quantity"),
    ("錄得612宗(+7.4%)", "+7.4%", "quantity"),
    ("變幅(-31.5百分點)", "-31.5百分點", "quantity"),
    ("二○二三年錄得刑事案件", "二○二三年", "date"),
    ("113年1至9月共破獲2萬件", "113年", "date"),
    ("服刑113年", "113年", "quantity"),
    ("平均每3分钟接警一起", "3分钟", "rate"),
    ("每10万人发案数", "10万人", "rate"),
    ("解除分期付款诈骗6,128件次之", "6,128件", "quantity"),  # 次之 (second) is no part of the unit
    ("出动警力3000人次之多", "3000人次", "quantity"),
    ("开展清查行动3次之后", "3次", "quantity"),
    ("罚款伍元", "伍元", "quantity"),
]


def test_a_formal_numeral_alone_is_no_number():
    assert find_mentions("陆路口岸录得6914万人次") == find_mentions("水路口岸录得6914万人次")


@pytest.mark.parametrize("sentence,text,kind", MENTIONS)
def test_find_mentions_kinds(sentence, text, kind):
    mentions = {m.text: m for m in find_mentions(sentence)}
    assert text in mentions, f"{text!r} not found among {list(mentions)}"
    mention = mentions[text]
    assert mention.kind == kind
    assert sentence[mention.start:mention.end] == text


def test_canonical_units():
    assert [canonical_unit(u) for u in ("百分點", "千克", "个小时", "宗", None)] == ["个百分点", "公斤", "小时", "宗", None]


@pytest.mark.parametrize("sentence", ["全面推进一体化建设", "统一门户、警务大屏", "一键报警", "十佳人民警察"])
def test_words_with_numeral_characters_are_not_mentions(sentence):
    assert find_mentions(sentence) == []


def test_mentions_keep_traditional_text_and_offsets():
    sentence = "破獲案件9200起(偵破本地案件2100起)"
    mentions = find_mentions(sentence)
    assert [m.text for m in mentions] == ["9200起", "2100起"]
    assert [m.quantity.value for m in mentions] == [9200, 2100]


def test_the_number_of_a_table_or_figure_is_no_quantity():
    from ie.quantity import find_mentions

    assert [(m.text, m.kind) for m in find_mentions("表1　本周各区县接报警情情况，见图2。")] == [("1", "ordinal"), ("2", "ordinal")]


@pytest.mark.parametrize("text,value,unit", [
    ("1亿2,159万元", 121590000, "元"),  # Taiwan writes the part below 亿 with a thousands separator
    ("1億2,159萬元", 121590000, "元"),
    ("1亿2159万元", 121590000, "元"),
    ("23万1,846件", 231846, "件"),
])
def test_sectioned_numbers(text, value, unit):
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit) == (value, unit)


def test_a_multiplier_alone_is_no_number_and_yinei_is_less_than():
    assert find_mentions("（单位：新台币万元）") == [] and [m.text for m in find_mentions("损失1.2万元")] == ["1.2万元"]
    quantity = parse_quantity("5分钟以内")
    assert (quantity.value, quantity.unit, quantity.qualifier) == (5, "分钟", "less_than")

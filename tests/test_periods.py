"""Periods as written, normalised: real periods of the corpora's records, alone and in their documents."""

from __future__ import annotations

from datetime import date

import pytest

from ie.views.periods import (DocumentDates, Period, PeriodContext, periods_to_context, text_to_dateline,
                              text_to_dates, text_to_week, written_to_period)

D = date


@pytest.mark.parametrize("written, form, start, end", [
    ("2023年", "2023", D(2023, 1, 1), D(2023, 12, 31)),
    ("2023年度", "2023", D(2023, 1, 1), D(2023, 12, 31)),
    ("二〇二三年", "2023", D(2023, 1, 1), D(2023, 12, 31)),
    ("二○二三年", "2023", D(2023, 1, 1), D(2023, 12, 31)),   # ○ (U+25CB), as Hong Kong bulletins write it
    ("二零二三年", "2023", D(2023, 1, 1), D(2023, 12, 31)),
    ("113年", "2024", D(2024, 1, 1), D(2024, 12, 31)),       # Republic of China year (Taiwan)
    ("民国113年", "2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("2024年上半年", "2024-H1", D(2024, 1, 1), D(2024, 6, 30)),
    ("二○二四年上半年", "2024-H1", D(2024, 1, 1), D(2024, 6, 30)),
    ("2025年上半年", "2025-H1", D(2025, 1, 1), D(2025, 6, 30)),
    ("2024年第三季度", "2024-Q3", D(2024, 7, 1), D(2024, 9, 30)),
    ("2024年第三季", "2024-Q3", D(2024, 7, 1), D(2024, 9, 30)),
    ("2024年一季度", "2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
    ("二○二四年首季", "2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
    ("2024年3月", "2024-03", D(2024, 3, 1), D(2024, 3, 31)),
    ("2024年2月", "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("112年9月份", "2023-09", D(2023, 9, 1), D(2023, 9, 30)),
    ("2024年1—6月", "2024-01/2024-06", D(2024, 1, 1), D(2024, 6, 30)),
    ("2024年1-7月", "2024-01/2024-07", D(2024, 1, 1), D(2024, 7, 31)),
    ("2024年1月至6月", "2024-01/2024-06", D(2024, 1, 1), D(2024, 6, 30)),
    ("113年1至9月", "2024-01/2024-09", D(2024, 1, 1), D(2024, 9, 30)),
    ("二○二三年1至9月", "2023-01/2023-09", D(2023, 1, 1), D(2023, 9, 30)),
    ("２０２４年１—７月", "2024-01/2024-07", D(2024, 1, 1), D(2024, 7, 31)),   # full-width digits
    ("截至2024年6月30日", "..2024-06-30", None, D(2024, 6, 30)),
    ("2023年底", "..2023-12-31", None, D(2023, 12, 31)),
    ("2024年10月1日", "2024-10-01", D(2024, 10, 1), D(2024, 10, 1)),
])
def test_periods_with_their_year(written, form, start, end):
    assert written_to_period(written) == Period(written, form, start, end)


@pytest.mark.parametrize("written, form", [
    ("上半年", "2024-H1"), ("下半年", "2024-H2"), ("第三季度", "2024-Q3"), ("一季度", "2024-Q1"), ("首季", "2024-Q1"),
    ("3月", "2024-03"), ("3月份", "2024-03"), ("1—7月", "2024-01/2024-07"), ("1-7月", "2024-01/2024-07"),
    ("1至7月", "2024-01/2024-07"), ("一至七月", "2024-01/2024-07"), ("一月至六月", "2024-01/2024-06"),
    ("前9月", "2024-01/2024-09"), ("首九个月", "2024-01/2024-09"), ("1月", "2024-01"), ("全年", "2024"),
    ("截至6月底", "..2024-06-30"), ("截止6月底", "..2024-06-30"), ("截至4月14日", "..2024-04-14"),
    ("截至年底", "..2024-12-31"), ("年末", "..2024-12-31"), ("1—2月", "2024-01/2024-02"),
])
def test_periods_without_their_year_take_the_documents(written, form):
    assert written_to_period(written, PeriodContext(year=2024)).form == form
    assert written_to_period(written).form is None  # no year known: never a guess


@pytest.mark.parametrize("written, this_year, form", [
    ("今年", 2024, "2024"), ("本年", 2024, "2024"), ("去年", 2024, "2023"), ("上年", 2024, "2023"),
    ("今年上半年", 2024, "2024-H1"), ("今年1至6月", 2024, "2024-01/2024-06"), ("本年1至6月", 2024, "2024-01/2024-06"),
    ("今年第一季", 2024, "2024-Q1"), ("今年首九个月", 2023, "2023-01/2023-09"), ("今年一月至六月", 2024, "2024-01/2024-06"),
    ("今年1—5月", 2024, "2024-01/2024-05"),
])
def test_relative_years_need_the_year_of_the_document(written, this_year, form):
    assert written_to_period(written, PeriodContext(this_year=this_year)).form == form
    assert written_to_period(written, PeriodContext(year=this_year)).form is None  # the periods' year is not 今年


@pytest.mark.parametrize("written", [
    "今年以来", "十年来", "近年来", "一年来", "五年来", "过去五年", "近三年", "年内", "目前", "现时", "节前",
    "“五一”假期", "今年“五一”假期", "国庆假期", "去年暑期", "2020年以来", "2020年“三民”活动期间", "下月", "下一步",
    "国家网络安全宣传周期间", "春运启动以来", "23年", "2024年13月", "2024年2月30日", "7—3月", "", None,
])
def test_periods_that_stay_unnormalised(written):
    context = PeriodContext(today=D(2024, 7, 18), this_year=2024, year=2024, month=(2024, 7), quarter=(2024, 3))
    assert written_to_period(written, context) == Period(written)


def test_this_week_is_the_week_of_the_heading():
    context = periods_to_context(["本周", "今年以来"], text_to_dates("石梁县禁毒工作周报\n2024年第23期（6月3日—6月9日）\n"))
    assert written_to_period("本周", context) == Period("本周", "2024-06-03/2024-06-09", D(2024, 6, 3), D(2024, 6, 9))
    assert written_to_period("本周", periods_to_context(["本周"])) == Period("本周")


@pytest.mark.parametrize("head, week", [
    ("桐岭县公安局警情周报\n第37期（2024年9月9日—9月15日）\n", (D(2024, 9, 9), D(2024, 9, 15))),
    ("澄州市公安局每周警情通报（2024年3月11日—3月17日）\n澄州市公安局指挥中心　　2024年3月18日\n",
     (D(2024, 3, 11), D(2024, 3, 17))),
    ("青禾区公安分局警情周报\n（2024年第18周　4月29日—5月5日）\n", (D(2024, 4, 29), D(2024, 5, 5))),
    ("警情周报（2024年第1期　12月30日至1月5日）", (D(2024, 12, 30), D(2025, 1, 5))),
    ("滨江市反诈中心反诈预警周报\n第15期（4月8日—4月14日）\n", None),       # no year
    ("2024年春运（1月26日—3月5日）期间", None),                                # not a week
])
def test_the_week_of_a_weekly_bulletin(head, week):
    assert text_to_week(head) == week


def test_this_month_and_this_quarter_take_the_one_the_document_names():
    assert written_to_period("本月", PeriodContext(month=(2024, 8))).form == "2024-08"
    assert written_to_period("本季度", PeriodContext(quarter=(2024, 3))).form == "2024-Q3"
    assert written_to_period("本季", PeriodContext(quarter=(2024, 1))).form == "2024-Q1"
    assert written_to_period("本月", PeriodContext(year=2024, today=D(2024, 10, 8))).form is None


# The periods of real documents of the training and test splits (annotations/*.records.jsonl),
# with the date line of each where the test gives one.
@pytest.mark.parametrize("periods, today, expected", [
    # a provincial traffic table: the heading names the year, the rows do not
    (["2024年第三季度", "第三季度"], None, {"第三季度": "2024-Q3"}),
    # a monthly bulletin: 本月 is the month of its heading, not of its date line (2024-09-06)
    (["2024年8月", "本月"], D(2024, 9, 6), {"本月": "2024-08"}),
    # a Taiwan yearly report in ROC years
    (["113年", "1月", "2月", "全年"], None, {"1月": "2024-01", "全年": "2024"}),
    # a Hong Kong press conference of 29 January 2024 on 2023: 去年 is 2023, 今年 2024, and 全年 unknown
    (["二○二三年", "全年", "去年", "今年", "现时"], D(2024, 1, 29), {"去年": "2023", "今年": "2024", "全年": None}),
    # ... and without its date line nothing relative is normalised
    (["二○二三年", "全年", "去年", "今年"], None, {"去年": None, "今年": None, "全年": None}),
    # a drugs press conference of June 2024 with 2023 figures: without the date line 截至5月底 stays unknown
    (["2023年", "今年1—5月", "截至5月底", "今年以来", "去年"], None, {"截至5月底": None, "今年1—5月": None}),
    (["2023年", "今年1—5月", "截至5月底", "今年以来", "去年"], D(2024, 6, 25),
     {"截至5月底": "..2024-05-31", "今年1—5月": "2024-01/2024-05", "去年": "2023"}),
    # 今年一月至六月 restates 2024年1月至6月 of the same document
    (["今年一月至六月", "上半年", "2024年1月至6月"], None, {"今年一月至六月": "2024-01/2024-06", "上半年": "2024-H1"}),
    # a half-year release of 16 July 2024 naming no year: 1—6月 is over by then
    (["1—6月", "上半年"], D(2024, 7, 16), {"1—6月": "2024-01/2024-06", "上半年": "2024-H1"}),
    # ... but a 全年 of a January bulletin may be last year's: unknown
    (["全年"], D(2024, 1, 16), {"全年": None}),
    # a quarterly crime table of April 2024 comparing two years' first quarters
    (["二○二四年首季", "首季", "二○二三年首季"], D(2024, 4, 26), {"首季": "2024-Q1", "二○二三年首季": "2023-Q1"}),
    # a work report listing a series of years: 全年 of which?
    (["2023年", "2019年", "2022年", "全年"], None, {"全年": None}),
    # seeds: 今年以来 with no date line, years in the lead
    (["2021年", "年内", "今年以来", "一年来"], None, {"2021年": "2021", "年内": None, "今年以来": None}),
])
def test_periods_in_their_documents(periods, today, expected):
    context = periods_to_context(periods, DocumentDates(today))
    assert {written: written_to_period(written, context).form for written in expected} == expected


@pytest.mark.parametrize("head, expected", [
    ("警務處處長年終記者會發言摘錄\n二○二四年一月二十九日（星期一）\n", D(2024, 1, 29)),
    ("岳川省“6·26”国际禁毒日新闻发布会实录\n发布时间：2024年6月25日　　来源：岳川省人民政府新闻办公室\n", D(2024, 6, 25)),
    ("某市消防救援支队2023年火灾形势分析\n发布日期：2024-01-12\n", D(2024, 1, 12)),
    ("江陵省禁毒委员会通报2023年度全省禁毒工作情况\n2024-06-25 10:30　来源：江陵省禁毒委员会办公室\n", D(2024, 6, 25)),
    ("司警局公佈今(jīn)年首季詐騙(piàn)案數據\n2024年(nián)4月11日\n", D(2024, 4, 11)),   # pinyin annotations
    ("澄州市公安局每周警情通报（2024年3月11日—3月17日）\n指挥中心　　2024年3月18日\n", D(2024, 3, 18)),  # not the week
    ("警政署新聞稿\n發布日期：112年11月22日\n", D(2023, 11, 22)),
    ("青島日報社/觀海新聞12月18日訊 近年來", None),
    ("2021年,全市公安機關堅持以習近平新時代中國特色社會主義思想為指導", None),
])
def test_the_date_line(head, expected):
    assert text_to_dateline(head) == expected


def test_the_date_line_is_looked_for_near_the_top_only():
    assert text_to_dateline("标题\n" + "正文" * 200 + "2024年6月25日") is None

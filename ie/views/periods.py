"""Periods as written (``2024年上半年``, ``1—7月``, ``截至6月底``) in a normalised, machine-readable form.

``written_to_period`` gives a ``Period``: an ISO-like form and the first and last day it covers.

==========  ========================  ===========================  ==========================
kind        written                   form                         start … end
==========  ========================  ===========================  ==========================
year        2023年, 二〇二三年, 113年  ``2023``, ``2024``           2023-01-01 … 2023-12-31
half-year   2024年上半年              ``2024-H1``                  2024-01-01 … 2024-06-30
quarter     2024年第三季, 首季        ``2024-Q3``                  2024-07-01 … 2024-09-30
month       2024年3月, 112年9月份     ``2024-03``                  2024-03-01 … 2024-03-31
months      1—7月, 一至七月, 前9月    ``2024-01/2024-07``          2024-01-01 … 2024-07-31
day         2024年10月1日             ``2024-10-01``               the day
as of       截至6月底, 2023年底       ``..2024-06-30``             None … 2024-06-30
week        本周 (of its heading)     ``2024-06-03/2024-06-09``    2024-06-03 … 2024-06-09
==========  ========================  ===========================  ==========================

A three-digit year is a Republic of China (Taiwan) year, ``113年`` = 2024 (``民国`` may precede
it). Whatever is not one of these (``今年以来``, ``十年来``, ``年内``, ``“五一”假期``) stays
unnormalised: ``form``, ``start`` and ``end`` are None, never a guess.

A period without its year (``上半年``, ``1—7月``, ``截至6月底``, ``全年``) takes the year of the
document from its ``PeriodContext`` (``periods_to_context``): the one year the document's
other periods name, or else the year of its date line when the period is over by that date.
``今年``/``本年``/``去年``/``明年`` are relative to the date line (``text_to_dateline``); with
none, ``今年X`` takes the year of ``YYYY年X`` written elsewhere in the document (the same
period restated) and ``去年`` stays unnormalised. ``本月`` and ``本季度`` take the one month or
quarter the document's periods name; ``本周`` the week of a weekly bulletin's heading
(``2024年第23期（6月3日—6月9日）``, ``text_to_week``). Periods are simplified in records;
traditional characters, full-width digits and ``○`` are read too.

>>> written_to_period("2024年上半年").form
'2024-H1'
>>> written_to_period("1—7月", PeriodContext(year=2024)).form
'2024-01/2024-07'
>>> written_to_period("截至6月底", PeriodContext(year=2024)).form
'..2024-06-30'
>>> written_to_period("今年以来").form is None
True
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CLEAN = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "○": "〇", "零": "〇", "Ｏ": "〇",
                        "兩": "两", "個": "个", "週": "周", "來": "来", "國": "国", "號": "号",
                        "－": "-", "—": "-", "–": "-", "―": "-", "~": "-", "～": "-", "到": "-"})
_N = r"[0-9]{1,2}|[一二两三四五六七八九十]{1,3}"
_YEAR = (r"(?:(?P<roc>民国)?(?P<year>[0-9]{3,4}|[〇一二三四五六七八九]{4})|(?P<rel>今|本|去|上|明|前))年度?")
_WRITTEN = re.compile(rf"^(?P<asof>截至)?(?:{_YEAR})?(?P<body>.*?)止?$")
_RELATIVE = re.compile(r"^(?:截至)?(今|本|去|上|明|前)年(?!半)")
_OFFSETS = {"今": 0, "本": 0, "去": -1, "上": -1, "明": 1, "前": -2}
_BODIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("year", r"(?:全年)?"),
    ("half", r"(?P<a>上|下)半年度?"),
    ("quarter", rf"(?:第?(?P<a>{_N})|首)季度?"),
    ("month", rf"(?P<a>{_N})月份?"),
    ("months", rf"(?P<a>{_N})(?:月份?)?[-至](?P<b>{_N})(?:月份?|个月)"),
    ("months", rf"(?:前|首)(?P<b>{_N})个?月"),
    ("day", rf"(?P<a>{_N})月(?P<b>{_N})[日号]"),
    ("month_end", rf"(?P<a>{_N})月份?(?:底|末)"),
    ("year_end", r"年?(?:底|末)"),
    ("this_month", r"本月份?"),
    ("this_quarter", r"本季度?"),
    ("this_week", r"本周"),
))


@dataclass(frozen=True)
class Period:
    """A period as written and, when it could be normalised, its form and the days it covers
    (``end`` inclusive; ``start`` None for an as-of period)."""

    written: str | None
    form: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class PeriodContext:
    """What a document tells about the periods it leaves incomplete: the date of its date line
    (``today``), the year ``今年`` means (``this_year``), the year of its periods (``year``), the
    one month and quarter its periods name (``(year, month)``, ``(year, quarter)``) and the week of
    its heading (first and last day)."""

    today: date | None = None
    this_year: int | None = None
    year: int | None = None
    month: tuple[int, int] | None = None
    quarter: tuple[int, int] | None = None
    week: tuple[date, date] | None = None


@dataclass(frozen=True)
class DocumentDates:
    """What the head of a document says of its time: its date line and the week it covers."""

    dateline: date | None = None
    week: tuple[date, date] | None = None


@dataclass(frozen=True)
class _Parsed:
    kind: str
    year: int | None  # explicit
    offset: int | None  # relative to this year
    a: int | None
    b: int | None
    as_of: bool


def _number(text: str | None) -> int | None:
    """``"7"`` -> 7, ``"十二"`` -> 12, ``"二十九"`` -> 29."""
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    text = text.replace("两", "二")
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
            return None
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    return _DIGITS.get(text) if len(text) == 1 else None


def _clean(written: str) -> str:
    return re.sub(r"\s+", "", written.translate(_CLEAN).replace("截止", "截至"))


def _parse(written: str) -> _Parsed | None:
    match = _WRITTEN.match(_clean(written))
    if not match:
        return None
    year = offset = None
    if match["year"]:
        digits = match["year"]
        year = int(digits) if digits.isdigit() else int("".join(str(_DIGITS[c]) for c in digits))
        if match["roc"] or len(digits) == 3:
            year = year + 1911 if 100 <= year <= 199 or match["roc"] else None
        if year is None or not 1900 <= year <= 2100:
            return None
    elif match["rel"]:
        offset = _OFFSETS[match["rel"]]
    body = match["body"]
    if not body and year is None and offset is None:
        return None
    for kind, pattern in _BODIES:
        found = pattern.fullmatch(body)
        if found:
            groups = found.groupdict()
            a = {"上": 1, "下": 2}.get(groups.get("a") or "") or _number(groups.get("a"))
            b = _number(groups.get("b"))
            if kind == "quarter" and a is None:
                a = 1  # 首季
            if kind == "months" and a is None:
                a = 1  # 前9月, 首九个月
            if kind in ("this_month", "this_quarter", "this_week") and (year is not None or offset is not None):
                return None
            return _Parsed(kind, year, offset, a, b, bool(match["asof"]))
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _build(kind: str, year: int, a: int | None, b: int | None, as_of: bool) -> Period | None:
    """The form and days of a parsed period in ``year`` (None when its numbers are impossible)."""
    try:
        if kind == "year":
            form, start, end = f"{year}", date(year, 1, 1), date(year, 12, 31)
        elif kind == "half" and a in (1, 2):
            form, start, end = f"{year}-H{a}", date(year, 6 * a - 5, 1), _month_end(year, 6 * a)
        elif kind == "quarter" and a is not None and 1 <= a <= 4:
            form, start, end = f"{year}-Q{a}", date(year, 3 * a - 2, 1), _month_end(year, 3 * a)
        elif kind == "month" and a is not None:
            form, start, end = f"{year}-{a:02d}", date(year, a, 1), _month_end(year, a)
        elif kind == "months" and a is not None and b is not None and a < b:
            form, start, end = f"{year}-{a:02d}/{year}-{b:02d}", date(year, a, 1), _month_end(year, b)
        elif kind == "day" and a is not None and b is not None:
            start = end = date(year, a, b)
            form = start.isoformat()
        elif kind == "month_end" and a is not None:
            form, start, end, as_of = "", None, _month_end(year, a), True
        elif kind == "year_end":
            form, start, end, as_of = "", None, date(year, 12, 31), True
        else:
            return None
    except (ValueError, TypeError):  # month 13, 2月30日
        return None
    if as_of:
        return Period(None, f"..{end.isoformat()}", None, end)
    return Period(None, form, start, end)


def _year_of(parsed: _Parsed, context: PeriodContext) -> int | None:
    if parsed.year is not None:
        return parsed.year
    if parsed.offset is not None:
        return None if context.this_year is None else context.this_year + parsed.offset
    return context.year


def written_to_period(written: str | None, context: PeriodContext = PeriodContext()) -> Period:
    """The normalised period of ``written`` in a document of ``context`` (unnormalised when unknown).

    >>> written_to_period("二〇二三年").form, written_to_period("113年1至9月").form
    ('2023', '2024-01/2024-09')
    >>> p = written_to_period("截至2024年6月30日"); p.form, p.start, p.end
    ('..2024-06-30', None, datetime.date(2024, 6, 30))
    >>> written_to_period("上半年").form is None   # whose year? not known here
    True
    >>> written_to_period("去年", PeriodContext(this_year=2024)).form
    '2023'
    """
    parsed = None if written is None else _parse(written)
    if parsed is None:
        return Period(written)
    if parsed.kind == "this_week":
        if context.week is None:
            return Period(written)
        start, end = context.week
        return Period(written, f"{start.isoformat()}/{end.isoformat()}", start, end)
    if parsed.kind in ("this_month", "this_quarter"):
        known = context.month if parsed.kind == "this_month" else context.quarter
        if known is None:
            return Period(written)
        kind = "month" if parsed.kind == "this_month" else "quarter"
        found = _build(kind, known[0], known[1], None, parsed.as_of)
        return Period(written) if found is None else Period(written, found.form, found.start, found.end)
    year = _year_of(parsed, context)
    found = None if year is None else _build(parsed.kind, year, parsed.a, parsed.b, parsed.as_of)
    if found is None and year is None and parsed.offset is None and context.today is not None:
        # no year from the document's periods: the date line's, when the period is over by then
        found = _build(parsed.kind, context.today.year, parsed.a, parsed.b, parsed.as_of)
        if found is not None and (found.end is None or found.end > context.today):
            found = None
    return Period(written) if found is None else Period(written, found.form, found.start, found.end)


def periods_to_context(periods: Iterable[str | None], dates: DocumentDates = DocumentDates()) -> PeriodContext:
    """What the periods of one document (and the dates of its head, if known) say about its
    incomplete periods; see the module's docstring.

    >>> periods_to_context(["2024年上半年", "上半年"]).year
    2024
    >>> periods_to_context(["2023年", "今年1—5月", "截至5月底"]).year is None  # 今年 is not 2023 here
    True
    >>> periods_to_context(["今年一月至六月", "2024年1月至6月"]).this_year
    2024
    >>> periods_to_context(["2024年8月", "本月"]).month
    (2024, 8)
    """
    written = sorted({p for p in periods if p})
    parsed = {p: q for p in written if (q := _parse(p)) is not None}
    today = dates.dateline
    this_year = today.year if today else None
    if this_year is None:  # 今年X with YYYY年X elsewhere: the same period, restated
        explicit: dict[tuple, set[int]] = {}
        for q in parsed.values():
            if q.year is not None:
                explicit.setdefault((q.kind, q.a, q.b, q.as_of), set()).add(q.year)
        same = {frozenset(explicit.get((q.kind, q.a, q.b, q.as_of), ())) for q in parsed.values()
                if q.offset == 0 and q.kind != "year"}
        this_year = next(iter(next(iter(same)))) if len(same) == 1 and len(next(iter(same))) == 1 else None
    relative = [_RELATIVE.match(_clean(p)) for p in written]
    if this_year is None and any(relative):
        year = None  # 今年/去年 of an unknown year: which year the document is about is not known
    else:
        years = {q.year for q in parsed.values() if q.year is not None}
        years |= {this_year + _OFFSETS[m[1]] for m in relative if m}
        year = years.pop() if len(years) == 1 else None
    context = PeriodContext(today=today, this_year=this_year, year=year)
    months, quarters = set(), set()
    for q in parsed.values():
        resolved = _year_of(q, context) if q.kind in ("month", "quarter") else None
        if resolved is not None:
            (months if q.kind == "month" else quarters).add((resolved, q.a))
    return PeriodContext(today=today, this_year=this_year, year=year,
                         month=months.pop() if len(months) == 1 else None,
                         quarter=quarters.pop() if len(quarters) == 1 else None, week=dates.week)


_PINYIN = re.compile(r"\([a-zü\u00e0-\u01dc]+\)")
_HEAD_YEAR = re.compile(r"(?<![0-9])([0-9]{4}|[〇一二三四五六七八九]{4})年")
_WEEK = re.compile(rf"(?P<m>{_N})月(?P<d>{_N})日[ \t\u3000]*[-至][ \t\u3000]*(?:(?P<m2>{_N})月)?(?P<d2>{_N})日")
_DATE = re.compile(rf"(?<![0-9])(?P<y>[0-9]{{4}}|[〇一二三四五六七八九]{{4}}|[0-9]{{3}})[ \t\u3000]*年[ \t\u3000]*"
                   rf"(?P<m>{_N})[ \t\u3000]*月[ \t\u3000]*(?P<d>{_N})[ \t\u3000]*[日号]"
                   r"|(?<![0-9])(?P<iy>[0-9]{4})[-/.](?P<im>[0-9]{1,2})[-/.](?P<id>[0-9]{1,2})(?![0-9])")


def _head(text: str, within: int) -> str:
    """The first ``within`` characters, cleaned, without pinyin annotations (``年(nián)``)."""
    return _PINYIN.sub("", text[:within].translate(_CLEAN))


def _year(digits: str) -> int:
    year = int(digits) if digits.isdigit() else int("".join(str(_DIGITS[c]) for c in digits))
    return year + 1911 if len(digits) == 3 else year


def text_to_dateline(text: str, *, within: int = 200) -> date | None:
    """The date of a document's date line: the first full date (year, month and day) in its first
    ``within`` characters that does not begin a range, or None.

    >>> text_to_dateline("警務處處長年終記者會發言摘錄\\n二○二四年一月二十九日（星期一）\\n")
    datetime.date(2024, 1, 29)
    >>> text_to_dateline("发布时间：2024-06-25　来源：省政府新闻办"), text_to_dateline("观海新闻12月18日讯")
    (datetime.date(2024, 6, 25), None)
    """
    head = _head(text, within)
    for match in _DATE.finditer(head):
        if head[match.end():match.end() + 2].lstrip(" \u3000")[:1] in ("-", "至"):
            continue  # the first day of a range (a weekly bulletin's week), not a date line
        if match["iy"]:
            year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
        else:
            year = _year(match["y"])
            month, day = _number(match["m"]), _number(match["d"])
        try:
            found = date(year, month or 0, day or 0)
        except ValueError:
            continue
        if 1900 <= found.year <= 2100:
            return found
    return None


def text_to_week(text: str, *, within: int = 200) -> tuple[date, date] | None:
    """The week a weekly bulletin's heading names (seven days from ``M月D日`` to ``M月D日`` after a
    year), as its first and last day, or None.

    >>> text_to_week("石梁县禁毒工作周报\\n2024年第23期（6月3日—6月9日）\\n")
    (datetime.date(2024, 6, 3), datetime.date(2024, 6, 9))
    >>> text_to_week("全市火灾形势周报（2024年第11周）\\n统计时间：3月11日—3月17日\\n本周，全市")
    (datetime.date(2024, 3, 11), datetime.date(2024, 3, 17))
    >>> text_to_week("2024年春运（1月26日—3月5日）") is None   # not a week
    True
    """
    head = _head(text, within)
    for match in _WEEK.finditer(head):
        year = _HEAD_YEAR.search(head, 0, match.start())
        if year is None:
            continue
        first_month, last_month = _number(match["m"]), _number(match["m2"] or match["m"])
        try:
            start = date(_year(year[1]), first_month or 0, _number(match["d"]) or 0)
            end = date(start.year + (1 if (last_month or 0) < start.month else 0), last_month or 0,
                       _number(match["d2"]) or 0)
        except ValueError:
            continue
        if (end - start).days == 6:
            return start, end
    return None


def text_to_dates(text: str) -> DocumentDates:
    """The date line and the week of a document's head (``text_to_dateline``, ``text_to_week``)."""
    return DocumentDates(text_to_dateline(text), text_to_week(text))

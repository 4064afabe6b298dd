"""Parse the number expressions of bulletins: value, unit, qualifier, from-value.

Pure Python, no torch. Three entry points:

- ``parse_number``: a numeral alone (``1.4万``, ``四千五百``, ``1,188.2萬``).
- ``parse_quantity``: a VALUE span as written, qualifier + number + multiplier + unit
  (``1.4万余起``, ``近30%``, ``23.6个百分点``), or a from-to (``由49.5%提升至63.5%``).
- ``find_mentions``: every number in a sentence, each labelled with a ``kind``: a real
  ``quantity`` or one of the things that are not (dates, periods, codes, models,
  ordinals, quoted names).

>>> parse_quantity("1.4万余起")
Quantity(value=14000.0, unit='起', qualifier='more_than', from_value=None, low=None)
>>> parse_quantity("由49.5%提升至63.5%")
Quantity(value=63.5, unit='%', qualifier=None, from_value=49.5, low=None)
>>> parse_quantity("3至5万元")
Quantity(value=50000.0, unit='元', qualifier=None, from_value=None, low=30000.0)
>>> parse_number("一千兩百七十")
1270.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Traditional forms of the characters this module reads (units, multipliers, numerals).
_TRADITIONAL = str.maketrans(
    "萬億兩個點餘項張處條輛臺場筆噸戶隻時鐘個級幾倉間蓋門陣圍週參貳陸澳門幣約",
    "万亿两个点余项张处条辆台场笔吨户只时钟个级几仓间盖门阵围周参贰陆澳门币约",
)
_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "万亿": 10**12}

CN_NUMERAL = "零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
SIGNS = "+-−－↑↓"
"""Signs and arrows that may open a change value (``-5.2%``, ``+7.4%``, ``↓3起``): the value is the magnitude."""
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SECTIONED = (r"\d+(?:\.\d+)?亿(?:\d{1,3},\d{3}|\d+)(?:\.\d+)?万|\d+万\d+千"  # 1亿2000万, 1亿2,159万, 1万2千
              r"|\d+万(?:\d{1,3},\d{3}|\d{1,4})(?:\.\d+)?(?![\d,])")  # Taiwan: 23万1,846, 4万1,512.6
_ANY_NUMBER = re.compile(rf"[\d{CN_NUMERAL}]")


def has_number(text: str) -> bool:
    """Whether a text holds a digit (any script) or a Chinese numeral, simplified or traditional,
    as ``parse_quantity`` reads them: every value needs one.

    >>> has_number("破获刑事案件9700起"), has_number("同比下降三成"), has_number("兩起"), has_number("高度重视")
    (True, True, True, False)
    """
    return _ANY_NUMBER.search(text.translate(_TRADITIONAL)) is not None


_CHINESE = rf"[{CN_NUMERAL}]+(?:点[零〇一二三四五六七八九]+)?"

QUALIFIERS = {
    "more_than": ("超过", "突破", "以上", "余", "多", "超", "逾"),
    "nearly": ("将近", "接近", "近"),
    "about": ("大约", "左右", "约"),
    "less_than": ("不到", "不足", "以下", "以内"),
}
_QUALIFIER_OF = {word: name for name, words in QUALIFIERS.items() for word in words}
_PREFIX_QUALIFIERS = ("将近", "接近", "大约", "超过", "不到", "不足", "突破", "近", "约", "超", "逾")
_SUFFIX_QUALIFIERS = ("以上", "以下", "以内", "左右", "余", "多")

# Units after the multiplier is folded in, longest first; variants map to the canonical unit.
UNITS = (
    "个百分点", "百分点", "平方公里", "平方米", "个工作日", "工作日", "个小时", "个月", "人次", "家次",
    "场次", "架次", "轮次", "波次", "车次", "辆次", "艘次", "户次", "公斤", "千克", "公里", "小时", "分钟",
    "港元", "澳门元", "美元", "新台币", "件次", "公升", "公克",
    "%", "‰", "起", "人", "名", "宗", "件", "个", "处", "条", "次", "台", "辆", "家", "支", "只", "户",
    "张", "份", "克", "吨", "成", "倍", "年", "天", "日", "周", "元", "项", "类", "种", "路", "所", "座",
    "套", "批", "枚", "把", "箱", "艘", "架", "间", "队", "场", "篇", "笔", "秒", "本", "包", "通", "发", "期", "枝",
    "亩", "株",
)
_UNIT_ALIASES = {"百分点": "个百分点", "个小时": "小时", "千克": "公斤", "工作日": "个工作日", "公克": "克"}
_UNIT_RE = "|".join(re.escape(u) + ("(?!之(?:[，,。；;、]|$))" if u.endswith("次") else "(?![内间])" if u == "期" else "")
                    for u in UNITS)  # 6,128件次之，: 件; 110及999期内: 期内 is a period, not a unit


def canonical_unit(unit: str | None) -> str | None:
    """The canonical spelling of a unit (``千克`` -> ``公斤``, ``百分点`` -> ``个百分点``), simplified.

    >>> canonical_unit("百分點"), canonical_unit("千克"), canonical_unit("起")
    ('个百分点', '公斤', '起')
    """
    if unit is None:
        return None
    simplified = unit.translate(_TRADITIONAL)
    return _UNIT_ALIASES.get(simplified, simplified)


_MULT_RE = "万亿|亿|万|千(?![克米])|百(?!分点)"
_PRE_RE = "|".join(_PREFIX_QUALIFIERS)

_QUANTITY = re.compile(
    rf"(?P<pre>{_PRE_RE})?"
    rf"(?:(?P<percent>百分之|千分之)(?P<pnum>{_ARABIC}|{_CHINESE})"
    rf"|(?P<den>[{CN_NUMERAL}]+)分之(?P<numer>{_CHINESE})"
    rf"|(?P<num>{_SECTIONED}|{_ARABIC}|{_CHINESE})(?P<mid1>余|多)?(?P<mult>{_MULT_RE})?(?P<mid2>余|多)?"
    rf"(?P<unit>个(?P<mid3>多|余)?月|{_UNIT_RE})?"
    rf"(?P<tenth>(?<=成)(?:半|[一二三四五六七八九](?![一二三四五六七八九十百千万亿成]))(?![{CN_NUMERAL}]))?)"
    rf"(?P<post>以上|以下|以内|左右|余|多)?"
)
RANGE_LINKS = "至到—~～－–-"  # "-" last: safe inside a character class
_FROM_TO_LINK = re.compile(r"[^\d%]{0,4}?(?:至|到|为)")  # the verb between the two values, then 至


class QuantityError(ValueError):
    """Raised when a text is not a number expression; the message quotes the text."""


@dataclass(frozen=True)
class Quantity:
    """A parsed number expression (``docs/record_format.md`` value, unit, qualifier, from_value)."""

    value: float
    unit: str | None
    qualifier: str | None
    from_value: float | None = None
    low: float | None = None  # lower bound of a range (3至5人: value 5, low 3)


def _chinese_to_decimal(text: str) -> Decimal:
    """Chinese numeral -> Decimal: 四千五百 -> 4500, 一千两百七十 -> 1270, 二〇二三 -> 2023."""
    if "点" in text:
        whole, _, fraction = text.partition("点")
        digits = "".join(str(_DIGITS[c]) for c in fraction)
        return (_chinese_to_decimal(whole) if whole else Decimal(0)) + Decimal(f"0.{digits}")
    if text and all(c in _DIGITS for c in text) and len(text) > 1:  # 二〇二三: digit by digit
        return Decimal("".join(str(_DIGITS[c]) for c in text))
    total, section, digit = Decimal(0), Decimal(0), None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[char]
            digit = None
        elif char in _BIG_UNITS:
            section += digit or 0
            if section == 0 and total == 0:
                section = Decimal(1)
            total = (total + section) * _BIG_UNITS[char] if _BIG_UNITS[char] > 10**4 else total + section * _BIG_UNITS[char]
            section, digit = Decimal(0), None
        else:
            raise QuantityError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def _to_decimal(text: str) -> Decimal:
    if re.fullmatch(_SECTIONED, text):
        total = Decimal(0)
        for number, multiplier in re.findall(r"(\d[\d,]*(?:\.\d+)?)([亿万千]?)", text):
            total += Decimal(number.replace(",", "")) * _MULTIPLIERS.get(multiplier, 1)
        return total
    if re.fullmatch(_ARABIC, text):
        return Decimal(text.replace(",", ""))
    if re.fullmatch(_CHINESE, text):
        return _chinese_to_decimal(text)
    raise QuantityError(f"not a number: {text!r}")


def parse_number(text: str) -> float:
    """A numeral with an optional multiplier: ``1.4万`` -> 14000.0, ``1,188.2萬`` -> 11882000.0."""
    plain = text.strip().translate(_TRADITIONAL)
    match = re.fullmatch(rf"({_ARABIC})({_MULT_RE})?|({_CHINESE})", plain)
    if match is None:
        raise QuantityError(f"not a number: {text!r}")
    if match.group(3):
        return float(_chinese_to_decimal(match.group(3)))
    return float(Decimal(match.group(1).replace(",", "")) * _MULTIPLIERS.get(match.group(2) or "", 1))


def _from_match(match: re.Match[str]) -> Quantity:
    groups = match.groupdict()
    qualifier_words = [groups[k] for k in ("pre", "mid1", "mid2", "mid3", "post") if groups.get(k)]
    if groups["percent"]:
        value = _to_decimal(groups["pnum"])
        unit = "%" if groups["percent"] == "百分之" else "‰"
    elif groups["den"]:
        value = _to_decimal(groups["numer"]) * 100 / _to_decimal(groups["den"])
        unit = "%"
    else:
        value = _to_decimal(groups["num"]) * _MULTIPLIERS.get(groups["mult"] or "", 1)
        if groups.get("tenth"):  # 一成半 = 1.5 成, 七成二 = 7.2 成
            value += Decimal("0.5") if groups["tenth"] == "半" else Decimal(_DIGITS[groups["tenth"]]) / 10
        unit = groups["unit"]
        if unit and groups["mid3"]:
            unit = "个月"
        unit = _UNIT_ALIASES.get(unit, unit)
    qualifiers = {_QUALIFIER_OF[w] for w in qualifier_words}
    if len(qualifiers) > 1:
        raise QuantityError(f"contradicting qualifiers {qualifier_words} in {match.group()!r}")
    return Quantity(float(value), unit, qualifiers.pop() if qualifiers else None)


def parse_quantity(text: str) -> Quantity:
    """Parse a whole VALUE span; raise ``QuantityError`` quoting it if it is not one.

    A from-to (``由49.5%提升至63.5%``, ``从3起降至1起``) gives the end value with
    ``from_value`` set; a from-side without unit borrows the end's unit.
    """
    plain = re.sub(r"\s+", "", text).translate(_TRADITIONAL)
    if plain[:1] in SIGNS and plain[1:2].isdigit():
        plain = plain[1:]  # the sign is the direction, read by the decoder
    if not plain:
        raise QuantityError("empty value text")
    start = _QUANTITY.match(plain, 1) if plain[0] in "由从" else None
    link = _FROM_TO_LINK.match(plain, start.end()) if start and (start.group("num") or start.group("percent")) else None
    if link:
        end = _parse_whole(plain[link.end():], text)
        first = _from_match(start)
        if first.unit not in (None, end.unit):
            raise QuantityError(f"from-to {text!r} mixes units {first.unit!r} and {end.unit!r}")
        return Quantity(end.value, end.unit, end.qualifier, first.value)
    first_part = _QUANTITY.match(plain)
    if first_part and 0 < first_part.end() < len(plain) - 1 and plain[first_part.end()] in RANGE_LINKS:
        return _parse_range(first_part, plain[first_part.end() + 1:], text)
    return _parse_whole(plain, text)


def _parse_range(first_part: re.Match[str], rest: str, original: str) -> Quantity:
    """``3至5人``, ``30%—40%``, ``3至5万元`` (the bare start borrows the end's multiplier)."""
    second = _QUANTITY.fullmatch(rest)
    if second is None or not (second.group("num") or second.group("percent")):
        raise QuantityError(f"not a quantity: {original!r}")
    high, low = _from_match(second), _from_match(first_part)
    if low.unit not in (None, high.unit):
        raise QuantityError(f"range {original!r} mixes units {low.unit!r} and {high.unit!r}")
    low_value = low.value
    if low.unit is None and not first_part.group("mult") and second.group("mult"):
        low_value = float(Decimal(str(low.value)) * _MULTIPLIERS[second.group("mult")])
    if low_value > high.value:
        raise QuantityError(f"range {original!r} runs downwards ({low_value:g} > {high.value:g})")
    return Quantity(high.value, high.unit, high.qualifier or low.qualifier, None, low_value)


def _parse_whole(plain: str, original: str) -> Quantity:
    match = _QUANTITY.fullmatch(plain)
    if match is None or not (match.group("num") or match.group("percent") or match.group("den")):
        raise QuantityError(f"not a quantity: {original!r}")
    return _from_match(match)


# --- mentions in running text -------------------------------------------------------

MENTION_KINDS = ("quantity", "bare", "date", "period", "code", "model", "ordinal", "quoted", "idiom", "rate")
IDIOMS = ("千家万户", "千方百计", "千辛万苦", "万无一失", "一心一意", "三番五次", "四面八方", "五湖四海", "七上八下",
          "九死一生", "十全十美", "百发百中", "千军万马", "万众一心", "一五一十", "三令五申", "千头万绪", "万家灯火",
          "百姓万家", "千万家")
_IDIOM = re.compile("|".join(IDIOMS))

_DATE_AFTER = re.compile(r"(?:年(?:度|底|初|末|以来)?|月(?:份|底|初|末)?|日|号|时|点|分)")
_PERIOD_AFTER = re.compile(r"年(?:来|以来|间)")
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", '"': '"'}


@dataclass(frozen=True)
class Mention:
    """A number in running text: ``text == sentence[start:end]``.

    ``kind`` is one of ``MENTION_KINDS``: ``quantity`` (with ``quantity`` set) has a unit,
    multiplier or percent form; ``bare`` is a plain number without unit (rarely a
    record); the others are not records.
    """

    start: int
    end: int
    text: str
    kind: str
    quantity: Quantity | None = None


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Half-open ranges of quoted or titled stretches (``“…”``, ``《…》``), quotes included.

    >>> quoted_ranges("实施“十个一”工程")
    [(2, 7)]
    """
    ranges, stack = [], []
    for i, char in enumerate(text):
        if stack and char == _QUOTES[text[stack[-1]]]:
            ranges.append((stack.pop(), i + 1))
        elif char in _QUOTES:
            stack.append(i)
    return ranges


def idiom_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of fixed expressions whose numerals count nothing (``千家万户``)."""
    return [(m.start(), m.end()) for m in _IDIOM.finditer(text)]


def _classify(text: str, match: re.Match[str], quoted: list[tuple[int, int]], idioms: list[tuple[int, int]]) -> str:
    start, end = match.start(), match.end()
    core = match.group("num") or ""
    before, after = text[max(0, start - 1):start], text[end:end + 3]
    unit = match.group("unit")
    if any(a <= start and end <= b for a, b in idioms):
        return "idiom"
    if before == "第" or text[max(0, start - 1):start + 1] in ("首",):
        return "ordinal"
    if re.search(r"[表图]\s*$", text[max(0, start - 2):start]):
        return "ordinal"  # 表1　本周…: the number of a table or figure
    if re.match(r"[·.．\-]\d", text[end:end + 2]) or re.search(r"\d[·]$", text[max(0, start - 2):start]):
        return "code"
    if re.match(r"\+", text[end:end + 1]) or before == "+" and not _signed(text, start - 1):
        return "model"
    if re.search(r"[A-Za-z]$", before) or re.match(r"[A-Za-z]", text[end:end + 1]):
        return "code"
    if unit in (None, "年", "日") and core and not match.group("mult"):
        tail = text[match.end("num"):]
        if re.fullmatch(r"(?:19|20)\d\d|[〇○零一二三四五六七八九]{4}", core) and tail.startswith("年"):
            return "date"
        if re.fullmatch(r"1[01]\d", core) and re.match(r"年(?:\d|度|[上下]半年|第|前|首|全年|[，,])", tail):
            return "date"  # a Taiwan (ROC) year: 113年1至9月
        if _PERIOD_AFTER.match(tail) or (match.group("pre") == "近" and unit == "年" and not match.group("post")):
            return "period"
        if re.match(rf"[{RANGE_LINKS}]\d{{1,2}}月", tail):  # 1—7月
            return "date"
        if re.fullmatch(r"\d{1,2}|[一二三四五六七八九十]{1,3}", core) and (
            unit is None and _DATE_AFTER.match(tail) or unit == "日" and before == "月"
        ):
            return "date"
    if any(a <= start and end <= b for a, b in quoted):
        return "quoted"
    if unit is None and not match.group("percent") and not match.group("den") and not match.group("mult"):
        if re.fullmatch(r"\d{3,}", core) and not re.match(r"[余多]", after) or core.startswith("0"):
            return "code"
        if before == "第":
            return "ordinal"
        return "bare"
    return "quantity"


def _signed(text: str, sign: int) -> bool:
    """Whether the ``+``/``-`` at ``sign`` opens a signed value (after a bracket, a space, a colon or the start)."""
    return 0 <= sign < len(text) and text[sign] in SIGNS and (sign == 0 or text[sign - 1] in "(（ ：:，,、↑↓")


def find_mentions(text: str) -> list[Mention]:
    """Every number expression in ``text``, sorted, each with its kind.

    Chinese numerals count only with a unit, a multiplier or a percent form, so words
    such as 一体化 or 统一 are not mentions.

    >>> [(m.text, m.kind) for m in find_mentions("2023年破获案件2200余起，拨打110，第二届")]
    [('2023年', 'date'), ('2200余起', 'quantity'), ('110', 'code'), ('二', 'ordinal')]
    """
    plain = text.translate(_TRADITIONAL)
    quoted, idioms = quoted_ranges(plain), idiom_ranges(plain)
    mentions = []
    position = 0
    while position < len(plain):
        match = _QUANTITY.search(plain, position)
        if match is None:
            break
        position = max(match.end(), position + 1)
        has_number = match.group("num") or match.group("percent") or match.group("den")
        if not has_number or match.end() == match.start():
            continue
        chinese_only = match.group("num") and not re.search(r"\d", match.group("num"))
        ordinal = match.start() > 0 and plain[match.start() - 1] == "第"
        if chinese_only and not (match.group("unit") or match.group("mult") or ordinal):
            continue
        if chinese_only and match.group("num") in ("一", "两", "二") and not (match.group("unit") or ordinal):
            continue
        if chinese_only and re.fullmatch(r"[万亿]+", match.group("num")):
            continue  # （单位：新台币万元）: a multiplier alone is no number
        if chinese_only and match.group("num") == "陆" and match.group("unit") == "路":
            continue  # 陆路 (by land), not six roads
        end = match.end()
        kind = None
        if match.group("num") and end < len(plain) - 1 and plain[end] in RANGE_LINKS:  # 3-5人, 30%—40%
            second = _QUANTITY.match(plain, end + 1)
            if second and second.group("num") and (second.group("unit") or second.group("mult")) \
                    and _classify(plain, second, quoted, idioms) == "quantity" \
                    and _classify(plain, match, quoted, idioms) not in ("date", "quoted", "idiom", "ordinal"):
                end = position = second.end()
                kind = "quantity"
        kind = kind or _classify(plain, match, quoted, idioms)
        quantity = None
        if kind in ("quantity", "bare"):
            try:
                quantity = parse_quantity(plain[match.start():end]) if end != match.end() else _from_match(match)
            except QuantityError:
                continue
        start = match.start()
        if kind == "quantity" and start > 0 and _signed(plain, start - 1):
            start -= 1  # the sign belongs to the value: +7.4%, -31.5个百分点
        if kind in ("quantity", "bare") and re.search(r"每$|平均每$", plain[max(0, start - 3):start]):
            kind = "rate"  # 每3分钟接警一起: a crime clock's denominator, not a record
        mentions.append(Mention(start, end, text[start:end], kind, quantity))
    return mentions

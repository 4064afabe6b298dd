"""Synthetic bulletin sentences with exact span labels, for training data beyond the seeds.

Templates and lexicons of this module's own (not copied from the seeds) combine
organisations, periods, metrics, numbers in many formats (Arabic, Chinese numerals,
万/亿 multipliers, thousands separators, qualifiers), comparisons, changes,
enumerations (、/分别), shared values (均), from-to, verb + value + noun, and negatives
(dates, hotlines, slogans, ordinals; their acting body still labelled ORG, as in the gold). Each sentence is built piece by piece, so its
spans are exact by construction.

Variants exercise the normaliser: ``traditional`` converts the sentence with OpenCC
(s2t), ``pinyin`` inserts syllables after some characters, ``fullwidth`` widens digits;
``render_variant`` returns the raw variant with spans mapped back onto the normalised
text the model sees.

>>> sentence = SyntheticGenerator(seed=1).sentence()
>>> all(sentence.text[s.start:s.end] == s.text for s in sentence.spans)
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ie.schema import Span
from ie.text.chars import is_han

ORGS = ["全市公安机关", "市公安局", "各级公安机关", "市反诈中心", "交警支队", "刑警支队", "治安支队", "经侦支队",
        "禁毒支队", "网安支队", "出入境管理局", "辖区", "全市", "我市", "全区公安机关"]
PLACES = ["东城", "西港", "南湖", "北山", "高新区", "滨海新区", "临江", "云岭", "青石", "金沙", "长乐", "平安"]
ORG_SUFFIXES = ["公安分局", "派出所", "交警大队", "刑警大队", "公安局"]
TIMES = ["今年以来", "年内", "上半年", "去年", "近三年", "前三季度", "一年来", "今年1—{m}月", "{y}年", "{y}年度",
         "{y}年以来", "五年来"]
COUNT_METRICS = [  # (verb + object, unit choices)
    ("破获刑事案件", "起"), ("侦破电信诈骗案件", "起"), ("查处治安案件", "起"), ("破获盗窃案件", "起"),
    ("侦办经济犯罪案件", "起"), ("破获毒品案件", "起"), ("查处交通违法行为", "起"), ("打掉犯罪团伙", "个"),
    ("抓获犯罪嫌疑人", "名"), ("刑事拘留", "人"), ("抓获网上逃犯", "名"), ("救助群众", "人次"),
    ("预警劝阻", "人次"), ("排查安全隐患", "处"), ("整改消防隐患", "处"), ("检查重点场所", "家次"),
    ("化解矛盾纠纷", "起"), ("受理群众求助", "件"), ("办理户籍业务", "笔"), ("发放宣传资料", "份"),
    ("缴获毒品", "公斤"), ("收缴管制刀具", "把"), ("查扣涉案车辆", "辆"), ("开展集中行动", "次"),
]
MONEY_METRICS = ["挽回经济损失", "涉案金额", "冻结涉案资金", "追缴赃款", "紧急止付资金", "返还群众损失"]
RATE_METRICS = ["破案率", "现场处置率", "群众满意率", "安装率", "覆盖率", "办结率", "追赃率"]
CHANGE_METRICS = ["刑事案件发案", "电信诈骗发案数", "盗窃案件发案", "交通事故死亡人数", "违法犯罪警情", "可防性案件",
                  "损失金额", "涉毒警情", "入室盗窃发案", "交通事故起数"]
NEW_THINGS = [("新建", "处", "智慧安防小区"), ("建成", "个", "社区警务室"), ("设置", "台", "自助服务设备"),
              ("增设", "个", "便民服务点"), ("组建", "支", "巡逻队伍"), ("新建", "处", "快速理赔中心")]
BASES = ["同比", "环比", "较去年同期", "与{y0}年相比", "较{y0}年", "相比去年同期"]
DOWN = ["下降", "减少", "降低", "压减"]
UP = ["上升", "增长", "提升", "提高", "增加"]
PRE_QUALIFIERS = ["", "", "", "近", "约", "超过", "逾"]
POST_QUALIFIERS = ["", "", "", "余", "多"]
CHINESE_DIGITS = "零一二三四五六七八九"
NEGATIVES = [
    "{y}年{m}月{d}日，{org}召开工作部署会。", "群众可拨打110或12345热线反映问题。", "{org}深入开展“{n}+N”专项行动。",
    "第{cn}届平安论坛在{place}举行。", "{org}坚持“两手抓、两手硬”，推动工作落地见效。",
    "{org}持续深化“放管服”改革，提升群众满意度。", "“{n}·{d}”专案成功告破。",
]


@dataclass(frozen=True)
class SyntheticSentence:
    text: str
    spans: tuple[Span, ...]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.length = 0

    def add(self, text: str, label: str | None = None) -> _Builder:
        if text:
            if label:
                self.spans.append(Span(self.length, self.length + len(text), label, text))
            self.parts.append(text)
            self.length += len(text)
        return self

    def build(self) -> SyntheticSentence:
        return SyntheticSentence("".join(self.parts), tuple(self.spans))


def chinese_numeral(n: int) -> str:
    """Chinese numeral for 0 <= n < 100000 (四千五百, 一千二百七十, 十二)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (CHINESE_DIGITS[n - 10] if n > 10 else "")
    result, zero = "", False
    for value, name in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            result += ("零" if zero and result else "") + CHINESE_DIGITS[digit] + name
            zero = False
        elif result:
            zero = True
    return result


class SyntheticGenerator:
    """Deterministic for a seed; ``generate(n)`` gives ``n`` sentences."""

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(seed)

    def _pick(self, items):
        return self.random.choice(items)

    def _org(self) -> str:
        if self.random.random() < 0.4:
            return self._pick(PLACES) + self._pick(ORG_SUFFIXES)
        return self._pick(ORGS)

    def _time(self) -> str:
        return self._pick(TIMES).format(y=self.random.randint(2015, 2025), m=self.random.randint(2, 11))

    def _base(self) -> str:
        return self._pick(BASES).format(y0=self.random.randint(2012, 2022))

    def _count(self, unit: str) -> str:
        r = self.random.random()
        if r < 0.35:
            number = str(self.random.randint(2, 9999))
        elif r < 0.55:
            number = f"{self.random.randint(1, 99)}.{self.random.randint(1, 9)}万"
        elif r < 0.65:
            number = f"{self.random.randint(1, 9)},{self.random.randint(100, 999)}"
        elif r < 0.8:
            number = chinese_numeral(self.random.randint(2, 9999))
        else:
            number = f"{self.random.randint(2, 900)}万"
        pre = self._pick(PRE_QUALIFIERS)
        return pre + number + ("" if pre else self._pick(POST_QUALIFIERS)) + unit

    def _money(self) -> str:
        amount = self._pick([f"{self.random.randint(1, 99)}.{self.random.randint(1, 99)}亿",
                             f"{self.random.randint(10, 9999)}万", f"{self.random.randint(1, 9)}亿"])
        pre = self._pick(PRE_QUALIFIERS)
        return pre + amount + ("" if pre else self._pick(["", "余"])) + "元"

    def _percent(self) -> str:
        value = f"{self.random.randint(1, 95)}.{self.random.randint(0, 9)}".rstrip("0").rstrip(".")
        return value + self._pick(["%", "%", "%", "个百分点"])

    def _scope(self, b: _Builder) -> None:
        if self.random.random() < 0.6:
            b.add(self._time(), "TIME").add(self._pick(["，", "", ","]))
        if self.random.random() < 0.7:
            b.add(self._org(), "ORG")

    def sentence(self) -> SyntheticSentence:
        kind = self.random.choices(
            ["count", "money", "change", "count_change", "enumeration", "shared", "from_to", "new", "rate", "negative"],
            weights=[18, 8, 12, 10, 8, 5, 5, 7, 7, 12])[0]
        b = _Builder()
        if kind == "negative":
            template = self._pick(NEGATIVES).format(
                y=self.random.randint(2015, 2025), m=self.random.randint(1, 12), d=self.random.randint(1, 28),
                org="{org}", n=self.random.randint(1, 12), cn=chinese_numeral(self.random.randint(2, 9)),
                place=self._pick(PLACES))
            before, found, after = template.partition("{org}")
            b.add(before)
            if found:  # the acting body is labelled ORG in every sentence, as in the gold
                b.add(self._org(), "ORG")
            return b.add(after).build()
        self._scope(b)
        if kind == "count":
            metric, unit = self._pick(COUNT_METRICS)
            b.add(self._pick(["", "共", "累计"])).add(metric, "METRIC").add(self._count(unit), "VALUE")
            if self.random.random() < 0.5:
                metric2, unit2 = self._pick(COUNT_METRICS)
                b.add("，").add(metric2, "METRIC").add(self._count(unit2), "VALUE")
        elif kind == "money":
            b.add(self._pick(MONEY_METRICS), "METRIC").add(self._pick(["", "达", "共计"])).add(self._money(), "VALUE")
        elif kind in ("change", "count_change"):
            if kind == "count_change":
                metric, unit = self._pick(COUNT_METRICS)
                b.add(metric, "METRIC").add(self._count(unit), "VALUE").add("，")
            else:
                b.add(self._pick(CHANGE_METRICS), "METRIC")
            b.add(self._base(), "BASE").add(self._pick(DOWN + UP), "TREND").add(self._pick(["", "了"]))
            b.add(self._percent(), "VALUE")
        elif kind == "enumeration":
            metrics = self.random.sample(CHANGE_METRICS, self.random.randint(2, 3))
            for k, metric in enumerate(metrics):
                b.add("、" if k else "").add(metric, "METRIC")
            b.add(self._base(), "BASE").add(self._pick(["分别", "依次", ""])).add(self._pick(DOWN + UP), "TREND")
            for k in range(len(metrics)):
                b.add("、" if k else "").add(self._percent().replace("个百分点", "%"), "VALUE")
        elif kind == "shared":
            metrics = self.random.sample(RATE_METRICS, self.random.randint(2, 3))
            for k, metric in enumerate(metrics):
                b.add("、" if k else "").add(metric, "METRIC")
            b.add(self._pick(["均达到", "均为", "达到"])).add(f"{self.random.randint(90, 100)}%", "VALUE")
        elif kind == "from_to":
            first, second = sorted(self.random.sample(range(10, 99), 2))
            trend = self._pick(UP[:4])
            if self.random.random() < 0.4:
                first, second, trend = second, first, self._pick(DOWN[:3])
            b.add(self._pick(RATE_METRICS), "METRIC").add("由").add(f"{first}.{self.random.randint(1, 9)}%", "VALUE")
            b.add(trend, "TREND").add("至").add(f"{second}.{self.random.randint(1, 9)}%", "VALUE")
        elif kind == "new":
            verb, unit, noun = self._pick(NEW_THINGS)
            b.add(verb, "METRIC").add(self._count(unit), "VALUE").add(noun, "METRIC")
        elif kind == "rate":
            b.add(self._pick(RATE_METRICS), "METRIC").add(self._pick(["达到", "达", "保持", "为"]))
            b.add(f"{self.random.randint(60, 100)}%", "VALUE")
        return b.add(self._pick(["。", "；", "。"])).build()

    def generate(self, n: int) -> list[SyntheticSentence]:
        return [self.sentence() for _ in range(n)]


SYLLABLES = ["gōng", "ān", "jú", "pò", "huò", "àn", "jiàn", "shì", "qū", "rén", "mín", "jǐng", "chá", "nián"]
VARIANTS = ("traditional", "pinyin", "fullwidth")


def render_variant(sentence: SyntheticSentence, variant: str, rng: random.Random) -> SyntheticSentence:
    """The sentence as a scraped page might carry it, then normalised, with its spans carried over.

    The raw variant is normalised by ``ie.text.normalize`` (as any input is), and each span
    is mapped onto the characters of the normalised text that come from it.
    """
    from ie.text import normalize
    from ie.text.normalize import convert_script

    text = sentence.text
    raw, source = [], []  # raw characters and the sentence index each comes from (None: inserted)
    if variant == "traditional":
        raw, source = list(convert_script(text, "s2t")), list(range(len(text)))
    elif variant == "pinyin":
        for i, char in enumerate(text):
            raw.append(char)
            source.append(i)
            if is_han(char) and rng.random() < 0.5:
                syllable = f"({rng.choice(SYLLABLES)})"
                raw.extend(syllable)
                source.extend([None] * len(syllable))
    elif variant == "fullwidth":
        raw = [chr(ord(c) + 0xFEE0) if c.isdigit() or c == "%" else c for c in text]
        source = list(range(len(text)))
    else:
        raise ValueError(f"variant {variant!r}: choose one of {VARIANTS}")
    normalized = normalize("".join(raw))
    origin = [source[o] for o in normalized.offsets]
    spans = []
    for span in sentence.spans:
        inside = [k for k, o in enumerate(origin) if o is not None and span.start <= o < span.end]
        if inside:
            start, end = inside[0], inside[-1] + 1
            spans.append(Span(start, end, span.label, normalized.text[start:end]))
    return SyntheticSentence(normalized.text, tuple(spans))

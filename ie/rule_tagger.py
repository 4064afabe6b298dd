"""A transparent rule-based tagger: the baseline to beat, a pre-annotator, the fallback.

It labels the same spans as the model (``ie.schema.LABELS``) on a normalised sentence,
from the quantity parser and general lexicons and patterns — never tuned sentence by
sentence to the seeds:

- VALUE: ``ie.quantity.find_mentions`` quantities, minus time spans that modify a noun
  (``24小时自助办理``, ``三年攻坚战``, ``5年以上信访积案``), streaks (``连续14年``), category
  counts that open a clause (``8类暴力案件``), penalties the law allows (``最高可被罚款五十万元``)
  and counts of what was just listed (``峰北、峰南、山线三个大队``, ``两项均居全省首位``).
- TREND: change words (``ie.schema.TREND_DIRECTIONS``) followed by a value, directly
  (``下降39.1%``, ``提升至63.5%``) or across a short object at a clause start
  (``压缩办理时限1个工作日``).
- BASE: ``同比``, ``环比``, ``较2020年``, ``与2014年相比``, ``相比去年同期``...
- TIME: years and year phrases (``2023年度``, ``2020年以来``, ``民国113年全年``), ``今年以来``,
  ``年内``, ``十年来``, ``近三年``, month ranges (``1—7月``), ``期内``; not inside a BASE, a quote or a
  title, nor the basis of a comparison (``与去年同期相若``).
- ORG: areas (``全市``, ``辖区``) and names ending in a police-body suffix (``公安机关``,
  ``分局``, ``派出所``, ``支队``, ``反诈中心``...), extended left over the name; not in quotes
  or titles, not after a word that makes the body an awarder, receiver, partner or the whole a
  figure is measured against (``被``, ``移送``, ``与``, ``占``, ``居``); place names of a sub-area
  split or a list of places (``东城、西城、南城三区``, ``九龙南区、新界北区及港岛区``,
  ``城关镇18起、青石镇11起``), one ORG per place; the remaining places of a breakdown
  (``其余镇街``); the body a speaker line names (``刑事及保安处处长：``); a body that acts is cut
  from what follows its verb (``我市公安机关按照省公安厅…``).
- METRIC: for each value, the words before it in its clause, after any ORG/TIME and
  before any BASE/TREND, trimmed of function words; a short noun right after a counted
  value is a second METRIC (``新建2处快速理赔中心``); an enumeration before as many values
  is split at ``、`` (so is a list before one value with ``均``, and before ``各`` with the verb
  after it); a sentence's topic (``一、致命意外：``, ``科技罪案方面，``, ``电讯网络诈骗仍然突出，``,
  ``诈骗案呈回落趋势，``, ``各分局全般刑案发生件数，``) for a clause of values that names none; what a
  ranking names for the count after it (``以受困救助最多，计412件``).

Patterns it cannot handle (measured in the evaluation report):
- metrics that need world knowledge to delimit (``全要素、全链条、全时空排查道路交通安全隐患``
  keeps its adverbs); metrics that lie in an earlier clause than their value;
- ORGs whose name has no police suffix (``市委``, ``青岛灵山岛``) outside a split or a list
  of places, and partner bodies named without a partner word (labelled although they only
  cooperate);
- periods written as events (``2020年“三民”活动期间``), day dates that scope a statement;
- streaks and campaign durations (skipped; they are optional in the gold records);
- change verbs outside the lexicon (``翻了一番``), shares written as words (``近一半``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ie.quantity import find_mentions, parse_number, quoted_ranges
from ie.schema import TREND_DIRECTIONS, Span
from ie.structure import speaker_name
from ie.text.chars import CLAUSE_BREAKS, HAN, PLACES_WITHOUT_PLACE_WORD

_TIME_UNITS = ("年", "个月", "天", "日", "小时", "分钟", "周")
_CATEGORY_UNITS = ("类", "种")
_MEASURE_UNITS = ("个", "处", "台", "名", "家", "支", "项", "条", "辆", "只", "户", "张", "份", "路", "种", "类",
                  "批", "篇", "所", "座", "套", "场", "间", "架", "艘", "人", "起", "件", "宗")
_COUNT_UNITS = set(_MEASURE_UNITS) | {"场次", "人次", "家次", "轮次", "波次"}
_POST_NOUN = re.compile(rf"的?((?:(?![按在对向为均全已被将与和把经从于])[{HAN}“”]){{1,10}})")
_TREND_WORDS = sorted((w for w in TREND_DIRECTIONS if len(w) >= 2), key=len, reverse=True)
_TREND = re.compile(rf"(?:{'|'.join(_TREND_WORDS)})")
_TREND_LINK = re.compile(r"^(?:了|达到|达|为|至|到|了约)?$")
_YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4}|(?<!\d)1[01]\d)年"
_HOLIDAY = r"(?:“[^”]{1,8}”|(?:国庆|春节|五一|元旦|清明|端午|中秋)+)"
_BASE = re.compile(
    r"同比|环比|按[年月季](?!观察|分析|统计|划分|来看|看)|相比去年同期|较去年同期|较上年同期|较去年同月|较上季度"  # 按月观察: by month
    rf"|(?:与|同(?!一)|和|跟)(?:(?:民国)?{_YEAR}|去年|上年|前年|上月|上周|上半年|上季度?|第?[1-4一二三四]季度?)(?:同期)?"
    r"(?:相比|比较|(?=的[^，,；;。]{1,12}相比))"  # 与去年同期的1203起相比: the level is the basis
    rf"|(?:较|比|相比)(?:(?:民国)?{_YEAR}|去年|上年|前年|上月|上周|上半年|上季度?|第?[1-4一二三四]季度?|平日|平时)(?:同期|同月|{_HOLIDAY}?假期)?"
)
_CN_MONTH = "[一二三四五六七八九十]{1,3}"
_TIME_SUFFIX = (r"度|以来|全年|上半年|下半年|前三季度|第?[一二三四1-4]季度?|首[二三]?季度?|第\d{1,2}周"
                rf"|\d{{1,2}}[—\-至~～]\d{{1,2}}月(?:份)?|{_CN_MONTH}月至{_CN_MONTH}月|前\d{{1,2}}个?月|首(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})个月"
                rf"|\d{{1,2}}月(?:份)?|{_CN_MONTH}月份?(?![〇○零一二三四五六七八九十\d]+日)|暑期|年底|年末")
_TIME = re.compile(
    rf"(?<![与和同跟较比])(?:今年|去年|\d{{4}}年){_HOLIDAY}(?:假期(?:期间)?|期间)"  # 今年“五一”假期
    rf"|(?<![与和同跟较比])(?:(?:(?:中华)?民国)?(?:\d{{4}}|[〇○零一二三四五六七八九]{{4}}|(?<!\d)1[01]\d)年|今年|去年|本年|上年)(?:{_TIME_SUFFIX})?"
    r"|年初以来|(?:行动|活动)(?:开展|启动|实施)?以来|年内|(?<![假星学周日])期内|其间(?=[，,])|近年来|一年来|[一二三四五六七八九十两]+年来|\d+年来|过去[一二三四五六七八九十两\d]+年"
    r"|近[一二三四五六七八九十两\d]+年(?!以)|\d{1,2}[—\-至~～]\d{1,2}月(?:份)?|前\d{1,2}个?月|上半年|下半年|前三季度"
    r"|本周|本月|本季度?|第?[一二三四]季度|第[一二三四]季|首[二三]?季度?|全年|本年度|(?<![\d年月日])(?:1[0-2]|[1-9])月份?(?:[上中下]旬(?=以来)|初(?=以来))?(?:以来|(?=[，,、]))"
    rf"|(?<![\d〇○零一二三四五六七八九十年与和同跟较比])(?:{_CN_MONTH}月份|{_CN_MONTH}月至{_CN_MONTH}月|首[一二三四五六七八九十]{{1,2}}个月)"  # 九月份, 首九个月
    r"|截至(?:\d{1,2}月(?:底|末|\d{1,2}日)|目前|年底)|目前|(?:国庆|春节|五一|元旦|清明|端午|中秋)?节前|(?:“[^”]{1,8}”|(?:国庆|春节|五一|元旦|清明|端午|中秋)+)?假期(?:期间)?"
    r"|(?:国庆|春节|五一|元旦|清明|端午|中秋)期间"
)
_AREA = "全市|我市|全省|辖区|市区|全区|各地|全县|全国|全港|全澳|本港|本澳|本市|本县|本区|本省|本局|全岛|辖内|各市"
_ORG_SUFFIX = (r"公安机关|公安局|公安分局|分局|市局|县局|派出所|支队|大队|中队|总队|反诈中心|反电信网络诈骗中心|指挥中心|警务室|管理局|警区"
               r"|户政处|公安厅|交警部门|公安部|警务处|警察局|警政署|刑事局|消防局|消防处|海关|入境事务处|禁毒办"
               r"|禁毒委员会|移民局|警察机关|警方|网安部门|交管部门|公安交管部门|消防救援队伍|管理机构|检察机关|检察院|总区|总部"
               r"|协调中心|(?<!公)司警|禁毒委(?!员会)|刑侦局|网安局|交管局|治安局|经侦局|禁毒局|(?:刑侦|治安|禁毒|经侦|出入境|消防)部门|专队|重案组|调查处|调查科")
_ORG = re.compile(rf"(?:{_AREA})?(?:各级)?[{HAN}]{{0,8}}?(?:{_ORG_SUFFIX})(?!长|APP|App|app)"  # 国家反诈中心APP: an app
                  rf"(?:[{HAN}]{{0,6}}?(?:{_ORG_SUFFIX})(?!长|APP|App|app))?|{_AREA}")
_ORG_LEFT_VERBS = re.compile(r"移送|实现|督促|协调(?!中心)|通报|要求|组织|指导|推动|仍然是|是|占|围绕|公布|还有|会见|所属|下属")
_GUIDED_BY = re.compile(r"按照|根据|依据|依托|配合|协助|会同|联合|率先|打造|设立|获评|新增|安装|升级|改造|制定|建成|组建"
                        r"|开展|部署|推进|落实|加强|深化|健全")
"""Words after a body that acts: what follows is what it follows, works with, builds or is awarded by
(``我市公安机关按照省公安厅``, ``全市率先打造基层派出所``, ``…获评公安部``), no body that scopes."""
_ORG_RECEIVERS = re.compile(r"(?:移送|督促|协调|通报|要求|指导|推动|占|居|向|与|给|被|会同|联合|联同|配合|协助|结合)$")
"""Words after which a body only receives, partners or is what a figure is measured against
(移送检察院, 占全市, 居全国前三位): no ORG."""
_ORG_LEFT_STOPS = set("在与和对向由被的将把经为及、从于同以让使给了等其该除")
_ORG_JOINS = "及和、与向"
"""Characters between two bodies: 市公安局与市检察院, 新界北总区及东九龙总区."""
_ORG_NAME = re.compile(rf"(?:{_AREA})?(?:各级)?[{HAN}]{{0,8}}?(?:{_ORG_SUFFIX})")
_PEOPLE = "居民|市民|人口|旅客|游客|人士"
_GENERIC_BODIES = ("派出所", "指挥中心")
_KNOWN_PLACES = ("将军澳", "经开", "经侦", "除恶")
"""Names that begin with a character ``_ORG_LEFT_STOPS`` would cut at (经开分局, 经侦支队, 扫黑除恶大队)."""
_LEADING = re.compile(
    r"^(?:同时|此外|其中|录得|共录得|接获|另外|并且|并|共计|共|累计|先后|全部|均|已经|已|还|分别|积极|有效(?!警情)|依法|及时|成功|切实|深入|"
    r"全面|扎实|持续|进一步|大力|不断|主动|一举|实现|完成了|总计|合计|全年|年均|平均|的|最多|次之|最少|相比|、"
    rf"|[两二三四五六七八九]个?(?:省|市|区|县|镇|乡|州|总区|警区|街道|分局|派出所)(?=[{HAN}]|$)|派出所辖区)+"
)
_TRAILING = re.compile(r"(?:达到|达|为|(?<![理自])由|(?<!服)从|共计|共|累计|分别|(?<![日年月人])均|已|了|总计|合计|等|约|超|逾|近|的|是|有|逐年下降|逐年上升"
                       r"|逐年减少|逐年增加|持续下降|持续上升|明显下降|大幅下降"
                       r"|[居列]全?[国省市区县港]?(?:首位|前列|第[一二三四五]位?|前[二三四五六七八九十]位?))+$")
_MAX_METRIC = 24
_LIST_OPENING = re.compile(r"(?:分别|依次|均)(?:为|是|达到|达)?")
_EACH = re.compile(rf"(?<!等)各(?![类种项方级地界部条])([{HAN}]{{1,4}})$")
"""The verb after 各 that each item of a list before it shares (A、B各发案3起; not 各类, nor after 等)."""


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < start and end <= b for a, b in ranges) or any(a <= start and end < b for a, b in ranges)


def clause_starts(text: str) -> list[int]:
    """For every position, where its clause starts (computed once per sentence).

    Clauses end at ``CLAUSE_BREAKS``; a short inline bracket (``小区(村庄)``, closed within
    six characters and not opening a clause) and a thousands separator (``1,372``) do not break one.
    """
    inline = set()
    for i, char in enumerate(text):
        if char in "(（" and i > 0 and text[i - 1] not in CLAUSE_BREAKS:
            closer = next((j for j in range(i + 1, min(len(text), i + 8)) if text[j] in ")）"), None)
            if closer is not None:
                inline.update((i, closer))
    starts, current = [], 0
    for i, char in enumerate(text):
        starts.append(current)
        grouping = char == "," and text[i - 1:i].isdigit() and re.match(r"\d{3}(?!\d)", text[i + 1:i + 5])
        if char in CLAUSE_BREAKS and i not in inline and not grouping:  # 1,372件: a thousands separator
            current = i + 1
    starts.append(current)  # the end of the text
    return starts


def _values(text: str, starts: list[int], quoted: list[tuple[int, int]]) -> list[Span]:
    spans = []
    mentions = find_mentions(text)
    listed = _listed_items(text, mentions) | _from_to_items(text, mentions)
    for mention in mentions:
        if mention.kind != "quantity" and mention not in listed:
            continue
        if mention.text.endswith(("以上", "以下")) and re.match(rf"[{HAN}]", text[mention.end:mention.end + 1]):
            continue  # 一次死亡3人以上事故, 3人以上犯罪团伙: a threshold inside a category name
        if (mention.text.startswith(("超过", "逾", "超")) or mention.text.endswith(("以上", "以下"))) \
                and re.match(rf"的[{HAN}]{{0,6}}(?:案件|案|事故|团伙|个案)", text[mention.end:]):
            continue  # 单笔损失超过100万元的案件3起, 涉案100万元以上的案件: a threshold naming a category
        unit = mention.quantity.unit if mention.quantity else None
        after = text[mention.end:mention.end + 1]
        if unit in _TIME_UNITS and re.match(rf"[{HAN}]", after) and after not in "内来" \
                and not (text[mention.start - 1:mention.start] in ("由", "从") and _FROM_TO_GAP.match(text, mention.end)):
            continue  # 24小时自助, 三年攻坚战, 5年以上信访积案 (not 由38分钟压缩至26分钟)
        if unit == "个月" and text[mention.start - 1:mention.start] in ("首", "前") and mention.start:
            continue  # 首九个月, 前3个月: a period
        if mention.text in ("一" + u for u in _MEASURE_UNITS + ("项", "批", "部", "次")) or mention.text.startswith("一") and \
                len(mention.text) == 2:
            continue  # 一项/一条/一批 is an article ("a"), not a count
        if text[max(0, mention.start - 2):mention.start] == "连续":
            continue  # streaks are optional records
        if _RANK.search(text, 0, mention.start) and unit in ("名", "位"):
            continue  # 前三名, 前三位: a rank
        if _inside(quoted, mention.start, mention.end):
            continue
        if _PENALTY_BEFORE.search(text, starts[mention.start], mention.start) or _PENALTY_AFTER.match(text, mention.end):
            continue  # 最高可被罚款五十万元及监禁十年, 判处三年以上有期徒刑: what the law allows, not a figure
        if unit == "个" and re.search("、", text[starts[mention.start]:mention.start]) and _COUNTED_BODY.match(text, mention.end):
            continue  # 峰北、峰南、山线三个大队: the listed bodies counted
        if re.fullmatch(r"[两二三四五六七八九十]项", mention.text) and after in "均都":
            continue  # 两项均居全省首位: the figures named before, counted
        if unit in _CATEGORY_UNITS and (re.fullmatch(r"(?:其中|当中|特别是|尤其是)?", text[starts[mention.start]:mention.start].strip("，, "))
                                        or unit == "类" and re.match(rf"[{HAN}]", after)):
            continue  # 8类暴力案件, 其中八类严重暴力犯罪案件: a count of kinds naming a category
        spans.append(Span(mention.start, mention.end, "VALUE", mention.text))
    return spans


_PENALTY_BEFORE = re.compile(r"可(?:被|予|处以?|判处?)?[^，,；;。]{0,8}?(?:罚款|监禁|拘留|判处|徒刑)(?:[^，,；;。\d]{0,4})$")
_PENALTY_AFTER = re.compile(r"(?:以[上下])?(?:有期徒刑|拘役|的罚款)")
"""A penalty the law allows (可处…罚款, 可被监禁十年, 三年以上有期徒刑): no statistic."""
_COUNTED_BODY = re.compile(r"(?:大队|支队|中队|分局|派出所|警区|总区|口岸|管制站|街道|部门)")
_RANK = re.compile(r"(?<![目此之提事日以当年月生节赛])前$")
"""前 opening a rank (前三名), not ending a word (目前, 此前)."""
_ARROWS = "↑↓"
_MORE_OR_LESS = re.compile(rf"(?:较|比|同比)[^，,；;。多少\d]{{0,8}}([多少][{HAN}]{{0,2}}?)(?=[\d一二两三四五六七八九十约近逾])")
_LIST_LEAD = re.compile(r"^(?:较大|较快|明显|显著)?[，,]?(?:分别|依次)(?:为|是|达到|达)?$")


_FROM_TO_GAP = re.compile(r"[^\d，,；;。]{0,5}?[至到]")
"""What stands between the two values of a from-to after 由 or 从 (由38分钟|压缩至|26分钟)."""


def _from_to_items(text: str, mentions: list) -> set:
    """Bare numbers of a from-to (``万车死亡率由1.86下降至1.21``)."""
    items: set = set()
    for first, second in zip(mentions, mentions[1:]):
        if first.kind == second.kind == "bare" and text[first.start - 1:first.start] in ("由", "从") \
                and _FROM_TO_GAP.fullmatch(text, first.end, second.start):
            items.update((first, second))
    return items


def _listed_items(text: str, mentions: list) -> set:
    """Numbers without a unit that lead a 、 list closed by a value with one (``1523、1311、987起``)."""
    listed: set = set()
    for k in range(len(mentions) - 2, -1, -1):
        mention, following = mentions[k], mentions[k + 1]
        closes = following.kind == "quantity" or following in listed
        if mention.kind in ("bare", "code") and re.fullmatch(r"[\d,.]+万?", mention.text) and closes \
                and text[mention.end:following.start] in ("、", "及", "和", "、及"):
            listed.add(mention)
    return listed


def _trends(text: str, values: list[Span], starts: list[int]) -> list[Span]:
    spans = []
    for value in values:  # ↑12%, 12%↑
        for position in (value.start - 1, value.end):
            if 0 <= position < len(text) and text[position] in _ARROWS:
                spans.append(Span(position, position + 1, "TREND", text[position]))
    for match in _MORE_OR_LESS.finditer(text):  # 较上月多伤9人, 同比少发生17起
        spans.append(Span(match.start(1), match.end(1), "TREND", match.group(1)))
    for match in _TREND.finditer(text):
        following = next((v for v in values if v.start >= match.end()), None)
        if following is not None and _LIST_LEAD.match(text[match.end():following.start]):
            spans.append(Span(match.start(), match.end(), "TREND", match.group()))  # 增幅较大，分别为187.32%
            continue
        for value in values:
            if value.start < match.end():
                continue
            gap = text[match.end():value.start]
            at_clause_start = starts[match.start()] >= match.start() - 2
            if _TREND_LINK.match(gap) or (at_clause_start and len(gap) <= 8 and not re.search(f"[{CLAUSE_BREAKS}]", gap)):
                spans.append(Span(match.start(), match.end(), "TREND", match.group()))
            break
    return spans


def _orgs(text: str, quoted: list[tuple[int, int]]) -> list[Span]:
    spans = []
    for match in _ORG.finditer(text):
        start, end = match.start(), match.end()
        guided = _GUIDED_BY.search(text, start, end)
        if guided:  # the body that acts, if any, before the word: not the one it follows or builds
            end = guided.start()
            if not (_ORG_NAME.fullmatch(text, start, end) or re.fullmatch(_AREA, text[start:end])):
                continue
        cut = _last_stop(text, start, end)
        if cut is not None:  # a name before a conjunction is a body of its own (新界北总区及东九龙总区)
            if text[cut] in _ORG_JOINS and cut - start >= 3 and _ORG_NAME.fullmatch(text, start, cut):
                left = _org_span(text, start, cut, quoted)
                spans += [left] if left else []
            start = cut + 1
        span = _org_span(text, start, end, quoted)
        if span and span.text == "辖区" and spans and spans[-1].end == span.start:
            body = spans.pop()  # 城关派出所辖区: the area of a body is one org
            span = Span(body.start, span.end, "ORG", text[body.start:span.end])
        spans += [span] if span else []
    return spans


def names_a_body(text: str) -> bool:
    """Whether ``text`` is a whole name of a body or an area as the rules know them (``全国移民管理机构``,
    ``澳门司警``, ``全省``): a police-body suffix ends it, or it is an area word."""
    return bool(_ORG_NAME.fullmatch(text) or re.fullmatch(_AREA, text))


def names_a_place(text: str) -> bool:
    """Whether ``text`` is a place name by its ending (``城关镇``, ``澳门半岛``, ``新界南总区``) or one of
    the areas written without a place word (``氹仔``, ``九龙``)."""
    return bool(_PLACE.fullmatch(text)) or text in PLACES_WITHOUT_PLACE_WORD


def _last_stop(text: str, start: int, end: int) -> int | None:
    """The last function character in a name's left part (和 in 市公安局和13个...), where it is cut."""
    cut = next((i for i in range(end - 3, start - 1, -1)
                if text[i] in _ORG_LEFT_STOPS and not text.startswith(_KNOWN_PLACES, i)), None)
    return cut + 1 if cut is not None and text.startswith("其中", cut) else cut  # 其中城南分局


def _org_span(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> Span | None:
    """The ORG span of a name found at ``[start, end)``, or None when the name is no body that scopes."""
    cut = _last_stop(text, start, end)
    start = start if cut is None else cut + 1
    verb = None
    for found in _ORG_LEFT_VERBS.finditer(text, start, end):
        verb = found if found.end() <= end - 2 else verb  # a verb before the last two characters of the name
    if verb is not None:
        start = verb.end()  # 移送检察院, 督促公安机关, 实现全市: the verb is not part of the name
    anaphor = re.match(r"(?:分局|支队|大队|局)(?=[\u4e00-\u9fff]{3})", text[start:end])
    if anaphor and start > 0 and text[start - 1] == "该" and names_a_body(text[start + anaphor.end():end]):
        start += anaphor.end()  # 该分局新埔派出所: the unit within the body named before
    if start < end and start > 0 and text[start] in "年月日号" and text[start - 1].isdigit():
        start += 1  # 10月17日澄北分局: the date is not part of the name
    while start < end and start > 0 and re.match(r"[\d〇零一二两三四五六七八九十百千万亿]", text[start - 1]) \
            and text[start] in _MEASURE_UNITS:
        start += 1  # 13个县级公安机关: the measure word belongs to the value
    counted = re.search(r"[\d〇零一二两三四五六七八九十百千万亿][余多]?[个处所家支名]$", text[max(0, start - 3):start])
    if start >= end or counted or _inside(quoted, start, end) or _ORG_RECEIVERS.search(text, 0, start):
        return None
    if text.endswith("该", 0, start) and re.fullmatch(_ORG_SUFFIX, text[start:end]):
        return None  # 该分局, 该所: a body named before, whose org the sentence carries on
    if re.match(_PEOPLE, text[end:end + 2]) and re.fullmatch(_AREA, text[start:end]):
        return None  # 本澳居民, 本市市民: a group of people (a metric), not the scope
    if text[start:end] in _GENERIC_BODIES or text.startswith("划分", end) or (
            text.endswith("从", 0, start) and text.startswith(("看", "来看"), end)):
        return None  # 居前三位的派出所, 以警区划分, 从辖区看: a kind of body or a dimension, not a body
    return Span(start, end, "ORG", text[start:end])


_SPEAKER_TITLE = re.compile(r"副?(?:[处局司厅署部科]长|关长|[总支大中]?队长|主任|(?:新闻)?发言人|负责人|政委)")
_NOT_A_BODY = re.compile(r"^(?:主持人|记者)")


def _speaker_body(text: str, orgs: Sequence[Span]) -> list[Span]:
    """The body a speaker line names before the speaker's title (``刑事及保安处处长：`` -> ``刑事及保安处``,
    ``保安司司长：``) when no ORG was found in the name, or the last ORG found there lengthened up to
    the title (``市公安局反电信网络诈骗中心主任：``): what the speaker says is that body's."""
    name = speaker_name(text)
    if name is None or _NOT_A_BODY.match(name.group(1)):
        return []
    title = _SPEAKER_TITLE.search(name.group(1))
    inside = [org for org in orgs if org.start < name.end(1)]
    if inside and title is not None and inside[-1].end < title.start() \
            and re.fullmatch(f"[{HAN}]+", text[inside[-1].end:title.start()]):
        last = inside[-1]  # 市公安局反电信网络诈骗中心主任：the body is named up to the title
        return [Span(last.start, title.start(), "ORG", text[last.start:title.start()])]
    if inside:
        return []
    if title is None or title.start() < 2 or not re.fullmatch(f"[{HAN}]+", text[:title.start()]):
        return []
    return [Span(0, title.start(), "ORG", text[:title.start()])]


_PLACE = re.compile(rf"[{HAN}]{{1,6}}?(?:街道|新区|总区|区|县|市|镇|乡|旗|州(?:市|区|县)?|半岛|岛|辖区|口岸|邨)")
_PLACE_BEFORE = re.compile(rf"(?:{_PLACE.pattern})$")
_PLACE_COUNT = re.compile(rf"([{HAN}]{{1,6}}?)([两二三四五六七八九])个?(?:省|市|区|县|镇|乡|州|地|总区|警区|街道|分局|派出所)")


def _place_list(text: str, starts: list[int]) -> list[Span]:
    """A list of places opening a clause of a sentence with ``分别``/``依次``: one ORG per place
    (``东城、西城、南城三区同比分别下降…``, ``九龙南区、新界北区及港岛区的火警召唤分别为…``). The
    items are place names, or any short names when a count of places closes the list (``三区``)."""
    if not re.search(r"分别|依次", text):
        return []
    spans = []
    for clause_start in sorted(set(starts[:-1])):
        begin = clause_start + (2 if text.startswith(("其中", "当中"), clause_start) else 0)
        ranked = re.match(rf"[{HAN}]*?(?:依次为|依次是)(?=[{HAN}]+、)", text[begin:])
        begin += ranked.end() if ranked else 0  # 有效警情居前三位的依次为东湖区、临江区、北塘区，分别为…
        parts = re.match(rf"[{HAN}、]*", text[begin:]).group().split("、")
        if len(parts) < 2 or not all(re.fullmatch(rf"[{HAN}]{{1,6}}", part) for part in parts[:-1]):
            continue
        items, last = parts[:-1], parts[-1]
        counted = _PLACE_COUNT.match(last)
        joined = re.match(rf"([{HAN}]{{1,6}}?)[及和与]", last)
        shared = re.match(rf"([{HAN}]{{2,4}}?)(?:派出所辖区|派出所|街道|镇|乡)", last)
        if counted and parse_number(counted.group(2)) == len(parts):
            items.append(counted.group(1))
        elif shared and all(2 <= len(item) <= 4 for item in items) and not any(_PLACE.fullmatch(i) for i in items):
            items.append(shared.group(1))  # 湖滨、城关、岭南派出所辖区: the kind of place written once
        elif all(_PLACE.fullmatch(item) for item in items):
            rest = last[joined.end():] if joined else ""
            final = re.match(rf"([{HAN}]{{1,6}}?)(?:的|[两二三四五六七八九]个?[{HAN}]|$)", rest)
            final = final.group(1) if final and _PLACE.fullmatch(final.group(1)) else (
                _PLACE.match(rest).group() if _PLACE.match(rest) else None)
            if final and _PLACE.fullmatch(joined.group(1)):
                items += [joined.group(1), final]  # 新界北区及港岛区的…, 海路口岸及空路口岸分别…
            elif _PLACE.match(last):
                items.append(re.match(f"{_PLACE.match(last).group()}(?:辖区)?", last).group())  # 城北街道辖区
        if len(items) < len(parts) or any(char in _ORG_LEFT_STOPS for item in items for char in item):
            continue
        cursor = begin
        for item in items:
            cursor = text.index(item, cursor)
            spans.append(Span(cursor, cursor + len(item), "ORG", item))
            cursor += len(item)
    return spans


def _places(text: str, values: list[Span], starts: list[int]) -> list[Span]:
    """Sub-areas of a split (``其中，东城区412起；西城区…``): a place name opening a clause right before its
    value, or right before it after an earlier value and ``、`` (``城关镇18起、青石镇11起``)."""
    split = text.startswith("其中")
    spans = []
    for value in values:
        window = text[max(0, value.start - 7):value.start]
        listed = _PLACE.fullmatch(window.split("、")[-1]) if window.count("、") == 1 else None
        earlier = next((v for v in values if listed and v.end == value.start - len(listed.group()) - 1), None)
        if earlier and len(listed.group()) >= 3 and _PLACE_BEFORE.search(text, max(0, earlier.start - 8), earlier.start) \
                and not any(char in _ORG_LEFT_STOPS for char in listed.group()):
            spans.append(Span(value.start - len(listed.group()), value.start, "ORG", listed.group()))
            continue
        clause_start = starts[value.start]
        if clause_start == 0 and split:
            clause_start = 3 if text.startswith(("其中，", "其中,")) else 2
        lead = _LEADING.match(text[clause_start:clause_start + 8])
        match = _PLACE.match(text, clause_start + (lead.end() if lead else 0))  # 实现全市…
        if match is None or _ORG_RECEIVERS.search(match.group()[0]):
            continue  # 两区合计占全市35.7%: the whole the share is of
        if any(char in _ORG_LEFT_STOPS or char in "我们还共有" for char in match.group()):
            continue
        gap = r"[^，,；;]{0,8}" if split else (r"(?:则|共|录得|则录得|共录得|合计|合共|共计)?"  # the place right before its number
                                               r"|(?:同比|环比|按年|较去年同[期月]|较上[月周年])(?:上升|下降|增长|减少|增加|下跌)")  # 云川市同比上升2.4%
        if text.startswith("其中", starts[value.start]):
            gap = r"[^，,；;]*"  # …，其中石原市公共视频监控联网率由…: a sub-area opening its clause
        contrast = text.startswith("则", match.end())  # 柳湾镇则同比上升5.1%
        if match.end() <= value.start and (contrast or re.fullmatch(gap, text[match.end():value.start])):
            spans.append(Span(match.start(), match.end(), "ORG", match.group()))
    return spans


_REMAINDER = re.compile(r"其余(?:[\d两二三四五六七八九十]+个?)?各?(?:乡镇市?|镇街|区县|县区|县市|市县|地市|街道|镇|乡|区|县|市|口岸|地区|分局|派出所|警区|总区|大队)")


def _remainder(text: str, values: list[Span], starts: list[int]) -> list[Span]:
    """The remaining places of a breakdown opening a clause with a value (``其余镇街合计138起``,
    ``其余2个口岸合计…``): one ORG, the figure's metric is the breakdown's."""
    spans = []
    for clause_start in sorted({starts[v.start] for v in values}):
        match = _REMAINDER.match(text, clause_start)
        if match and any(v.start >= match.end() and starts[v.start] == clause_start for v in values):
            spans.append(Span(match.start(), match.end(), "ORG", match.group()))
    return spans


def _after_times(org: Span, times: list[Span], text: str) -> Span | None:
    """An ORG that swallowed a TIME's last characters (``2023年全市公安机关``) starts after it."""
    start = max([org.start] + [t.end for t in times if t.start <= org.start < t.end or org.start < t.end < org.end])
    return Span(start, org.end, "ORG", text[start:org.end]) if org.end - start >= 2 else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = _LEADING.match(piece)
    if lead:
        start += lead.end()
    partners = _PARTNERS.match(text, start, end)
    if partners and partners.end() < end - 1:
        start = partners.end()  # 会同人民银行…分行、市通信管理局|下发预警指令: the partners are no part of it
    piece = text[start:end]
    trail = _TRAILING.search(piece)
    if trail and trail.start() > 0:
        end = start + trail.start()
    while start < end and (text[start] in "、，,的“”）)" or text[start] in "（(" and not re.search("[）)]", text[start:end])) \
            and not (text[start] == "“" and "”" in text[start:end]):
        start += 1  # …2,863件（占30.3%）、诈欺2,417件: the aside's brackets belong to no metric
    while start < end and text[end - 1] in "、，,的":
        end -= 1
    longest = max(len(part) for part in text[start:end].split("、"))  # a list is capped item by item
    if longest > _MAX_METRIC:
        start = end - _MAX_METRIC
    return start, end


def _list_items(text: str, start: int, end: int, label: str) -> list[Span]:
    """One span of ``label`` per item of the ``、`` list at ``[start, end)``."""
    spans, cursor = [], start
    for part in text[start:end].split("、"):
        if part:
            spans.append(Span(cursor, cursor + len(part), label, part))
        cursor += len(part) + 1
    return spans


def _metrics(text: str, values: list[Span], taken: list[Span], starts: list[int]) -> list[Span]:
    spans: list[Span] = []
    others = sorted(taken)
    for k, value in enumerate(values):
        clause_start, region_end = starts[value.start], value.start
        previous = [v for v in values[:k] if v.end <= value.start and v.start >= clause_start]
        opening = _LIST_OPENING.match(text, clause_start)
        if not previous and clause_start > 0 and opening and not re.search(
                rf"[{HAN}]{{3}}", text[opening.end():value.start]):  # not 分别接报有效警情187、…
            # A、B、C同比增幅较大，分别为…: the metrics stand in the clause before
            clause_start, region_end = starts[clause_start - 1], clause_start - 1
            previous = [v for v in values[:k] if v.end <= region_end and v.start >= clause_start]
            ranked = re.search(r"依次为|依次是", text[clause_start:region_end])
            if ranked:  # 有效警情居前三位的依次为东湖区、…: the metric stands before the ranked places
                region_end = clause_start + ranked.start()
        region_start = previous[-1].end if previous else clause_start
        inside = [s for s in others if region_start <= s.start and s.end <= region_end]
        scope = [s for s in inside if s.label in ("ORG", "TIME")]
        cues = [s for s in inside if s.label in ("BASE", "TREND")]
        start = max([region_start] + [s.end for s in scope if not cues or s.end <= cues[0].start])
        end = cues[0].start if cues and cues[0].start >= start else region_end
        if cues and not text[start:end].strip("，,、 ") and cues[-1].end < region_end:
            start, end = cues[-1].end, region_end  # 增加值守点260余个, 压缩办理时限1个工作日
        start, end = _trim(text, start, end)
        if end - start < 2:
            start = end
        later = [v for v in values[k + 1:] if starts[v.start] == starts[value.start]]
        piece = text[start:end]
        shared = not later and "、" in piece and "均" in text[end:value.start]  # 发案数、损失数均下降10%
        each = _EACH.search(piece) if not later and not previous and "、" in piece else None
        listed = _respective_places(piece, len(later) + 1) if later and not previous else None
        if listed:  # 澳门半岛、氹仔及路环分别录得6,915、2,836及533宗: one org a place
            names, verb = listed
            spans += [Span(start + a, start + b, "ORG", text[start + a:start + b]) for a, b in names]
            if verb:
                spans.append(Span(start + verb[0], start + verb[1], "METRIC", text[start + verb[0]:start + verb[1]]))
        elif each and not all(_PLACE.fullmatch(part) for part in piece[:each.start()].split("、")):
            spans += _list_items(text, start, start + each.start(), "METRIC")  # 网络贷款类、虚假征信类诈骗各发案3起
            spans.append(Span(start + each.start(1), end, "METRIC", each.group(1)))  # the verb after 各
        elif (shared or later and "、" in piece and piece.count("、") == len(later)) and not previous:
            parts = piece.split("、")
            places = [_PLACE.fullmatch(part) for part in parts[:-1]]
            last_place = _PLACE.match(parts[-1])
            if all(places) and last_place and last_place.end() < len(parts[-1]):  # 临江市、白沙市、北岭市伤亡事故起数
                last = end - len(parts[-1])
                spans += _list_items(text, start, last - 1, "ORG")
                spans.append(Span(last, last + last_place.end(), "ORG", last_place.group()))
                spans.append(Span(last + last_place.end(), end, "METRIC", text[last + last_place.end():end]))
                continue
            spans += _list_items(text, start, end, "METRIC")  # 电诈发案数、损失数同比下降39.1%、46.8%
        elif end > start and not any(s.start < end and start < s.end for s in spans):
            spans.append(Span(start, end, "METRIC", piece))
        post = _POST_NOUN.match(text, value.end)
        own = find_mentions(value.text)
        counted = bool(own) and own[-1].quantity is not None and own[-1].quantity.unit in _COUNT_UNITS
        if post and (counted or post.group().startswith("的")):
            post_start, post_end = post.start(1), post.end(1)
            blockers = [s.start for s in others if post_start <= s.start < post_end] + \
                       [v.start for v in values if post_start <= v.start < post_end]
            post_end = min([post_end] + blockers)
            post_start, post_end = _trim(text, post_start, post_end)
            if post_end - post_start >= 2:
                spans.append(Span(post_start, post_end, "METRIC", text[post_start:post_end]))
    return spans


_TOPIC = re.compile(rf"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{{1,2}}[）)]|\d{{1,2}}[、．])"
                    rf"([{HAN}“”]{{2,12}})[：:]|^(?:在|从)?([{HAN}“”]{{2,10}}?)方面[，,]"
                    rf"|^(?:(?:[上下]半年|全年|本月|本周|本季度?|今年以来)[，,])?([{HAN}“”]{{2,10}}?)(?:仍然|依然|仍)?(?:较为|最为)?"
                    rf"(?:突出|高发|为最大宗|呈[{HAN}]{{2,4}}趋势)[，,]")


def _topic(text: str, values: list[Span], metrics: list[Span], starts: list[int], scope: list[Span]) -> list[Span]:
    """The topic a sentence opens with (``一、致命意外：全年录得96宗``, ``科技罪案方面，全年录得34108宗``,
    ``下半年，诈骗案呈回落趋势，共录得1084宗``, ``各分局全般刑案发生件数，澄北分局286件、…``: a first clause
    of no values that holds only a scope and a name) as the METRIC of its first clause of values
    when that clause names none."""
    match = _TOPIC.match(text)
    if match:
        following = [v for v in values if v.start >= match.end()]
        group = next(g for g in (1, 2, 3) if match.group(g))
        start, end = match.start(group), match.end(group)
    else:
        following = [v for v in values if starts[v.start] == starts[values[0].start]]
        clause = starts[following[0].start] if following else 0
        if clause == 0 or starts[clause - 1] != 0 or text[clause - 1] not in "，,：:" \
                or any(s.end > clause - 1 or s.label not in ("ORG", "TIME") for s in scope if s.start < clause):
            return []
        start, end = _trim(text, max([0] + [s.end for s in scope if s.start < clause]), clause - 1)
        measured = _MEASURE_BROKEN_DOWN.search(text, start, end)
        if measured and measured.start() - start >= 2:
            end = measured.start()  # 刑事案件按区域划分: the measure before its breakdown
        if _DIMENSION.search(text[start:end]) or not 2 <= end - start <= _MAX_METRIC:
            return []  # 从发案地点看, 依行政区分, 按半年计, 各行政区中, 呈…走势: how the figures are broken down
    if not following or any(starts[m.start] == starts[following[0].start] for m in metrics if m.label == "METRIC"):
        return []
    return [Span(start, end, "METRIC", text[start:end])]


_PARTNERING = "(?:会同|联合|协同|联同)"
_PARTNERS = re.compile(rf"{_PARTNERING}[^，,；;。]*(?:{_ORG_SUFFIX}|局|厅|委|部门|银行|分行|中心|院|署)")
_PARTNER_LISTED = re.compile(rf"{_PARTNERING}[^，,；;。：:]*[、和及与]$")
"""What stands before a body that is a later item of the partners after 会同 (会同人民银行…分行、|市通信管理局)."""
_RECORDING_VERB = re.compile(r"(?:录得|为|有|达|是|共|计|共有)?")


def _respective_places(piece: str, count: int) -> tuple[list[tuple[int, int]], tuple[int, int] | None] | None:
    """The places of a ``、``/``及`` list before ``分别`` that pairs with ``count`` values, as ranges in
    ``piece``, and the range of the words after ``分别`` (None when they only record: ``录得``, ``为``).
    A list is of places when every item is one (``澳门半岛``, ``氹仔``; not ``住宅小区、商铺``)."""
    respective = piece.find("分别")
    items = list(re.finditer(r"[^、及和与]+", piece[:respective])) if respective > 0 else []
    glue = [piece[a.end():b.start()] for a, b in zip(items, items[1:])]
    if len(items) != count or count < 2 or items[-1].end() != respective or items[0].start() != 0 \
            or any(g not in ("、", "及", "和", "与") for g in glue) or glue.count("、") < len(glue) - 1 \
            or not all(re.fullmatch(rf"[{HAN}]+", i.group()) for i in items):
        return None
    if not all(names_a_place(i.group()) and len(i.group()) <= 10 for i in items):
        return None
    rest = respective + 2
    verb = None if _RECORDING_VERB.fullmatch(piece[rest:]) else (rest, len(piece))
    return [(i.start(), i.end()) for i in items], verb


_MEASURE_BROKEN_DOWN = re.compile(r"(?:按|依)[^，,]{1,6}(?:划分|区分|分)$")
_DIMENSION = re.compile(r"^(?:从|依|按|以|就|分)|(?:看|分|计|而言|走势|趋势|中)$")


_RANKED = re.compile(rf"(?:^|[，,；;])(?:[^，,；;。]*?以|(?:其中|当中)?)[「“]?([{HAN}]{{2,16}}?)[」”]?(?:最多|居多|次之|居次)[，,]计$")


def _ranked(text: str, values: list[Span], metrics: list[Span]) -> list[Span]:
    """What a ranking names is the metric of the count after it (``其中以受困救助最多，计412件``,
    ``「未依规定让车」次之，计11件``): it replaces the metrics found over it."""
    ranked = []
    for value in values:
        window = max(0, value.start - 40)  # a ranking stands within the clause before the count
        found = _RANKED.search(text[window:value.start])
        if found and (found.start() > 0 or window == 0 or text[window - 1] in "，,；;"):
            ranked.append(Span(window + found.start(1), window + found.end(1), "METRIC", found.group(1)))
    return [m for m in metrics if not any(m.start < r.end and r.start < m.end for r in ranked)] + ranked


def _drop_overlaps(spans: list[Span]) -> list[Span]:
    priority = {"VALUE": 0, "TREND": 1, "BASE": 2, "TIME": 3, "ORG": 4, "METRIC": 5}
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (priority[s.label], s.start, -(s.end - s.start))):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return sorted(kept)


RULE_SCORE = 0.93
"""The score of every rule span: an estimate of the rule tagger's record precision on text it was
not written on, below its precision on the training split (``python scripts/evaluate.py
extractor=rules corpus=train``: 0.965, in-sample, since the rules were written on that split); a
record's confidence is the lowest score of its spans (``docs/record_format.md``)."""


class RuleTagger:
    """Labels sentences with spans; ``tag`` takes a batch, like the model tagger. Every span
    carries the score ``RULE_SCORE``."""

    name = "rules"

    def tag_sentence(self, text: str) -> list[Span]:
        quoted, starts = quoted_ranges(text), clause_starts(text)
        values = _values(text, starts, quoted)
        trends = _trends(text, values, starts)
        bases = [Span(m.start(), m.end(), "BASE", m.group()) for m in _BASE.finditer(text)]
        times = [Span(m.start(), m.end(), "TIME", m.group()) for m in _TIME.finditer(text)
                 if not _inside(quoted, m.start(), m.end())]
        listed = _place_list(text, starts)  # a list of places wins over the names found inside it
        remainders = _remainder(text, values, starts)  # 其余2个口岸: the count names the places, no value
        values = [v for v in values if not any(r.start <= v.start and v.end <= r.end for r in remainders)]
        orgs = [_after_times(org, times, text) for org in listed + [
            org for org in _orgs(text, quoted) + _places(text, values, starts) + remainders
            if not any(org.start < item.end and item.start < org.end  # 岭南派出所辖区: the kind of place is the list's
                       or org.start >= item.end and text[item.end:org.start] in ("", "派出所") for item in listed)]]
        orgs = [org for org in orgs if org is None or not _PARTNER_LISTED.search(text, 0, org.start)]
        speaker = _speaker_body(text, [org for org in orgs if org is not None])  # it may lengthen a found body
        orgs = [org for org in orgs if org is None or not any(org.start < s.end and s.start < org.end
                                                             for s in speaker)] + speaker
        listed_ends = {span.end for span in listed}
        values = [v for v in values if not (v.start in listed_ends and re.fullmatch(r"[两二三四五六七八九]个", v.text))]
        cues = _drop_overlaps(values + trends + bases + times + [org for org in orgs if org is not None])
        kept_values = [s for s in cues if s.label == "VALUE"]
        metrics = _metrics(text, kept_values, cues, starts)
        metrics += _topic(text, kept_values, metrics, starts, cues)
        metrics = _ranked(text, kept_values, metrics)
        return [Span(s.start, s.end, s.label, s.text, RULE_SCORE) for s in _drop_overlaps(cues + metrics)]

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        return [self.tag_sentence(text) for text in sentences]

"""From labelled spans to records: one decoder for gold spans, rules and the model (and, for
the extractor, which sentences can change a record at all: ``sentences_that_matter``).

Pure Python, no torch. Within a sentence, records are built clause by clause (a clause
ends at ``，,；;：:`` or a bracket; ``、`` does not end one):

1. ``由 VALUE TREND 至 VALUE`` becomes one from-to value.
2. Metrics are paired with values: an enumeration (as many METRICs as VALUEs, all
   METRICs first: ``电诈发案数、损失数同比下降39.1%、46.8%``) pairs in order; one VALUE
   after several METRICs (``安装率、联网率、设置率达到100%``, ``均``) gives one record each, as
   does one after a list and a verb after ``各`` (``A、B各发案3起`` -> ``A发案``, ``B发案``);
   otherwise a VALUE takes the METRIC before it in its clause, joined with a METRIC
   right after it (verb + value + noun: ``新建2处快速理赔中心`` -> ``新建快速理赔中心``; the
   verb carries over a list: ``整合301个网格、1200余名网格员``), or the METRIC after it
   (followed by a verb METRIC: ``1105名社区民警…融入网格化综治管理``), or the metric of
   the sentence's previous record (count and change: ``破获毒品案件206起，同比下降5%``;
   after a share or a daily average, the figure's: ``占整体罪案的44.9%，按年增加8.5%``).
   A share written ``占`` alone takes the figure before it (``…41起，占38.3%`` -> ``…占``);
   deaths listed with their accidents are theirs (``伤亡事故461起、死亡108人``); ranks
   (``最多``, ``次之``) name nothing. A clause of values without a METRIC
   (``分别为187.32%、96.41%``) takes the METRICs and TREND of the value-less clauses before
   it (``A、B、C同比增幅较大，``), or, when they name one METRIC, that metric for its values and
   the sentence's later ones (``各分局全般刑案发生件数，澄北分局286件、…``).
3. TREND and BASE come from the value's clause (a BASE clause without values, such as
   ``与2014年相比,``, scopes the whole sentence); a sign or arrow on the value (``-5.2%``,
   ``↓3起``) gives the direction. A level right after ``BASE的`` is the basis itself
   (``较去年同期的78.5%``): no baseline and no period. TIME and ORG are the nearest ones
   before the value in the sentence, else the last ones of earlier sentences of the same
   paragraph, else what the document's layout establishes (``ie.structure``): the heading that governs the
   section, the speaker of a press conference (or the area the speaker's figures name),
   the lead (its scope preferred to the body that reports; ``本局``, ``警区`` stand for the
   body the title names), the first figures, the title and date line. A list of places pairs
   with every clause of respective values in its sentence; listed places and the sub-areas of
   a split scope only their own figures. An anaphoric period (期间, 同期) takes the period in
   force.
4. A value whose sentence names no metric takes the metric of its context: the heading of
   its section, else the paragraph's last metric (first, for figures given by place:
   ``澄北、林湖两分局分别减少24件、15件``), else, in a sub-area split
   (``其中，东城区412起``), the metric of the figure before it; a value with none of these is kept with the flag
   ``no_metric``. A list whose unit is written once (``1523、1311、987起``) gives it to every
   item. Flattened tables give one record per number cell (``ie.structure.Table``).
5. Plausibility flags mark odd records without dropping them.
6. A record's confidence is the lowest score of its VALUE, TREND and METRIC spans (a table
   cell's: its VALUE span's); None when the tagger scores no span.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ie.document import SegmentedDocument
from ie.quantity import QuantityError, has_number, parse_quantity
from ie.schema import TREND_DIRECTIONS, Evidence, Record, Span
from ie.structure import HEADING_PATTERNS, Structure, Table, analyse_structure, is_number_cell
from ie.text.chars import CLAUSE_BREAKS, OPENING_BRACKETS, PLACES_WITHOUT_PLACE_WORD

logger = logging.getLogger(__name__)

_LIST_GLUE = re.compile(r"^[“”\s]*[、和及与][“”\s]*$")  # what separates the items of a list
_POST_NOUN_GAP = re.compile(r"^的?$")

FLAGS = {
    "decrease_over_100": "a decrease of more than 100 %",
    "rate_over_100": "a level percentage above 100",
    "from_to_contradiction": "the direction contradicts the from-to numbers",
    "subtotal_exceeds_total": "a bracketed part is larger than its total",
    "no_metric": "neither the sentence nor its context names what the value measures",
    "metric_from_context": "the sentence names no metric; it comes from a heading, an earlier sentence or the list",
    "replaced_characters": "the evidence, or a character beside it, replaced undecodable bytes of the input (U+FFFD)",
}
_DOWN_SIGNS, _UP_SIGNS = "-−－↓", "+↑"
_LIST_OPENING = re.compile(r"\s*(?:分别|依次|均|各)")
_NOT_A_METRIC = re.compile(r"(?:则|共|合共|共计|合计|累计|分别|依次|其中|当中)?(?:录得|为|达|计|有)?"
                           r"|最多|次之|最少|居首位?|居次|居第[二三四五]位?|居前[二三四五六七八九十]位|平均(?:水平|值)?(?:为|是)?"
                           r"|(?:有所|轻微|略有|明显)(?:增加|减少|上升|下降|回落|下跌)")
"""Function words and ranks a tagger may label METRIC (录得 in 北岭总区录得8715宗, 最多 in 滨海区2,641件最多):
they name nothing."""
_RESPECTIVELY = re.compile(r"分别|依次")
_OUTCOMES = ("死亡", "受伤", "死亡人数", "受伤人数")
"""Generic metrics that count the consequences of the figure before them in the sentence."""
_SHARE_VERBS = ("占", "占比")
"""A metric that is only a share verb names the share of the sentence's figure before it."""
_DERIVED_METRIC = re.compile(r"^占|^(?:日均|平均)$")
"""A share or average of a figure: a change after it without a metric of its own is the figure's."""
_SHARE_OF_SUBJECT = re.compile(r"占比?$")
"""A subject's share (居民住宅火灾占): derived when its value is a share (%, 成), not a count (儿童占987人)."""


def _derived(metric: str, value_text: str) -> bool:
    """Whether ``metric``, measured by ``value_text``, is a share or an average of another figure."""
    return bool(_DERIVED_METRIC.search(metric)
                or _SHARE_OF_SUBJECT.search(metric) and re.search(r"[%％成]$", value_text))

_GENERIC_METRIC = re.compile(r"(?:本月|本周|共|累计)?(?:发案|立案|破案|警情|案件|死亡|受伤|发生|接报|接警|报警|查处|抓获|起数|受理|破获)"
                             r"(?:数|起数|人数|率)?")
"""A sentence metric this generic is qualified by the heading of its section."""


def trend_direction(word: str) -> str | None:
    """Direction of a TREND word: the lexicon first, then its characters (降/减 vs 升/增)."""
    if word in TREND_DIRECTIONS:
        return TREND_DIRECTIONS[word]
    if re.search("[降减压缩少]", word):
        return "down"
    if re.search("[升增提高加涨翻]", word) or word.startswith("多"):
        return "up"
    return None


@dataclass
class _Draft:
    """A record under construction: spans within one sentence."""

    value: Span
    metric: str
    start: int  # evidence start (the 由 of a from-to)
    from_value: Span | None = None
    trend: Span | None = None
    base: Span | None = None
    time: Span | None = None
    org: Span | None = None
    parent: _Draft | None = None
    flags: list[str] = field(default_factory=list)
    basis: bool = False  # a level given as the basis of a comparison (较去年同期的78.5%): no period, no baseline


def _clauses(text: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Clause ranges; a break character inside a span (``小区(村庄)``) does not break."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    bounds, start = [], 0
    for i, char in enumerate(text):
        if char in CLAUSE_BREAKS and i not in covered:
            bounds.append((start, i))
            start = i + 1
    bounds.append((start, len(text)))
    return bounds


def _merge_from_to(text: str, values: list[Span], trends: list[Span]) -> dict[Span, Span]:
    """``{to_value: from_value}`` for ``由 A [TREND] 至 B``."""
    pairs = {}
    for first, second in zip(values, values[1:]):
        between = text[first.end:second.start]
        if first.start > 0 and text[first.start - 1] in "由从" and re.fullmatch(r"[^\d，,；;]{0,5}?[至到为]", between):
            pairs[second] = first
    return pairs


@lru_cache(maxsize=4096)
def _count_unit(value_text: str) -> str | None:
    """The unit of a count or amount (起, 人, 元), None for rates and shares (%, 个百分点)."""
    try:
        unit = parse_quantity(value_text).unit
    except QuantityError:
        return None
    return unit if unit and unit not in ("%", "‰", "个百分点", "成", "倍") else None


def _pair_metrics(text: str, clause_spans: list[Span], state: dict) -> list[tuple[Span, str]]:
    """``(value, metric)`` pairs for one clause; ``state`` carries the sentence's last metric."""
    metrics = [s for s in clause_spans if s.label == "METRIC" and not _NOT_A_METRIC.fullmatch(s.text)]
    values = [s for s in clause_spans if s.label == "VALUE"]
    if not values:
        return []
    before_first = [m for m in metrics if m.end <= values[0].start]
    if len(values) == 1 and len(before_first) >= 3 and before_first == metrics:
        items, verb = metrics[:-1], metrics[-1]  # A、B各发案3起: one record an item, the verb after 各 shared
        if text[items[-1].end:verb.start] == "各" and all(_LIST_GLUE.match(text[a.end:b.start])
                                                          for a, b in zip(items, items[1:])):
            return [(values[0], m.text + verb.text) for m in items]
    if len(before_first) >= 2 and before_first == metrics:
        if len(metrics) == len(values):  # enumeration, paired in order
            return list(zip(values, (m.text for m in metrics)))
        if len(values) == 1 and all(_LIST_GLUE.match(text[a.end:b.start]) for a, b in zip(metrics, metrics[1:])):
            return [(values[0], m.text) for m in metrics]  # one shared value
    pairs, consumed, verb, previous_end = [], set(), None, None
    for k, value in enumerate(values):
        unit = _count_unit(value.text)
        window_start = previous_end if previous_end is not None else -1
        pre = [m for m in metrics if window_start <= m.start and m.end <= value.start and m not in consumed]
        following = [m for m in metrics if m.start >= value.end and m not in consumed]
        next_value_start = values[k + 1].start if k + 1 < len(values) else len(text)
        in_reach = [m for m in following if m.end <= next_value_start]
        post = in_reach[0] if in_reach and _POST_NOUN_GAP.match(text[value.end:in_reach[0].start]) else None
        if not pre and not post and in_reach:  # 615个小区全部建成智慧安防小区
            post = in_reach[0]
        # two METRICs before the value that are not list items form one phrase (研发应用 … 智能系统)
        joined = pre[-2].text + pre[-1].text if len(pre) >= 2 and not _LIST_GLUE.match(
            text[pre[-2].end:pre[-1].start]) else (pre[-1].text if pre else None)
        if pre and post:
            verb = joined
            metric = verb + post.text
            consumed.add(post)
        elif pre:
            metric = joined
            verb = None
        elif post:
            consumed.add(post)
            after = [m for m in in_reach if m.start > post.start]
            if verb:
                metric = verb + post.text
            elif after:
                metric = post.text + after[0].text
                consumed.add(after[0])
            else:
                metric = post.text
        else:
            metric = state.get("metric") or ""  # never dropped: the caller flags a value with no metric
            if unit and unit != state.get("last_unit") and state.get("by_unit", {}).get(unit):
                metric = state["by_unit"][unit]  # 发案12起，损失47.3万元，环比减少3起: the count's change
            if _derived(metric, state.get("last_value", "")) and state.get("figure") and not pairs \
                    and "百分点" not in value.text:
                metric = state["figure"]  # 占整体罪案的44.9%，按年增加8.5%: the change is the figure's
            if state.get("from_context"):
                state.setdefault("context_values", set()).add(value)
        if metric in _SHARE_VERBS and state.get("metric"):
            metric = state["metric"] + metric  # 居民住宅火灾41起，占38.3%: the share of the figure before
        if metric and not _derived(metric, value.text):
            state["figure"] = metric
        state["last_value"] = value.text
        state["last_unit"] = (unit or state.get("last_unit")) if metric else None
        if metric and unit:
            state.setdefault("by_unit", {})[unit] = metric
        pairs.append((value, metric))
        state["from_context"] = state.get("from_context") and metric == state.get("metric")
        state["metric"] = metric
        previous_end = value.end
    return pairs


def decode_sentence(text: str, spans: Sequence[Span], inherited_metric: str | None = None,
                    heading_metric: str | None = None) -> list[_Draft]:
    """Records of one sentence, before inheritance and offsets (see the module docstring).

    ``inherited_metric`` is the metric the context gives a value that finds none in the
    sentence; without one such a value gets the metric ``""`` (flagged by the caller).
    ``heading_metric``, the metric a heading names, qualifies a generic sentence metric
    (under ``（一）入室盗窃``, ``本月发案23起`` measures ``入室盗窃发案``).
    """
    spans = sorted(spans)
    values = [s for s in spans if s.label == "VALUE"]
    trends = [s for s in spans if s.label == "TREND"]
    from_of = _merge_from_to(text, values, trends)
    from_values = set(from_of.values())
    drafts: list[_Draft] = []
    state: dict = {"metric": inherited_metric or "", "from_context": bool(inherited_metric)}
    clauses = _clauses(text, spans)
    sentence_base = None
    for start, end in clauses:
        inside = [s for s in spans if start <= s.start and s.end <= end and s not in from_values]
        if any(s.label == "BASE" for s in inside) and not any(s.label == "VALUE" for s in inside):
            sentence_base = next(s for s in inside if s.label == "BASE")
    last_total: _Draft | None = None
    lent: list[Span] = []  # METRIC, TREND and ORG spans of value-less clauses, lent to the next clause of values
    listed: list[Span] = []  # the places of the last list of places paired with values
    for start, end in clauses:
        inside = [s for s in spans if start <= s.start and s.end <= end and s not in from_values]
        if not any(s.label == "VALUE" for s in inside):
            if not (start > 0 and text[start - 1] in OPENING_BRACKETS):  # （不含已劝阻的警情）: an aside lends nothing
                lent += [s for s in inside if s.label in ("METRIC", "TREND", "ORG")]
            continue
        lent_metrics = [s for s in lent if s.label == "METRIC"]
        own_values = [s for s in inside if s.label == "VALUE"]
        if lent_metrics and not any(s.label == "METRIC" for s in inside) and (
                _LIST_OPENING.match(text, start) or len(lent_metrics) == len(own_values)):
            inside = [s for s in lent if s.label != "ORG"] + inside
        elif len(lent_metrics) == 1 and not any(s.label == "METRIC" for s in inside):
            state.update(metric=lent_metrics[0].text, from_context=False)  # 各分局全般刑案发生件数，澄北分局286件、…
        org_of = _listed_orgs(text, [s for s in lent if s.label == "ORG"] + inside, own_values)
        if org_of:
            listed = [org_of[value] for value in own_values]
        elif len(listed) == len(own_values) and _RESPECTIVELY.search(text[start:end]) \
                and not any(s.label == "ORG" for s in inside):
            org_of = dict(zip(own_values, listed))  # …分别发生612起、498起，分别占全区的31.5%和25.6%
        lent = []
        in_bracket = start > 0 and text[start - 1] in OPENING_BRACKETS
        pairs = _pair_metrics(text, inside, state)
        respective = _RESPECTIVELY.search(text[start:end])
        if respective and not any(s.label == "METRIC" for s in inside) and drafts:
            earlier = [d.metric for d in drafts if not d.parent]
            if len(earlier) >= len(pairs):  # 破获…3127起、抓获…2058名，同比分别上升9.6%、12.3%
                pairs = [(value, metric) for (value, _), metric in zip(pairs, earlier[-len(pairs):])]
        for value, metric in pairs:
            subject = next((d.metric for d in drafts if d.metric and not _GENERIC_METRIC.fullmatch(d.metric)
                            and start <= d.value.start and not d.metric.endswith(metric)),
                           None) if metric in _OUTCOMES else None
            if subject:  # 伤亡事故461起、死亡108人: the deaths of those accidents
                metric = subject + metric
            elif heading_metric and _GENERIC_METRIC.fullmatch(metric) and heading_metric not in metric:
                metric = heading_metric + metric
            first = from_of.get(value)
            draft = _Draft(value, metric, first.start - 1 if first and text[first.start - 1] in "由从" else
                           (first.start if first else value.start), from_value=first)
            if value in state.get("context_values", ()):
                draft.flags.append("metric_from_context")
            before = [s for s in inside if s.end <= value.start]
            draft.trend = next((s for s in reversed(before) if s.label == "TREND"), None)
            draft.trend = next((s for s in inside if s.label == "TREND" and s.start == value.end
                                and s.text in _DOWN_SIGNS + _UP_SIGNS
                                and not re.match(r"\d", text[s.end:s.end + 1])), draft.trend)  # 12%↑, not 3862起↓4.1%
            if first is not None:  # the TREND between the two values of a from-to
                draft.trend = next((s for s in trends if first.end <= s.start and s.end <= value.start), draft.trend)
            draft.base = next((s for s in reversed(before) if s.label == "BASE"), sentence_base)
            if draft.base and draft.base.end == value.start - 1 and text[draft.base.end] == "的":
                draft.base, draft.basis = None, True  # 较去年同期的78.5%上升7.7个百分点: 78.5% is last year's
            draft.time = next((s for s in reversed(spans) if s.label == "TIME" and s.end <= value.start), None)
            draft.org = org_of.get(value) or next((s for s in reversed(spans) if s.label == "ORG"
                                                   and s.end <= value.start), None)
            if in_bracket and last_total is not None:
                draft.parent = last_total
            drafts.append(draft)
        own = drafts[len(drafts) - len(pairs):]
        if not org_of and len(own) >= 2 and all(d.org is not None and d.org.end == d.value.start for d in own) \
                and len({d.org for d in own}) == len(own):
            listed = [d.org for d in own]  # 城关镇18起、青石镇11起，分别占…43.9%和26.8%
        if not in_bracket and drafts:
            last_total = drafts[-1]
    return drafts


def _lowest_score(spans: Iterable[Span | None]) -> float | None:
    """The lowest score among ``spans`` (rounded to 3 places); None when none has one."""
    scores = [span.score for span in spans if span is not None and span.score is not None]
    return round(min(scores), 3) if scores else None


def _confidence(draft: _Draft, sentence_spans: Sequence[Span]) -> float | None:
    """A record's confidence: the lowest score of its VALUE (and from-value), TREND and the
    sentence's METRIC spans its metric is made of (a metric from the context brings none)."""
    metrics = [s for s in sentence_spans if s.label == "METRIC" and draft.metric and s.text in draft.metric]
    return _lowest_score([draft.value, draft.from_value, draft.trend, *metrics])


def _listed_orgs(text: str, spans: list[Span], values: list[Span]) -> dict[Span, Span]:
    """``{value: org}`` when a list of places pairs with as many values (``东城、西城、南城三区分别下降12%、8%、5%``)."""
    orgs = [s for s in spans if s.label == "ORG" and s.end <= values[0].start]
    run = orgs[-1:]  # the list: the ORGs glued together right before the values (not an earlier subject)
    for org in reversed(orgs[:-1]):
        if not _LIST_GLUE.match(text[org.end:run[0].start]):
            break
        run.insert(0, org)
    if len(run) < 2 or len(run) != len(values):
        return {}
    return dict(zip(values, run))


def _list_of_places(text: str, spans: Sequence[Span]) -> set[Span]:
    """The ORG spans that are items of a list (``陆路口岸、海路口岸及空路口岸``)."""
    orgs = sorted(s for s in spans if s.label == "ORG")
    listed = set()
    for a, b in zip(orgs, orgs[1:]):
        if _LIST_GLUE.match(text[a.end:b.start]):
            listed.update((a, b))
    return listed


def _glosses(text: str, spans: Sequence[Span]) -> set[Span]:
    """TIME spans in brackets that restate the TIME right before them (``二○二五年首季（一月至三月）``):
    the period a later sentence carries on is the one they gloss."""
    times = sorted(s for s in spans if s.label == "TIME")
    return {b for a, b in zip(times, times[1:])
            if b.start == a.end + 1 and text[a.end] in OPENING_BRACKETS}


def _place_breakdown(spans: Sequence[Span], places: set[Span], units: set[str | None]) -> bool:
    """A sentence that names no metric and gives figures by place in a unit of the figures before it:
    a list of places, or a place (not a scope such as ``全市``) before the first value (``北岭总区录得
    8715宗``). Its metric is that figure's, not the heading's."""
    values = sorted(s for s in spans if s.label == "VALUE")
    if not values or any(s.label == "METRIC" for s in spans) or not units & {_unit_of(v.text) for v in values}:
        return False
    return bool(places) or any(s.label == "ORG" and s.end <= values[0].start and not SCOPE.match(s.text)
                               for s in spans)


def _unit_of(value_text: str) -> str | None:
    try:
        return parse_quantity(value_text).unit
    except QuantityError:
        return None


def _flags(record_value: float, unit: str | None, direction: str | None, from_value: float | None,
           metric: str, parent: tuple[float, str | None] | None) -> list[str]:
    flags = []
    if unit == "%" and direction == "down" and record_value > 100:
        flags.append("decrease_over_100")
    if unit == "%" and direction is None and from_value is None and record_value > 100 and "率" in metric:
        flags.append("rate_over_100")
    if from_value is not None and direction is not None and (
        (direction == "up") != (record_value > from_value) and record_value != from_value
    ):
        flags.append("from_to_contradiction")
    if parent is not None and parent[1] == unit and record_value > parent[0]:
        flags.append("subtotal_exceeds_total")
    return flags


def sentences_that_matter(document: SegmentedDocument, structure: Structure | None = None) -> list[bool]:
    """Which sentences' spans can change the records, as far as the text alone tells.

    A record needs a value, and a value a number. A sentence without a number can still
    lend its TIME, ORG or METRIC: to later sentences of its paragraph, or through the
    layout (``ie.structure``) to its section (a heading, a speaker line) or the whole
    document (title, date line). So a sentence matters when it holds a number, a later
    sentence of its paragraph does, or it is layout; a table's cells do not (they are read,
    not tagged) but its row labels and the line before its header (a caption) do. The lead before the first heading can lend its
    period and org too: ``untagged_lead`` names the skipped sentences of it that still
    matter once the others are tagged. Skipping the rest leaves ``decode_document``'s
    output unchanged, whatever the tagger.
    """
    structure = structure or analyse_structure(document)
    matters, later_number, paragraph = [False] * len(document.sentences), False, None
    for index in range(len(document.sentences) - 1, -1, -1):
        sentence = document.sentences[index]
        if sentence.paragraph != paragraph:
            paragraph, later_number = sentence.paragraph, False
        number = has_number(sentence.text)
        kind = structure.sentences[index].kind
        matters[index] = kind not in ("text", "cell") or kind == "text" and (number or later_number)
        later_number = later_number or number
    for table in structure.tables:
        for row in table.rows:
            matters[row[0]] = True  # a row label's ORG or TIME is its cells'
        if table.header[0] > 0:
            matters[table.header[0] - 1] = True  # so is a caption's TIME
    return matters


def untagged_lead(document: SegmentedDocument, structure: Structure, spans: Sequence[Sequence[Span]],
                  tagged: Sequence[bool]) -> list[int]:
    """Untagged sentences of the lead that come before its period and its scope are found (they may hold
    them; a later scope replaces the lead's first org, so the search goes on until one is found)."""
    announcing = [ANNOUNCEMENT.search(s.text) is not None for s in document.sentences]
    missing, need_time, need_org = [], True, True
    for index, role in enumerate(structure.sentences):
        if role.kind in ("heading", "speaker") or not (need_time or need_org):
            break
        if role.kind != "text":
            continue
        if not tagged[index]:
            missing.append(index)
            continue
        if announcing[index]:
            continue  # its period and org are the title's (_update_context)
        need_time = need_time and not any(s.label == "TIME" and not ANAPHORIC_TIME.fullmatch(s.text) for s in spans[index])
        need_org = need_org and not any(s.label == "ORG" and SCOPE.match(s.text) for s in spans[index])
    return missing


@dataclass
class _Section:
    """What a heading establishes for the sentences under it."""

    level: int
    time: str | None
    org: str | None
    metric: str | None


@dataclass
class _Context:
    """Period, org and metric that the layout establishes, updated sentence by sentence."""

    lead_time: str | None = None  # the lead: the first period and org of the text before any heading or speaker
    announced_time: str | None = None  # the period a lead sentence that announces the report names (…今日公布…)
    lead_org: str | None = None
    lead_paragraph: int | None = None
    lead_figures: bool = False  # the lead's first value is seen: later orgs are of later figures
    title_time: str | None = None  # the title and date line, when the lead gives none
    title_org: str | None = None
    intro: bool = True  # no heading or speaker line seen yet
    sections: list[_Section] = field(default_factory=list)
    speaker_org: str | None = None
    speaker_scope: str | None = None  # the area a speaker's answer first names (全市…): it scopes the turn
    figures_time: str | None = None  # the period and org of the document's first figures (see_figures)
    figures_org: str | None = None

    def period(self) -> str | None:
        lead = self.lead_time
        if self.announced_time and lead and DEICTIC_TIME.fullmatch(lead):
            lead = self.announced_time  # 今日公布二○二四年第三季…。本季…: 本季 is the announced quarter
        return next((s.time for s in reversed(self.sections) if s.time), lead or self.figures_time or self.title_time)

    def organisation(self) -> str | None:
        return next((s.org for s in reversed(self.sections) if s.org),
                    self.speaker_scope or self.speaker_org or self.document_org())

    def document_org(self) -> str | None:
        """The lead's org, unless the first figures name a scope and the lead only the reporting body."""
        if self.figures_org and SCOPE.match(self.figures_org) and not (self.lead_org and SCOPE.match(self.lead_org)):
            org = self.figures_org
        else:
            org = self.lead_org or self.figures_org or self.title_org
        anaphor = ANAPHORIC_ORG.fullmatch(org or "")
        if anaphor and self.title_org and self.title_org.endswith(anaphor.group(1)):
            return self.title_org  # 本局, 警区: the bureau the title names
        return org

    def see_figures(self, spans_before: Sequence[Span]) -> None:
        """The first figures of the document state the period and scope of the whole report, wherever
        they stand: the first period and the last org before the first value (in its sentence and the
        sentences before it in its paragraph; an org after it, as in 同期全港…, is a comparison)."""
        if self.figures_time is None:
            self.figures_time = next((s.text for s in spans_before if s.label == "TIME"
                                      and not ANAPHORIC_TIME.fullmatch(s.text)), None)
        if self.figures_org is None:
            self.figures_org = next((s.text for s in reversed(spans_before) if s.label == "ORG"), None)

    def metric(self) -> str | None:
        return next((s.metric for s in reversed(self.sections) if s.metric), None)


SCOPE = re.compile(r"^(?:全|本|各|我)(?:市|省|国|区|县|港|澳|岛|镇|州)|^辖区")
"""An org that names the scope of the figures (全市公安机关, 全省, 本市): preferred over the body that reports them."""


def _prefer_scope(current: str | None, candidate: str) -> str:
    """The lead's org: its first, unless a scope comes later in the lead (澄州市公安局…全市公安机关)."""
    if current is None or not SCOPE.match(current) and SCOPE.match(candidate):
        return candidate
    return current


ANNOUNCEMENT = re.compile(r"公布|发布|召开|举行|举办|通报了|介绍了|记者会|发布会")
"""A lead sentence that announces the report (…今日公布…统计) gives its period and org as a title does."""

ANAPHORIC_ORG = re.compile(r"本?(局|警区|总区|处|署|支队|大队)")
"""An org that only points back at a body (本局, 警区): in the lead it stands for the body the title names."""

ANAPHORIC_TIME = re.compile(r"同期|期间|期内|其间|同一时期|此间|假期期间")
"""Periods written as their antecedent (``docs/record_format.md``): they take the period in force."""

DEICTIC_TIME = re.compile(r"(?:本|今|当)(?:季度?|月|周|年度?)")
"""Periods that point at the report's own (本季, 本月): after a lead sentence that announces the report's
period, they are that period."""


def _first(spans: Sequence[Span], label: str) -> str | None:
    return next((s.text for s in sorted(spans) if s.label == label), None)


def _heading_metric(text: str, spans: Sequence[Span]) -> str | None:
    """The metric a heading names: its METRIC span, else its words (short and without numbers)."""
    metric = _first(spans, "METRIC")
    if metric:
        return metric
    words = text
    for span in spans:
        if span.label in ("TIME", "ORG"):
            words = words.replace(span.text, "")
    numbering = next((m for _, p in HEADING_PATTERNS if (m := p.match(words))), None)
    words = words[numbering.end():] if numbering else words
    words = words.strip("【】[]（）()、.．:：，,。；; ")
    if 2 <= len(words) <= 16 and not has_number(words) and not re.search(r"[，,。；;：:]", words):
        return words
    return None


def _update_context(context: _Context, role: str, level: int, text: str, spans: Sequence[Span],
                    paragraph: int) -> None:
    """What a title, date line, heading, speaker line or lead sentence establishes."""
    time = next((s.text for s in sorted(spans) if s.label == "TIME" and not ANAPHORIC_TIME.fullmatch(s.text)), None)
    org = _first(spans, "ORG")
    if role in ("title", "dateline"):
        context.title_time = context.title_time or time
        context.title_org = context.title_org or org
    elif role == "text" and context.intro and ANNOUNCEMENT.search(text):  # 今日公布二○二三年…统计: like a title
        context.title_time = context.title_time or time
        context.title_org = context.title_org or org
        context.announced_time = context.announced_time or time
    elif role == "text" and context.intro:
        if not context.lead_figures:  # the lead ends with its first figures: later periods are of later figures
            context.lead_time = context.lead_time or time
        if context.lead_paragraph in (None, paragraph) and not context.lead_figures:
            context.lead_paragraph = paragraph  # the lead's org: of its paragraph, before its first value
            first_value = min((s.start for s in spans if s.label == "VALUE"), default=len(text))
            clause = next(start for start, end in _clauses(text, spans) if first_value <= end)
            acting = [s for s in spans if s.label == "ORG" and clause <= s.start < first_value]
            if acting and first_value < len(text):
                context.lead_org = acting[-1].text  # 期内本澳…，本局共接获…2318宗: the body in the figure's clause
            else:
                for span in sorted(spans):
                    if span.label == "ORG" and span.start < first_value:
                        context.lead_org = _prefer_scope(context.lead_org, span.text)
            context.lead_figures = first_value < len(text)
    if role in ("heading", "speaker"):
        context.intro = False
    if role == "heading":
        while context.sections and context.sections[-1].level >= level:
            context.sections.pop()
        context.sections.append(_Section(level, time, org, _heading_metric(text, spans)))
    elif role == "speaker":
        colon = re.search(r"[：:]", text)
        context.speaker_org = next((s.text for s in sorted(spans) if s.label == "ORG" and colon
                                    and s.end <= colon.start()), None)
        context.speaker_scope = next((s.text for s in sorted(spans) if s.label == "ORG" and colon
                                      and s.start > colon.start() and SCOPE.match(s.text)), None)


def _cell_records(document: SegmentedDocument, table: Table, spans: Sequence[Sequence[Span]],
                  context: _Context) -> list[Record]:
    """One record per number cell of a flattened table (metric, period, org from header and row label)."""
    sentences = document.sentences
    header = [sentences[i].text for i in table.header]
    unit_columns = {c for c in range(1, len(header))
                    if all(sentences[row[c]].text in _UNIT_WORDS for row in table.rows)}  # 指标 / 单位 / 本年
    caption = table.header[0] - 1  # 表1：各区县火灾情况统计（2024年第一季度）（单位：起）
    is_caption = caption >= 0 and _CAPTION.search(sentences[caption].text) is not None
    caption_time = _first(spans[caption], "TIME") if is_caption else None
    caption_unit = _caption_unit(sentences[caption].text) if is_caption else (1.0, None)
    labels = [sentences[row[0]].text for row in table.rows]
    change_columns = [c for c in range(1, len(header)) if _CHANGE_HEADER.search(header[c])]
    change_after_each = len(change_columns) > 1 and all(  # 单位 / 刑事警情 / 环比 / 电诈发案 / 环比
        c - 1 >= 1 and c - 1 not in change_columns and c - 1 not in unit_columns for c in change_columns)
    current_row = next((label for label in labels if _PERIOD_HEADER.search(label)
                        and not _BASELINE_PERIOD.match(label)), None)  # 本周 of 本周 / 上周 / 环比
    records = []
    for index, row, column in table.cells():
        text = sentences[index].text
        if column == 0 or not is_number_cell(text):
            continue
        label = labels[row]
        column_head = header[column]
        unit_in_row = next((sentences[i].text for i in table.rows[row][1:]
                            if sentences[i].text in _UNIT_WORDS), None)
        change = _CHANGE_HEADER.search(column_head)
        change_row = _CHANGE_HEADER.fullmatch(label)  # a row of changes: 本周 / 上周 / 环比
        metric_head = column_head
        if change:  # a change column measures the table's first measure (地市 / 事故起数 / 死亡人数 / 同比), or with
            # a change column after each measure the one before it (单位 / 刑事警情 / 环比 / 电诈发案 / 环比)
            measures = [header[c] for c in range(1, column) if not _CHANGE_HEADER.search(header[c])
                        and c not in unit_columns] or [column_head]
            metric_head = measures[-1] if change_after_each else measures[0]
        period = org = None
        by_row = _PERIOD_HEADER.search(metric_head) is not None  # columns are periods
        place_row = _is_place(label, spans[table.rows[row][0]]) or _TOTAL_ROW.search(label)
        caption_metric = _caption_metric(sentences[caption].text, spans[caption]) if is_caption else None
        if by_row:
            periods = [c for c in range(1, column + 1) if _PERIOD_HEADER.search(header[c])]
            current = [c for c in periods if not _BASELINE_PERIOD.match(header[c])] or periods
            if all(_header_year(header[c]) for c in current):  # year columns: the latest year is the current one
                current = sorted(current, key=lambda c: _header_year(header[c]))
            # a change column: the latest period that is not the basis (本年 / 上年 / 同比 -> 本年)
            period = _clean_header(header[column if column in periods else current[-1]])
            if place_row and caption_metric:  # rows are places, the caption names the measure
                metric = caption_metric
                org = None if _TOTAL_ROW.search(label) else label
            else:  # rows name the metrics
                metric = _clean_header(label)
        else:
            metric = _clean_header(metric_head)
            if change_row:
                period = current_row
            elif _PERIOD_HEADER.search(label):
                period = label
            elif place_row and not _TOTAL_ROW.search(label):
                org = label
        org = (_first(spans[table.rows[row][0]], "ORG") or org) if org else None
        try:
            quantity = parse_quantity(text)
        except QuantityError:
            continue
        factor, head_unit = _header_unit(column_head)
        if by_row and head_unit is None and not change:
            factor, head_unit = _header_unit(label)  # 直接损失（万元）: the row label gives the unit
        if head_unit is None and not (change or change_row):
            factor, head_unit = caption_unit  # （单位：起）
        value = quantity.value * factor if quantity.unit is None and head_unit else quantity.value
        unit = quantity.unit or head_unit or (unit_in_row if not change else None)
        direction = _sign_direction(text)
        changed_by = change or change_row
        if changed_by and direction is None:
            direction = trend_direction(changed_by.group()) or "up"
        baseline = _BASE_HEADER.search(label if change_row else column_head)
        start, end = document.sentence_span_to_original(index, 0, len(text))
        records.append(Record(
            doc_id=document.doc_id, metric=metric, value=value, unit=unit, qualifier=quantity.qualifier,
            direction=direction, baseline=baseline.group() if baseline and changed_by else None,
            period=period or caption_time or context.period(), from_value=None,
            org=org or (context.document_org() if _TOTAL_ROW.search(label) else context.organisation()),
            evidence=Evidence(start, end, document.normalized.original[start:end]), flags=(),
            confidence=_lowest_score(s for s in spans[index] if s.label == "VALUE"),
        ))
    return records


_PLACE = re.compile(r"(?:区|县|市|州|省|盟|旗|镇|乡|街道|村|社区|派出所|分局|大队|中队|支队|总区|警区|口岸|岛|都|港|澳)$")
"""A row label that names a place or a body (an org for its cells), not a category of cases."""


def _is_place(label: str, spans: Sequence[Span]) -> bool:
    return any(s.label == "ORG" for s in spans) or label in PLACES_WITHOUT_PLACE_WORD or (
        _PLACE.search(label) is not None and not _CATEGORY_ROW.search(label))


_CAPTION_NOISE = re.compile(r"^表\s*[\d一二三四五六七八九十]+[：:、.．\s]*|[（(][^（()）]*[）)]|(?:情况)?(?:统计)?表?$")
_CAPTION_SCOPE = re.compile(r"^(?:本[周月季年]|全[市省县区])?各[^，,、]{0,8}?(?:辖区|区县|县区|地市|市州|地区|单位|派出所|分局)(?:辖区)?"
                            r"|^(?:全[市省县区]|各地)")


def _caption_metric(text: str, spans: Sequence[Span]) -> str | None:
    """The measure a table's caption names (``表1 各派出所辖区刑事警情统计（2024年8月）`` -> ``刑事警情``):
    its METRIC span, else its words without numbering, brackets, scope and ``统计``."""
    metric = _first(spans, "METRIC")
    if metric:
        return metric
    words = _CAPTION_SCOPE.sub("", _CAPTION_NOISE.sub("", _CAPTION_NOISE.sub("", text.strip())))
    return words if 2 <= len(words) <= 12 and not has_number(words) else None


_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")


def _header_year(text: str) -> int | None:
    """The year a period header starts with (``2024年``, ``二○二四年一月至六月``), or None."""
    found = re.match(r"(\d{4}|[〇○零一二三四五六七八九]{4})年", text)
    return int(found.group(1).translate(_DIGITS)) if found else None


def _caption_unit(text: str) -> tuple[float, str | None]:
    """The unit a caption gives every cell: ``（单位：起）`` -> ``(1, '起')``, ``单位：万元`` -> ``(10000, '元')``."""
    found = re.search(r"单位[：:]\s*((?:新台币|人民币)?[^）)，,；;\s]{1,4})", text)
    return _header_unit(f"（{found.group(1)}）") if found else (1.0, None)


_UNIT_WORDS = {"起", "宗", "件", "人", "名", "人次", "次", "元", "万元", "亿元", "%", "个", "辆", "公斤", "克", "个百分点"}
_CHANGE_HEADER = re.compile(r"同比|环比|按年|按月|增减|增长|变幅|变动|升降|增幅|降幅|比上年|比去年|较上年|较去年|[±]")
_BASE_HEADER = re.compile(r"同比|环比|按年|按月|比上年|比去年|较上年|较去年")
_PERIOD_HEADER = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年|^本年|^上年|^去年|^今年|^本月|^上月|^本周|^上周|季度|半年"
                            r"|^\d{1,2}[—\-至]\d{1,2}月|^\d{1,2}月|^第?[一二三四]季|^首[二三]?季")
_BASELINE_PERIOD = re.compile(r"上|去|前")
_CAPTION = re.compile(r"^表\s*[\d一二三四五六七八九十]|统计表?[）)]?$|统计（|情况（|如下表|(?:数字|数据|情况)$")
_CATEGORY_ROW = re.compile(r"[类型种别]$|案$|罪$|事故$|意外$")  # rows of categories (A1类, 盗窃案) are no orgs
_TOTAL_ROW = re.compile(r"^(?:合计|总计|总数|共计|全市|全省|全区|全县|全港|全澳|小计|整体)$")


def _clean_header(text: str) -> str:
    """A header cell without its unit in brackets: ``刑事立案（宗）`` -> ``刑事立案``."""
    return re.sub(r"[（(][^（()）]*[）)]$", "", text).strip() or text


def _header_unit(text: str) -> tuple[float, str | None]:
    """The multiplier and unit a header gives its cells: ``直接财产损失（万元）`` -> ``(10000, "元")``."""
    match = re.search(r"[（(]([^（()）]+)[）)]$", text)
    if not match:
        return 1.0, None
    try:
        quantity = parse_quantity("1" + re.sub(r"^(?:新台币|人民币)", "", match.group(1)))  # 新台币万元 -> 万元
    except QuantityError:
        return 1.0, None
    return (quantity.value, quantity.unit) if quantity.unit else (1.0, None)


def _sign_direction(text: str) -> str | None:
    stripped = text.lstrip("(（")
    if stripped[:1] in _DOWN_SIGNS or text.rstrip(")）")[-1:] == "↓":
        return "down"
    if stripped[:1] in _UP_SIGNS or text.rstrip(")）")[-1:] == "↑":
        return "up"
    return None


def _list_units(text: str, drafts: list[_Draft], parsed: list) -> None:
    """Give a unit written once after a 、 list (``1523、1311、987起``) to the items without one."""
    factor, written = 1.0, [q is not None and q.unit is not None for q in parsed]
    for k in range(len(drafts) - 2, -1, -1):
        quantity, following = parsed[k], parsed[k + 1]
        if quantity is None or following is None or quantity.unit is not None or following.unit is None:
            continue
        if text[drafts[k].value.end:drafts[k + 1].value.start] in ("、", "，", ",", "及", "和", "、及"):
            if written[k + 1]:  # the item that writes the unit; its multiplier is the list's when no item writes one
                factor = 1.0 if any(_MULTIPLIER.search(drafts[j].value.text) for j in range(k + 1)) else \
                    _list_multiplier(drafts[k + 1].value.text, following.value)  # 412.6、356.8、207.3万元
            own = factor if _BARE_NUMBER.fullmatch(drafts[k].value.text) else 1.0  # not 6,914万、826万人次
            parsed[k] = type(quantity)(quantity.value * own, following.unit, quantity.qualifier,
                                       quantity.from_value, quantity.low * own if quantity.low else quantity.low)


_BARE_NUMBER = re.compile(r"[\d,.]+")
_MULTIPLIER = re.compile("[万亿千百]")


def _list_multiplier(value_text: str, value: float) -> float:
    """The multiplier (万, 亿) of the list's last item, which its bare items share: its value over the
    number as written (``207.3万元`` -> 10000)."""
    written = re.match(r"[\d.]+", value_text.replace(",", ""))
    if not written or not float(written.group()) or not _MULTIPLIER.search(value_text):
        return 1.0
    return round(value / float(written.group()))


def decode_document(document: SegmentedDocument, spans: Sequence[Sequence[Span]],
                    structure: Structure | None = None) -> list[Record]:
    """Records of a document from the spans of each of its sentences (same order)."""
    if len(spans) != len(document.sentences):
        raise ValueError(f"{document.doc_id}: {len(spans)} span lists for {len(document.sentences)} sentences")
    structure = structure or analyse_structure(document)
    tables = {table.header[0]: table for table in structure.tables}
    records: list[Record] = []
    context = _Context()
    paragraph, last_time, last_org, last_metric, previous_metric = None, None, None, None, None
    last_units: set[str | None] = set()  # the units of the last_metric's figures
    split, paragraph_of_split, split_metric = False, None, None  # a sub-area split (其中，A区…；B区…)
    org_before_split = None
    paragraph_spans: list[Span] = []  # the spans of the paragraph so far
    for index, (sentence, sentence_spans) in enumerate(zip(document.sentences, spans)):
        role = structure.sentences[index]
        if index in tables:
            records += _cell_records(document, tables[index], spans, context)
        if role.kind == "cell":
            continue
        if sentence.paragraph != paragraph:
            paragraph, last_time, last_org, last_metric = sentence.paragraph, None, None, None
        _update_context(context, role.kind, role.level, sentence.text, sentence_spans, sentence.paragraph)
        if not (index and document.sentences[index - 1].paragraph == sentence.paragraph):
            paragraph_spans = []
        places = _list_of_places(sentence.text, sentence_spans)  # they scope their own figures only
        scope_spans = [s for s in sorted(sentence_spans) if s.label in ("TIME", "ORG") and s not in places]
        figures = role.kind in ("text", "speaker") and any(s.label == "VALUE" for s in sentence_spans)
        if figures and (context.figures_time is None or context.figures_org is None):
            first_value = min(s.start for s in sentence_spans if s.label == "VALUE")
            context.see_figures(paragraph_spans + [s for s in scope_spans if s.start < first_value])
        paragraph_spans.extend(scope_spans)
        if figures and context.speaker_org and context.speaker_scope is None:  # the area a speaker's figures name
            context.speaker_scope = next((s.text for s in paragraph_spans if s.label == "ORG"
                                          and SCOPE.match(s.text)), None)
        if sentence.text.startswith("其中"):
            split_metric = previous_metric  # the metric of the figure the split breaks down
            org_before_split = last_org
        split = sentence.text.startswith("其中") or split and sentence.paragraph == paragraph_of_split
        paragraph_of_split = sentence.paragraph if split else None
        inherited = context.metric() or last_metric or (split_metric if split else None)
        if last_metric and not split and _place_breakdown(sentence_spans, places, last_units):
            inherited = last_metric  # …各分局全般刑案发生件数…；澄北、林湖两分局分别减少24件、15件: the figure before's
        drafts = decode_sentence(sentence.text, sentence_spans, inherited, context.metric())
        parsed = []
        for draft in drafts:
            evidence_text = sentence.text[draft.start:draft.value.end]
            try:
                parsed.append(parse_quantity(evidence_text if draft.from_value else draft.value.text))
            except QuantityError as error:
                logger.debug("%s sentence %d: skipped value: %s", document.doc_id, sentence.sent_id, error)
                parsed.append(None)
        _list_units(sentence.text, drafts, parsed)
        by_draft: dict[int, tuple[float, str | None]] = {}
        sentence_records = len(records)  # where this sentence's records begin
        for draft, quantity in zip(drafts, parsed):
            if quantity is None:
                continue
            direction = trend_direction(draft.trend.text) if draft.trend else None
            direction = direction or _sign_direction(draft.value.text)
            parent = by_draft.get(id(draft.parent)) if draft.parent else None
            by_draft[id(draft)] = (quantity.value, quantity.unit)
            start, end = document.sentence_span_to_original(sentence.sent_id, draft.start, draft.value.end)
            own_time = draft.time.text if draft.time and not ANAPHORIC_TIME.fullmatch(draft.time.text) else None
            time = None if draft.basis else own_time or last_time or context.period()
            org = draft.org.text if draft.org else last_org or context.organisation()
            flags = _flags(quantity.value, quantity.unit, direction, quantity.from_value, draft.metric, parent)
            flags += draft.flags
            if not draft.metric:
                flags.append("no_metric")
            records.append(Record(
                doc_id=document.doc_id, metric=draft.metric, value=quantity.value, unit=quantity.unit,
                qualifier=quantity.qualifier, direction=direction,
                baseline=draft.base.text if draft.base else None, period=time, org=org,
                from_value=quantity.from_value,
                evidence=Evidence(start, end, document.normalized.original[start:end]),
                flags=tuple(flags), confidence=_confidence(draft, sentence_spans),
            ))
        if drafts:
            previous_metric = next((d.metric for d in reversed(drafts) if d.metric and not _derived(
                d.metric, d.value.text)), drafts[-1].metric or previous_metric)  # a share is no figure to carry
            last_metric = previous_metric
            last_units = {r.unit for r in records[sentence_records:] if r.metric == last_metric}
        elif role.kind == "heading":
            previous_metric = None
        glosses = _glosses(sentence.text, sentence_spans)
        last_time = next((s.text for s in reversed(sorted(sentence_spans)) if s.label == "TIME"
                          and not ANAPHORIC_TIME.fullmatch(s.text) and s not in glosses), last_time)
        last_org = next((s.text for s in reversed(sorted(sentence_spans)) if s.label == "ORG" and s not in places),
                        last_org)
        if split:
            last_org = org_before_split  # the sub-areas of a split scope their own figures only
    return records

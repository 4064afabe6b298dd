"""From labelled spans to records: one decoder for gold spans, rules and the model.

Pure Python, no torch. Within a sentence, records are built clause by clause (a clause
ends at ``，,；;：:`` or a bracket; ``、`` does not end one):

1. ``由 VALUE TREND 至 VALUE`` becomes one from-to value.
2. Metrics are paired with values: an enumeration (as many METRICs as VALUEs, all
   METRICs first: ``电诈发案数、损失数同比下降39.1%、46.8%``) pairs in order; one VALUE
   after several METRICs (``安装率、联网率、设置率达到100%``, ``均``) gives one record each;
   otherwise a VALUE takes the METRIC before it in its clause, joined with a METRIC
   right after it (verb + value + noun: ``新建2处快速理赔中心`` -> ``新建快速理赔中心``; the
   verb carries over a list: ``整合301个网格、1200余名网格员``), or the METRIC after it
   (followed by a verb METRIC: ``1105名社区民警…融入网格化综治管理``), or the metric of
   the sentence's previous record (count and change: ``破获毒品案件206起，同比下降5%``).
3. TREND and BASE come from the value's clause (a BASE clause without values, such as
   ``与2014年相比,``, scopes the whole sentence); TIME and ORG are the nearest ones before
   the value in the sentence, else the last ones of earlier sentences of the same
   paragraph (an area such as 全市 or 辖区 scopes its own sentence only). Nothing is
   inherited across paragraphs (headings are paragraphs).
4. Plausibility flags mark odd records without dropping them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ie.document import SegmentedDocument
from ie.quantity import QuantityError, has_number, parse_quantity
from ie.schema import TREND_DIRECTIONS, Evidence, Record, Span

logger = logging.getLogger(__name__)

_CLAUSE_BREAKS = "，,；;：:（(）)【】"
_OPENING_BRACKETS = "（(【"
_LIST_GLUE = re.compile(r"^[“”\s]*[、和及与][“”\s]*$")  # what separates the items of a list
_POST_NOUN_GAP = re.compile(r"^的?$")

AREA_WORDS = re.compile(r"全市|全省|全区|全国|辖区|市区|我市|本市|各地")
"""Areas scope their own clause; only organisations stay the subject of later sentences."""

FLAGS = {
    "decrease_over_100": "a decrease of more than 100 %",
    "rate_over_100": "a level percentage above 100",
    "from_to_contradiction": "the direction contradicts the from-to numbers",
    "subtotal_exceeds_total": "a bracketed part is larger than its total",
}


def trend_direction(word: str) -> str | None:
    """Direction of a TREND word: the lexicon first, then its characters (降/减 vs 升/增)."""
    if word in TREND_DIRECTIONS:
        return TREND_DIRECTIONS[word]
    if re.search("[降减压缩少]", word):
        return "down"
    if re.search("[升增提高加涨翻]", word):
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


def _clauses(text: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Clause ranges; a break character inside a span (``小区(村庄)``) does not break."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    bounds, start = [], 0
    for i, char in enumerate(text):
        if char in _CLAUSE_BREAKS and i not in covered:
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


def _pair_metrics(text: str, clause_spans: list[Span], state: dict) -> list[tuple[Span, str]]:
    """``(value, metric)`` pairs for one clause; ``state`` carries the sentence's last metric."""
    metrics = [s for s in clause_spans if s.label == "METRIC"]
    values = [s for s in clause_spans if s.label == "VALUE"]
    if not values:
        return []
    before_first = [m for m in metrics if m.end <= values[0].start]
    if len(before_first) >= 2 and before_first == metrics:
        if len(metrics) == len(values):  # enumeration, paired in order
            return list(zip(values, (m.text for m in metrics)))
        if len(values) == 1 and all(_LIST_GLUE.match(text[a.end:b.start]) for a, b in zip(metrics, metrics[1:])):
            return [(values[0], m.text) for m in metrics]  # one shared value
    pairs, consumed, verb, previous_end = [], set(), None, None
    for k, value in enumerate(values):
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
        elif state.get("metric"):
            metric = state["metric"]
        else:
            continue
        pairs.append((value, metric))
        state["metric"] = metric
        previous_end = value.end
    return pairs


def decode_sentence(text: str, spans: Sequence[Span]) -> list[_Draft]:
    """Records of one sentence, before inheritance and offsets (see the module docstring)."""
    spans = sorted(spans)
    values = [s for s in spans if s.label == "VALUE"]
    trends = [s for s in spans if s.label == "TREND"]
    from_of = _merge_from_to(text, values, trends)
    from_values = set(from_of.values())
    drafts: list[_Draft] = []
    state: dict = {}
    clauses = _clauses(text, spans)
    sentence_base = None
    for start, end in clauses:
        inside = [s for s in spans if start <= s.start and s.end <= end and s not in from_values]
        if any(s.label == "BASE" for s in inside) and not any(s.label == "VALUE" for s in inside):
            sentence_base = next(s for s in inside if s.label == "BASE")
    last_total: _Draft | None = None
    for start, end in clauses:
        inside = [s for s in spans if start <= s.start and s.end <= end and s not in from_values]
        in_bracket = start > 0 and text[start - 1] in _OPENING_BRACKETS
        for value, metric in _pair_metrics(text, inside, state):
            first = from_of.get(value)
            draft = _Draft(value, metric, first.start - 1 if first and text[first.start - 1] in "由从" else
                           (first.start if first else value.start), from_value=first)
            before = [s for s in inside if s.end <= value.start]
            draft.trend = next((s for s in reversed(before) if s.label == "TREND"), None)
            if first is not None:  # the TREND between the two values of a from-to
                draft.trend = next((s for s in trends if first.end <= s.start and s.end <= value.start), draft.trend)
            draft.base = next((s for s in reversed(before) if s.label == "BASE"), sentence_base)
            draft.time = next((s for s in reversed(spans) if s.label == "TIME" and s.end <= value.start), None)
            draft.org = next((s for s in reversed(spans) if s.label == "ORG" and s.end <= value.start), None)
            if in_bracket and last_total is not None:
                draft.parent = last_total
            drafts.append(draft)
        if not in_bracket and drafts:
            last_total = drafts[-1]
    return drafts


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


def sentences_that_matter(document: SegmentedDocument) -> list[bool]:
    """Which sentences' spans can change the records; the others need not be tagged.

    A record needs a value, and a value a number; a sentence without a number only lends
    its TIME and ORG to later sentences of its paragraph. So a sentence matters when it
    holds a number or a later sentence of its paragraph does: skipping the others leaves
    ``decode_document``'s output unchanged, whatever the tagger.
    """
    matters, later_number, paragraph = [False] * len(document.sentences), False, None
    for index in range(len(document.sentences) - 1, -1, -1):
        sentence = document.sentences[index]
        if sentence.paragraph != paragraph:
            paragraph, later_number = sentence.paragraph, False
        number = has_number(sentence.text)
        matters[index] = number or later_number
        later_number = later_number or number
    return matters


def decode_document(document: SegmentedDocument, spans: Sequence[Sequence[Span]]) -> list[Record]:
    """Records of a document from the spans of each of its sentences (same order)."""
    if len(spans) != len(document.sentences):
        raise ValueError(f"{document.doc_id}: {len(spans)} span lists for {len(document.sentences)} sentences")
    records: list[Record] = []
    paragraph, last_time, last_org = None, None, None
    for sentence, sentence_spans in zip(document.sentences, spans):
        if sentence.paragraph != paragraph:
            paragraph, last_time, last_org = sentence.paragraph, None, None
        parsed: dict[int, tuple[float, str | None]] = {}
        for draft in decode_sentence(sentence.text, sentence_spans):
            evidence_text = sentence.text[draft.start:draft.value.end]
            try:
                quantity = parse_quantity(evidence_text if draft.from_value else draft.value.text)
            except QuantityError as error:
                logger.info("%s sentence %d: skipped value: %s", document.doc_id, sentence.sent_id, error)
                continue
            direction = trend_direction(draft.trend.text) if draft.trend else None
            parent = parsed.get(id(draft.parent)) if draft.parent else None
            parsed[id(draft)] = (quantity.value, quantity.unit)
            start, end = document.sentence_span_to_original(sentence.sent_id, draft.start, draft.value.end)
            time = draft.time.text if draft.time else last_time
            org = draft.org.text if draft.org else last_org
            records.append(Record(
                doc_id=document.doc_id, metric=draft.metric, value=quantity.value, unit=quantity.unit,
                qualifier=quantity.qualifier, direction=direction,
                baseline=draft.base.text if draft.base else None, period=time, org=org,
                from_value=quantity.from_value,
                evidence=Evidence(start, end, document.normalized.original[start:end]),
                flags=tuple(_flags(quantity.value, quantity.unit, direction, quantity.from_value, draft.metric, parent)),
            ))
        last_time = next((s.text for s in reversed(sorted(sentence_spans)) if s.label == "TIME"), last_time)
        last_org = next((s.text for s in reversed(sorted(sentence_spans)) if s.label == "ORG"
                         and not AREA_WORDS.fullmatch(s.text)), last_org)
    return records

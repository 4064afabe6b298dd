"""One tagger from two: the rule tagger's spans, with gaps filled from the model's and the
labels the model reads better taken from it.

Measured on the written training split (``docs/generalisation.md``), the rule tagger is
the more precise source of values, metrics, trends and periods, and the token classifier
finds spans the rules have no pattern for. ``CombinedTagger`` keeps every span of its
``primary`` tagger and adds, for the labels in ``fill``, each span of its ``secondary``
tagger that overlaps no span already kept. METRIC, TREND and BASE spans only count beside a
value, so for them the secondary tagger reads only the sentences where a clause holds a value
of the primary's but none of the value-bound labels to fill: on number-dense bulletins that
halves the model's work (measured on the training split: record F1 0.946 against 0.947 when
it reads every sentence with a value). When ``fill`` holds no value-bound label it reads every
sentence with a value and none of those labels.

For the labels in ``prefer`` (the default's ORG) the secondary's spans replace the primary's:
the model reads every sentence with a value (up to its first value where it fills nothing
there: the org that scopes a figure stands before it), and its span of such a label takes the
place of the rules' overlapping ones (a rules METRIC that begins inside it begins after it).
Bulletins written after the rules showed why: the rules know bodies by a list of suffixes and miss the
ones they have not seen (``各执法部门``, ``治安警察局交通厅``, ``罗湖管制站``), which the model,
having learnt what a body looks like, finds (``docs/generalisation.md``). Where the model's span cuts a
word (``经各口岸``, ``全国网安部门会``, ``该局``), its edges are mended first.

>>> from ie.schema import Span
>>> class Fixed:
...     def __init__(self, name, spans): self.name, self.spans = name, spans
...     def tag(self, sentences): return [list(self.spans) for _ in sentences]
>>> rules = Fixed("rules", [Span(2, 6, "METRIC", "破获案件"), Span(6, 11, "VALUE", "9200起")])
>>> model = Fixed("model", [Span(0, 2, "ORG", "全市"), Span(6, 11, "VALUE", "9200起"), Span(12, 14, "TIME", "今年")])
>>> [s.text for s in CombinedTagger(rules, model, fill=("TIME",)).tag(["全市破获案件9200起，今年"])[0]]
['破获案件', '9200起', '今年']
>>> [s.text for s in CombinedTagger(rules, model, fill=("METRIC",), prefer=("ORG",)).tag(["全市破获案件9200起，今年"])[0]]
['全市', '破获案件', '9200起']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ie.rule_tagger import clause_starts, names_a_body, names_a_place
from ie.schema import LABELS, Span


VALUE_BOUND = {"METRIC", "TREND", "BASE"}
"""Labels filled only where they change a record directly: in a sentence that holds a VALUE
(a heading's metric comes from the primary tagger's spans or the heading's words)."""


class CombinedTagger:
    """``primary``'s spans plus ``secondary``'s spans of the ``fill`` labels where ``primary`` has none,
    and ``secondary``'s spans of the ``prefer`` labels in place of ``primary``'s."""

    def __init__(self, primary, secondary, *, fill: Sequence[str] = ("METRIC",),
                 prefer: Sequence[str] = ()) -> None:
        unknown = (set(fill) | set(prefer)) - set(LABELS)
        if unknown:
            raise ValueError(f"fill and prefer labels {sorted(unknown)} are not among {', '.join(LABELS)}")
        if set(fill) & set(prefer):
            raise ValueError(f"labels {sorted(set(fill) & set(prefer))} are both filled and preferred: name each once")
        self.primary, self.secondary = primary, secondary
        self.fill, self.prefer = tuple(fill), tuple(prefer)
        self.name = f"{primary.name}+{secondary.name}"

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        first = self.primary.tag(sentences)
        if not self.fill and not self.prefer:
            return first
        gaps = {i for i, spans in enumerate(first) if self.fill and _has_gap(sentences[i], spans, self.fill)}
        reach = {i: len(sentences[i]) for i in gaps}  # a sentence read to fill a gap is read whole
        if self.prefer:  # one read only for the preferred labels, up to its first value (an org scopes what follows)
            for i, spans in enumerate(first):
                values = [s.start for s in spans if s.label == "VALUE"]
                if i not in gaps and values and self._may_hold_preferred(sentences[i][:min(values)]):
                    reach[i] = min(values)
        wanted = sorted(reach)
        merged = list(first)
        for i, second in zip(wanted, self.secondary.tag([sentences[i][:reach[i]] for i in wanted])):
            spans = prefer_spans(sentences[i], first[i], second, self.prefer) if self.prefer else first[i]
            merged[i] = merge_spans(spans, second, self.fill) if i in gaps else spans
        return merged

    def _may_hold_preferred(self, text: str) -> bool:
        """Whether the start of a sentence can hold a span of a preferred label: for ORG alone, some
        character must end an org there."""
        return bool(text) and (self.prefer != ("ORG",) or bool(_ORG_ENDINGS.search(text)))


_ORG_ENDINGS = re.compile("[局区市关省队所县方处国心门岸厅署澳港岛部站伍镇构府室道院司委地都台邨州乡科办街场]")
"""The last characters of 96 % of the gold ORG spans of the seeds and the training split (局, 区, 市,
关…): text before a value without any of them holds no org, and the model is not asked."""


def _has_gap(text: str, spans: Sequence[Span], labels: Sequence[str]) -> bool:
    """Whether the secondary tagger should read a sentence: a clause holds a VALUE but none of the
    value-bound ``labels`` (METRIC, TREND, BASE) or, when no label is value-bound, the sentence
    holds a VALUE but none of ``labels``."""
    bound = [label for label in labels if label in VALUE_BOUND]
    starts = clause_starts(text)
    clauses_with_values = {starts[s.start] for s in spans if s.label == "VALUE"}
    if not bound:
        return bool(clauses_with_values) and not any(s.label in labels for s in spans)
    covered = {starts[s.start] for s in spans if s.label in bound}
    return bool(clauses_with_values - covered)


def merge_spans(kept: Sequence[Span], extra: Sequence[Span], labels: Sequence[str]) -> list[Span]:
    """``kept`` plus the spans of ``extra`` with a label in ``labels`` that overlap nothing kept and
    touch no kept span of their label (the kept one drew that boundary: 石原 | 五市), sorted."""
    merged = list(kept)
    for span in sorted(extra):
        if span.label in labels and not any(span.start < k.end and k.start < span.end for k in merged) \
                and not any(k.label == span.label and span.start <= k.end and k.start <= span.end for k in kept):
            merged.append(span)
    return sorted(merged)


_LEADING_WORDS = re.compile(r"(?:区域内|区域|区内|共计|合共|累计|共|的|、|，|,)+")


def prefer_spans(text: str, kept: Sequence[Span], extra: Sequence[Span], labels: Sequence[str]) -> list[Span]:
    """``kept`` with its spans of ``labels`` replaced by ``extra``'s (ORG spans mended first, see
    ``_mended_org``): a kept span of those labels that overlaps one of ``extra``'s gives way, a
    kept METRIC that begins inside one begins after it
    (``各执法部门共侦破刑事案件`` -> ORG ``各执法部门``, METRIC ``侦破刑事案件``), and an ``extra`` span
    that still overlaps a kept span (a VALUE, a TIME) is not taken; kept spans of ``labels`` that
    ``extra`` has nothing in place of stay."""
    preferred = [_mended_org(text, s) if s.label == "ORG" else s for s in extra if s.label in labels]
    preferred = [s for s in preferred if s is not None]
    if not preferred:
        return list(kept)
    result = []
    for span in kept:
        over = [p for p in preferred if p.start < span.end and span.start < p.end]
        if over and span.label in labels:
            continue
        if over and span.label == "METRIC":
            start = max(p.end for p in over)
            if span.start >= min(p.start for p in over) and start < span.end:
                lead = _LEADING_WORDS.match(text, start)
                start = lead.end() if lead else start
                if start >= span.end:
                    continue
                span = Span(start, span.end, "METRIC", text[start:span.end], span.score)
        result.append(span)
    return merge_spans(result, preferred, labels)


_PARTNERING = re.compile("会同|联合|协同|配合")
_LEADING_PREPOSITION = re.compile("(?:经|在|据|由|对)(?=[各全本我])|辖下|所属|下属")
_PLACE_WORD_IN_WORD = re.compile("区域|区内|县域|镇域|岛内")
"""Words that begin with a place word and end no place name (澳门半岛|区域)."""
_WORD_AFTER_PLACE = re.compile(f"{_PLACE_WORD_IN_WORD.pattern}|市场|市民|乡村")
"""Words that begin with a place word: the character after a span is no place word when it begins one."""
_ANAPHOR_BEFORE_BODY = re.compile("[该此](?:分局|支队|大队|局)|除")
_WHOLE_AREA = re.compile("全[省市县国区港澳]|[我本][省市县区]")


def _mended_org(text: str, span: Span) -> Span | None:
    """A model ORG span with its edges mended where they cut a word, or None for a single
    character (no gold org is one) and for an anaphor (``该局``, whose body the decoder carries on): a
    preposition before a scope goes (``经各口岸`` -> ``各口岸``, not ``经信局``), the whole area before
    it joins it (``全省|各口岸`` -> ``全省各口岸``), a partner after ``会同``/``联合`` after a body goes
    (``消防救援队伍会同行业部门``), an end one or two characters short of a body's name takes them
    (``全国移民管理机|构``, ``禁毒调|查处``, ``城关|镇``), ``辖下``/``所属`` before a body goes, a body that names an app
    (``国家反诈中心APP``) leaves only the area before it and one character past an org ending goes unless the span names a body
    (``全国网安部门会|同``, not ``澳门司警``)."""
    if span.end - span.start < 2 or (text[span.start] in "该此" and span.end - span.start <= 3):
        return None  # 该局, 该分局: a body named before, whose org the sentence carries on
    start, end = span.start, span.end
    anaphor = _ANAPHOR_BEFORE_BODY.match(text, start, end)
    if anaphor and names_a_body(text[anaphor.end():end]):
        start = anaphor.end()  # 该分局|新埔派出所, 除|青峰分局
    if text[end:end + 3].lower() == "app":  # 全市|国家反诈中心APP: an app's name
        area = _WHOLE_AREA.match(text, start, end)
        if not area:
            return None
        end = area.end()
    lead = _LEADING_PREPOSITION.match(text, start)
    if lead and lead.end() < end - 1:
        start = lead.end()
    elif start >= 2 and _WHOLE_AREA.fullmatch(text, start - 2, start):
        start -= 2
    partner = _PARTNERING.search(text, start, end)
    if partner and partner.start() > start + 1 and names_a_body(text[start:partner.start()]):
        end = partner.start()
    for cut in (2, 1):  # 澳门半岛|区域, 城关|区|域: a word that begins with a place word is no part of the name
        word = _PLACE_WORD_IN_WORD.match(text, end - cut)
        if word and word.end() >= end and end - cut - start >= 2:
            end -= cut
            break
    if end < len(text) and names_a_place(text[start:end + 1]) and not names_a_body(text[start:end]) \
            and not names_a_place(text[start:end]) and not _WORD_AFTER_PLACE.match(text, end):
        end += 1  # 城关|镇, not 城关|区域 or 澳门半岛|区域
    elif not _ORG_ENDINGS.fullmatch(text[end - 1]) and not names_a_body(text[start:end]):
        if end < len(text) and names_a_body(text[start:end + 1]):
            end += 1
        elif end + 1 < len(text) and names_a_body(text[start:end + 2]):
            end += 2  # 禁毒调|查处
        elif end - start > 2 and _ORG_ENDINGS.fullmatch(text[end - 2]):
            end -= 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end, span.label, text[start:end], span.score)


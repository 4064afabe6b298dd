"""Figures a document restates: the title or lead and the body giving the same figure twice.

A record restates an earlier record of the same document (the earlier by evidence offset) when
they make the same claim: the same value, unit and direction (and ``from_value``); the same
metric (the same ``metric_id`` when both have one, else the same metric string or one whose
longest common substring with the other covers at least three quarters of the shorter, three
characters or more: ``交通警情`` and ``接报交通警情``, not ``发生`` and ``发生道路交通事故``);
the same org; the same period (as written, or normalised to the same form: ``2024年8月`` and
``本月`` of an August report); a compatible baseline (the same, one of
them unsaid, or two ways of writing year on year: ``同比``, ``按年``, ``较去年同期``); and a
compatible qualifier (the same or one unsaid). Anything else is a different claim: the same
value for another org, period or baseline is not a duplicate.

Records carry only what the text says of them, so two cells of a flattened table whose row
label did not reach the metric or the org (``A1類`` and ``合計`` deaths, both 58) look alike and
are taken for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ie.schema import Record
from ie.text.overlap import longest_common_substring
from ie.views.periods import Period

_YEAR_ON_YEAR = ("同比", "按年", "去年同期", "上年同期", "去年同月", "上年同月", "按年比较")
_PERIOD_ON_PERIOD = ("环比", "上周", "上月", "上季", "按季", "按月")
METRIC_COVER = 0.75
"""The share of the shorter metric the longest common substring must cover."""
METRIC_COMMON = 3
"""The characters two metrics must share at least: two (``发生``, ``发案``) say too little."""


@dataclass(frozen=True)
class Mention:
    """What is compared of one record: the record, its canonical metric id, its normalised period."""

    record: Record
    metric_id: str | None
    period: Period


def same_metric(a: Mention, b: Mention) -> bool:
    """The same metric id when both have one; else equal strings or a strong overlap."""
    if a.metric_id and b.metric_id:
        return a.metric_id == b.metric_id
    x, y = a.record.metric, b.record.metric
    if not x or not y:
        return False
    if x == y:
        return True
    common = longest_common_substring(x, y)
    return common >= METRIC_COMMON and common >= METRIC_COVER * min(len(x), len(y))


def baseline_kind(baseline: str | None) -> str | None:
    """``yoy`` or ``pop`` for the common ways of writing them, else the baseline itself.

    >>> baseline_kind("与去年同期相比"), baseline_kind("按年"), baseline_kind("环比"), baseline_kind("较2020年")
    ('yoy', 'yoy', 'pop', '较2020年')
    """
    if baseline is None:
        return None
    if any(word in baseline for word in _YEAR_ON_YEAR):
        return "yoy"
    if any(word in baseline for word in _PERIOD_ON_PERIOD):
        return "pop"
    return baseline


def _compatible(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x == y


def same_period(a: Period, b: Period) -> bool:
    return a.written == b.written or (a.form is not None and a.form == b.form)


def same_claim(a: Mention, b: Mention) -> bool:
    """Whether ``b`` restates ``a`` (see the module's docstring)."""
    x, y = a.record, b.record
    return (x.doc_id == y.doc_id and x.value == y.value and x.unit == y.unit and x.direction == y.direction
            and x.from_value == y.from_value and x.org == y.org and same_period(a.period, b.period)
            and _compatible(baseline_kind(x.baseline), baseline_kind(y.baseline))
            and _compatible(x.qualifier, y.qualifier) and x.evidence != y.evidence and same_metric(a, b))


def mentions_to_duplicates(mentions: Sequence[Mention], keys: Sequence[int]) -> list[int | None]:
    """For each mention, the key of the first mention it restates (None for a first mention).

    The first mention is the earliest in its document by evidence offset (then by input order);
    a third mention points at the first, never at the second.
    """
    if len(keys) != len(mentions):
        raise ValueError(f"{len(mentions)} mentions but {len(keys)} keys")
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].record.doc_id,
                                                        mentions[i].record.evidence.start, i))
    duplicates: list[int | None] = [None] * len(mentions)
    firsts: dict[str, list[int]] = {}
    for i in order:
        earlier = firsts.setdefault(mentions[i].record.doc_id, [])
        match = next((j for j in earlier if same_claim(mentions[j], mentions[i])), None)
        if match is None:
            earlier.append(i)
        else:
            duplicates[i] = keys[match]
    return duplicates

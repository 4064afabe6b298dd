"""One tagger from two: the rule tagger's spans, with gaps filled from the model's.

Measured on the written training split (``docs/generalisation.md``), the rule tagger is
the more precise source on every label, and the token classifier finds spans the rules
have no pattern for. ``CombinedTagger`` keeps every span of its ``primary`` tagger and
adds, for the labels in ``fill``, each span of its ``secondary`` tagger that overlaps no
span already kept. METRIC, TREND and BASE spans only count beside a value, so the secondary
tagger reads only the sentences where a clause holds a value of the primary's but none of
the value-bound labels to fill: on number-dense bulletins that halves the model's work
(measured on the training split: record F1 0.946 against 0.947 when it reads every
sentence with a value). The other labels to fill (the default's ORG) are taken from the
sentences it reads; only when ``fill`` holds no value-bound label does it read every
sentence with a value and none of those labels:

>>> from ie.schema import Span
>>> class Fixed:
...     def __init__(self, name, spans): self.name, self.spans = name, spans
...     def tag(self, sentences): return [list(self.spans) for _ in sentences]
>>> rules = Fixed("rules", [Span(0, 4, "METRIC", "破获案件"), Span(4, 9, "VALUE", "9200起")])
>>> model = Fixed("model", [Span(0, 2, "ORG", "全市"), Span(4, 9, "VALUE", "9200起"), Span(10, 12, "TIME", "今年")])
>>> [s.text for s in CombinedTagger(rules, model, fill=("TIME",)).tag(["破获案件9200起，今年"])[0]]
['破获案件', '9200起', '今年']
>>> [s.text for s in CombinedTagger(rules, model, fill=("METRIC", "ORG")).tag(["破获案件9200起，今年"])[0]]
['破获案件', '9200起']
"""

from __future__ import annotations

from collections.abc import Sequence

from ie.rule_tagger import clause_starts
from ie.schema import LABELS, Span


VALUE_BOUND = {"METRIC", "TREND", "BASE"}
"""Labels filled only where they change a record directly: in a sentence that holds a VALUE
(a heading's metric comes from the primary tagger's spans or the heading's words)."""


class CombinedTagger:
    """``primary``'s spans plus ``secondary``'s spans of the ``fill`` labels where ``primary`` has none."""

    def __init__(self, primary, secondary, *, fill: Sequence[str] = ("METRIC",)) -> None:
        unknown = set(fill) - set(LABELS)
        if unknown:
            raise ValueError(f"fill labels {sorted(unknown)} are not among {', '.join(LABELS)}")
        self.primary, self.secondary, self.fill = primary, secondary, tuple(fill)
        self.name = f"{primary.name}+{secondary.name}"

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        first = self.primary.tag(sentences)
        if not self.fill:
            return first
        wanted = [i for i, spans in enumerate(first) if _has_gap(sentences[i], spans, self.fill)]
        merged = list(first)
        for i, second in zip(wanted, self.secondary.tag([sentences[i] for i in wanted])):
            merged[i] = merge_spans(first[i], second, self.fill)
        return merged


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

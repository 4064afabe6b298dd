"""One tagger from two: the rule tagger's spans, with gaps filled from the model's.

Measured on the written training split (``docs/generalisation.md``), the rule tagger is
the more precise source on every label, and the token classifier finds spans the rules
have no pattern for. ``CombinedTagger`` keeps every span of its ``primary`` tagger and
adds, for the labels in ``fill``, each span of its ``secondary`` tagger that overlaps no
span already kept:

>>> from ie.schema import Span
>>> class Fixed:
...     def __init__(self, name, spans): self.name, self.spans = name, spans
...     def tag(self, sentences): return [list(self.spans) for _ in sentences]
>>> rules = Fixed("rules", [Span(0, 4, "METRIC", "破获案件"), Span(4, 9, "VALUE", "9200起")])
>>> model = Fixed("model", [Span(0, 2, "ORG", "全市"), Span(4, 9, "VALUE", "9200起"), Span(10, 12, "TIME", "今年")])
>>> [s.text for s in CombinedTagger(rules, model, fill=("TIME",)).tag(["破获案件9200起，今年"])[0]]
['破获案件', '9200起', '今年']
"""

from __future__ import annotations

from collections.abc import Sequence

from ie.schema import LABELS, Span


class CombinedTagger:
    """``primary``'s spans plus ``secondary``'s spans of the ``fill`` labels where ``primary`` has none."""

    def __init__(self, primary, secondary, *, fill: Sequence[str] = LABELS) -> None:
        unknown = set(fill) - set(LABELS)
        if unknown:
            raise ValueError(f"fill labels {sorted(unknown)} are not among {', '.join(LABELS)}")
        self.primary, self.secondary, self.fill = primary, secondary, tuple(fill)
        self.name = f"{primary.name}+{secondary.name}"

    def tag(self, sentences: Sequence[str]) -> list[list[Span]]:
        if not self.fill:
            return self.primary.tag(sentences)
        return [merge_spans(first, second, self.fill)
                for first, second in zip(self.primary.tag(sentences), self.secondary.tag(sentences))]


def merge_spans(kept: Sequence[Span], extra: Sequence[Span], labels: Sequence[str]) -> list[Span]:
    """``kept`` plus the spans of ``extra`` with a label in ``labels`` that overlap nothing kept (sorted)."""
    merged = list(kept)
    for span in sorted(extra):
        if span.label in labels and not any(span.start < k.end and k.start < span.end for k in merged):
            merged.append(span)
    return sorted(merged)

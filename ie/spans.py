"""Pure conversions between labelled spans and per-character BIO tags (IOB2).

Tags are per character: Chinese text is tokenised into characters for annotation, and
the model code aligns them to its own tokens. Offsets are half-open.

>>> text = "破获案件9200起"
>>> tags = spans_to_bio(text, [Span(0, 4, "METRIC", "破获案件"), Span(4, 9, "VALUE", "9200起")])
>>> tags[:5]
['B-METRIC', 'I-METRIC', 'I-METRIC', 'I-METRIC', 'B-VALUE']
>>> [s.text for s in bio_to_spans(text, tags)]
['破获案件', '9200起']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ie.schema import LABELS, TAGS, SchemaError, Span


class SpanError(SchemaError):
    """Spans that do not fit their text or each other; the message names both spans."""


def check_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Return the spans sorted; raise ``SpanError`` if one is off the text or two overlap."""
    ordered = sorted(spans)
    for span in ordered:
        if span.end > len(text) or text[span.start:span.end] != span.text:
            found = text[span.start:span.end] if span.end <= len(text) else "<outside the text>"
            raise SpanError(f"span [{span.start},{span.end}) {span.text!r} ({span.label}) does not match "
                            f"the text there: {found!r}")
    for left, right in zip(ordered, ordered[1:]):
        if right.start < left.end:
            raise SpanError(f"span [{right.start},{right.end}) {right.text!r} ({right.label}) overlaps "
                            f"[{left.start},{left.end}) {left.text!r} ({left.label})")
    return ordered


def spans_to_bio(text: str, spans: Iterable[Span]) -> list[str]:
    """One IOB2 tag per character of ``text``; raises on overlapping or misplaced spans."""
    tags = ["O"] * len(text)
    for span in check_spans(text, spans):
        tags[span.start] = f"B-{span.label}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.label}"
    return tags


def bio_to_spans(text: str, tags: Sequence[str], *, strict: bool = True) -> list[Span]:
    """Spans from per-character IOB2 tags.

    With ``strict=True`` an ``I-`` tag that does not continue a span of its label, or an
    unknown tag, raises ``SpanError`` naming its position. With ``strict=False`` such an
    ``I-`` starts a new span (the usual lenient reading of model output).
    """
    if len(tags) != len(text):
        raise SpanError(f"{len(tags)} tags for a text of {len(text)} characters: {text[:30]!r}")
    spans: list[Span] = []
    start, label = None, None

    def close(end: int) -> None:
        if start is not None:
            spans.append(Span(start, end, label, text[start:end]))

    for i, tag in enumerate(tags):
        if tag not in TAGS:
            raise SpanError(f"unknown tag {tag!r} at character {i} of {text[:30]!r}")
        prefix, _, tag_label = tag.partition("-")
        if prefix == "I" and label == tag_label and start is not None:
            continue
        if prefix == "I" and strict:
            raise SpanError(f"tag {tag!r} at character {i} ({text[i]!r}) does not continue a {tag_label} span "
                            f"(previous tag {tags[i - 1] if i else 'none'!r}) in {text[:30]!r}")
        close(i)
        start, label = (i, tag_label) if prefix in ("B", "I") else (None, None)
    close(len(text))
    return spans


def is_valid_bio(tags: Sequence[str]) -> bool:
    """True when every ``I-X`` follows ``B-X`` or ``I-X`` and every tag is known."""
    previous = "O"
    for tag in tags:
        if tag not in TAGS:
            return False
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True


__all__ = ["LABELS", "SpanError", "bio_to_spans", "check_spans", "is_valid_bio", "spans_to_bio"]

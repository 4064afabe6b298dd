"""Spans <-> BIO conversions."""

from __future__ import annotations

import pytest

from ie.schema import TAGS, Span
from ie.spans import SpanError, bio_to_spans, check_spans, is_valid_bio, spans_to_bio

TEXT = "全市公安机关破获刑事案件1.4万余起，同比下降10.5%"


def _span(label: str, text: str, occurrence: int = 1) -> Span:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(text, start + 1)
    return Span(start, start + len(text), label, text)


SPANS = [_span("ORG", "全市公安机关"), _span("METRIC", "破获刑事案件"), _span("VALUE", "1.4万余起"),
         _span("BASE", "同比"), _span("TREND", "下降"), _span("VALUE", "10.5%")]


def test_round_trip():
    tags = spans_to_bio(TEXT, reversed(SPANS))
    assert is_valid_bio(tags)
    assert bio_to_spans(TEXT, tags) == SPANS
    assert tags[TEXT.index("1.4")] == "B-VALUE" and tags[TEXT.index("1.4") + 1] == "I-VALUE"


def test_tags_are_derived_from_labels():
    assert TAGS[0] == "O" and len(TAGS) == 13 and "B-TREND" in TAGS and "I-ORG" in TAGS


def test_overlap_error_names_both_spans():
    with pytest.raises(SpanError, match=r"\[2,6\) '公安机关' \(ORG\) overlaps \[0,4\) '全市公安' \(ORG\)"):
        check_spans(TEXT, [Span(0, 4, "ORG", "全市公安"), Span(2, 6, "ORG", "公安机关")])


def test_misplaced_span_is_an_error():
    with pytest.raises(SpanError, match="does not match the text there: '全市'"):
        spans_to_bio(TEXT, [Span(0, 2, "ORG", "公安")])


def test_unknown_label_is_an_error():
    with pytest.raises(ValueError, match="unknown label 'PERSON'"):
        Span(0, 2, "PERSON", "全市")


@pytest.mark.parametrize("tags,valid", [
    (["B-VALUE", "I-VALUE", "O"], True),
    (["O", "I-VALUE", "I-VALUE"], False),
    (["B-METRIC", "I-VALUE", "O"], False),
    (["B-METRIC", "B-METRIC", "I-METRIC"], True),
    (["B-PER", "O", "O"], False),
])
def test_is_valid_bio(tags, valid):
    assert is_valid_bio(tags) is valid


def test_strict_decoding_rejects_orphan_inside_tag():
    with pytest.raises(SpanError, match="does not continue a VALUE span"):
        bio_to_spans("下降10%", ["O", "O", "I-VALUE", "I-VALUE", "I-VALUE"])


def test_lenient_decoding_starts_a_span():
    spans = bio_to_spans("下降10%", ["B-TREND", "I-TREND", "I-VALUE", "I-VALUE", "I-VALUE"], strict=False)
    assert [(s.label, s.text) for s in spans] == [("TREND", "下降"), ("VALUE", "10%")]

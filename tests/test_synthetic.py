"""Synthetic sentences: exact spans, determinism, variants through the normaliser."""

from __future__ import annotations

import random

import pytest

from ie.quantity import parse_quantity
from ie.research.synthetic import VARIANTS, SyntheticGenerator, chinese_numeral, render_variant


def test_spans_are_exact_and_values_parse():
    for sentence in SyntheticGenerator(seed=3).generate(300):
        for span in sentence.spans:
            assert sentence.text[span.start:span.end] == span.text
            if span.label == "VALUE":
                parse_quantity(span.text)


def test_generation_is_deterministic_and_varied():
    first = [s.text for s in SyntheticGenerator(seed=5).generate(50)]
    assert first == [s.text for s in SyntheticGenerator(seed=5).generate(50)]
    assert first != [s.text for s in SyntheticGenerator(seed=6).generate(50)]
    assert len(set(first)) > 45


def test_negatives_carry_no_value_but_label_their_org():
    sentences = SyntheticGenerator(seed=1).generate(300)
    negatives = [s for s in sentences if not any(span.label == "VALUE" for span in s.spans)]
    assert negatives and any(not s.spans for s in negatives)  # hotline and case-code sentences
    with_org = [s for s in negatives if "召开工作部署会" in s.text or "专项行动" in s.text]
    assert with_org and all([span.label for span in s.spans] == ["ORG"] for s in with_org)


@pytest.mark.parametrize("n,text", [(0, "零"), (7, "七"), (10, "十"), (12, "十二"), (45, "四十五"), (108, "一百零八"),
                                    (4500, "四千五百"), (1270, "一千二百七十"), (30005, "三万零五")])
def test_chinese_numeral(n, text):
    assert chinese_numeral(n) == text
    assert parse_quantity(text + "起").value == n


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_come_back_normalised_with_their_spans(variant):
    rng = random.Random(0)
    for sentence in SyntheticGenerator(seed=9).generate(40):
        rendered = render_variant(sentence, variant, rng)
        assert [(s.label, s.text) for s in rendered.spans] == [(s.label, s.text) for s in sentence.spans]
        assert all(rendered.text[s.start:s.end] == s.text for s in rendered.spans)

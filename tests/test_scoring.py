"""Record matching as RECORD_SPEC.md says, and seqeval span scores."""

from __future__ import annotations

import pytest

from ie.research.scoring import PRF, evaluate_records, evaluate_spans, metrics_overlap
from ie.text.overlap import longest_common_substring


def rec(metric, value, unit="起", direction=None, doc="d", start=0, optional=False, **slots):
    row = {"doc_id": doc, "metric": metric, "value": value, "unit": unit, "direction": direction,
           "evidence": {"start": start, "end": start + 1, "text": "x"}, "optional": optional,
           "period": None, "org": None, "baseline": None, "qualifier": None}
    row.update(slots)
    return row


@pytest.mark.parametrize("a,b,matches", [
    ("电诈发案数", "电信诈骗发案数", True),      # 发案数: 3 of 5
    ("破获案件", "破获刑事案件", True),          # 破获 / 案件: 2 of 4
    ("损失数", "挽回经济损失", True),            # 损失: 2 of 3
    ("案件", "破获刑事案件", True),
    ("发案", "抓获嫌疑人", False),
])
def test_metric_overlap(a, b, matches):
    assert bool(metrics_overlap(a, b)) is matches


def test_longest_common_substring():
    assert longest_common_substring("同比下降", "下降") == 2
    assert longest_common_substring("", "下降") == 0


def test_value_unit_direction_must_be_equal():
    gold = [rec("破获案件", 9200)]
    assert evaluate_records([rec("破获案件", 9200)], gold).records.f1 == 1.0
    assert evaluate_records([rec("破获案件", 9201)], gold).records.f1 == 0.0
    assert evaluate_records([rec("破获案件", 9200, unit="人")], gold).records.f1 == 0.0
    assert evaluate_records([rec("破获案件", 9200, direction="up")], gold).records.f1 == 0.0
    assert evaluate_records([rec("破获案件", 9200, doc="e")], gold).records.f1 == 0.0


def test_matching_is_one_to_one():
    scores = evaluate_records([rec("破获案件", 9200), rec("破获案件", 9200, start=5)], [rec("破获案件", 9200)])
    assert (scores.records.tp, scores.records.fp, scores.records.fn) == (1, 1, 0)


def test_optional_gold_is_neither_required_nor_wrong():
    gold = [rec("破获案件", 9200), rec("现行命案全破", 14, unit="年", optional=True)]
    with_streak = evaluate_records([rec("破获案件", 9200), rec("命案全破", 14, unit="年")], gold)
    without = evaluate_records([rec("破获案件", 9200)], gold)
    assert with_streak.records.to_dict() == without.records.to_dict() == PRF(1, 0, 0).to_dict()


def test_value_level_ignores_metric_and_direction():
    scores = evaluate_records([rec("别的", 5, unit="%", direction="up")], [rec("发案数", 5, unit="%", direction="down")])
    assert scores.records.f1 == 0.0 and scores.values.f1 == 1.0


def test_slots_are_scored_on_matched_records():
    gold = [rec("破获案件", 9200, period="2021年", org="全市公安机关"), rec("抓获嫌疑人", 2300, unit="人")]
    scores = evaluate_records([rec("破获案件", 9200, period="2021年", org="辖区")], gold)
    assert scores.slots["period"] == 1.0 and scores.slots["org"] == 0.0


def test_nothing_to_score_is_none():
    empty = evaluate_records([], [])
    assert empty.records.f1 is None and empty.slots["period"] is None
    assert PRF(0, 0, 3).precision is None and PRF(0, 0, 3).recall == 0.0


def test_predicting_nothing_scores_zero_not_none():
    assert PRF(0, 0, 3).f1 == 0.0 and PRF(0, 2, 0).f1 == 0.0


def test_prf_adds_up():
    assert (PRF(1, 2, 3) + PRF(4, 5, 6)).to_dict() == PRF(5, 7, 9).to_dict()


def test_seqeval_strict_spans():
    gold = [["B-METRIC", "I-METRIC", "O", "B-VALUE", "I-VALUE"]]
    predicted = [["B-METRIC", "I-METRIC", "O", "B-VALUE", "O"]]
    scores = evaluate_spans(gold, predicted)
    assert scores["METRIC"]["f1"] == 1.0 and scores["VALUE"]["f1"] == 0.0
    assert evaluate_spans([["O"]], [["O"]]) == {}


def test_the_reliability_table_counts_right_records_per_confidence_bin():
    from ie.research.scoring import reliability

    predicted = [{"confidence": c} for c in (0.3, 0.45, 0.93, 0.93, 0.93, 1.0, None)]
    gold = [{}, {}, {"optional": True}, {}]
    pairs = [(0, 0), (2, 1), (3, 2), (5, 3)]  # record 3 matches an optional gold record: not counted
    bins = {(b.low, b.high): (b.records, b.correct, b.mean_confidence) for b in reliability(predicted, pairs, gold)}
    assert bins == {(0.0, 0.5): (2, 1, 0.375), (0.9, 0.95): (2, 1, 0.93), (0.99, 1.0): (1, 1, 1.0),
                    (None, None): (1, 0, None)}

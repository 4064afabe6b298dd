"""Which sentences the combined tagger lets its secondary tagger read, and what it takes from it."""

from __future__ import annotations

import pytest

from ie.combined_tagger import CombinedTagger
from ie.schema import Span


class Fixed:
    """A tagger that returns given spans per sentence and remembers what it was asked to read."""

    def __init__(self, name: str, spans: dict[str, list[Span]]) -> None:
        self.name, self.spans, self.read = name, spans, []

    def tag(self, sentences):
        self.read += list(sentences)
        return [list(self.spans.get(text, [])) for text in sentences]


GAP = "东岭分局破获案件12起"      # the rules find the value but no metric
COVERED = "东岭分局破获案件9起"    # the rules find value and metric, no org
RULES = Fixed("rules", {
    GAP: [Span(8, 11, "VALUE", "12起")],
    COVERED: [Span(4, 8, "METRIC", "破获案件"), Span(8, 10, "VALUE", "9起")],
})
MODEL = Fixed("model", {
    GAP: [Span(0, 4, "ORG", "东岭分局"), Span(4, 8, "METRIC", "破获案件"), Span(8, 11, "VALUE", "12起")],
    COVERED: [Span(0, 4, "ORG", "东岭分局"), Span(4, 8, "METRIC", "破获案件"), Span(8, 10, "VALUE", "9起")],
})


def labels(spans):
    return [(s.label, s.text) for s in spans]


def test_an_org_is_taken_from_the_sentences_the_model_reads_for_a_missing_metric():
    MODEL.read.clear()
    gap, covered = CombinedTagger(RULES, MODEL, fill=("METRIC", "ORG")).tag([GAP, COVERED])
    assert MODEL.read == [GAP]  # a sentence whose values all have a metric is not read
    assert labels(gap) == [("ORG", "东岭分局"), ("METRIC", "破获案件"), ("VALUE", "12起")]
    assert labels(covered) == [("METRIC", "破获案件"), ("VALUE", "9起")]


def test_without_a_value_bound_label_the_model_reads_sentences_whose_values_lack_the_label():
    MODEL.read.clear()
    gap, covered, _ = CombinedTagger(RULES, MODEL, fill=("ORG",)).tag([GAP, COVERED, "本周无警情"])
    assert MODEL.read == [GAP, COVERED]  # a sentence without a value is not read
    assert ("ORG", "东岭分局") in labels(gap) and ("ORG", "东岭分局") in labels(covered)
    assert ("METRIC", "破获案件") not in labels(gap)


def test_a_span_touching_a_primary_span_of_its_label_is_not_taken():
    from ie.combined_tagger import merge_spans

    kept = [Span(0, 2, "ORG", "石原"), Span(4, 9, "VALUE", "16.3%")]
    extra = [Span(2, 4, "ORG", "五市"), Span(10, 12, "ORG", "全省")]
    assert [s.text for s in merge_spans(kept, extra, ("ORG",))] == ["石原", "16.3%", "全省"]


ACTING = "全年各执法部门共侦破刑事案件8915宗"  # the rules take the unknown body into the metric
SUB_BODY = "治安警察局交通厅检控违例46万宗"       # the rules know only the first body
PREFERRING = Fixed("rules", {
    ACTING: [Span(0, 2, "TIME", "全年"), Span(2, 14, "METRIC", "各执法部门共侦破刑事案件"), Span(14, 19, "VALUE", "8915宗")],
    SUB_BODY: [Span(0, 5, "ORG", "治安警察局"), Span(8, 12, "METRIC", "检控违例"), Span(12, 16, "VALUE", "46万宗")],
    "本周无警情": [],
})
PREFERRED = Fixed("model", {  # read up to the first value: the org that scopes a figure stands before it
    ACTING[:14]: [Span(0, 2, "TIME", "全年"), Span(2, 7, "ORG", "各执法部门"), Span(8, 14, "METRIC", "侦破刑事案件")],
    SUB_BODY[:12]: [Span(0, 8, "ORG", "治安警察局交通厅")],
    GAP: [Span(0, 4, "ORG", "东岭分局"), Span(4, 8, "METRIC", "破获案件"), Span(8, 11, "VALUE", "12起")],
})


def test_a_preferred_label_is_taken_from_the_model_in_every_sentence_with_a_value():
    PREFERRED.read.clear()
    acting, sub_body, empty = CombinedTagger(PREFERRING, PREFERRED, fill=("METRIC",), prefer=("ORG",)).tag(
        [ACTING, SUB_BODY, "本周无警情"])
    assert PREFERRED.read == ["全年各执法部门共侦破刑事案件", "治安警察局交通厅检控违例"]  # up to the first value
    # the model's body; the rules' metric now begins after it (共 dropped)
    assert labels(acting) == [("TIME", "全年"), ("ORG", "各执法部门"), ("METRIC", "侦破刑事案件"), ("VALUE", "8915宗")]
    # the model's longer body replaces the rules' overlapping one; other labels stay the rules'
    assert labels(sub_body) == [("ORG", "治安警察局交通厅"), ("METRIC", "检控违例"), ("VALUE", "46万宗")]
    assert empty == []


def test_a_sentence_the_model_fills_is_read_whole_and_its_preferred_labels_taken():
    PREFERRED.read.clear()
    rules = Fixed("rules", {GAP: [Span(8, 11, "VALUE", "12起")]})
    gap, = CombinedTagger(rules, PREFERRED, fill=("METRIC",), prefer=("ORG",)).tag([GAP])
    assert PREFERRED.read == [GAP]
    assert labels(gap) == [("ORG", "东岭分局"), ("METRIC", "破获案件"), ("VALUE", "12起")]


def test_a_preferred_span_that_overlaps_another_kept_label_is_not_taken():
    from ie.combined_tagger import prefer_spans

    text = "2024年度全港罪案"
    kept = [Span(0, 6, "TIME", "2024年度"), Span(6, 8, "ORG", "全港")]
    extra = [Span(4, 8, "ORG", "年度全港")]
    assert labels(prefer_spans(text, kept, extra, ("ORG",))) == [("TIME", "2024年度")]
    assert labels(prefer_spans(text, kept, [], ("ORG",))) == labels(kept)  # nothing in place: the rules' stays


@pytest.mark.parametrize("text, cut, mended", [
    ("全国网安部门会同网信部门关停账号12个", 7, "全国网安部门"),           # one character into 会同
    ("市反诈中心累计劝阻群众3200人", 6, "市反诈中心"),                 # one character into 累计
    ("全国移民管理机构查验人员1.2亿人次", 7, "全国移民管理机构"),         # one character short of 构
    ("经各口岸出入境旅客8632万人次", 4, "各口岸"),                     # a preposition before the body
    ("全市消防救援队伍会同行业部门检查单位3100家", 14, "全市消防救援队伍"),  # a partner after 会同
    ("经侦支队破获案件12起", 4, "经侦支队"),                          # 经 of 经侦 stays
    ("全省各口岸查验人员1.2亿人次", (2, 5), "全省各口岸"),                # the whole area before the body
    ("公安机关查处案件12起", (0, 1), None),                            # a single character is no org
    ("该局共处理非法兑换案件296宗", 2, None),                          # an anaphor: the decoder carries the body on
    ("经信局查处案件12起", 3, "经信局"),                                # 经 before no scope is part of the name
    ("省市县联合工作组查处案件12起", 8, "省市县联合工作组"),            # 联合 inside a name
    ("全市交警处理案件12起", 4, "全市交警"),                            # 处 begins the verb
    ("澳门司警查获毒品12宗", 4, "澳门司警"),                            # a body's name is not cut
    ("滨海沿线道路发案12起", 2, "滨海"),                               # a place name keeps its edges
    ("辖下禁毒调查处破获贩毒案件36宗", 5, "禁毒调查处"),                # two characters short; 辖下 goes
    ("全市国家反诈中心APP注册率61.7%", 8, "全市"),                    # an app's name is no body
    ("国家反诈中心APP注册人数12万", 6, None),
    ("该分局新埔派出所查获嫌疑人6人", 8, "新埔派出所"),                  # the anaphor before a body goes
    ("除青峰分局增加58件外", 5, "青峰分局"),
    ("城关镇事故起数占32.8%", 2, "城关镇"),                             # one character short of a place
    ("澳门半岛区域共发生交通事故612宗", 6, "澳门半岛"),                   # 区域 is no part of the name
    ("城关区域内共发生盗窃案件12起", 3, "城关"),
    ("林湖分局A2类交通事故发生1203件", 4, "林湖分局"),                  # a class code is no app
])
def test_a_preferred_org_is_mended_where_the_model_cuts_a_word(text, cut, mended):
    value = next(i for i, c in enumerate(text) if c.isdigit())
    rules = Fixed("rules", {text: [Span(value, len(text), "VALUE", text[value:])]})
    start, end = cut if isinstance(cut, tuple) else (0, cut)
    model = Fixed("model", {text[:value]: [Span(start, end, "ORG", text[start:end])]})
    spans = CombinedTagger(rules, model, fill=(), prefer=("ORG",)).tag([text])[0]
    assert [s.text for s in spans if s.label == "ORG"] == ([mended] if mended else [])

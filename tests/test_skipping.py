"""Skipping sentences that cannot change a record: the records stay the same, less is tagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from ie.decoding import sentences_that_matter, untagged_lead
from ie.document import segment_document
from ie.pipeline import Extractor
from ie.rule_tagger import RuleTagger
from ie.structure import analyse_structure

ROOT = Path(__file__).resolve().parent.parent


class CountingTagger(RuleTagger):
    def __init__(self) -> None:
        super().__init__()
        self.sentences = 0

    def tag(self, sentences):
        self.sentences += len(sentences)
        return super().tag(sentences)


def test_a_numberless_sentence_matters_before_a_number_in_its_paragraph_in_the_lead_or_as_layout():
    document = segment_document("d", "2023年，全市破获案件12起。\n市公安局高度重视。破获案件9起。市公安局持续发力。\n\n"
                                     "全力保障平安。\n一、打击犯罪\n依法严惩。")
    assert [s.text for s in document.sentences] == ["2023年，全市破获案件12起。", "市公安局高度重视。", "破获案件9起。",
                                                    "市公安局持续发力。", "全力保障平安。", "一、打击犯罪", "依法严惩。"]
    assert sentences_that_matter(document) == [True, True, True, False, False, True, False]


def test_the_untagged_lead_before_its_period_and_org_is_tagged_in_a_second_round():
    text = "全市警情通报\n全市公安机关持续发力。\n今年以来，破获案件9起。\n全力保障平安。\n一、打击犯罪\n依法严惩。"
    document = segment_document("d", text)
    structure = analyse_structure(document)
    tagged = sentences_that_matter(document, structure)
    assert tagged == [True, False, True, False, True, False]
    spans = [RuleTagger().tag_sentence(s.text) if t else [] for s, t in zip(document.sentences, tagged)]
    assert untagged_lead(document, structure, spans, tagged) == [1, 3]  # 今年以来 gives the period; the org is still missing
    tagger = CountingTagger()
    records = Extractor(tagger).extract(text)
    assert tagger.sentences == 5 and [(r.period, r.org) for r in records] == [("今年以来", "全市公安机关")]


def test_skipping_keeps_every_record_of_the_seeds_and_tags_fewer_sentences():
    counted = {}
    records = {}
    for skip in (False, True):
        tagger = CountingTagger()
        extractor = Extractor(tagger, skip_numberless=skip)
        records[skip] = [r.to_dict() for p in sorted((ROOT / "seeds").glob("*.txt"))
                         for r in extractor.extract(p.read_text(encoding="utf-8"), p.stem)]
        counted[skip] = tagger.sentences
    assert records[True] == records[False] and len(records[True]) > 150
    assert counted[True] < counted[False] * 0.85


@pytest.mark.parametrize("text", [
    "2024年1月5日，澄州市公安局召开新闻发布会，通报了2023年治安情况。\n今年以来，全市治安形势持续平稳。\n盗窃案件下降5%。",
    "2023年，澄州市公安局破获刑事案件100起。\n全市治安形势持续平稳。\n盗窃案件下降5%。",
    "全市警情通报\n一、总体情况\n2023年全市发案100起。\n本季度各区县警情统计\n地区\n发案\n破案\n东城区\n12\n10\n西城区\n8\n7\n南城区\n5\n4",
])
def test_skipping_is_lossless_for_leads_that_announce_or_name_their_scope_late_and_for_captions(text):
    records = {skip: [r.to_dict() for r in Extractor(RuleTagger(), skip_numberless=skip).extract(text, "d")]
               for skip in (False, True)}
    assert records[True] == records[False] and records[True]

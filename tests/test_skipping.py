"""Skipping sentences that cannot change a record: the records stay the same, less is tagged."""

from __future__ import annotations

from pathlib import Path

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
    assert untagged_lead(structure, spans, tagged) == [1, 3]  # 今年以来 gives the period; the org is still missing
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

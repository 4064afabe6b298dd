"""Skipping sentences that cannot change a record: the records stay the same, less is tagged."""

from __future__ import annotations

from pathlib import Path

from ie.decoding import sentences_that_matter
from ie.document import segment_document
from ie.pipeline import Extractor
from ie.rule_tagger import RuleTagger

ROOT = Path(__file__).resolve().parent.parent


class CountingTagger(RuleTagger):
    def __init__(self) -> None:
        super().__init__()
        self.sentences = 0

    def tag(self, sentences):
        self.sentences += len(sentences)
        return super().tag(sentences)


def test_a_numberless_sentence_matters_only_before_a_number_in_its_paragraph():
    document = segment_document("d", "市公安局高度重视。破获案件9起。市公安局持续发力。\n\n全力保障平安。")
    assert [s.text for s in document.sentences] == ["市公安局高度重视。", "破获案件9起。", "市公安局持续发力。",
                                                    "全力保障平安。"]
    assert sentences_that_matter(document) == [True, True, False, False]


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
    assert counted[True] < counted[False] * 0.8

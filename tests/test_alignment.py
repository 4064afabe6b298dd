"""Label alignment to tokens (with pieces crossing span boundaries), windows, constrained decoding."""

from __future__ import annotations

import numpy as np
import pytest

from ie.model.alignment import (
    IGNORE, alignment_loss, constrained_decode, token_labels, tokenize, tokens_to_spans, windows,
)
from ie.schema import TAG_TO_ID, TAGS, Span


class PieceTokenizer:
    """A stand-in fast tokenizer with a fixed piece vocabulary, longest match first."""

    def __init__(self, pieces: list[str]) -> None:
        self.vocab = {piece: i for i, piece in enumerate(["<s>", "<pad>", "</s>", "<unk>", "▁", *pieces])}
        self.ordered = sorted(self.vocab, key=len, reverse=True)

    def __call__(self, text, add_special_tokens=False, return_offsets_mapping=True):
        ids, offsets, i = [self.vocab["▁"]], [(0, 1)], 0
        while i < len(text):
            piece = next((p for p in self.ordered if p not in ("<s>", "<pad>", "</s>", "<unk>", "▁")
                          and text.startswith(p, i)), None)
            piece = piece or text[i]
            ids.append(self.vocab.get(piece, 3))
            offsets.append((i, i + len(piece)))
            i += len(piece)
        return {"input_ids": ids, "offset_mapping": offsets}

    def get_vocab(self):
        return dict(self.vocab)

    def convert_ids_to_tokens(self, ids):
        inverse = {i: p for p, i in self.vocab.items()}
        return [inverse[i] for i in ids]


TOKENIZER = PieceTokenizer(["公安机关", "全市", "破获", "案件", "9", "200", "起", "全", "市", "公", "安", "机", "关",
                            "破", "获", "案", "件", "同比", "下降", "同", "比", "下", "降", "5", "%"])


def spans(text, *items):
    return [Span(text.index(t), text.index(t) + len(t), label, t) for label, t in items]


def tags_of(labels):
    return [TAGS[i] if i != IGNORE else None for i in labels]


@pytest.mark.parametrize("tokenization,expected,lost", [
    # 全市公安 is the ORG, but the piece 公安机关 crosses its end: a piece takes its first character's label
    # pieces: ▁ 全市 公安机关 破获 案件 9 200 起 -- the METRIC start inside 公安机关 is lost (and the ORG end)
    ("subword", [None, "B-ORG", "I-ORG", "I-METRIC", "I-METRIC", "B-VALUE", "I-VALUE", "I-VALUE"], 2),
    # pieces: ▁ 全 市 公 安 机 关 破 获 案 件 9 200 起
    ("char", [None, "B-ORG", "I-ORG", "I-ORG", "I-ORG", "B-METRIC", "I-METRIC", "I-METRIC", "I-METRIC",
              "I-METRIC", "I-METRIC", "B-VALUE", "I-VALUE", "I-VALUE"], 0),
])
def test_pieces_crossing_a_span_boundary(tokenization, expected, lost):
    text = "全市公安机关破获案件9200起"
    gold = [Span(0, 4, "ORG", "全市公安"), Span(4, 10, "METRIC", "机关破获案件"), Span(10, 15, "VALUE", "9200起")]
    tokens = tokenize(TOKENIZER, text, tokenization)
    labels = token_labels(text, tokens.offsets, gold)
    assert tags_of(labels) == expected
    assert alignment_loss(text, tokens.offsets, gold) == lost


def test_char_tokenization_round_trips_spans_exactly():
    text = "全市公安机关破获案件9200起，同比下降5%"
    gold = spans(text, ("ORG", "全市公安机关"), ("METRIC", "破获案件"), ("VALUE", "9200起"), ("BASE", "同比"),
                 ("TREND", "下降"), ("VALUE", "5%"))
    tokens = tokenize(TOKENIZER, text, "char")
    labels = token_labels(text, tokens.offsets, gold)
    assert tokens_to_spans(text, tokens.offsets, [max(label, 0) for label in labels]) == gold


def test_word_start_mark_has_no_label():
    tokens = tokenize(TOKENIZER, "全市", "char")
    assert tokens.offsets[0] == (0, 0)
    assert token_labels("全市", tokens.offsets, [Span(0, 2, "ORG", "全市")])[0] == IGNORE


@pytest.mark.parametrize("length,size,stride,expected", [
    (5, 10, 5, [(0, 5)]), (10, 4, 3, [(0, 4), (3, 7), (6, 10)]), (9, 4, 2, [(0, 4), (2, 6), (4, 8), (6, 9)]),
])
def test_windows_cover_everything(length, size, stride, expected):
    assert windows(length, size, stride) == expected


def test_constrained_decoding_never_starts_inside():
    scores = np.full((3, len(TAGS)), -5.0)
    scores[0, TAG_TO_ID["I-VALUE"]] = 0.0   # best alone, but invalid at the start
    scores[0, TAG_TO_ID["B-VALUE"]] = -0.5
    scores[1, TAG_TO_ID["I-VALUE"]] = 0.0
    scores[2, TAG_TO_ID["I-ORG"]] = 0.0     # invalid after VALUE
    scores[2, TAG_TO_ID["O"]] = -1.0
    assert [TAGS[i] for i in constrained_decode(scores)] == ["B-VALUE", "I-VALUE", "O"]


def test_unknown_tokenization_is_refused():
    with pytest.raises(ValueError, match="tokenization 'word'"):
        tokenize(TOKENIZER, "全市", "word")


def test_pieces_that_join_a_value_and_punctuation_are_trimmed():
    """``%。`` and ``、3`` are single pieces of the e5 vocabulary: one tag covers the punctuation."""
    text = "下降5%。、3起"
    tokenizer = PieceTokenizer(["下降", "下", "降", "5", "%。", "、3", "起"])
    tokens = tokenize(tokenizer, text, "char")
    assert [text[a:b] for a, b in tokens.offsets if b > a] == ["下", "降", "5", "%。", "、3", "起"]
    tags = [TAG_TO_ID[t] for t in ("O", "B-TREND", "I-TREND", "B-VALUE", "I-VALUE", "B-VALUE", "I-VALUE")]
    assert tokens_to_spans(text, tokens.offsets, tags) == [
        Span(0, 2, "TREND", "下降"), Span(2, 4, "VALUE", "5%"), Span(6, 8, "VALUE", "3起")]


def test_a_span_of_punctuation_alone_is_dropped():
    text = "，。"
    offsets = [(0, 1), (1, 2)]
    assert tokens_to_spans(text, offsets, [TAG_TO_ID["B-ORG"], TAG_TO_ID["I-ORG"]]) == []


def test_constrained_decoding_equals_the_full_search_with_or_without_a_valid_greedy_path():
    """The shortcut (the best tags already form a valid IOB2 sequence) gives what the search gives."""
    from ie.model.alignment import _ALLOWED, _START_ALLOWED

    def search(scores):
        best = np.where(_START_ALLOWED, scores[0], -1e9)
        back = []
        for row in scores[1:]:
            candidates = best[:, None] + np.where(_ALLOWED, 0.0, -1e9)
            back.append(candidates.argmax(axis=0))
            best = candidates.max(axis=0) + row
        path = [int(best.argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        return path[::-1]

    rng = np.random.default_rng(0)
    for k in range(500):
        scores = np.log(rng.dirichlet(np.full(len(TAGS), 0.3), size=int(rng.integers(1, 30))))
        if k % 2:
            scores[:, 0] += 2.0  # mostly O: the greedy path is usually valid
        assert constrained_decode(scores) == search(scores)

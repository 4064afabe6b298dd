"""Characters <-> tokens: label alignment, windows, and constrained BIO decoding.

No torch here. Tokens carry half-open character offsets into the sentence (from the
fast tokenizer's ``offset_mapping``). Two tokenisations:

- ``subword``: the tokenizer's own pieces. A piece such as ``公安机关`` may cross a span
  boundary; it takes the label of its first character and the boundary is lost (counted
  by ``alignment_loss``).
- ``char``: every piece made of several CJK characters is split into its characters
  (each one exists in the vocabulary as a piece), so labels align exactly.

A token gets ``B-X`` when a span of label X starts at its first character, ``I-X`` when
it is inside one, ``O`` otherwise; pieces without characters (``▁``) and special tokens
get -100, the ignored index. Sentences longer than the encoder window are cut into
overlapping windows; logits of overlapping tokens are averaged, never truncated.

Sentence punctuation never begins or ends a span (the guidelines keep it out; the only
edge symbols in the gold spans are ``%``, quotes and brackets), yet a piece such as
``%。`` or ``、3`` carries one tag for both characters: ``tokens_to_spans`` trims it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ie.schema import TAG_TO_ID, TAGS, Span
from ie.spans import bio_to_spans, spans_to_bio
from ie.text.chars import is_ideograph

IGNORE = -100
TOKENIZATIONS = ("subword", "char")
EDGE_PUNCTUATION = "。，、；：！？,;:!?\u3000 "
"""Characters trimmed from both ends of a predicted span (a span of nothing else is dropped)."""


@dataclass(frozen=True)
class TokenizedSentence:
    ids: list[int]  # content tokens only, no special tokens
    offsets: list[tuple[int, int]]


def _vocabulary(tokenizer) -> dict[str, int]:
    """The tokenizer's piece -> id map, built once per tokenizer (``get_vocab`` copies it on every call)."""
    vocab = getattr(tokenizer, "_bulletin_ie_vocab", None)
    if vocab is None:
        vocab = tokenizer.get_vocab()
        try:
            tokenizer._bulletin_ie_vocab = vocab
        except AttributeError:  # a tokenizer that takes no attributes: build it each time
            pass
    return vocab


def tokenize(tokenizer, text: str, tokenization: str = "char") -> TokenizedSentence:
    """Content tokens of ``text`` with character offsets (see the module docstring)."""
    if tokenization not in TOKENIZATIONS:
        raise ValueError(f"tokenization {tokenization!r}: choose one of {TOKENIZATIONS}")
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = list(encoding["input_ids"]), [tuple(o) for o in encoding["offset_mapping"]]
    pieces = tokenizer.convert_ids_to_tokens(ids)
    # a bare word-start mark (▁) carries no character: empty offsets, so no label
    offsets = [(start, start) if piece == "▁" else (start, end) for piece, (start, end) in zip(pieces, offsets)]
    if tokenization == "subword":
        return TokenizedSentence(ids, offsets)
    vocab = _vocabulary(tokenizer)
    split_ids, split_offsets = [], []
    for token_id, (start, end) in zip(ids, offsets):
        piece = text[start:end]
        if end - start > 1 and all(is_ideograph(c) for c in piece) and all(c in vocab for c in piece):
            for k, char in enumerate(piece):
                split_ids.append(vocab[char])
                split_offsets.append((start + k, start + k + 1))
        else:
            split_ids.append(token_id)
            split_offsets.append((start, end))
    return TokenizedSentence(split_ids, split_offsets)


def token_labels(text: str, offsets: Sequence[tuple[int, int]], spans: Sequence[Span]) -> list[int]:
    """A label id per token, -100 for tokens without characters."""
    char_tags = spans_to_bio(text, spans)
    labels = []
    for start, end in offsets:
        if end <= start:
            labels.append(IGNORE)
            continue
        tag = char_tags[start]
        labels.append(TAG_TO_ID[tag])
    return labels


def alignment_loss(text: str, offsets: Sequence[tuple[int, int]], spans: Sequence[Span]) -> int:
    """How many span boundaries fall inside a token (and cannot be learnt)."""
    inside = {i for start, end in offsets for i in range(start + 1, end)}
    return sum((s.start in inside) + (s.end in inside) for s in spans)


def windows(length: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Half-open token windows of at most ``size`` covering ``range(length)``, overlapping by ``size - stride``.

    >>> windows(10, 4, 3)
    [(0, 4), (3, 7), (6, 10)]
    """
    if not 0 < stride <= size:
        raise ValueError(f"window stride {stride} must be in 1..{size} (the window size): tokens would be skipped")
    if length <= size:
        return [(0, length)]
    result, start = [], 0
    while True:
        end = min(start + size, length)
        result.append((start, end))
        if end == length:
            return result
        start += stride


def allowed_transitions() -> np.ndarray:
    """``allowed[i, j]``: tag j may follow tag i in IOB2 (an ``I-X`` follows only ``B-X``/``I-X``)."""
    allowed = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            for i, previous in enumerate(TAGS):
                allowed[i, j] = previous[2:] == tag[2:] and previous != "O"
    return allowed


_ALLOWED = allowed_transitions()
_START_ALLOWED = np.array([not tag.startswith("I-") for tag in TAGS])


def constrained_decode(scores: np.ndarray) -> list[int]:
    """The best valid IOB2 tag sequence for ``scores`` (tokens x tags, log-probabilities).

    When each token's best tag already makes a valid sequence, that sequence is the best one
    (the sum of per-token maxima bounds every path), and no search is needed.
    """
    if len(scores) == 0:
        return []
    greedy = scores.argmax(axis=1)
    if _START_ALLOWED[greedy[0]] and _ALLOWED[greedy[:-1], greedy[1:]].all():
        return greedy.tolist()
    penalty = np.where(_ALLOWED, 0.0, -1e9)
    best = np.where(_START_ALLOWED, scores[0], -1e9)
    back = np.zeros((len(scores), len(TAGS)), dtype=np.int64)
    for t in range(1, len(scores)):
        candidates = best[:, None] + penalty
        back[t] = candidates.argmax(axis=0)
        best = candidates.max(axis=0) + scores[t]
    path = [int(best.argmax())]
    for t in range(len(scores) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def trim_punctuation(span: Span) -> Span | None:
    """``span`` without sentence punctuation at its ends; None if nothing else is left.

    >>> trim_punctuation(Span(3, 8, "VALUE", "、55%。"))
    Span(start=4, end=7, label='VALUE', text='55%')
    """
    kept = span.text.strip(EDGE_PUNCTUATION)
    if not kept:
        return None
    if kept == span.text:
        return span
    start = span.start + span.text.index(kept)
    return Span(start, start + len(kept), span.label, kept)


def tokens_to_spans(text: str, offsets: Sequence[tuple[int, int]], tag_ids: Sequence[int]) -> list[Span]:
    """Spans from token tags: a token's characters share its tag (``B-X`` then ``I-X``);
    edge punctuation is trimmed (``trim_punctuation``)."""
    char_tags = ["O"] * len(text)
    for (start, end), tag_id in zip(offsets, tag_ids):
        if end <= start:
            continue
        tag = TAGS[tag_id]
        char_tags[start] = tag
        for i in range(start + 1, end):
            char_tags[i] = "O" if tag == "O" else f"I-{tag[2:]}"
    trimmed = (trim_punctuation(span) for span in bio_to_spans(text, char_tags, strict=False))
    return [span for span in trimmed if span is not None]


def score_spans(spans: Sequence[Span], offsets: Sequence[tuple[int, int]], log_probs: np.ndarray) -> list[Span]:
    """``spans`` with their scores: the geometric mean of the probabilities of the tags chosen for
    the tokens a span covers (``log_probs``: one log-probability per token, of its chosen tag).

    >>> [s.score for s in score_spans([Span(0, 2, "VALUE", "12")], [(0, 1), (1, 2), (2, 3)],
    ...                               np.log(np.array([0.9, 0.4, 0.1])))]
    [0.6]
    """
    if not spans:
        return []
    bounds = np.asarray(offsets).reshape(-1, 2)
    starts, ends = bounds[:, 0], bounds[:, 1]
    scored = []
    for span in spans:
        inside = (ends > starts) & (starts < span.end) & (ends > span.start)
        score = round(float(np.exp(log_probs[inside].mean())), 4) if inside.any() else None
        scored.append(Span(span.start, span.end, span.label, span.text, score))
    return scored

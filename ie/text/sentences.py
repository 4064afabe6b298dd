"""Sentence splitting with half-open offsets.

Sentences end at ``。！？；`` (and ``!`` ``;``) and at line breaks. A terminator inside a
quote or bracket that closes on the same line does not end the sentence (a quoted slogan
must not cut a clause in half); closing quotes and brackets right after a terminator
belong to the sentence they close. Surrounding whitespace is not part of a sentence.

A run longer than ``MAX_SENTENCE`` characters without a terminator (a table flattened into
one line, a text whose punctuation was lost) is cut into pieces of at most that length, at
the last whitespace, else comma, else enumeration comma, else between two Chinese
characters, in the second half of the piece: every later stage works sentence by sentence,
so this bound keeps the whole extraction linear in the length of a document. Bulletins'
sentences are far shorter (the longest of the annotated corpora has 234 characters).

>>> [s.text for s in split_sentences("破获案件9200起。他说：“好。”\\n标题\\n")]
['破获案件9200起。', '他说：“好。”', '标题']
"""

from __future__ import annotations

from dataclasses import dataclass

from ie.text.chars import BRACKET_PAIRS, is_han

TERMINATORS = "。！？!；;"
_OPENERS = BRACKET_PAIRS
_CLOSERS = set(_OPENERS.values())
_QUOTE_CLOSERS = ("”", "’", "」", "』")


@dataclass(frozen=True)
class Sentence:
    """A sentence: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


def _protected_positions(line: str) -> set[int]:
    """Positions inside a quote or bracket that closes later on the same line."""
    protected: set[int] = set()
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(line):
        if char in _OPENERS and not (char == _OPENERS[char] and stack and stack[-1][0] == char):
            stack.append((char, i))
        elif char in _CLOSERS:
            for depth in range(len(stack) - 1, -1, -1):  # close the nearest matching opener
                opener, start = stack[depth]
                if _OPENERS[opener] == char:
                    protected.update(range(start + 1, i))
                    del stack[depth:]
                    break
    return protected


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; see the module docstring for the rules."""
    sentences: list[Sentence] = []
    line_start = 0
    for line in text.split("\n"):
        protected = _protected_positions(line)
        start = 0
        i = 0
        while i < len(line):
            closes_quote = line[i + 1:i + 2] in _QUOTE_CLOSERS  # 。” ends a quoted sentence
            if line[i] in TERMINATORS and (i not in protected or closes_quote):
                end = i + 1
                while end < len(line) and (line[end] in TERMINATORS or line[end] in _CLOSERS):
                    end += 1
                _append(sentences, line, line_start, start, end)
                start = i = end
            else:
                i += 1
        _append(sentences, line, line_start, start, len(line))
        line_start += len(line) + 1
    return sentences


MAX_SENTENCE = 400
_CUT_PREFERENCE = (str.isspace, lambda c: c in "，,", lambda c: c == "、")


def _append(sentences: list[Sentence], line: str, line_start: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    start += len(piece) - len(piece.lstrip())
    end = start + len(stripped)
    while end - start > MAX_SENTENCE:
        cut = _cut_point(line, start, start + MAX_SENTENCE)
        _append(sentences, line, line_start, start, cut)
        start = cut
        while start < end and line[start].isspace():
            start += 1
    if start < end:
        sentences.append(Sentence(line_start + start, line_start + end, line[start:end]))


def _cut_point(line: str, start: int, limit: int) -> int:
    """Where to end an overlong piece ``line[start:limit]``: after its last safe character in the second half."""
    half = start + (limit - start) // 2
    for safe in _CUT_PREFERENCE:
        for i in range(limit - 1, half, -1):
            if safe(line[i]):
                return i + 1
    for i in range(limit - 1, half, -1):  # between two Chinese characters: never inside a number
        if is_han(line[i - 1]) and is_han(line[i]):
            return i
    return limit

"""Sentence splitting with half-open offsets.

Sentences end at ``。！？；`` (and ``!`` ``;``) and at line breaks. A terminator inside a
quote or bracket that closes on the same line does not end the sentence (a quoted slogan
must not cut a clause in half); closing quotes and brackets right after a terminator
belong to the sentence they close. Surrounding whitespace is not part of a sentence.

>>> [s.text for s in split_sentences("破获案件9200起。他说：“好。”\\n标题\\n")]
['破获案件9200起。', '他说：“好。”', '标题']
"""

from __future__ import annotations

from dataclasses import dataclass

TERMINATORS = "。！？!；;"
_OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]"}
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


def _append(sentences: list[Sentence], line: str, line_start: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    start += len(piece) - len(piece.lstrip())
    end = start + len(stripped)
    sentences.append(Sentence(line_start + start, line_start + end, stripped))

"""Normalise a scraped bulletin while keeping an offset map back to the original.

Every character of the normalised text comes from exactly one character of the
original: the passes below only delete characters or replace one character by one
character. ``NormalizedText.offsets[i]`` is the original index of normalised character
``i``, so any half-open span found in the normalised text maps back exactly:

>>> doc = normalize("近年來(lái),破獲案件１２ 起。")
>>> doc.text
'近年来,破获案件12起。'
>>> start, end = doc.to_original(doc.text.index("12起"), doc.text.index("12起") + 3)
>>> doc.original[start:end]
'１２ 起'

Passes, in order: BOM, zero-width characters and carriage returns (a lone ``\r`` is a
line break), pinyin annotations, corrupted-run debris,
full-width folding, traditional -> simplified (OpenCC, length-preserving configs only),
spaces, lines broken in mid-sentence.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ie.text.chars import BRACKET_PAIRS
from ie.text.pinyin import find_corrupted_runs, find_pinyin_annotations

logger = logging.getLogger(__name__)

LENGTH_PRESERVING_OPENCC = ("t2s", "tw2s", "hk2s")

_FULLWIDTH_FOLD = {0x3000: " ", 0xFF05: "%", 0xFF0E: ".", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ",
                   0x202F: " "}
_FULLWIDTH_FOLD.update({code: chr(code - 0xFEE0) for code in range(0xFF10, 0xFF1A)})  # digits
_FULLWIDTH_FOLD.update({code: chr(code - 0xFEE0) for code in range(0xFF21, 0xFF3B)})  # A-Z
_FULLWIDTH_FOLD.update({code: chr(code - 0xFEE0) for code in range(0xFF41, 0xFF5B)})  # a-z
_HORIZONTAL_SPACE = " \t\u00a0\u2002\u2003\u2009\u200b\u202f"
_SPACES = re.compile(f"[{_HORIZONTAL_SPACE}]+")
_LINE_BREAK = re.compile(f"[{_HORIZONTAL_SPACE}]*\n[\n{_HORIZONTAL_SPACE}]*")
_SENTENCE_END = "。！？!；;…"
_CLOSERS = "”’」』》）)】"
_CONTINUATION_END = "、，,：:“‘「『《（(【—-"
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|第[一二三四五六七八九十0-9]+[章节部分条])")
_LONG_LINE = 50  # a line this long with commas is prose, not a heading or subtitle


class NormalizationError(ValueError):
    """Raised for settings that would break the offset map."""


@dataclass(frozen=True)
class NormalizationWarning:
    """Something odd in the original, at original offsets ``[start, end)``."""

    kind: str
    start: int
    end: int
    text: str

    def __str__(self) -> str:
        return f"[{self.start},{self.end}) {self.kind}: {self.text!r}"


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the original index it came from."""

    original: str
    text: str
    offsets: tuple[int, ...]
    warnings: tuple[NormalizationWarning, ...] = field(default=())

    def __post_init__(self) -> None:
        assert len(self.text) == len(self.offsets), "offset map must cover the text"

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty half-open span of the normalised text to the original.

        The original span runs from the first character's source to just after the last
        one's, so deleted material inside (a pinyin annotation, a joined line break) is
        part of it: ``original[s:e]`` is what a reader sees in the source file.
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start},{end}) is empty or outside the text of length {len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span to the smallest normalised span whose characters lie inside it."""
        inside = [i for i, o in enumerate(self.offsets) if start <= o < end]
        if not inside:
            raise ValueError(f"original span [{start},{end}) keeps no character after normalisation")
        return inside[0], inside[-1] + 1


@lru_cache(maxsize=4)
def _opencc_converter(config: str):
    import opencc  # imported lazily: its dictionaries load in ~0.1 s

    return opencc.OpenCC(f"{config}.json" if not config.endswith(".json") else config)


def fold_width(text: str) -> str:
    """Fold full-width digits, Latin letters, ％, ． and the ideographic space to ASCII.

    >>> fold_width("１２．５％，ＡＰＰ")
    '12.5%，APP'
    """
    return text.translate(_FULLWIDTH_FOLD)


def _edit(text: str, offsets: list[int], deletions: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """Delete the (sorted, non-overlapping) half-open ranges from text and offsets together."""
    keep_text, keep_offsets, cursor = [], [], 0
    for start, end in deletions:
        keep_text.append(text[cursor:start])
        keep_offsets.extend(offsets[cursor:start])
        cursor = max(cursor, end)
    keep_text.append(text[cursor:])
    keep_offsets.extend(offsets[cursor:])
    return "".join(keep_text), keep_offsets


def convert_script(text: str, config: str) -> str:
    """Convert with OpenCC (``t2s``, ``s2t``...), line by line, keeping the length: a line whose
    phrase conversion changes length falls back to character-by-character conversion."""
    converter = _opencc_converter(config)
    lines = text.split("\n")
    converted = []
    for line in lines:
        result = converter.convert(line)
        if len(result) != len(line):  # a phrase rule changed length: fall back to characters
            result = "".join(c2 if len(c2 := converter.convert(c)) == 1 else c for c in line)
        converted.append(result)
    return "\n".join(converted)


def _is_noise_space(text: str, match: re.Match[str]) -> bool:
    """A space run is noise unless it separates two words (Han or Latin, not digits).

    ``13.7 萬人次``, ``1 個工作日``, ``29% 。``, ``“ 警燈`` lose their spaces; ``支隊 PTU 武裝``
    and a headline's ``經驗” 打造`` (after a quote: noise) keep the word gaps they need.
    """
    if match.start() == 0 or match.end() == len(text):
        return True
    before, after = text[match.start() - 1], text[match.end()]
    return not (before.isalpha() and after.isalpha())


def _is_broken_line(previous: str, following: str) -> bool:
    """Whether the break between two non-empty lines falls inside a sentence.

    Headings and captions end without punctuation too, so a line is only taken as broken
    when it ends on a continuation mark (``、``, ``，``, an opening quote), leaves a quote or
    bracket open, or is prose (holds a sentence end, or is long and has commas) that stops
    without one; and the line is not a numbered heading (``一、``, ``（二）``).
    """
    last = previous[-1]
    if last in _SENTENCE_END or last in _CLOSERS and previous[-2:-1] in tuple(_SENTENCE_END):
        return False
    if _HEADING_START.match(previous) and not any(p in previous for p in "。！？；"):
        return False
    if last in _CONTINUATION_END or following[0] in "，,、。；：”）)":
        return True
    if any(previous.count(o) > previous.count(c) for o, c in BRACKET_PAIRS.items() if o != c):
        return True
    return any(p in previous for p in "。！？；") or (len(previous) >= _LONG_LINE and any(p in previous for p in "，,"))


def normalize(original: str, *, opencc_config: str | None = "t2s", join_lines: bool = True) -> NormalizedText:
    """Normalise ``original`` (see the module docstring) and keep the offset map.

    ``opencc_config`` must be one of ``LENGTH_PRESERVING_OPENCC`` or ``None`` (no script
    conversion); a length-changing config such as ``tw2sp`` is refused because it would
    break the one-character-to-one-character map.
    """
    if opencc_config is not None and opencc_config.removesuffix(".json") not in LENGTH_PRESERVING_OPENCC:
        raise NormalizationError(
            f"OpenCC config {opencc_config!r} changes the text length (phrase conversion such as "
            f"記憶體 -> 内存) and would break offsets; use one of {', '.join(LENGTH_PRESERVING_OPENCC)}"
        )
    text, offsets = original, list(range(len(original)))
    warnings: list[NormalizationWarning] = []

    text = re.sub("\r(?!\n)", "\n", text)  # a lone carriage return (old Mac files) is a line break
    text, offsets = _edit(text, offsets, [(m.start(), m.end()) for m in re.finditer("[\ufeff\u200b\u200c\u200d\u2060]|\r", text)])
    text, offsets = _edit(text, offsets, find_pinyin_annotations(text))

    debris = []
    for run in find_corrupted_runs(text):
        start, end = offsets[run.start], offsets[run.end - 1] + 1
        warnings.append(NormalizationWarning("corrupted", start, end, original[start:end]))
        debris.extend(run.debris)
    text, offsets = _edit(text, offsets, debris)

    text = fold_width(text)
    if opencc_config is not None:
        text = convert_script(text, opencc_config)

    text, offsets = _edit(text, offsets, [(m.start(), m.end()) for m in _SPACES.finditer(text) if _is_noise_space(text, m)])

    if join_lines:
        joins = []
        for m in _LINE_BREAK.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            previous, following = text[line_start:m.start()], text[m.end():m.end() + 1]
            if previous and following and _is_broken_line(previous, following):
                joins.append((m.start(), m.end()))
        text, offsets = _edit(text, offsets, joins)

    for warning in warnings:
        logger.debug("corrupted text %s", warning)  # the caller reports the warnings it gets back
    return NormalizedText(original, text, tuple(offsets), tuple(warnings))

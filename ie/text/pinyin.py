"""Pinyin annotations after Han characters, and the corrupted runs they leave behind.

Scraped "reading aid" pages print a syllable after each character: ``來(lái)``,
``機(jī)關(guān)``. Where the page was mangled, the character and the opening bracket are
lost and only debris remains: ``日?qǐng)?bào)社``. Both are found here as half-open
character ranges; the normaliser deletes them and reports the debris.

>>> text = "近年來(lái),公安機(jī)關(guān)"
>>> [text[s:e] for s, e in find_pinyin_annotations(text)]
['(lái)', '(jī)', '(guān)']
>>> [run.text for run in find_corrupted_runs("青島日?qǐng)?bào)社/觀海")]
['?qǐng)?bào)']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ie.text.chars import is_ideograph

_TONED_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_INITIALS = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINALS = (
    "(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn"
    "|ia|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v)"
)
_SYLLABLE = re.compile(rf"{_INITIALS}{_FINALS}|ng|n|m|hm|hng")
_ANNOTATION = re.compile(rf"[(（]([{_TONED_LETTERS}]{{1,6}}(?: [{_TONED_LETTERS}]{{1,6}})*)[)）]")
_LOST_MARKS = "?^\ufffd"  # what scrapers leave where a character was lost
_DEBRIS = re.compile(rf"[{re.escape(_LOST_MARKS)}](?:[{_TONED_LETTERS}]{{1,6}}[)）])?")
_MERGE_GAP = 2  # debris pieces closer than this many characters form one run


def is_pinyin_syllable(letters: str) -> bool:
    """True when ``letters`` (tone marks allowed) spell one Mandarin syllable.

    >>> is_pinyin_syllable("guān"), is_pinyin_syllable("lǜ"), is_pinyin_syllable("app")
    (True, True, False)
    """
    plain = unicodedata.normalize("NFD", letters.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v")
                                  .replace("ǚ", "v").replace("ǜ", "v"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _SYLLABLE.fullmatch(plain) is not None


def find_pinyin_annotations(text: str) -> list[tuple[int, int]]:
    """Ranges of ``(syllable)`` annotations that directly follow a Han character (or a
    lost-character mark, ``?^(qū)``), and of ``(syllable syllable…)`` annotations that follow as
    many Han characters (a word annotated at once: ``今年(jīn nián)``).

    Brackets holding Chinese, capitals or non-syllables (``(村居)``, ``(PTU)``, ``(app)``)
    are left alone.

    >>> text = "第三季(dì sān jì)，今年(jīn nián)，(a b)"
    >>> [text[s:e] for s, e in find_pinyin_annotations(text)]
    ['(dì sān jì)', '(jīn nián)']
    """
    ranges = []
    for match in _ANNOTATION.finditer(text):
        syllables = match.group(1).split(" ")
        before = text[max(0, match.start() - len(syllables)):match.start()]
        if len(before) == len(syllables) and all(is_pinyin_syllable(s) for s in syllables) and (
                all(is_ideograph(c) for c in before) or len(syllables) == 1 and before in _LOST_MARKS):
            ranges.append((match.start(), match.end()))
    return ranges


@dataclass(frozen=True)
class CorruptedRun:
    """A damaged stretch of text: ``text == source[start:end]``.

    ``debris`` holds the ranges of pinyin remnants (``qǐng)``) inside it, which carry no
    content and can be deleted; the ``?`` placeholders of lost characters are kept.
    """

    start: int
    end: int
    text: str
    debris: tuple[tuple[int, int], ...]


def find_corrupted_runs(text: str) -> list[CorruptedRun]:
    """Runs of lost-character marks (``?``, U+FFFD) mixed with bracket-less pinyin debris.

    A lone ``?`` counts only next to debris or as U+FFFD, so an ordinary question mark is
    not reported.
    """
    pieces = [m for m in _DEBRIS.finditer(text) if m.end() - m.start() > 1 or m.group() == "\ufffd"]
    lone_marks = [m for m in _DEBRIS.finditer(text) if m.end() - m.start() == 1]
    runs: list[list[re.Match[str]]] = []
    for piece in pieces:
        if runs and piece.start() - runs[-1][-1].end() <= _MERGE_GAP:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    result = []
    for run in runs:
        start, end = run[0].start(), run[-1].end()
        for mark in lone_marks:  # a trailing "?" close to the run belongs to it
            if end <= mark.start() <= end + _MERGE_GAP:
                end = mark.end()
        debris = tuple((m.start() + 1, m.end()) for m in run if m.end() - m.start() > 1)
        result.append(CorruptedRun(start, end, text[start:end], debris))
    return result

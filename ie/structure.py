"""Document structure: title, date line, headings with their level, speaker lines, table cells.

Bulletins say much of *what*, *when* and *who* through their layout rather than their
sentences: a numbered heading names the crime type of the figures under it, the lead or
a heading gives the period, a speaker line gives the body a press-conference answer
speaks for, and a flattened table (one cell a line) pairs a column header with a row
label. ``analyse_structure`` reads that layout from the segmented document alone (no
tagger), in linear time:

>>> from ie.document import segment_document
>>> doc = segment_document("d", "全市警情通报\\n一、本月警情\\n（一）入室盗窃\\n本月发案23起。")
>>> [(s.kind, s.level) for s in analyse_structure(doc).sentences]
[('title', 0), ('heading', 1), ('heading', 2), ('text', 0)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ie.document import SegmentedDocument
from ie.quantity import QuantityError, find_mentions, parse_quantity

_NUMERAL = "一二三四五六七八九十"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^第[{_NUMERAL}\d]+[章节部分篇]")),
    (1, re.compile(rf"^[{_NUMERAL}]+[、.．]")),
    (2, re.compile(rf"^[（(][{_NUMERAL}]+[）)]")),
    (2, re.compile(r"^【[^】]{1,20}】")),
    (3, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (4, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")),
)
"""Numbering that opens a heading or list item, with its level (smaller governs larger)."""

_SENTENCE_PUNCTUATION = re.compile(r"[。！？；，,：:]")
_DATELINE = re.compile(r"^(?:(?:发布|更新)?(?:时间|日期)|来源|稿源|作者|编辑)[：:]|^\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?\s*$"
                       r"|^[（(][^（()）]*\d{4}[^（()）]*[）)]$")
_SPEAKER = re.compile(r"^([^，。；：:“”]{2,40}?)[：:]")
_SPEAKER_WORDS = re.compile(r"局长|队长|主任|发言人|负责人|处长|政委|主持人|书记|所长|警司|警长|科长|署长|厅长|关长"
                            r"|司长|部长|委员|代表|记者|总监|总警司")


def speaker_name(text: str) -> re.Match[str] | None:
    """The name and title before the colon of a speaker line (``警务处处长：``, group 1), or None."""
    match = _SPEAKER.match(text)
    return match if match and _SPEAKER_WORDS.search(match.group(1)) else None


_CELL_MAX = 24
_TITLE_MAX = 60
_TABLE_MIN_CELLS = 6
_TABLE_SCAN = 3 * 9  # a table's first numbers come within its captions, header and first row


@dataclass(frozen=True)
class SentenceRole:
    """What one sentence is in the layout: ``kind`` and, for a heading, its ``level``."""

    kind: str  # title | dateline | heading | speaker | cell | text
    level: int = 0


@dataclass(frozen=True)
class Table:
    """A flattened table: sentence indices of its header cells and of each row's cells."""

    header: tuple[int, ...]
    rows: tuple[tuple[int, ...], ...]

    def cells(self) -> list[tuple[int, int, int]]:
        """``(sentence index, row, column)`` of every data cell, in order."""
        return [(index, r, c) for r, row in enumerate(self.rows) for c, index in enumerate(row)]


@dataclass(frozen=True)
class Structure:
    sentences: tuple[SentenceRole, ...]
    tables: tuple[Table, ...] = field(default=())


def heading_level(text: str) -> int:
    """The level of the numbering that opens ``text`` (0 when it opens none).

    >>> [heading_level(t) for t in ("一、总体情况", "（二）盗窃", "3.诈骗", "1.4万余起", "【数据】")]
    [1, 2, 3, 0, 2]
    """
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def is_number_cell(text: str) -> bool:
    """A table cell holding one number (``1,234``, ``-8.1``, ``+3.1百分点``, ``12.5%``, ``1523起``)."""
    if not re.search(r"\d", text) or len(text) > 16:
        return False
    if any(m.kind in ("date", "period") for m in find_mentions(text)):
        return False  # 2023年, 1—6月: a period heading a row or a column
    try:
        parse_quantity(text)
    except QuantityError:
        return False
    return True


def _is_cell(text: str) -> bool:
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 12,819: a thousands separator is no punctuation
    return len(text) <= _CELL_MAX and not _SENTENCE_PUNCTUATION.search(plain) and not heading_level(text)


def _find_tables(document: SegmentedDocument) -> list[Table]:
    """Runs of one-cell lines read as a header row then rows of the same width (several tables may follow
    each other in one run)."""
    sentences = document.sentences
    lone = [k == 0 or sentences[k - 1].paragraph != s.paragraph for k, s in enumerate(sentences)]
    lone = [alone and (k + 1 == len(sentences) or sentences[k + 1].paragraph != sentences[k].paragraph)
            for k, alone in enumerate(lone)]
    tables, k = [], 0
    while k < len(sentences):
        if not (lone[k] and _is_cell(sentences[k].text)):
            k += 1
            continue
        end = k
        while end < len(sentences) and lone[end] and _is_cell(sentences[end].text):
            end += 1
        numeric = [is_number_cell(sentences[i].text) for i in range(k, end)]
        start = k
        while start < end:
            found = _shape(list(range(start, end)), numeric[start - k:])
            if found is None:
                break
            table, used = found
            tables.append(table)
            start += used
        k = end
    return tables


def _shape(indices: list[int], numeric: list[bool]) -> tuple[Table, int] | None:
    """The table at the start of a run of cells (a caption or two may come first) and how many cells it
    takes, or None when the run does not start with one: the reading that takes the most cells.
    ``numeric`` says which cells hold a number."""
    if len(numeric) < _TABLE_MIN_CELLS or not any(numeric[:_TABLE_SCAN]):
        return None
    best = None
    for skip in range(0, 3):  # a caption or two may stand before the header
        for width in range(2, 9):
            header = numeric[skip:skip + width]
            if len(header) < width or any(header):
                continue
            pattern, rows = None, 0
            while skip + (rows + 2) * width <= len(numeric):
                row = numeric[skip + (rows + 1) * width:skip + (rows + 2) * width]
                if row[0] or not any(row[1:]) or pattern is not None and row != pattern:
                    break
                pattern, rows = row, rows + 1
            if rows < 2:  # a header and one row is too little to be sure of a table
                continue
            used = skip + (rows + 1) * width
            score = (used - skip, -skip, width)
            if best is None or score > best[0]:
                best = (score, skip, width, rows, used)
    if best is None:
        return None
    _, skip, width, rows, used = best
    cells = indices[skip:used]
    return Table(tuple(cells[:width]), tuple(tuple(cells[r * width:(r + 1) * width]) for r in range(1, rows + 1))), used


def analyse_structure(document: SegmentedDocument) -> Structure:
    """The role of every sentence and the tables of ``document`` (see the module docstring)."""
    sentences = document.sentences
    tables = _find_tables(document)
    in_table = {index for table in tables for index in (*table.header, *(i for row in table.rows for i in row))}
    roles: list[SentenceRole] = []
    seen_text = False
    for k, sentence in enumerate(sentences):
        text = sentence.text
        starts_paragraph = k == 0 or sentences[k - 1].paragraph != sentence.paragraph
        level = heading_level(text) if starts_paragraph else 0
        speaker = speaker_name(text) if starts_paragraph else None
        if k in in_table:
            roles.append(SentenceRole("cell"))
        elif level:
            roles.append(SentenceRole("heading", level))
        elif speaker:
            roles.append(SentenceRole("speaker"))
            seen_text = True
        elif not seen_text and _DATELINE.search(text):
            roles.append(SentenceRole("dateline"))
        elif not seen_text and starts_paragraph and len(text) <= _TITLE_MAX and not re.search(r"[。！？；]$", text):
            roles.append(SentenceRole("title"))
        else:
            roles.append(SentenceRole("text"))
            seen_text = True
    return Structure(tuple(roles), tuple(tables))

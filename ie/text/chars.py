"""Character classes shared by the sentence splitter, the rule tagger, the decoder and the reader."""

from __future__ import annotations

HAN = "\u4e00-\u9fff"
"""The CJK Unified Ideographs, as the range of a regular-expression class: ``rf"[{HAN}]"``."""

CLAUSE_BREAKS = "，,；;：:（(）)【】。！？"
"""Characters that end a clause (brackets open or close one; sentence terminators end it too)."""

OPENING_BRACKETS = "（(【"

PLACES_WITHOUT_PLACE_WORD = ("氹仔", "路环", "路氹", "九龙", "新界", "港岛")
"""Hong Kong and Macau areas written without a place word (``区``, ``岛``…), as simplified text."""

BRACKET_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]"}
"""Quotes and brackets, opening to closing."""


def is_han(char: str) -> bool:
    """A character of the CJK Unified Ideographs block (``HAN``)."""
    return "\u4e00" <= char <= "\u9fff"


def is_ideograph(char: str) -> bool:
    """A CJK ideograph in the wider sense: the basic block, extension A and the compatibility block
    (pinyin annotations follow rare characters too)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF

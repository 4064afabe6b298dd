"""Character classes shared by the sentence splitter, the rule tagger, the decoder and the reader."""

from __future__ import annotations

HAN = "\u4e00-\u9fff"
"""The CJK Unified Ideographs, as the range of a regular-expression class: ``rf"[{HAN}]"``."""

CLAUSE_BREAKS = "，,；;：:（(）)【】。！？"
"""Characters that end a clause (brackets open or close one; sentence terminators end it too)."""

OPENING_BRACKETS = "（(【"

BRACKET_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "【": "】", "[": "]"}
"""Quotes and brackets, opening to closing."""


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"

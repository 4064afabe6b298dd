"""Offset-preserving normalisation: table cases, the seeds, and a property-based round trip."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ie.text import NormalizationError, normalize
from ie.text.normalize import fold_width
from ie.text.pinyin import find_corrupted_runs, find_pinyin_annotations, is_pinyin_syllable

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
PINYIN_ANNOTATION = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")
_T2S = opencc.OpenCC("t2s.json")


@pytest.mark.parametrize("original,expected", [
    ("近年來(lái),公安機(jī)關(guān)", "近年来,公安机关"),                   # pinyin after each character
    ("破獲案件1.4萬(wàn)余起", "破获案件1.4万余起"),                     # inside a number
    ("第三季(dì sān jì)錄得", "第三季录得"),                              # a word annotated at once
    ("今年(jīn nián)與(a b)", "今年与(a b)"),                              # letters that are no pinyin stay
    ("進(jìn)社區(qū)(村居)班子", "进社区(村居)班子"),                # Chinese in brackets stays
    ("與支隊(duì) PTU 武裝", "与支队 PTU 武装"),                           # Latin word gaps stay
    ("預警勸阻 13.7 萬(wàn)人次", "预警劝阻13.7万人次"),                # spaces inside numbers
    ("時(shí)限1 個(gè)工作日", "时限1个工作日"),                           # space before a unit
    ("下降了29% 。", "下降了29%。"),                                   # space before punctuation
    ("破获案件１２３起，占２９％", "破获案件123起，占29%"),               # full-width digits, ％; ， kept
    ("１２．５％", "12.5%"),                                           # full-width full stop
    ("ＡＰＰ安装率", "APP安装率"),                                      # full-width Latin
    ("全市\u3000公安", "全市 公安"),                                     # ideographic space between words
    ("精准\n\n定位。", "精准\n\n定位。"),                                # a short line is a heading: kept
    ("实现报警电话自动上图。同步推送报警人信息、精准\n\n定位,同步推送。", "实现报警电话自动上图。同步推送报警人信息、精准定位,同步推送。"),
    ("落地应用“警种联动、\n\n警保联控”", "落地应用“警种联动、警保联控”"),      # ends on 、
    ("西海岸硬度\n\n西海岸新区获批成立十年来。", "西海岸硬度\n\n西海岸新区获批成立十年来。"),  # heading kept
    ("一、扛牢主责主业,守护城市平安\n(一)聚焦突出犯罪。", "一、扛牢主责主业,守护城市平安\n(一)聚焦突出犯罪。"),
    ("破获案件。\r\n抓获嫌疑人。", "破获案件。\n抓获嫌疑人。"),               # CRLF
    ("\ufeff全市公安机关", "全市公安机关"),                                # BOM
    ("破获\u200b刑事案件9700起", "破获刑事案件9700起"),                    # zero-width space
    ("全市\u00a0公安", "全市 公安"),                                       # no-break space folded
    ("标题\r正文第一句。", "标题\n正文第一句。"),                           # a lone CR is a line break
    ("", ""),
])
def test_normalize_table(original, expected):
    doc = normalize(original)
    assert doc.text == expected
    assert len(doc.offsets) == len(doc.text)


@pytest.mark.parametrize("config", ["tw2sp", "s2twp", "t2tw", "s2t.json"])
def test_length_changing_opencc_configs_are_refused(config):
    with pytest.raises(NormalizationError, match=config.removesuffix(".json")):
        normalize("記憶體", opencc_config=config)


@pytest.mark.parametrize("config", ["t2s", "tw2s", "hk2s", None])
def test_length_preserving_configs_work(config):
    doc = normalize("機關破獲案件", opencc_config=config)
    assert doc.text == ("機關破獲案件" if config is None else "机关破获案件")


def test_corrupted_runs_are_reported_with_original_offsets():
    original = "青島日?qǐng)?bào)社/觀海新聞12月18日訊"
    doc = normalize(original)
    [warning] = doc.warnings
    assert warning.kind == "corrupted"
    assert original[warning.start:warning.end] == warning.text == "?qǐng)?bào)"
    assert doc.text == "青岛日??社/观海新闻12月18日讯"


@pytest.mark.parametrize("text,runs", [
    ("體悟?qū)嵱?xùn)活動", ["?qū)嵱?xùn)"]),
    ("納入?yún)^(qū)政府", ["?yún)^"]),   # after pinyin removal of (qū)
    ("你好?我们", []),                   # a lone question mark is not corruption
    ("乱码\ufffd\ufffd文字", ["\ufffd\ufffd"]),
])
def test_find_corrupted_runs(text, runs):
    stripped = text
    for start, end in reversed(find_pinyin_annotations(text)):
        stripped = stripped[:start] + stripped[end:]
    assert [run.text for run in find_corrupted_runs(stripped)] == runs


@pytest.mark.parametrize("letters,expected", [
    ("lái", True), ("guān", True), ("zhǔn", True), ("lǜ", True), ("xiǎn", True), ("er", True),
    ("app", False), ("PTU", False), ("abc", False), ("cun", True), ("xyz", False),
])
def test_is_pinyin_syllable(letters, expected):
    assert is_pinyin_syllable(letters) is expected


def _char_maps_to(original_char: str, normalized_char: str) -> bool:
    folded = fold_width(original_char)
    return normalized_char in (original_char, folded, _T2S.convert(folded))


@pytest.mark.parametrize("doc_id", sorted(SEED_TEXTS))
def test_seed_offsets_map_back_to_their_characters(doc_id):
    doc = normalize(SEED_TEXTS[doc_id])
    assert list(doc.offsets) == sorted(set(doc.offsets)), "offsets must increase strictly"
    for i, char in enumerate(doc.text):
        assert _char_maps_to(doc.original[doc.offsets[i]], char), (i, char, doc.original[doc.offsets[i]])


@pytest.mark.parametrize("doc_id", sorted(SEED_TEXTS))
def test_seeds_hold_no_pinyin_and_no_traditional_characters(doc_id):
    doc = normalize(SEED_TEXTS[doc_id])
    assert not PINYIN_ANNOTATION.search(doc.text)
    assert _T2S.convert(doc.text) == doc.text


def test_seed_004_loses_all_519_annotations():
    original = SEED_TEXTS["004_15f0c9efca7b4b78"]
    assert len(find_pinyin_annotations(original)) == 519
    doc = normalize(original)
    assert "机关" in doc.text and "來" not in doc.text
    assert len(doc.warnings) == 6


def test_spans_map_back_exactly():
    original = "全市公安機(jī)關(guān)破獲案件1.4萬(wàn)余起。"
    doc = normalize(original)
    start = doc.text.index("1.4万余起")
    o_start, o_end = doc.to_original(start, start + len("1.4万余起"))
    assert original[o_start:o_end] == "1.4萬(wàn)余起"
    assert doc.from_original(o_start, o_end) == (start, start + len("1.4万余起"))
    with pytest.raises(ValueError, match="empty or outside"):
        doc.to_original(3, 3)


PIECES = st.sampled_from([
    "機(jī)", "關(guān)", "來(lái)", "案件", "１２", "３．５", "％", "萬", "起", " ", "\u3000", "，", "。", "\n", "\n\n",
    "“", "”", "、", "2023年", "PTU", "?qǐng)", "同比下降", "a", "(村居)", "\r\n",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_round_trip_property(original):
    doc = normalize(original)
    assert len(doc.offsets) == len(doc.text)
    assert all(0 <= o < len(original) for o in doc.offsets)
    assert list(doc.offsets) == sorted(set(doc.offsets))
    for i, char in enumerate(doc.text):
        assert _char_maps_to(original[doc.offsets[i]], char)
    for start in range(len(doc.text)):
        o_start, o_end = doc.to_original(start, start + 1)
        assert o_end - o_start == 1

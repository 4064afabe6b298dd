"""Records and their dictionaries."""

from __future__ import annotations

import pytest

from ie.schema import RECORD_FIELDS, Evidence, Record, SchemaError, Span

RECORD = Record("002", "电诈发案数", 39.1, "%", None, "down", "同比", "今年以来", "公安机关", None,
                Evidence(10, 15, "39.1%"))


def test_round_trip_and_exact_fields():
    data = RECORD.to_dict()
    assert list(data) == list(RECORD_FIELDS) + ["flags", "confidence"]
    assert data["flags"] == [] and data["confidence"] is None
    assert Record.from_dict(data) == RECORD


def test_flags_round_trip():
    flagged = Record.from_dict({**RECORD.to_dict(), "flags": ["decrease_over_100"]})
    assert flagged.to_dict()["flags"] == ["decrease_over_100"]
    assert flagged.flags == ("decrease_over_100",)


def test_confidence_round_trips_and_is_not_part_of_a_records_identity():
    sure = Record.from_dict({**RECORD.to_dict(), "confidence": 0.93})
    assert sure.confidence == 0.93 and sure.to_dict()["confidence"] == 0.93
    assert sure == RECORD


def test_a_span_score_is_kept_by_its_dictionary_but_not_part_of_its_identity():
    scored = Span(0, 5, "VALUE", "9700起", 0.8)
    assert scored == Span(0, 5, "VALUE", "9700起") and Span.from_dict(scored.to_dict()).score == 0.8
    assert "score" not in Span(0, 5, "VALUE", "9700起").to_dict()
    assert repr(scored) == "Span(start=0, end=5, label='VALUE', text='9700起')"


@pytest.mark.parametrize("field,value,message", [
    ("qualifier", "many", "unknown qualifier 'many'"),
    ("direction", "sideways", "unknown direction 'sideways'"),
    ("metric", "", "empty metric"),
])
def test_invalid_records_are_refused(field, value, message):
    with pytest.raises(SchemaError, match=message):
        Record.from_dict({**RECORD.to_dict(), field: value})


def test_missing_field_is_named():
    data = RECORD.to_dict()
    del data["baseline"]
    with pytest.raises(SchemaError, match="baseline"):
        Record.from_dict(data)


def test_the_record_format_document_lists_every_field_and_flag():
    """docs/record_format.md documents the fields in their output order and every flag the decoder sets."""
    import re
    from pathlib import Path

    from ie.decoding import FLAGS

    text = (Path(__file__).resolve().parents[1] / "docs" / "record_format.md").read_text(encoding="utf-8")
    fields = re.findall(r"^\| `(\w+)` \| (?:string|number|object|list)", text, flags=re.M)
    assert fields == [*RECORD_FIELDS, "flags", "confidence"]
    flags = re.findall(r"^\| `(\w+)` \| (?!string|number|object|list)", text, flags=re.M)
    assert sorted(flags) == sorted(FLAGS)

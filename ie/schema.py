"""The label schema, spans and records: declared once, used everywhere.

Offsets are half-open character offsets (``text[start:end] == span.text``). BIO tags are
derived from ``LABELS``; nothing else lists them.

>>> TAGS[:3]
('O', 'B-METRIC', 'I-METRIC')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

LABELS: tuple[str, ...] = ("METRIC", "VALUE", "TREND", "BASE", "TIME", "ORG")
"""METRIC what is measured (with its verb); VALUE qualifier + number + multiplier + unit;
TREND a change word (下降, 提升); BASE a comparison basis (同比, 较2020年); TIME a period
(2021年, 今年以来); ORG who or where (全市公安机关, 辖区). See annotations/GUIDELINES.md."""

TAGS: tuple[str, ...] = ("O",) + tuple(f"{prefix}-{label}" for label in LABELS for prefix in ("B", "I"))
TAG_TO_ID: dict[str, int] = {tag: i for i, tag in enumerate(TAGS)}

QUALIFIERS: tuple[str, ...] = ("more_than", "nearly", "about", "less_than")
DIRECTIONS: tuple[str, ...] = ("up", "down")

TREND_DIRECTIONS: dict[str, str] = {
    **dict.fromkeys(("上升", "增长", "提升", "提高", "增加", "增幅", "攀升", "翻番", "翻了一番", "上涨", "升幅", "增多",
                     "↑"), "up"),
    **dict.fromkeys(("下降", "减少", "压减", "压缩", "降幅", "降低", "缩短", "减", "降", "下跌", "跌幅", "回落", "下滑",
                     "减幅", "↓"), "down"),
}
"""Trend words and their direction (``docs/record_format.md``); a TREND span maps through this."""


class SchemaError(ValueError):
    """An invalid span or record; the message quotes the offending value."""


@dataclass(frozen=True, order=True)
class Span:
    """A labelled half-open character span of some text: ``text[start:end] == span.text``."""

    start: int
    end: int
    label: str
    text: str
    score: float | None = field(default=None, compare=False, repr=False)
    """How sure the tagger is of the span, in [0, 1] (``docs/record_format.md``, confidence); None if
    it does not say. Not part of a span's identity: equal spans with different scores are equal."""

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise SchemaError(f"unknown label {self.label!r} for span [{self.start},{self.end}) {self.text!r}")
        if not 0 <= self.start < self.end or self.end - self.start != len(self.text):
            raise SchemaError(f"span [{self.start},{self.end}) does not fit its text {self.text!r}")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.score is None:
            del data["score"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        score = data.get("score")
        return cls(int(data["start"]), int(data["end"]), str(data["label"]), str(data["text"]),
                   None if score is None else float(score))


@dataclass(frozen=True)
class Evidence:
    """Where a record stands in the ORIGINAL input: ``original[start:end] == text``."""

    start: int
    end: int
    text: str


RECORD_FIELDS: tuple[str, ...] = (
    "doc_id", "metric", "metric_id", "value", "unit", "qualifier", "direction", "baseline", "period", "org",
    "from_value", "evidence",
)
OPTIONAL_RECORD_FIELDS: tuple[str, ...] = ("metric_id",)
"""Fields a record's dictionary may lack (gold records have no ``metric_id``); they default to None."""


@dataclass(frozen=True)
class Record:
    """One quantitative claim, with exactly the fields of ``docs/record_format.md``."""

    doc_id: str
    metric: str
    value: float
    unit: str | None
    qualifier: str | None
    direction: str | None
    baseline: str | None
    period: str | None
    org: str | None
    from_value: float | None
    evidence: Evidence
    flags: tuple[str, ...] = field(default=(), compare=False)
    confidence: float | None = field(default=None, compare=False)
    """How sure the extractor is of the record, in [0, 1]: the lowest score of its VALUE, TREND and
    METRIC spans (``docs/record_format.md``); None when its tagger gives no scores."""
    metric_id: str | None = field(default=None, compare=False)
    """The canonical id of ``metric`` (``ie.metrics``, ``docs/metrics.md``), filled by the extractor; None
    when the lexicon maps it to none. Derived from ``metric``, so not part of a record's identity."""

    def __post_init__(self) -> None:
        if self.qualifier not in (None, *QUALIFIERS):
            raise SchemaError(f"unknown qualifier {self.qualifier!r} (one of {QUALIFIERS} or null)")
        if self.direction not in (None, *DIRECTIONS):
            raise SchemaError(f"unknown direction {self.direction!r} (one of {DIRECTIONS} or null)")
        if not self.metric and "no_metric" not in self.flags:
            raise SchemaError(f"record {self.evidence.text!r} has an empty metric (and no 'no_metric' flag)")

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        data["evidence"] = asdict(self.evidence)
        data["flags"] = list(self.flags)  # plausibility flags (ie.decoding.FLAGS); [] for most records
        data["confidence"] = self.confidence
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        missing = [name for name in RECORD_FIELDS if name not in data and name not in OPTIONAL_RECORD_FIELDS]
        if missing:
            raise SchemaError(f"record lacks fields {missing}")
        evidence = data["evidence"]
        return cls(
            **{name: data.get(name) for name in RECORD_FIELDS if name not in ("value", "from_value", "evidence")},
            value=float(data["value"]),
            from_value=None if data["from_value"] is None else float(data["from_value"]),
            evidence=Evidence(int(evidence["start"]), int(evidence["end"]), str(evidence["text"])),
            flags=tuple(data.get("flags", ())),
            confidence=None if data.get("confidence") is None else float(data["confidence"]),
        )

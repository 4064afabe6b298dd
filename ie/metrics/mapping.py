"""Canonical metric ids: a record's metric string -> an id of the taxonomy, or None.

The taxonomy and its lexicon are data (``ie/metrics/taxonomy.yaml``); this module reads them
and applies them in order: null patterns first (shares, averages, parts of a whole), then the
entries in file order, the first matching pattern winning. Nothing matched: ``None``; a match
is never forced. Pure Python (``re`` and PyYAML): part of the extraction core.

>>> metric_to_id("破获刑事案件"), metric_to_id("刑事案件破案数"), metric_to_id("破获各类刑事案件")
('criminal_cases_solved', 'criminal_cases_solved', 'criminal_cases_solved')
>>> metric_to_id("电诈发案数"), metric_to_id("占全部警情"), metric_to_id("破获案件")
('telecom_fraud_cases', None, None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

KINDS = ("count", "amount", "weight", "rate", "duration")
_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_NOISE = re.compile(r"[\s“”「」『』‘’\"'《》〈〉]")  # quotes and spaces name nothing: “两抢”案件 -> 两抢案件


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message names the entry and the value."""


def clean_metric(metric: str) -> str:
    """The metric as the lexicon reads it: quotes and spaces removed.

    >>> clean_metric("“两抢”案件 发案数")
    '两抢案件发案数'
    """
    return _NOISE.sub("", metric or "")


@dataclass(frozen=True)
class Pattern:
    """A lexicon rule: ``match`` is found in the metric and ``unless`` (if any) is not."""

    match: re.Pattern[str]
    unless: re.Pattern[str] | None = None

    def applies(self, metric: str) -> bool:
        return bool(self.match.search(metric)) and not (self.unless and self.unless.search(metric))


@dataclass(frozen=True)
class MetricEntry:
    """One canonical metric: its id, names, examples and the patterns that map to it."""

    id: str
    zh: str
    en: str
    family: str
    kind: str
    examples: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    note: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    """The canonical metrics in lexicon order, with the patterns that keep a metric null."""

    entries: tuple[MetricEntry, ...]
    null_patterns: tuple[Pattern, ...]
    rate_words: re.Pattern[str]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(entry.id for entry in self.entries)

    def entry(self, metric_id: str) -> MetricEntry:
        for entry in self.entries:
            if entry.id == metric_id:
                return entry
        raise KeyError(metric_id)

    def map(self, metric: str) -> str | None:
        """The id of ``metric``, or None when it is a share, an average, a part, or unknown."""
        text = clean_metric(metric)
        if not text or any(p.applies(text) for p in self.null_patterns):
            return None
        is_rate = bool(self.rate_words.search(text))
        for entry in self.entries:
            if (entry.kind == "rate") == is_rate and any(p.applies(text) for p in entry.patterns):
                return entry.id
        return None

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "taxonomy") -> Taxonomy:
        entries, seen = [], set()
        for number, row in enumerate(data.get("metrics") or [], 1):
            where = f"{source}: metric {number} ({row.get('id')!r})"
            missing = [key for key in ("id", "zh", "en", "family", "kind", "examples", "patterns") if not row.get(key)]
            if missing:
                raise TaxonomyError(f"{where}: lacks {missing}")
            if not _ID.match(row["id"]) or row["id"] in seen:
                raise TaxonomyError(f"{where}: id {row['id']!r} is not snake_case or is not unique")
            if row["kind"] not in KINDS:
                raise TaxonomyError(f"{where}: kind {row['kind']!r} is not one of {KINDS}")
            seen.add(row["id"])
            entries.append(MetricEntry(row["id"], row["zh"], row["en"], row["family"], row["kind"],
                                       tuple(row["examples"]), tuple(_pattern(p, where) for p in row["patterns"]),
                                       row.get("note")))
        if not entries:
            raise TaxonomyError(f"{source}: no metrics")
        nulls = tuple(_pattern(p, f"{source}: null pattern") for p in data.get("null_patterns") or [])
        return cls(tuple(entries), nulls, _compile(data.get("rate_words") or "率", f"{source}: rate_words"))


def _compile(regex: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as error:
        raise TaxonomyError(f"{where}: bad regex {regex!r}: {error}") from error


def _pattern(row: dict[str, Any], where: str) -> Pattern:
    if not isinstance(row, dict) or not row.get("match"):
        raise TaxonomyError(f"{where}: a pattern needs a 'match' regex, got {row!r}")
    unknown = set(row) - {"match", "unless", "why"}
    if unknown:
        raise TaxonomyError(f"{where}: unknown pattern keys {sorted(unknown)}")
    unless = _compile(row["unless"], where) if row.get("unless") else None
    return Pattern(_compile(row["match"], where), unless)


def read_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The taxonomy at ``path``; by default the one shipped with the package."""
    if path is None:
        text, source = files("ie.metrics").joinpath("taxonomy.yaml").read_text(encoding="utf-8"), "taxonomy.yaml"
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    return Taxonomy.from_dict(yaml.safe_load(text) or {}, source=source)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once."""
    return read_taxonomy()


@lru_cache(maxsize=65536)
def metric_to_id(metric: str) -> str | None:
    """The canonical id of a record's metric string (simplified, as in records), or None."""
    return default_taxonomy().map(metric)

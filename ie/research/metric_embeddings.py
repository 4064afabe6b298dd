"""Metric mapping, measured: the lexicon alone and the lexicon followed by a nearest neighbour on
sentence embeddings of the project's e5 encoder (an experiment; the core ships the lexicon only).

The hand-assigned gold is ``annotations/metric_ids.jsonl`` (one row per distinct metric string of a
corpus, ``annotations/CORPORA.md``). Scores are per metric string and per gold record (a string
weighs as many records as carry it):

* precision: of the strings given an id, the share given the gold id (a gold null counts as wrong);
* recall: of the strings with a gold id, the share given that id;
* coverage: the share of all strings given an id.

Second stage (``two_stage``): a string the lexicon leaves null, and that no null pattern rejects (a
share stays a share), takes the id of its most similar reference string when the cosine similarity
reaches ``threshold``. References are the labelled strings of seeds and train and the taxonomy's
examples (scored leave-one-out on seeds and train: a string is never its own neighbour); a reference
whose gold is null is a neighbour too (the string then stays null), and a rate only neighbours rates. The encoder (torch, transformers) is
imported only by ``MetricEncoder``: scoring needs neither.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ie.metrics.mapping import Taxonomy, clean_metric


@dataclass(frozen=True)
class GoldMetric:
    """One distinct metric string of a corpus with its hand-assigned id (None: no canonical metric)."""

    corpus: str
    metric: str
    metric_id: str | None
    note: str | None = None


def read_gold(path: str | Path) -> list[GoldMetric]:
    rows = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if line.strip():
                data = json.loads(line)
                try:
                    rows.append(GoldMetric(data["corpus"], data["metric"], data["metric_id"], data.get("note")))
                except KeyError as error:
                    raise ValueError(f"{path}:{number}: lacks {error}") from error
    return rows


def record_counts(annotations: str | Path, corpora: Sequence[str]) -> Counter:
    """``(corpus, metric) -> number of gold records`` from ``annotations/CORPUS.records.jsonl``."""
    counts: Counter = Counter()
    for corpus in corpora:
        with open(Path(annotations) / f"{corpus}.records.jsonl", encoding="utf-8") as stream:
            counts.update((corpus, json.loads(line)["metric"]) for line in stream if line.strip())
    return counts


@dataclass(frozen=True)
class MappingScores:
    """Counts behind precision, recall and coverage, by string or by record."""

    items: int
    gold: int  # items with a gold id
    predicted: int  # items given an id
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    @property
    def coverage(self) -> float | None:
        return self.predicted / self.items if self.items else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "coverage": self.coverage}


def score_mapping(gold: Sequence[GoldMetric], predicted: Sequence[str | None],
                  weights: Sequence[int] | None = None) -> MappingScores:
    """Scores of ``predicted`` (one id or None per gold row), each row weighing ``weights[i]`` (default 1)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold rows")
    weights = weights if weights is not None else [1] * len(gold)
    items = goldn = made = right = 0
    for row, guess, weight in zip(gold, predicted, weights):
        items += weight
        goldn += weight if row.metric_id else 0
        made += weight if guess else 0
        right += weight if guess and guess == row.metric_id else 0
    return MappingScores(items, goldn, made, right)


class MetricEncoder:
    """Mean-pooled, normalised e5 sentence embeddings (``query: `` prefix on both sides: a symmetric task)."""

    def __init__(self, encoder: str = "e5-small-zh", *, batch_size: int = 64) -> None:
        import torch
        from transformers import AutoTokenizer, BertModel

        from ie.research.e5 import ensure_encoder

        directory = ensure_encoder(encoder)
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(directory)
        self.model = BertModel.from_pretrained(directory, add_pooling_layer=False).eval()
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = self.tokenizer([f"query: {clean_metric(t)}" for t in texts[start:start + self.batch_size]],
                                   padding=True, return_tensors="pt")
            with self.torch.no_grad():
                hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            parts.append(self.torch.nn.functional.normalize(pooled, dim=-1).numpy())
        return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


@dataclass(frozen=True)
class Neighbour:
    """The most similar reference of a query string: its id (None for a null reference) and similarity."""

    metric_id: str | None
    similarity: float
    reference: str


def nearest_neighbours(queries: Sequence[str], query_vectors: np.ndarray, references: Sequence[tuple[str, str | None]],
                       reference_vectors: np.ndarray, taxonomy: Taxonomy, *,
                       exclude_identical: bool = True) -> list[Neighbour | None]:
    """For each query, its most similar reference (text, id), rates with rates only.

    ``exclude_identical`` leaves out references with the query's own text (leave-one-out on the
    corpora the references come from); for held-out queries an identical labelled string is fair.
    """
    is_rate = np.array([bool(taxonomy.rate_words.search(clean_metric(text))) for text, _ in references])
    texts = [clean_metric(text) for text, _ in references]
    similarities = query_vectors @ reference_vectors.T
    found: list[Neighbour | None] = []
    for i, query in enumerate(queries):
        allowed = is_rate == bool(taxonomy.rate_words.search(clean_metric(query)))
        if exclude_identical:
            allowed &= np.array([text != clean_metric(query) for text in texts])
        if not allowed.any():
            found.append(None)
            continue
        row = np.where(allowed, similarities[i], -np.inf)
        best = int(row.argmax())
        found.append(Neighbour(references[best][1], float(row[best]), references[best][0]))
    return found


def two_stage(metrics: Sequence[str], taxonomy: Taxonomy, neighbours: Sequence[Neighbour | None],
              threshold: float) -> list[str | None]:
    """The lexicon's id, else the neighbour's when it is similar enough and no null pattern rejects the string."""
    mapped = []
    for metric, neighbour in zip(metrics, neighbours):
        lexicon = taxonomy.map(metric)
        rejected = any(p.applies(clean_metric(metric)) for p in taxonomy.null_patterns)
        if lexicon or rejected or neighbour is None or neighbour.similarity < threshold:
            mapped.append(lexicon)
        else:
            mapped.append(neighbour.metric_id)
    return mapped

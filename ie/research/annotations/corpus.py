"""The annotated corpora on disk: where each corpus's documents and annotation files live.

A corpus has a name and a directory of ``*.txt`` documents; its annotations are
``annotations/NAME.spans.jsonl`` (source of truth), ``NAME.records.jsonl`` (gold records),
``NAME.bio`` (derived) and ``NAME.documents.jsonl`` (one row of metadata per document:
genre, domain, script, region, level, damage). ``annotations/corpora.yaml`` maps each
name to its document directory, relative to the repository root.
"""

from __future__ import annotations

import json

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ie.document import SentenceAnnotation
from ie.atomic import write_jsonl_atomic
from ie.reading import read_text_file

REGISTRY = "corpora.yaml"

META_FIELDS: dict[str, tuple[str, ...]] = {
    "genre": ("periodic_bulletin", "year_end_review", "press_conference", "work_report", "news_release",
              "statistical_table"),
    "domain": ("general", "crime", "traffic", "fire", "drugs", "fraud", "exit_entry", "cyber", "calls_110"),
    "script": ("simplified", "traditional", "traditional_pinyin"),
    "region": ("mainland", "hong_kong", "macau", "taiwan"),
    "level": ("district", "city", "province", "national"),
}
DAMAGE = ("broken_lines", "fullwidth", "spaced_numbers", "corrupted_runs", "legacy_encoding")



def read_jsonl(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """``(line_number, object)`` pairs of one of the toolkit's own JSONL files (annotations); a bad line raises ``ValueError`` naming ``file:line``."""
    rows = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not valid JSON: {error.msg}") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object, got {type(row).__name__}")
            rows.append((number, row))
    return rows

@dataclass(frozen=True)
class Corpus:
    """One annotated corpus: its documents and its annotation files."""

    name: str
    texts: Path
    annotations: Path

    @property
    def spans(self) -> Path:
        return self.annotations / f"{self.name}.spans.jsonl"

    @property
    def records(self) -> Path:
        return self.annotations / f"{self.name}.records.jsonl"

    @property
    def bio(self) -> Path:
        return self.annotations / f"{self.name}.bio"

    @property
    def documents(self) -> Path:
        return self.annotations / f"{self.name}.documents.jsonl"


def corpus_names(annotations: str | Path) -> list[str]:
    """The corpora named in ``annotations/corpora.yaml``, in file order."""
    return list(_registry(Path(annotations)))


def load_corpus(name: str, annotations: str | Path, *, texts: str | Path | None = None) -> Corpus:
    """The corpus ``name``; ``texts`` registers a new one (or moves a registered one's documents)."""
    annotations = Path(annotations)
    registry = _registry(annotations)
    root = annotations.parent
    if texts is not None:
        texts = Path(texts).resolve()
        try:
            stored = str(texts.relative_to(root.resolve()))
        except ValueError:
            stored = str(texts)
        if registry.get(name) != stored:
            registry[name] = stored
            with open(annotations / REGISTRY, "w", encoding="utf-8") as stream:
                stream.write("# corpus name: directory of its .txt documents (relative to the repository root)\n")
                yaml.safe_dump(registry, stream, allow_unicode=True, sort_keys=False)
    if name not in registry:
        known = ", ".join(registry) or "none"
        raise ValueError(f"{annotations / REGISTRY}: no corpus {name!r} (known: {known}); "
                         f"give --texts DIR to register it")
    return Corpus(name, root / registry[name], annotations)


def _registry(annotations: Path) -> dict[str, str]:
    path = annotations / REGISTRY
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as stream:
        data = yaml.safe_load(stream) or {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected 'name: directory' lines")
    return {str(k): v for k, v in data.items()}


def read_documents(directory: str | Path) -> dict[str, str]:
    """``{doc_id: original text}`` for the ``*.txt`` files of a directory, read as batch extraction reads them."""
    return {path.stem: read_text_file(path) for path in sorted(Path(directory).glob("*.txt"))}


def read_sentences(path: str | Path) -> list[SentenceAnnotation]:
    """Read a span JSONL file; errors name ``file:line``."""
    sentences = []
    for number, row in read_jsonl(path):
        try:
            sentences.append(SentenceAnnotation.from_dict(row))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: {error}") from None
    return sentences


def write_sentences(path: str | Path, sentences: list[SentenceAnnotation]) -> None:
    write_jsonl_atomic(path, (s.to_dict() for s in sorted(sentences, key=lambda s: (s.doc_id, s.sent_id))))


def meta_problems(meta: Any) -> list[str]:
    """What is wrong with one document's metadata (empty when it is valid; a null field is unknown)."""
    if not isinstance(meta, dict):
        return [f"meta {meta!r} is not an object"]
    problems = [f"meta {key} {meta.get(key)!r} is not one of {', '.join(allowed)} (or null: unknown)"
                for key, allowed in META_FIELDS.items() if meta.get(key) not in (None, *allowed)]
    damage = meta.get("damage", [])
    if not isinstance(damage, list) or any(d not in DAMAGE for d in damage):
        problems.append(f"meta damage {damage!r} is not a list of {', '.join(DAMAGE)}")
    unknown = set(meta) - set(META_FIELDS) - {"damage", "title"}
    if unknown:
        problems.append(f"meta has unknown keys {sorted(unknown)}")
    return problems


def read_document_meta(path: str | Path) -> dict[str, dict[str, Any]]:
    """``{doc_id: metadata}`` from a ``NAME.documents.jsonl`` file ({} when there is none)."""
    if not Path(path).exists():
        return {}
    return {str(row["doc_id"]): {k: v for k, v in row.items() if k != "doc_id"} for _, row in read_jsonl(path)}

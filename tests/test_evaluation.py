"""Evaluation of an extractor on the seeds, and the report it writes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ie.research.evaluation import EvaluationResult, evaluate_extractor, load_corpora, load_gold
from ie.pipeline import Extractor
from ie.research.report import write_report

from tests.shared import RECORDS, ROOT, SPANS


def test_rules_on_the_seeds_and_report(tmp_path):
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    result = evaluate_extractor(Extractor.from_config("rules"), corpus)
    assert result.ceiling.records.f1 >= 0.99
    assert 0.5 < result.records.records.f1 <= 1.0
    assert set(result.spans) >= {"METRIC", "VALUE", "TREND", "BASE", "TIME", "ORG", "micro avg"}
    assert set(result.per_document) == set(corpus.documents)
    metrics, report = write_report(result, tmp_path)
    data = json.loads(metrics.read_text(encoding="utf-8"))
    assert data["records"]["records"]["f1"] == result.records.records.f1
    assert EvaluationResult.from_dict(data).to_dict() == data  # metrics.json reads back as the result it was
    text = report.read_text(encoding="utf-8")
    for heading in ("## Records", "## Slot accuracy", "## Spans (seqeval, strict, IOB2)", "## Per document",
                    "worst errors"):
        assert heading in text
    assert "decoder ceiling" in text


def test_errors_carry_their_sentences():
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)

    class OnlyValues:
        name = "values-only"

        def tag(self, sentences):
            full = Extractor.from_config("rules").tagger.tag(sentences)
            return [[s for s in spans if s.label == "VALUE"] for spans in full]

    result = evaluate_extractor(Extractor(OnlyValues()), corpus, doc_ids=["001_e668537ba56dba67"])
    assert result.records.records.fn > 0
    missed = [e for e in result.errors if e.kind == "missed"]
    assert missed and all(e.record["evidence"]["text"] in _original(e.doc_id) for e in missed)
    assert all(e.sentence for e in missed)


def _original(doc_id: str) -> str:
    return (ROOT / "seeds" / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_evaluate_script_writes_the_report(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "evaluate.py"), f"report_dir={tmp_path}",
                             f"hydra.run.dir={tmp_path / 'hydra'}"], capture_output=True, text=True, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "combined: record F1" in result.stdout
    assert (tmp_path / "metrics.json").exists() and (tmp_path / "report.md").exists()


def test_scores_per_genre_and_script_add_up_to_the_totals():
    corpus = load_corpora("seeds", ROOT / "annotations")
    assert {meta["corpus"] for meta in corpus.meta.values()} == {"seeds"}
    result = evaluate_extractor(Extractor.from_config("rules"), corpus)
    for key in ("genre", "script", "corpus"):
        groups = result.groups[key]
        assert sum(g.documents for g in groups.values()) == 5
        for part in ("tp", "fp", "fn"):
            assert sum(getattr(g.scores.records, part) for g in groups.values()) == getattr(result.records.records, part)
    assert result.groups["script"]["traditional_pinyin"].documents == 1


def test_corpora_with_the_same_document_ids_are_refused(tmp_path):
    (tmp_path / "corpora.yaml").write_text(f"a: {ROOT / 'seeds'}\nb: {ROOT / 'seeds'}\n", encoding="utf-8")
    for name in ("a", "b"):
        for suffix in ("spans.jsonl", "records.jsonl", "documents.jsonl"):
            (tmp_path / f"{name}.{suffix}").write_bytes((ROOT / "annotations" / f"seeds.{suffix}").read_bytes())
    with pytest.raises(ValueError, match="corpus 'b' repeats document ids"):
        load_corpora(["a", "b"], tmp_path)


def test_results_table_puts_reports_side_by_side(tmp_path):
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS, documents_path=ROOT / "annotations" / "seeds.documents.jsonl")
    write_report(evaluate_extractor(Extractor.from_config("rules"), corpus), tmp_path / "rules")
    snapshot = tmp_path / "snapshot.json"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "results_table.py"), str(tmp_path / "rules"),
                             "--by", "script", "--snapshot", str(snapshot)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "| rules | 0.9" in result.stdout and "| traditional_pinyin | 1 | 25 |" in result.stdout
    assert json.loads(snapshot.read_text(encoding="utf-8"))["rules"]["groups"]["script"]["simplified"]["documents"] == 3


def test_evaluation_scores_the_records_extraction_writes():
    """One way from spans to records: the evaluated records are the extractor's own (metric ids,
    confidences and the min_confidence filter included), sentence segmentation aside."""
    corpus = load_corpora("seeds", ROOT / "annotations")
    extractor = Extractor.from_config("rules", min_confidence=0.5)
    result = evaluate_extractor(extractor, corpus)
    doc_id = "001_e668537ba56dba67"
    evaluated = [r for r in result.predicted if r["doc_id"] == doc_id]
    extracted = [r.to_dict() for r in extractor.extract(corpus.documents[doc_id].normalized.original, doc_id)]
    assert evaluated == extracted and any(r["metric_id"] for r in evaluated)
    assert all(r["confidence"] == 0.93 for r in evaluated)

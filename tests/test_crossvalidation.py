"""Cross-validation end to end with a tiny model: folds, rules side by side, report and plots."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ie.research.evaluation import load_corpora, load_gold
from ie.research.crossval_results import CrossValResult, CrossValRun, Fold
from ie.research.corpus_training import DataSettings, load_training_corpus
from ie.research.crossvalidation import cross_validate, fold_groups
from ie.research.distillation import DistilSettings
from ie.research.training import ModelSettings, TrainSettings
from ie.research.plots import plot_label_f1, plot_learning_curve
from ie.research.report import render_crossval

from tests.shared import RECORDS, ROOT, SPANS
from tests.shared import load_script

pytestmark = pytest.mark.slow  # training, export, several processes or Ray


def test_cross_validation_with_a_tiny_model(tmp_path):
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    folds = ["002_9ea4cb6c5b2c9a66", "003_2f0caf5256338806"]
    settings = dict(data=DataSettings(dev_fraction=0.0), model=ModelSettings(pretrained="tiny", tokenization="subword",
                                                                             max_length=64),
                    trainer=TrainSettings(epochs=1, max_steps=2, batch_size=8, threads=1))
    runs = [cross_validate(corpus, work_dir=tmp_path / "work", folds=folds, fraction=fraction, **settings)
            for fraction in (0.5, 1.0)]
    run = runs[-1]
    assert [fold.held_out for fold in run.folds] == folds
    assert all(fold.train["train_sentences"] > 0 for fold in run.folds)
    rules = run.mean("rules", "record_f1")
    assert 0.5 < rules.mean <= 1.0 and rules.std >= 0.0
    assert runs[0].folds[0].train["train_sentences"] < run.folds[0].train["train_sentences"]
    assert not list((tmp_path / "work").glob("fold-*"))  # fold checkpoints are removed
    result = CrossValResult("tiny", runs)
    plots = [plot_label_f1(run, tmp_path / "label_f1.png"), plot_learning_curve(runs, tmp_path / "curve.png")]
    assert all(p.stat().st_size > 1000 for p in plots)
    report = render_crossval(result, [p.name for p in plots])
    assert "## Mean ± std over folds" in report and "## Learning curve" in report and "rules" in report
    assert "span P METRIC" in report and "span R ORG" in report
    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps(result.to_dict()), encoding="utf-8")
    assert CrossValResult.from_dict(json.loads(metrics.read_text(encoding="utf-8"))).to_dict() == result.to_dict()
    summary = subprocess.run([sys.executable, str(ROOT / "scripts" / "summarize_crossval.py"), str(metrics)],
                             capture_output=True, text=True, timeout=120)
    assert summary.returncode == 0 and "| tiny (50 %) |" in summary.stdout and "| tiny |" in summary.stdout


def test_cross_validation_with_a_distilled_student(tmp_path):
    """Each fold's model is distilled into a 1-layer student, scored as trained and as int8 ONNX."""
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    folds = ["003_2f0caf5256338806"]
    run = cross_validate(corpus, DataSettings(dev_fraction=0.0),
                         ModelSettings(pretrained="tiny", tokenization="subword", max_length=64),
                         TrainSettings(epochs=1, max_steps=2, batch_size=8, threads=1), tmp_path / "work",
                         folds=folds, distil=DistilSettings(layers=1, epochs=1))
    assert run.systems == ["model", "student", "student_int8", "combined", "rules"]
    fold = run.folds[0]
    assert fold.student_training["history"] and fold.scores["student"]["record_f1"] is not None
    assert run.mean("student_int8", "span_micro_f1").mean is not None
    report = render_crossval(CrossValResult("tiny", [run]), [])
    assert "| metric | model | student | student_int8 | combined | rules |" in report
    assert not list((tmp_path / "work").glob("fold-*"))


def test_folds_run_in_worker_processes_are_kept_and_resumed(tmp_path):
    """Two folds in two processes: each written as it ends, read back by resume, pooled scores from both."""
    corpus = load_gold(ROOT / "seeds", SPANS, RECORDS)
    folds = ["002_9ea4cb6c5b2c9a66", "003_2f0caf5256338806"]
    settings = dict(data=DataSettings(dev_fraction=0.0), model=ModelSettings(pretrained="tiny", tokenization="subword",
                                                                             max_length=64),
                    trainer=TrainSettings(epochs=1, max_steps=2, batch_size=8, threads=1),
                    work_dir=tmp_path / "work", folds=folds, fold_dir=tmp_path / "folds")
    run = cross_validate(corpus, workers=2, **settings)
    assert sorted(p.name for p in (tmp_path / "folds").iterdir()) == [f"{fold}.json" for fold in folds]
    assert [fold.held_out for fold in run.folds] == folds
    # pooled: one evaluation of both held-out documents, the rules' recall between the two folds' recalls
    recalls = [fold.scores["rules"]["record_recall"] for fold in run.folds]
    assert min(recalls) <= run.pooled["rules"]["record_recall"] <= max(recalls)
    both = load_gold(ROOT / "seeds", SPANS, RECORDS)
    kept = json.loads((tmp_path / "folds" / f"{folds[0]}.json").read_text(encoding="utf-8"))
    assert set(kept["predictions"]) == {"model", "rules", "combined"} and kept["held_out_docs"] == [folds[0]]
    assert len(kept["predictions"]["rules"][folds[0]]) == len(both.documents[folds[0]].sentences)
    kept["rules"]["record_f1"] = 0.123  # a fold read back is not trained again
    (tmp_path / "folds" / f"{folds[0]}.json").write_text(json.dumps(kept), encoding="utf-8")
    resumed = cross_validate(corpus, resume=True, **settings)
    assert resumed.folds[0].scores["rules"]["record_f1"] == 0.123
    assert resumed.pooled["rules"] == run.pooled["rules"]
    kept["predictions"]["rules"][folds[0]] = [[] for _ in kept["predictions"]["rules"][folds[0]]]
    (tmp_path / "folds" / f"{folds[0]}.json").write_text(json.dumps(kept), encoding="utf-8")
    retagged = cross_validate(corpus, resume=True, retag_rules=True, **settings)  # the rules tagged again
    assert retagged.folds[0].scores["rules"] == run.folds[0].scores["rules"]
    assert retagged.pooled["rules"] == run.pooled["rules"] and retagged.pooled["combined"] == run.pooled["combined"]
    with pytest.raises(ValueError, match="needs resume=true"):
        cross_validate(corpus, retag_rules=True, **settings)
    other = {**settings, "trainer": TrainSettings(epochs=2, max_steps=2, batch_size=8, threads=1)}
    with pytest.raises(ValueError, match="trained with other settings"):
        cross_validate(corpus, resume=True, **other)


def _fold(teacher, student_int8):
    return Fold("doc", ["doc"], {"model": {"record_f1": teacher}, "student_int8": {"record_f1": student_int8}})


def test_student_gap_table_pools_the_folds_of_every_run():
    """Two seeds of a distillation run: per-run mean gaps and the pooled mean with its standard error."""
    student_gap_table = load_script("summarize_crossval").student_gap_table

    def result(name, folds):
        return CrossValResult(name, [CrossValRun(1.0, "document", ["model", "student_int8"], folds)])

    seed13 = result("seed13", [_fold(0.90, 0.88), _fold(0.80, 0.83)])  # gaps -0.02, +0.03
    seed14 = result("seed14", [_fold(0.90, 0.86), _fold(0.70, None)])  # -0.04; a fold without student is left out
    plain = CrossValResult("no student", [CrossValRun(1.0, "document", ["model"], [])])
    text = student_gap_table([seed13, seed14, plain])
    lines = text.splitlines()
    assert lines[2] == "| seed13 | 0.8500 | +0.0050 ± 0.0250 (n=2) |"
    assert lines[3] == "| seed14 | 0.8000 | -0.0400 ± nan (n=1) |"
    # pooled: -0.02, +0.03, -0.04 -> mean -0.01, sample std 0.0361, s.e. 0.0208
    assert lines[4] == "| all runs, pooled folds |  | -0.0100 ± 0.0208 (n=3) |"
    assert student_gap_table([plain]) is None


def test_folds_by_document_or_by_genre():
    corpus = load_corpora(["seeds"], ROOT / "annotations")
    assert fold_groups(corpus, "document") == {d: [d] for d in corpus.documents}
    by_genre = fold_groups(corpus, "genre")
    assert sorted(by_genre) == ["news_release", "year_end_review"]
    assert sorted(d for docs in by_genre.values() for d in docs) == sorted(corpus.documents)
    assert fold_groups(corpus, "genre", ["year_end_review"]) == {"year_end_review": ["001_e668537ba56dba67"]}
    with pytest.raises(ValueError, match="no fold \\['poem'\\] when folding by genre"):
        fold_groups(corpus, "genre", ["poem"])


def test_the_test_split_is_never_training_data():
    with pytest.raises(ValueError, match="the test corpus is for scoring only"):
        load_training_corpus(DataSettings(corpora=["seeds", "test"], annotations=str(ROOT / "annotations")))


def test_kept_fold_spans_answer_for_a_sentence_and_for_its_start():
    from ie.research.crossvalidation import _KeptSpans
    from ie.schema import Span

    text = "东岭分局破获案件12起"
    kept = _KeptSpans("d", [text], [[Span(0, 4, "ORG", "东岭分局"), Span(4, 8, "METRIC", "破获案件"),
                                      Span(8, 11, "VALUE", "12起")]])
    assert [s.text for s in kept.tag([text])[0]] == ["东岭分局", "破获案件", "12起"]
    assert [s.text for s in kept.tag([text[:8]])[0]] == ["东岭分局", "破获案件"]  # read up to its first value

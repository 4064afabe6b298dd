"""Distillation: the teacher's targets and the mixed loss, with a tiny teacher."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ie.research.distillation import DistilSettings, Teacher
from ie.research.tiny import build_tiny_encoder
from ie.research.training import ModelSettings, TrainSettings, encode_examples, train_tagger
from ie.schema import TAGS, Span

pytestmark = pytest.mark.slow  # training, export, several processes or Ray

def _example(text: str, *parts: tuple[str, str]) -> tuple[str, list[Span]]:
    spans = []
    for part, label in parts:
        start = text.index(part)
        spans.append(Span(start, start + len(part), label, part))
    return text, spans


SENTENCES = [_example("全年破获刑事案件9700起。", ("刑事案件", "METRIC"), ("9700起", "VALUE")),
             _example("电诈发案数同比下降39.1%。", ("电诈发案数", "METRIC"), ("下降", "TREND"), ("39.1%", "VALUE")),
             _example("挽回经济损失1.12亿元。", ("经济损失", "METRIC"), ("1.12亿元", "VALUE"))]


@pytest.fixture(scope="module")
def teacher_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("distil")
    encoder = build_tiny_encoder(work / "encoder", [t for t, _ in SENTENCES], layers=2)
    train_tagger(SENTENCES, [], work / "teacher", encoder=str(encoder),
                 model_settings=ModelSettings(pretrained="tiny", max_length=64),
                 settings=TrainSettings(epochs=2, batch_size=2, threads=1))
    return work / "teacher"


def features_with_targets(teacher: Teacher):
    _, tokenizer = teacher.student()
    features, _ = encode_examples(tokenizer, SENTENCES, tokenization="char", max_length=64, stride=31)
    teacher.attach_soft_targets(features, tokenizer.pad_token_id)
    return features


def test_hidden_states_are_targets_only_when_weighted(teacher_dir):
    plain = features_with_targets(Teacher(teacher_dir, DistilSettings(layers=1)))
    assert all("soft" in f and "hidden" not in f for f in plain)
    weighted = features_with_targets(Teacher(teacher_dir, DistilSettings(layers=1, hidden_weight=1.0)))
    for f in weighted:
        assert f["soft"].shape == (len(f["input_ids"]), len(TAGS)) and f["hidden"].shape == (len(f["input_ids"]), 32)
    np.testing.assert_array_equal(plain[0]["soft"], weighted[0]["soft"])


def test_the_hidden_term_adds_the_weighted_mean_squared_error(teacher_dir):
    settings = DistilSettings(layers=1, alpha=0.5, temperature=2.0, hidden_weight=3.0)
    teacher = Teacher(teacher_dir, settings)
    logits, soft = torch.randn(2, 5, len(TAGS)), torch.randn(2, 5, len(TAGS))
    hidden = torch.randn(2, 5, 32)
    valid = torch.tensor([[False, True, True, True, False], [False, True, True, False, False]])
    real = torch.tensor([[True] * 5, [True, True, True, True, False]])
    gold = torch.tensor(0.7)
    same = teacher.loss(logits, hidden, {"soft": soft, "hidden": hidden}, valid, real, gold)
    shifted = hidden.clone()
    shifted[0, 0] += 1.0          # one real position, every dimension off by 1
    shifted[1, 4] += 100.0        # padding: ignored
    moved = teacher.loss(logits, hidden, {"soft": soft, "hidden": shifted}, valid, real, gold)
    assert moved.item() == pytest.approx(same.item() + 3.0 * 1.0 / int(real.sum()), rel=1e-5)
    kl_only = Teacher(teacher_dir, DistilSettings(layers=1, alpha=0.5, temperature=2.0))
    assert kl_only.loss(logits, None, {"soft": soft}, valid, real, gold).item() == pytest.approx(same.item())


def test_distilling_with_hidden_states_pulls_the_student_towards_the_teacher(teacher_dir, tmp_path):
    def distance(student_dir) -> float:
        from transformers import AutoModelForTokenClassification

        model = AutoModelForTokenClassification.from_pretrained(student_dir).eval()
        features = features_with_targets(Teacher(teacher_dir, DistilSettings(layers=1, hidden_weight=1.0)))
        with torch.no_grad():
            return sum(float(((model(input_ids=torch.tensor([f["input_ids"]]), output_hidden_states=True)
                               .hidden_states[-1][0] - torch.from_numpy(f["hidden"])) ** 2).mean())
                       for f in features)

    runs = {}
    for weight in (0.0, 1.0):
        teacher = Teacher(teacher_dir, DistilSettings(layers=1, hidden_weight=weight, learning_rate=1e-3))
        runs[weight] = train_tagger(SENTENCES, [], tmp_path / f"student-{weight}", encoder=str(teacher_dir),
                                    model_settings=ModelSettings(pretrained="tiny", max_length=64),
                                    settings=TrainSettings(epochs=8, batch_size=3, learning_rate=1e-3, threads=1),
                                    teacher=teacher).checkpoint
    assert distance(runs[1.0]) < distance(runs[0.0])


def test_a_negative_hidden_weight_is_refused(teacher_dir):
    with pytest.raises(ValueError, match="hidden_weight >= 0"):
        Teacher(teacher_dir, DistilSettings(hidden_weight=-1.0))

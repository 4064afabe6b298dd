"""Training runs on annotated corpora, with plain arguments: the training data of some documents
(gold sentences, a dev split, synthetic sentences), one training run, one distillation.

The scripts turn their Hydra configs into these dataclasses and call these functions;
everything here runs from Python without Hydra. Cross-validation: ``ie.research.crossvalidation``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ie.research.evaluation import GoldCorpus, load_corpora
from ie.research.distillation import DistilSettings
from ie.research.training import Example, ModelSettings, TrainResult, TrainSettings, train_tagger

logger = logging.getLogger(__name__)


@dataclass
class DataSettings:
    corpora: list[str] = field(default_factory=lambda: ["seeds", "train"])  # names in annotations/corpora.yaml
    annotations: str = "annotations"  # the folder holding corpora.yaml and the annotation files
    train_docs: list[str] | None = None  # None: every document (train) / all but the held-out ones (crossval)
    train_fraction: float = 1.0  # share of the training sentences kept (learning curves)
    dev_fraction: float = 0.1  # share held out to pick the best epoch (0: the last epoch)
    synthetic_size: int = 0  # synthetic sentences added to the training data
    synthetic_seed: int = 7
    variant_rate: float = 0.2  # share of synthetic sentences rendered traditional / with pinyin / full-width


def load_training_corpus(data: DataSettings, opencc_config: str | None = "t2s") -> GoldCorpus:
    """The corpora named by ``data`` as one; the frozen test split is refused."""
    if "test" in data.corpora:
        raise ValueError("the test corpus is for scoring only; train on other corpora (data.corpora)")
    return load_corpora(data.corpora, data.annotations, opencc_config)


def gold_examples(corpus: GoldCorpus, doc_ids: Sequence[str]) -> list[Example]:
    """Every annotated sentence of the documents (negatives included)."""
    return [(sentence.text, spans) for doc_id in doc_ids
            for sentence, spans in zip(corpus.documents[doc_id].sentences, corpus.spans[doc_id])]


def synthetic_examples(size: int, seed: int, variant_rate: float) -> list[Example]:
    from ie.research.synthetic import VARIANTS, SyntheticGenerator, render_variant

    generator, rng = SyntheticGenerator(seed), random.Random(seed + 1)
    examples = []
    for sentence in generator.generate(size):
        if rng.random() < variant_rate:
            sentence = render_variant(sentence, rng.choice(VARIANTS), rng)
        examples.append((sentence.text, sentence.spans))
    return examples


def training_data(corpus: GoldCorpus, doc_ids: Sequence[str], data: DataSettings,
                  seed: int) -> tuple[list[Example], list[Example]]:
    """``(train, dev)``: the documents' sentences, a fraction of them, a dev split, plus synthetic."""
    examples = gold_examples(corpus, doc_ids)
    rng = random.Random(seed)
    rng.shuffle(examples)
    examples = examples[:max(1, round(len(examples) * data.train_fraction))]
    n_dev = round(len(examples) * data.dev_fraction)
    dev, train = examples[:n_dev], examples[n_dev:]
    if data.synthetic_size:
        train = train + synthetic_examples(data.synthetic_size, data.synthetic_seed, data.variant_rate)
    return train, dev


def resolve_encoder(model: ModelSettings, work_dir: Path, corpus: GoldCorpus | None = None) -> str:
    """The encoder directory: the offline e5 (converted on first use), a tiny local one, or a hub name."""
    from ie.research.e5 import ensure_encoder

    if model.pretrained == "tiny":
        from ie.research.tiny import build_tiny_encoder

        texts = [s.text for doc in corpus.documents.values() for s in doc.sentences] if corpus else []
        directory = work_dir / "tiny-encoder"
        if not (directory / "config.json").exists():
            build_tiny_encoder(directory, texts)
        return str(directory)
    return ensure_encoder(model.pretrained)


def train_on(corpus: GoldCorpus, doc_ids: Sequence[str], data: DataSettings, model: ModelSettings,
             trainer: TrainSettings, output: Path, normalization: dict[str, Any]) -> TrainResult:
    from ie.research.distributed import main_first, setup_process

    train, dev = training_data(corpus, doc_ids, data, trainer.seed)
    with main_first(setup_process(trainer.device)):  # under torchrun, one process converts the encoder
        encoder = resolve_encoder(model, output.parent, corpus)
    return train_tagger(train, dev, output, encoder=encoder, model_settings=model, settings=trainer,
                        normalization=normalization,
                        extra_meta={"train_docs": list(doc_ids), "synthetic_size": data.synthetic_size})


def distil_on(corpus: GoldCorpus, doc_ids: Sequence[str], data: DataSettings, teacher_dir: Path,
              distil: DistilSettings, trainer: TrainSettings, output: Path,
              normalization: dict[str, Any]) -> TrainResult:
    """Distil the teacher at ``teacher_dir`` into a student on the teacher's training data.

    The gold sentences and the dev split are the teacher's; ``distil.synthetic_size`` may give
    the student more synthetic sentences than the teacher had (a larger transfer set).
    """
    from ie.research.distillation import Teacher
    from ie.model.tagger import read_meta

    meta = read_meta(teacher_dir)
    model = ModelSettings(**meta["model"])
    student_trainer = replace(trainer, epochs=distil.epochs or trainer.epochs,
                              learning_rate=distil.learning_rate or trainer.learning_rate,
                              select_epoch=distil.select_epoch)
    student_data = data if distil.synthetic_size is None else replace(data, synthetic_size=distil.synthetic_size)
    train, dev = training_data(corpus, doc_ids, student_data, trainer.seed)
    teacher = Teacher(teacher_dir, distil, device=trainer.device)
    return train_tagger(train, dev, output, encoder=str(teacher_dir), model_settings=model,
                        settings=student_trainer, normalization=normalization, teacher=teacher,
                        extra_meta={"train_docs": list(doc_ids), "synthetic_size": student_data.synthetic_size,
                                    "teacher_synthetic_size": data.synthetic_size})

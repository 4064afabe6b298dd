"""Text handling: offset-preserving normalisation, pinyin and corruption, sentences."""

from ie.text.normalize import (
    LENGTH_PRESERVING_OPENCC,
    NormalizationError,
    NormalizationWarning,
    NormalizedText,
    normalize,
)
from ie.text.sentences import Sentence, split_sentences

__all__ = [
    "LENGTH_PRESERVING_OPENCC",
    "NormalizationError",
    "NormalizationWarning",
    "NormalizedText",
    "Sentence",
    "normalize",
    "split_sentences",
]

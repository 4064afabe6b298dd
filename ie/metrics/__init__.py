"""Comparable metrics: a taxonomy of canonical metric ids and the lexicon that maps a record's
metric string to one (``docs/metrics.md``)."""

from ie.metrics.mapping import Taxonomy, TaxonomyError, default_taxonomy, metric_to_id, read_taxonomy

__all__ = ["Taxonomy", "TaxonomyError", "default_taxonomy", "metric_to_id", "read_taxonomy"]

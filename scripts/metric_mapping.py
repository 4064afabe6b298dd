"""Precision, recall and coverage of the metric mapping on the hand-assigned gold ids
(``annotations/metric_ids.jsonl``), for the lexicon alone and for the lexicon followed by a nearest
neighbour on e5 embeddings (``ie/research/metric_embeddings.py``), at several thresholds.

    python scripts/metric_mapping.py                   # both; needs the train extra (torch, transformers)
    python scripts/metric_mapping.py --no-embeddings   # the lexicon alone (the core install suffices)

Two splits: seeds+train (in-sample: the lexicon was written from these strings; the embedding
stage is scored leave-one-out there) and test (held out: its gold was assigned before the lexicon
was run on it, and the lexicon was not changed after). The threshold is chosen on seeds+train
alone: the lowest of the grid at which the strings the embedding stage adds are right at least
95 % of the time. Writes the figures to ``docs/results/metric_mapping.json`` (``--snapshot``);
with ``--no-embeddings`` the snapshot keeps the embedding figures it already holds.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ie.atomic import write_text_atomic
from ie.metrics import default_taxonomy
from ie.research.metric_embeddings import (GoldMetric, MappingScores, nearest_neighbours, read_gold, record_counts,
                                           score_mapping, two_stage)

ROOT = Path(__file__).resolve().parent.parent
SPLITS = {"seeds+train": ("seeds", "train"), "test": ("test",)}
THRESHOLDS = (0.86, 0.88, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98)
BAR = 0.95


def scores(rows: list[GoldMetric], predicted: list[str | None], counts) -> dict[str, Any]:
    weights = [counts[(row.corpus, row.metric)] for row in rows]
    return {"strings": score_mapping(rows, predicted).to_dict(),
            "records": score_mapping(rows, predicted, weights).to_dict()}


def added(rows: list[GoldMetric], lexicon: list[str | None], combined: list[str | None]) -> dict[str, Any]:
    """Scores of the strings only the embedding stage mapped."""
    picked = [(row, guess) for row, before, guess in zip(rows, lexicon, combined) if before is None and guess]
    return MappingScores(len(picked), sum(1 for row, _ in picked if row.metric_id), len(picked),
                         sum(1 for row, guess in picked if guess == row.metric_id)).to_dict()


def embedding_figures(splits: dict[str, list[GoldMetric]], lexicon: dict[str, list], counts,
                      encoder_name: str) -> dict[str, Any]:
    from ie.research.metric_embeddings import MetricEncoder

    taxonomy = default_taxonomy()
    encoder = MetricEncoder(encoder_name)
    known = splits["seeds+train"]
    references = [(row.metric, row.metric_id) for row in known]
    references += [(example, entry.id) for entry in taxonomy.entries for example in entry.examples]
    reference_vectors = encoder.embed([text for text, _ in references])
    neighbours = {name: nearest_neighbours([r.metric for r in rows], encoder.embed([r.metric for r in rows]),
                                           references, reference_vectors, taxonomy,
                                           exclude_identical=name == "seeds+train")
                  for name, rows in splits.items()}
    by_threshold = {}
    for threshold in THRESHOLDS:
        by_threshold[f"{threshold:.2f}"] = {
            name: {**scores(rows, combined, counts), "added": added(rows, lexicon[name], combined)}
            for name, rows in splits.items()
            for combined in [two_stage([r.metric for r in rows], taxonomy, neighbours[name], threshold)]}
    chosen = next((key for key, figures in by_threshold.items()
                   if (figures["seeds+train"]["added"]["precision"] or 0) >= BAR), None)
    return {"encoder": encoder_name, "bar": BAR, "chosen_threshold": chosen, "thresholds": by_threshold}


def measure(gold_path: Path, annotations: Path, *, embeddings: bool, encoder: str = "e5-small-zh") -> dict[str, Any]:
    taxonomy = default_taxonomy()
    gold = read_gold(gold_path)
    counts = record_counts(annotations, [c for corpora in SPLITS.values() for c in corpora])
    splits = {name: [row for row in gold if row.corpus in corpora] for name, corpora in SPLITS.items()}
    lexicon = {name: [taxonomy.map(row.metric) for row in rows] for name, rows in splits.items()}
    return {
        "taxonomy": {"ids": len(taxonomy.ids)},
        "lexicon": {name: scores(rows, lexicon[name], counts) for name, rows in splits.items()},
        "embeddings": embedding_figures(splits, lexicon, counts, encoder) if embeddings else None,
    }


def render(figures: dict[str, Any]) -> str:
    def line(label: str, split: dict[str, Any]) -> str:
        s, r = split["strings"], split["records"]
        return (f"{label:<34} strings P {s['precision']:.3f} R {s['recall']:.3f} cov {s['coverage']:.3f} | "
                f"records P {r['precision']:.3f} R {r['recall']:.3f} cov {r['coverage']:.3f}")

    lines = [line(f"lexicon {name}", split) for name, split in figures["lexicon"].items()]
    if figures["embeddings"]:
        chosen = figures["embeddings"]["chosen_threshold"]
        for key, per_split in figures["embeddings"]["thresholds"].items():
            for name, split in per_split.items():
                extra = split["added"]
                mark = " <- chosen" if key == chosen else ""
                lines.append(line(f"+ e5 >= {key} {name}", split)
                             + f" | added {extra['predicted']} right {extra['correct']}{mark}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT / "annotations" / "metric_ids.jsonl")
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations")
    parser.add_argument("--no-embeddings", action="store_true", help="the lexicon alone (no torch needed)")
    parser.add_argument("--snapshot", type=Path, default=ROOT / "docs" / "results" / "metric_mapping.json")
    args = parser.parse_args(argv)
    figures = measure(args.gold, args.annotations, embeddings=not args.no_embeddings)
    if args.no_embeddings and args.snapshot.exists():  # keep the embedding figures measured before
        figures["embeddings"] = json.loads(args.snapshot.read_text(encoding="utf-8")).get("embeddings")
    print(render(figures))
    write_text_atomic(args.snapshot, json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

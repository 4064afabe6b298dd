"""Batch extraction on Ray Data: the local engine's output, from a pool of actors on one machine or a cluster.

``run_ray`` reads the input files with Ray Data (``read_binary_files``), turns each file's
bytes into documents with ``ie.reading.documents_of`` (the local engine's decoding, ids and
JSONL rules: a JSONL file is read whole and split into rows in that step, so its ids,
U+2028 inside rows and line numbers in errors stay exactly as they are locally), and
extracts them in a pool of actors that each build their ``Extractor`` once. Each document
goes through ``ie.batch.extract_one``, as locally: the same JSON lines, the same failures;
the driver counts each result once into the summary.

The driver (the process calling ``run_ray``) writes the records of every ``SHARD_DOCUMENTS``
finished documents, as they come, to a shard ``part-NNNNN.jsonl`` of the shards directory
(default ``OUTPUT.shards/``), keeping only where each document's lines lie; at the end it
merges the shards into ``OUTPUT`` in the local engine's document order (atomically) and
writes ``OUTPUT.done``. So ``OUTPUT`` and ``OUTPUT.done`` are line for line those of
``ie.batch.run_batch``; the shards hold the same lines in the order the documents finished.
Bad files and documents are failures in the summary, not a stopped job. The output path is
checked and locked as locally (``ie.writing``). A run that stops leaves the previous
``OUTPUT`` as it was and its finished shards; there is no resume.

On a cluster the input path must be readable at the same path on every node (shared
storage), and every node needs this project installed; shards and ``OUTPUT`` are written
on the driver's machine, a node of the cluster (Ray Data does not run through Ray Client).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ie.batch import BatchSummary, DocumentResult, extract_one
from ie.atomic import write_text_atomic
from ie.reading import InputDocument, InputFailure, documents_of, input_files, unique_ids
from ie.writing import OutputLock, RecordWriter, check_output

logger = logging.getLogger(__name__)

# Ray Data cuts blocks at 128 MiB: the rows of one JSONL file would reach the actor pool as one block, so one
# actor would extract them all. Smaller blocks (a few bulletins each) spread a JSONL file over the pool.
BLOCK_BYTES = 64 * 1024
SHARD_DOCUMENTS = 1000  # documents per shard file


def run_ray(extractor_settings: Mapping[str, Any], opencc_config: str | None, inputs: str | Path,
            output: str | Path, *, num_actors: int = 2, batch_size: int = 8, address: str | None = None,
            shards_dir: str | Path | None = None, checkpoint: str | None = None,
            progress: bool = True, recursive: bool = False, document_seconds: float | None = None) -> BatchSummary:
    """Extract records from every document of ``inputs`` into ``output`` with ``num_actors`` Ray actors.

    ``extractor_settings`` is the scripts' ``extractor`` group (``Extractor.from_settings``).
    ``address``: None starts a Ray on this machine for this run (stopped at the end), ``"auto"``
    joins the cluster this machine belongs to (``ray start``, or ``RAY_ADDRESS``), ``"HOST:6379"``
    a given head. A Ray already initialised in this process is used as it is. Ray Client
    addresses (``ray://``) are refused: Ray Data 2.60's executor fails through Ray Client.
    """
    if address and address.startswith("ray://"):
        raise ValueError(f"ray.address={address}: Ray Data does not run through Ray Client; run this on a node "
                         f"of the cluster with ray.address=auto (or submit it as a Ray job)")
    ray = _import_ray()
    from ie.pipeline import Extractor

    # Once on the driver: bad settings, or a checkpoint without its ONNX export, fail before Ray starts.
    Extractor.from_settings(dict(extractor_settings), opencc_config=opencc_config, checkpoint=checkpoint)
    found = input_files(inputs, recursive=recursive)
    output = check_output(output, [] if isinstance(found, InputFailure) else found[0])
    with OutputLock(output):
        summary = _run(ray, found, output, shards_dir, dict(extractor_settings), opencc_config, checkpoint,
                       num_actors, batch_size, address, progress, document_seconds)
    return summary


def _run(ray, found, output: Path, shards_dir, settings: dict, opencc_config, checkpoint, num_actors: int,
         batch_size: int, address: str | None, progress: bool, document_seconds: float | None) -> BatchSummary:
    shards = Path(shards_dir) if shards_dir else output.with_name(output.name + ".shards")
    shards.mkdir(parents=True, exist_ok=True)
    for stale in shards.glob("part-*.jsonl"):  # shards of an earlier run would not be this run's
        stale.unlink()
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    not_read = []
    if isinstance(found, InputFailure):
        rows.append(_failure_row(0, 0, found))
    else:
        files, skipped = found
        not_read = [str(entry) for entry in skipped]
        own_ray = not ray.is_initialized()
        if own_ray:
            ray.init(address=address or "local")  # "local": never a cluster found by chance
        try:
            ray.data.DataContext.get_current().enable_progress_bars = progress
            dataset = _dataset(ray, files, settings, opencc_config, checkpoint, num_actors, batch_size,
                               document_seconds)
            batches = dataset.iter_batches(batch_size=SHARD_DOCUMENTS, batch_format="pyarrow")
            for number, batch in enumerate(batches):
                rows.extend(_write_shard(shards / f"part-{number:05d}.jsonl", batch.to_pylist()))
        finally:
            if own_ray:
                ray.shutdown()
    rows.sort(key=lambda row: (row["file"], row["position"]))
    summary = _merge(rows, output)
    summary.not_read = not_read
    summary.seconds = time.perf_counter() - started
    return summary


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401  (ray without its data extra lacks pyarrow and pandas)
    except ImportError:
        raise ImportError('engine=ray needs the ray extra: pip install -e ".[ray]"') from None
    return ray


def _dataset(ray, files: list[Path], settings: dict, opencc_config: str | None, checkpoint: str | None,
             num_actors: int, batch_size: int, document_seconds: float | None):
    """Read (Ray Data), decode into document rows, extract in an actor pool.

    Reading and decoding hold no CPU: they are light next to extraction, and a pool of
    actors holding every CPU (two actors on two cores) would otherwise wait for ever for its
    input.
    """
    # Ray reports each file by its absolute path; the order and the name come from the driver's list.
    order = {os.path.abspath(file): (index, str(file)) for index, file in enumerate(files)}
    dataset = (ray.data.read_binary_files(list(order), include_paths=True, num_cpus=0)
               .flat_map(_document_rows, fn_kwargs={"order": order}, num_cpus=0)
               .map_batches(ExtractorActor, batch_size=batch_size, batch_format="pyarrow",
                            compute=ray.data.ActorPoolStrategy(size=num_actors),
                            fn_constructor_kwargs={"settings": settings, "opencc_config": opencc_config,
                                                   "checkpoint": checkpoint, "document_seconds": document_seconds}))
    dataset.context.target_max_block_size = BLOCK_BYTES
    return dataset


def _document_rows(file: dict[str, Any], *, order: dict[str, tuple[int, str]]) -> list[dict[str, Any]]:
    """One input file's documents (or failures) as rows keyed by (file index, position in the file).

    Repeated ids can only come from one JSONL file (the ``.txt`` files of a directory have
    distinct names), so ``unique_ids`` over one file finds what it finds over the input.
    """
    index, name = order[file["path"]]
    rows = []
    for position, item in enumerate(unique_ids(documents_of(Path(name), file["bytes"]))):
        if isinstance(item, InputFailure):
            rows.append(_failure_row(index, position, item))
        else:
            rows.append({"file": index, "position": position, "doc_id": item.doc_id, "text": item.text,
                         "source": item.source, "warnings": list(item.warnings), "failure": ""})
    return rows


def _failure_row(index: int, position: int, failure: InputFailure) -> dict[str, Any]:
    return {"file": index, "position": position, "doc_id": "", "text": "", "source": failure.source,
            "warnings": [], "failure": str(failure)}


class ExtractorActor:
    """A Ray Data actor: builds its ``Extractor`` once, then extracts batches of document rows."""

    def __init__(self, settings: dict, opencc_config: str | None, checkpoint: str | None,
                 document_seconds: float | None = None) -> None:
        from ie.pipeline import Extractor

        self.document_seconds = document_seconds
        if "threads" in settings and settings["threads"] is None:
            settings = {**settings, "threads": 1}  # an actor holds one CPU: one thread, not one per core
        self.extractor = Extractor.from_settings(settings, opencc_config=opencc_config, checkpoint=checkpoint)

    def __call__(self, batch):
        import pyarrow

        return pyarrow.Table.from_pylist([self._extract(row) for row in batch.to_pylist()])

    def _extract(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["failure"]:
            result = DocumentResult(row["doc_id"], row["source"], failure=row["failure"])
        else:
            result = extract_one(self.extractor, InputDocument(row["doc_id"], row["text"], row["source"],
                                                          tuple(row["warnings"])), seconds=self.document_seconds)
        return {"file": row["file"], "position": row["position"], "doc_id": result.doc_id, "source": result.source,
                "failure": result.failure or "", "records": result.lines, "record_count": result.records,
                "characters": result.characters, "warnings": list(result.warnings)}


def _write_shard(path: Path, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the rows' records to one shard; the rows come back with where their lines lie, not the lines."""
    write_text_atomic(path, "".join(row["records"] for row in rows))
    start = 0
    for row in rows:
        size = len(row.pop("records").encode("utf-8"))
        row.update(shard=path, start=start, size=size)
        start += size
    return rows


def _merge(rows: list[dict[str, Any]], output: Path) -> BatchSummary:
    """``OUTPUT`` and ``OUTPUT.done`` from the shards in document order (through the local engine's writer,
    so they replace an earlier output only once complete), and the summary."""
    summary = BatchSummary()
    writer = RecordWriter(output)
    try:
        for row in rows:
            if row["failure"]:
                summary.add(DocumentResult(row["doc_id"], row["source"], failure=row["failure"]))
                continue
            summary.add(DocumentResult(row["doc_id"], row["source"], records=row["record_count"],
                                       characters=row["characters"], warnings=tuple(row["warnings"])))
            lines = ""
            if row["size"]:
                with open(row["shard"], "rb") as shard:
                    shard.seek(row["start"])
                    lines = shard.read(row["size"]).decode("utf-8")
            writer.write(row["doc_id"], lines)
    except BaseException:
        writer.discard()  # no resume on Ray: the shards stay, a partial output would be an orphan
        raise
    writer.complete()
    return summary

"""The records of the default and the rule extractor on the seeds and the test split, pinned by digest.

Refactoring must not change what the toolkit extracts: any change to a record fails here.
When a change to the records is meant, write the new digests and say why in the commit:

    UPDATE_RECORD_DIGESTS=1 python -m pytest tests/test_records_unchanged.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from ie.pipeline import Extractor
from ie.reading import InputDocument, iter_inputs

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = Path(__file__).parent / "data" / "record_digests.json"
CORPORA = {"seeds": ROOT / "seeds", "test": ROOT / "corpora" / "test"}


def record_lines(extractor: Extractor, folder: Path) -> list[str]:
    lines = []
    for item in iter_inputs(folder):
        assert isinstance(item, InputDocument), item
        lines += [json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)
                  for record in extractor.extract(item.text, item.doc_id)]
    return lines


@pytest.fixture(scope="module")
def digests():
    known = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
    yield known
    if os.environ.get("UPDATE_RECORD_DIGESTS"):
        DIGESTS.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@pytest.mark.parametrize("extractor", ["combined", "rules"])
@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_the_records_are_unchanged(extractor, corpus, digests):
    lines = record_lines(Extractor.from_config(extractor), CORPORA[corpus])
    found = {"records": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()}
    key = f"{extractor}/{corpus}"
    if os.environ.get("UPDATE_RECORD_DIGESTS"):
        digests[key] = found
    assert found == digests.get(key), f"the records of {key} changed"
    assert found["records"] > 100

"""What a trained model was made from: the command, the code's commit and the data's hashes.

Written into a shipped model's metadata (``bulletin_ie.json``, key ``provenance``), so that
the model describes itself without naming any path of the machine that built it.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ie.research.annotations.corpus import load_corpus


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hashes(corpora: Sequence[str], annotations: str | Path) -> dict[str, str]:
    """SHA-256 of each corpus's annotation files and texts, keyed ``corpus/file``."""
    hashes = {}
    for name in corpora:
        corpus = load_corpus(name, annotations)
        for path in (corpus.spans, corpus.records, corpus.documents):
            hashes[f"{name}/{path.name}"] = sha256_of(path)
        for path in sorted(corpus.texts.glob("*.txt")):
            hashes[f"{name}/{path.name}"] = sha256_of(path)
    return hashes


def code_commit(directory: str | Path = ".") -> dict[str, Any]:
    """``{"commit": ..., "modified": bool}`` of the git checkout at ``directory``; ``commit`` None outside one."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "modified": bool(status)}


def provenance(command: str, corpora: Sequence[str], annotations: str | Path) -> dict[str, Any]:
    return {"command": command, **code_commit(Path(annotations)), "data": data_hashes(corpora, annotations)}

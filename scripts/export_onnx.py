"""Export a checkpoint to ONNX (fp32) and quantise it to int8, next to its weights.

    python scripts/export_onnx.py outputs/checkpoints/e5_small_zh
    python scripts/predict.py input=seeds output=r.jsonl extractor=model checkpoint=DIR extractor.runtime=onnx-int8
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ie.research.export import export_onnx


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path, help="a directory written by scripts/train.py")
    parser.add_argument("--no-int8", action="store_true", help="only the fp32 model")
    args = parser.parse_args(argv)
    for path in export_onnx(args.checkpoint, quantize=not args.no_int8):
        print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Locating the labelled data sets the benchmarks measure against."""

from __future__ import annotations

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The shared data sets live beside the checkout; PEERBOT_DATA points elsewhere.
SHARED = Path(os.environ.get("PEERBOT_SHARED", HERE.parent.parent / "shared"))


def dataset_paths() -> list[Path]:
    paths = [SHARED / "eval" / "peer-dev.jsonl"]
    paths += sorted((SHARED / "data" / "bench").glob("*.jsonl"))
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise SystemExit(
            f"data sets not found: {', '.join(map(str, missing))} "
            "(set PEERBOT_SHARED to the folder holding eval/ and data/bench/)"
        )
    return paths


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]

"""Figures for one labelled batch of messages (a fresh community batch, say).

    python benchmarks/batch.py PATH.jsonl [--threshold 0.5] [--errors]

Rows are {"text", "label": nudge|none|crisis, ...}. Prints nudge recall and
precision, the none->nudge rate and crisis recall, for peerbot and VADER-only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import load  # noqa: E402
from quality import measure, vader_only  # noqa: E402

from peerbot.tone import DEFAULT_THRESHOLD, analyze  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--errors", action="store_true", help="print the misjudged rows")
    args = parser.parse_args(argv)
    for path in args.paths:
        rows = load(path)
        for system, decide in (("peerbot", lambda t: analyze(t, threshold=args.threshold).action), ("vader-only", vader_only)):
            m = measure(rows, decide)
            print(
                f"{path.name:<16} {system:<10} rows {m['rows']:>4}  nudge recall {m['recall'] or 0:.3f}  "
                f"precision {m['precision'] or 0:.3f}  none->nudge {m['none_to_nudge'] or 0:.3f}  "
                f"crisis recall {m['crisis_recall'] if m['crisis_recall'] is not None else float('nan'):.3f}"
            )
        if args.errors:
            for row in rows:
                report = analyze(row["text"], threshold=args.threshold)
                if report.action != row["label"]:
                    print(f"  gold={row['label']:<6} got={report.action:<6} {report.category:<11} {report.score:.2f} "
                          f"[{row.get('kind', '')}] {row['text'][:200]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

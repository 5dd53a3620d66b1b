"""Detection quality per data set, for peerbot and a VADER-only baseline.

    python benchmarks/quality.py [--threshold 0.5] [--errors N]

For each file of ../shared/eval/peer-dev.jsonl and ../shared/data/bench/*.jsonl
it prints nudge precision, recall and F1, the none->nudge rate (people who did
nothing wrong but would be nudged), and crisis recall, for peerbot and, in the
same run, for the baseline rule "VADER compound <= -0.05 => nudge".
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import dataset_paths, load  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from peerbot.tone import DEFAULT_THRESHOLD, analyze  # noqa: E402

_VADER = SentimentIntensityAnalyzer()


def vader_only(text: str) -> str:
    """The rule a newcomer would try first: negative sentiment means nudge."""
    return "nudge" if _VADER.polarity_scores(text)["compound"] <= -0.05 else "none"


def measure(rows: list[dict], decide: Callable[[str], str]) -> dict[str, float | int | None]:
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counts[(row["label"], decide(row["text"]))] += 1
    tp = counts[("nudge", "nudge")]
    fp = sum(v for (gold, got), v in counts.items() if got == "nudge" and gold != "nudge")
    fn = sum(v for (gold, got), v in counts.items() if gold == "nudge" and got != "nudge")
    n_none = sum(v for (gold, _), v in counts.items() if gold == "none")
    n_crisis = sum(v for (gold, _), v in counts.items() if gold == "crisis")
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (2 * precision * recall / (precision + recall)) if precision and recall else (0.0 if tp + fn else None)
    return {
        "rows": len(rows),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "none_to_nudge": counts[("none", "nudge")] / n_none if n_none else None,
        "crisis_recall": counts[("crisis", "crisis")] / n_crisis if n_crisis else None,
    }


def _fmt(value: float | int | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--errors", type=int, default=0, help="print up to N misjudged rows per file")
    parser.add_argument("--only", help="only files whose name contains this")
    parser.add_argument("--kinds", action="store_true", help="also print none->nudge per kind of each file")
    args = parser.parse_args(argv)

    def peerbot(text: str) -> str:
        return analyze(text, threshold=args.threshold).action

    header = f"{'data set':<18} {'system':<10} {'rows':>6} {'prec':>6} {'recall':>6} {'F1':>6} {'none>nudge':>10} {'crisis rec':>10}"
    print(header)
    print("-" * len(header))
    for path in dataset_paths():
        if args.only and args.only not in path.name:
            continue
        rows = load(path)
        for system, decide in (("peerbot", peerbot), ("vader-only", vader_only)):
            m = measure(rows, decide)
            print(
                f"{path.stem:<18} {system:<10} {m['rows']:>6} {_fmt(m['precision']):>6} {_fmt(m['recall']):>6} "
                f"{_fmt(m['f1']):>6} {_fmt(m['none_to_nudge']):>10} {_fmt(m['crisis_recall']):>10}"
            )
        if args.kinds:
            for kind in sorted({row["kind"] for row in rows}):
                subset = [row for row in rows if row["kind"] == kind]
                m = measure(subset, peerbot)
                if m["none_to_nudge"] is not None:
                    print(f"    kind {kind:<28} rows {m['rows']:>5}  none>nudge {m['none_to_nudge']:.3f}")
        if args.errors:
            shown = 0
            for row in rows:
                got = peerbot(row["text"])
                if got != row["label"] and shown < args.errors:
                    shown += 1
                    print(f"    gold={row['label']:<6} got={got:<6} [{row['kind']}] {row['text'][:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

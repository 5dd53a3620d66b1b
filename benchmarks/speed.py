"""Analyzer throughput against raw VADER on the same messages, and peak memory.

    python benchmarks/speed.py [--rounds 3]

Both run in this process on every message of the labelled data sets; the
figure that matters is the ratio (goal: peerbot >= 0.5x VADER's messages/s,
that is, the analyzer costs at most twice what VADER alone costs).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import dataset_paths, load  # noqa: E402


def _best_rate(fn, texts: list[str], rounds: int) -> float:
    best = 0.0
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        for text in texts:
            fn(text)
        best = max(best, len(texts) / (time.perf_counter() - started))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    texts = [row["text"] for path in dataset_paths() for row in load(path)]

    tracemalloc.start()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader_load = tracemalloc.get_traced_memory()[0]
    from peerbot.tone import analyze

    analyzer_load = tracemalloc.get_traced_memory()[0] - vader_load
    tracemalloc.stop()

    # Warm both so neither pays first-call costs inside the timing.
    for text in texts[:200]:
        vader.polarity_scores(text)
        analyze(text)

    # Rounds alternate between the two so that a busy moment on the machine
    # slows both alike; the best round of each is kept.
    vader_rate = peerbot_rate = 0.0
    for _ in range(args.rounds):
        vader_rate = max(vader_rate, _best_rate(vader.polarity_scores, texts, 1))
        peerbot_rate = max(peerbot_rate, _best_rate(analyze, texts, 1))

    tracemalloc.start()
    for text in texts[:2000]:
        analyze(text)
    _, peak_per_call = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    big = ("We met in the park and talked about our week. " * 2200)[:100_000]
    started = time.perf_counter()
    analyze(big)
    big_seconds = time.perf_counter() - started

    chars = sum(map(len, texts)) / len(texts)
    print(f"messages: {len(texts):,} (mean {chars:.0f} characters), best of {args.rounds} rounds")
    print(f"raw VADER polarity_scores : {vader_rate:10,.0f} messages/s")
    print(f"peerbot analyze           : {peerbot_rate:10,.0f} messages/s")
    print(f"ratio (peerbot / VADER)   : {peerbot_rate / vader_rate:10.2f}x   (goal >= 0.50x)")
    print(f"memory: VADER loaded {vader_load / 1e6:.1f} MB; peerbot lexicons and patterns +{analyzer_load / 1e6:.1f} MB;"
          f" peak while analyzing {peak_per_call / 1e6:.2f} MB")
    print(f"one 100 KB message        : {big_seconds * 1000:10.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Would a small learned reading help the rules? A measurement, not shipped code.

    python benchmarks/learned_tone.py [--threshold 0.85]

Trains a logistic regression over words and word pairs (numpy, deterministic) on the
messages in benchmarks/tone-train/ and asks it only about messages the rules leave alone
that are aimed at someone (second person, a mention, a role, he/she/they) and are not read
as struggle, support or thanks. Prints, per writer held out (trained on the other four):
the rules' recall and none->nudge on that writer's messages, then rules + learned; and the
none->nudge rate of rules + learned (trained on all five) on the public must-not-nudge sets.
The public sets are never trained on. peerbot ships no learned part yet: see README.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import numpy as np

from peerbot.tone import analyze
from peerbot.tone.normalize import normalize

HERE = Path(__file__).resolve().parent
TRAIN = HERE / "tone-train"
BENCH = HERE.parent.parent / "shared" / "data" / "bench"

_MENTION = re.compile(r"<@!?&?\w+>|@[\w.-]+")
_TOKEN = re.compile(r"[a-z0-9']+|[^\w\s,.\"():;-]")
_AIMED = re.compile(r"(?<![\w'])(?:you|u|ur|your|yours|yourself|urself|ya|yall|y'all|youre|you're|he|she|they|him|her|@user)(?![\w'])")
_ROLE = re.compile(
    r"\b(?:facilitator|sponsor|mods?|moderators?|newbies?|newcomers?|group lead|case manager|trainer|admins?"
    r"|some people|certain people|some of (?:y'?all|you|us)|people (?:in|on) here|this group|this server|everyone here)\b"
)
_THANKS = re.compile(r"\b(?:thanks?|thank you|thx|ty|appreciate|grateful|love (?:you|u|ya))\b")


def features(text: str) -> set[str]:
    tokens = _TOKEN.findall(_MENTION.sub(" @user ", normalize(text).lower.replace("\u2019", "'")))[:400]
    found = {"w:" + t for t in tokens}
    found.update("b:" + a + "_" + b for a, b in zip(tokens, tokens[1:]))
    return found


def fit(rows: list[tuple[str, bool]], l2: float = 0.3, steps: int = 400) -> tuple[float, dict[str, float]]:
    feats = [features(t) for t, _ in rows]
    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    index = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= 2))}
    x = np.zeros((len(rows), len(index) + 1))
    for i, fs in enumerate(feats):
        cols = [index[f] for f in fs if f in index]
        if cols:
            x[i, cols] = 1.0 / math.sqrt(len(cols))
        x[i, -1] = 1.0
    y = np.array([1.0 if nudge else 0.0 for _, nudge in rows])
    w = np.zeros(x.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):
        g = x.T @ (1.0 / (1.0 + np.exp(-(x @ w))) - y) / len(rows)
        g[:-1] += l2 * w[:-1] / len(rows)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.5 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return float(w[-1]), {f: float(w[i]) for f, i in index.items()}


def probability(model: tuple[float, dict[str, float]], text: str) -> float:
    bias, weights = model
    hits = [weights[f] for f in features(text) if f in weights]
    z = bias + (sum(hits) / math.sqrt(len(hits)) if hits else 0.0)
    return 1.0 / (1.0 + math.exp(-z))


def decide(text: str, model, threshold: float) -> str:
    report = analyze(text)
    if report.action != "none":
        return report.action
    lower = _MENTION.sub(" @user ", text.lower())
    aimed = _AIMED.search(lower) or _ROLE.search(lower) if len(text) <= 600 else "@user" in lower
    if not aimed or report.category in ("struggle", "supportive"):
        return "none"
    if _THANKS.search(lower) and report.sentiment >= 0.3:
        return "none"
    return "nudge" if probability(model, text) >= threshold else "none"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.85)
    args = parser.parse_args()
    writers = {p.stem: load(p) for p in sorted(TRAIN.glob("writer-*.jsonl"))}
    print(f"{'held out':10} {'rules recall':>12} {'none->nudge':>11} {'+learned recall':>15} {'none->nudge':>11}")
    for held, rows in writers.items():
        model = fit([(r["text"], r["label"] == "nudge") for w, rs in writers.items() if w != held for r in rs])
        nudges = [r for r in rows if r["label"] == "nudge"]
        calm = [r for r in rows if r["label"] == "none"]
        rules = [analyze(r["text"]).action == "nudge" for r in nudges], [analyze(r["text"]).action == "nudge" for r in calm]
        both = ([decide(r["text"], model, args.threshold) == "nudge" for r in nudges],
                [decide(r["text"], model, args.threshold) == "nudge" for r in calm])
        print(f"{held:10} {sum(rules[0]) / len(nudges):12.3f} {sum(rules[1]) / len(calm):11.3f} "
              f"{sum(both[0]) / len(nudges):15.3f} {sum(both[1]) / len(calm):11.3f}", flush=True)
    model = fit([(r["text"], r["label"] == "nudge") for rs in writers.values() for r in rs])
    for name in ("dreaddit-train", "esconv-failed", "counsel-train", "goemotions-train"):
        path = BENCH / f"{name}.jsonl"
        if not path.exists():
            continue
        rows = [r for r in load(path) if r["label"] == "none" and (name != "goemotions-train" or r["kind"] == "goemo_struggle")]
        rules = sum(analyze(r["text"]).action == "nudge" for r in rows) / len(rows)
        both = sum(decide(r["text"], model, args.threshold) == "nudge" for r in rows) / len(rows)
        label = name if name != "goemotions-train" else "goemo_struggle"
        print(f"{label:18} none->nudge rules {rules:.4f}  rules + learned {both:.4f}", flush=True)


if __name__ == "__main__":
    main()

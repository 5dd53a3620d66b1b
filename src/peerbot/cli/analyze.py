"""``peerbot analyze``: the tone decision for a text, or for JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO

from peerbot.errors import BadInput
from peerbot.jsonlines import parse_json_line
from peerbot.tone import DEFAULT_THRESHOLD, ToneReport, analyze

EXIT_OK = 0


def explain(report: ToneReport, threshold: float) -> str:
    """A short human explanation of one decision."""
    if report.action == "crisis":
        headline = "CRISIS: send crisis and warmline resources privately, alert moderators"
    elif report.action == "nudge":
        headline = f"NUDGE ({report.category}): score {report.score:.2f} >= threshold {threshold:.2f}"
    else:
        headline = f"no action ({report.category}): score {report.score:.2f}, threshold {threshold:.2f}"
    lines = [headline, f"  sentiment (VADER compound): {report.sentiment:+.2f}"]
    if report.cues:
        lines.append("  cues:")
        for cue in report.cues:
            words = ", ".join(repr(w) for w in cue.words)
            sign = f"{cue.weight:+.2f}" if cue.weight else "  -  "
            lines.append(f"    {sign}  {cue.name}" + (f"  [{words}]" if words else ""))
    else:
        lines.append("  cues: none")
    return "\n".join(lines)


def _analyze_jsonl(stream: IO[bytes], out: IO[str], threshold: float, source: str) -> None:
    # One line in, one line out, flushed: a caller may feed lines one at a time.
    for number, raw in enumerate(stream, start=1):
        where = f"{source}: line {number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        if not line.strip():
            raise BadInput(f'{where}: empty line (expected a JSON object with a "text" field)')
        row = parse_json_line(line, where)
        if not isinstance(row, dict):
            raise BadInput(f"{where}: expected a JSON object, got {type(row).__name__}")
        text = row.get("text")
        if not isinstance(text, str):
            what = "missing" if "text" not in row else f"a {type(text).__name__}, not a string"
            raise BadInput(f'{where}: field "text" is {what}')
        report = analyze(text, threshold=threshold)
        out.write(json.dumps(report.as_dict()) + "\n")
        out.flush()


def cmd_analyze(args: argparse.Namespace) -> int:
    threshold = args.threshold
    if threshold is None:
        loaded = getattr(args, "loaded", None)
        threshold = loaded.settings.community.nudges.threshold if loaded else DEFAULT_THRESHOLD
    if args.jsonl is not None:
        if args.text:
            raise BadInput("give either TEXT or --jsonl, not both")
        if args.jsonl == "-":
            _analyze_jsonl(sys.stdin.buffer, sys.stdout, threshold, "<stdin>")
            return EXIT_OK
        try:
            stream = open(args.jsonl, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise BadInput(f"{args.jsonl}: cannot read ({exc.strerror})") from None
        with stream:
            _analyze_jsonl(stream, sys.stdout, threshold, args.jsonl)
        return EXIT_OK
    if not args.text:
        raise BadInput("nothing to analyze: give TEXT, or --jsonl [FILE] to read JSON Lines")
    text = " ".join(args.text)
    print(explain(analyze(text, threshold=threshold), threshold))
    return EXIT_OK



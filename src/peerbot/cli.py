"""The ``peerbot`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO

from peerbot import __version__
from peerbot.tone import DEFAULT_THRESHOLD, ToneReport, analyze

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the user must fix; printed as one line, exit code 2."""


def parse_json_line(line: str | bytes, where: str) -> Any:
    """One JSON value, or ``BadInput`` naming the line: also for input Python's JSON reader
    cannot take (nesting deeper than its recursion limit, an integer over 4,300 digits)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadInput(f"{where}: JSON nested too deeply") from None
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise BadInput(f"{where}: a number in it is too long") from None


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {number}")
    return number


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerbot",
        description="Keeps an online peer-support community warm, safe and supportive.",
    )
    parser.add_argument("--version", action="version", version=f"peerbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze_cmd = commands.add_parser(
        "analyze",
        help="explain the tone decision for a text, or for JSON Lines",
        description="Explain what the tone analyzer decides for TEXT, or read JSON Lines "
        "(objects with a \"text\" field) and write one JSON decision per line.",
    )
    analyze_cmd.add_argument("text", nargs="*", metavar="TEXT", help="the message to analyze")
    analyze_cmd.add_argument(
        "--jsonl", nargs="?", const="-", metavar="FILE",
        help="read JSON Lines from FILE (or stdin when FILE is omitted or '-')",
    )
    analyze_cmd.add_argument(
        "--threshold", type=_threshold, default=None,
        help=f"nudge threshold in [0, 1] (default: the configured community threshold, {DEFAULT_THRESHOLD} out of the box)",
    )
    analyze_cmd.set_defaults(handler=cmd_analyze)

    from peerbot.db import register as register_db
    from peerbot.local import register as register_local
    from peerbot.reports import register as register_reports

    register_local(commands)
    register_reports(commands)
    register_db(commands)

    run_cmd = commands.add_parser(
        "run", help="connect to a chat platform and serve communities",
        description="Connect to PLATFORM with the settings from the config file and PEERBOT_* "
        "environment variables, and serve until interrupted.",
    )
    run_cmd.add_argument("platform", choices=["discord", "slack"], help="which platform")
    run_cmd.add_argument("--config", metavar="FILE", help="config file (default: ./config/peerbot.toml)")
    run_cmd.set_defaults(handler=cmd_run)

    discord_cmd = commands.add_parser("discord", help="Discord set-up: sync slash commands, print an invite URL")
    discord_sub = discord_cmd.add_subparsers(dest="discord_command", metavar="SUBCOMMAND", required=True)
    sync_cmd = discord_sub.add_parser("sync", help="register the /peerbot slash commands with Discord")
    sync_cmd.add_argument("--guild", type=int, metavar="ID", help="only in this server (shows up immediately)")
    sync_cmd.add_argument("--config", metavar="FILE", help="config file")
    sync_cmd.set_defaults(handler=lambda args: _discord_cli("cli_sync", args))
    invite_cmd = discord_sub.add_parser("invite", help="print the URL that adds the bot to a server")
    invite_cmd.add_argument("--application-id", metavar="ID", help="default: from settings or the token")
    invite_cmd.add_argument("--config", metavar="FILE", help="config file")
    invite_cmd.set_defaults(handler=lambda args: _discord_cli("cli_invite", args))
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    """Each adapter module provides ``cli_run(args) -> exit code``."""
    import importlib

    return importlib.import_module(f"peerbot.adapters.{args.platform}").cli_run(args)


def _discord_cli(name: str, args: argparse.Namespace) -> int:
    from peerbot.adapters import discord as discord_adapter

    return getattr(discord_adapter, name)(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    from peerbot.config import ConfigError, load_config

    try:
        # Every command validates all config files first, so mistakes surface at start-up.
        args.loaded = load_config(getattr(args, "config", None))
        from peerbot.logs import quiet_libraries

        quiet_libraries(args.loaded.settings.log_libraries)
        return args.handler(args)
    except ConfigError as exc:
        print(f"peerbot: config error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BadInput as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``peerbot`` argument parser: every subcommand and option, and no command's code.

Building it imports nothing but argparse, so ``peerbot --help`` and ``peerbot analyze`` stay
fast: each subcommand names its handler as ``"module:function"``, imported only when that
subcommand runs (``peerbot.cli.main``).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from peerbot import __version__

#: The analyzer's nudge threshold out of the box (peerbot.tone.DEFAULT_THRESHOLD, checked by a
#: test): written here so that building the help does not load the analyzer.
DEFAULT_THRESHOLD = 0.5

#: Dates the commands accept: a week and a year either side stay inside datetime's range.
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


def threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {number}")
    return number


def days(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 366:
        raise argparse.ArgumentTypeError("a number of days from 1 to 366")
    return int(value)


def a_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2025-06-02: {value!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise argparse.ArgumentTypeError(f"a date from {EARLIEST} to {LATEST}, got {value}")
    return day


def add_config_flag(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # SUPPRESS on subcommands keeps them from clobbering a top-level --config.
    parser.add_argument(
        "--config", metavar="FILE", default=None if top else argparse.SUPPRESS,
        help="config file (default: $PEERBOT_CONFIG, ./config/peerbot.toml, or the shipped defaults)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerbot",
        description="Keeps an online peer-support community warm, safe and supportive.",
    )
    parser.add_argument("--version", action="version", version=f"peerbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _analyze(commands)
    _local(commands)
    _reports(commands)
    _db(commands)
    _platforms(commands)
    return parser


def _analyze(commands: Any) -> None:
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
        "--threshold", type=threshold, default=None,
        help=f"nudge threshold in [0, 1] (default: the configured community threshold, {DEFAULT_THRESHOLD} out of the box)",
    )
    analyze_cmd.set_defaults(handler="peerbot.cli.analyze:cmd_analyze")


def _local(commands: Any) -> None:
    demo = commands.add_parser("demo", help="play a scripted community through the real engine",
                               description="Play a scripted day in a small community through the real engine "
                               "and store, with a simulated clock, and print what members and moderators see.")
    demo.add_argument("--db", metavar="FILE", help="keep the demo's SQLite database here (default: a temporary file)")
    add_config_flag(demo)
    demo.set_defaults(handler="peerbot.local:cmd_demo")

    chat = commands.add_parser("chat", help="be a community in your terminal",
                               description="Type as members of a local community; /help lists commands.")
    chat.add_argument("--db", metavar="FILE", help="keep the chat's SQLite database here (default: temporary)")
    add_config_flag(chat)
    chat.set_defaults(handler="peerbot.local:cmd_chat")

    replay = commands.add_parser("replay", help="what would have been nudged in exported history",
                                 description="Run exported history (JSON Lines with text, author, channel, "
                                 "time) through the analyzer and policy, and print counts per category "
                                 "and per threshold. Prints no message text.")
    replay.add_argument("file", metavar="FILE.jsonl")
    replay.add_argument("--community", metavar="PLATFORM:ID", default="",
                        help="use this community's settings from the config (default: [community])")
    replay.add_argument("--show", action="store_true", help="list the line numbers that would be nudged")
    replay.add_argument("--chart", metavar="FILE.png",
                        help="also draw the threshold sweep (nudges per category against the threshold) as a PNG")
    add_config_flag(replay)
    replay.set_defaults(handler="peerbot.local:cmd_replay")

    config = commands.add_parser("config", help="configuration tools")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = config_commands.add_parser("check", help="validate and print the effective configuration",
                                       description="Validate the config file, environment and data files; "
                                       "print the effective configuration with secrets masked.")
    add_config_flag(check)
    check.set_defaults(handler="peerbot.cli.config:cmd_config_check")
    init = config_commands.add_parser(
        "init", help="write the config files a community edits (peerbot.toml, messages.toml, prompts.toml)",
        description="Copy the shipped peerbot.toml, messages.toml and prompts.toml into FOLDER, to edit. "
        "peerbot reads ./config/peerbot.toml when it exists, else the shipped files.")
    init.add_argument("folder", nargs="?", default="config", metavar="FOLDER", help="where (default: ./config)")
    init.add_argument("--force", action="store_true", help="replace files that are already there")
    init.set_defaults(handler="peerbot.cli.config:cmd_config_init", needs_config=False)


def _reports(commands: Any) -> None:
    stats = commands.add_parser(
        "stats", help="a community's figures for a period (aggregates only)",
        description="Print a community's figures from the database: messages seen by tone, nudges and what "
        "became of them, delivery, feedback, welcomes, prompts and replies, crisis alerts. No message "
        "text, no ranking of members.")
    _report_options(stats)
    stats.add_argument("--days", type=days, default=7, help="the period's length (default 7)")
    stats.add_argument("--until", type=a_date, metavar="YYYY-MM-DD",
                       help="the period ends at the start of this local date (default: now, or the latest "
                       "activity when that is older)")
    add_config_flag(stats)
    stats.set_defaults(handler="peerbot.reports:cmd_stats")

    digest = commands.add_parser(
        "digest", help="the weekly climate digest: its text, and its chart as a PNG",
        description="Print a week's climate digest (figures against the week before) and draw its chart "
        "(tone mix and nudge outcomes) to a PNG file, as the bot posts it to the moderators' channel.")
    _report_options(digest)
    digest.add_argument("--week-of", type=a_date, metavar="YYYY-MM-DD",
                        help="the digest week containing this local date (default: the week of the latest "
                        "activity)")
    digest.add_argument("--out", metavar="FILE.png", default="digest.png", help="where to write the chart "
                        "(default: digest.png)")
    add_config_flag(digest)
    digest.set_defaults(handler="peerbot.reports:cmd_digest")


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", help="a SQLite database file (default: database_url from the config)")
    parser.add_argument("--community", metavar="PLATFORM:ID",
                        help="which community (default: the only one in the database)")
    parser.add_argument("--name", help="the community's name for headings (default: its PLATFORM:ID)")


def _db(commands: Any) -> None:
    db = commands.add_parser("db", help="the database schema: upgrade it, show its revision",
                             description="Manage the schema of the database in database_url "
                             "(PEERBOT_DATABASE_URL). Migrations ship inside peerbot.")
    sub = db.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)
    upgrade = sub.add_parser("upgrade", help="bring the schema to this peerbot's newest revision",
                             description="Apply every migration the database lacks, in one transaction "
                             "under a database lock (safe while other peerbot processes start).")
    add_config_flag(upgrade)
    upgrade.set_defaults(handler="peerbot.db:cmd_upgrade")
    status = sub.add_parser("status", help="show the database's revision; exit 1 when it is behind")
    add_config_flag(status)
    status.set_defaults(handler="peerbot.db:cmd_status")


def _platforms(commands: Any) -> None:
    run_cmd = commands.add_parser(
        "run", help="connect to a chat platform and serve communities",
        description="Connect to PLATFORM with the settings from the config file and PEERBOT_* "
        "environment variables, and serve until interrupted.",
    )
    run_cmd.add_argument("platform", choices=["discord", "slack"], help="which platform")
    run_cmd.add_argument("--config", metavar="FILE", help="config file (default: ./config/peerbot.toml)")
    run_cmd.set_defaults(handler="peerbot.cli.platforms:cmd_run")

    discord_cmd = commands.add_parser("discord", help="Discord set-up: sync slash commands, print an invite URL")
    discord_sub = discord_cmd.add_subparsers(dest="discord_command", metavar="SUBCOMMAND", required=True)
    sync_cmd = discord_sub.add_parser("sync", help="register the /peerbot slash commands with Discord")
    sync_cmd.add_argument("--guild", type=int, metavar="ID", help="only in this server (shows up immediately)")
    sync_cmd.add_argument("--config", metavar="FILE", help="config file")
    sync_cmd.set_defaults(handler="peerbot.cli.platforms:cmd_discord_sync")
    invite_cmd = discord_sub.add_parser("invite", help="print the URL that adds the bot to a server")
    invite_cmd.add_argument("--application-id", metavar="ID", help="default: from settings or the token")
    invite_cmd.add_argument("--config", metavar="FILE", help="config file")
    invite_cmd.set_defaults(handler="peerbot.cli.platforms:cmd_discord_invite")

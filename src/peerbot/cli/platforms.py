"""``peerbot run discord|slack`` and ``peerbot discord sync|invite``: each platform's module
provides the command (``cli_run``, ``cli_sync``, ``cli_invite``), imported only to run it."""

from __future__ import annotations

import argparse
import importlib


def cmd_run(args: argparse.Namespace) -> int:
    """Each adapter module provides ``cli_run(args) -> exit code``."""
    return importlib.import_module(f"peerbot.adapters.{args.platform}").cli_run(args)  # type: ignore[no-any-return]


def cmd_discord_sync(args: argparse.Namespace) -> int:
    from peerbot.adapters import discord as discord_adapter

    return discord_adapter.cli_sync(args)


def cmd_discord_invite(args: argparse.Namespace) -> int:
    from peerbot.adapters import discord as discord_adapter

    return discord_adapter.cli_invite(args)

"""Run one ``peerbot`` subcommand: parse, load and check the configuration, dispatch."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from peerbot.cli.parser import build_parser
from peerbot.errors import BadInput, ConfigError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def handler(name: str) -> Callable[[argparse.Namespace], int]:
    """The function a subcommand names as ``"module:function"``, imported now."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    from peerbot.config import load_config
    from peerbot.logs import quiet_libraries

    try:
        if getattr(args, "needs_config", True):
            # Every command validates all config files first, so mistakes surface at start-up.
            args.loaded = load_config(getattr(args, "config", None))
            quiet_libraries(args.loaded.settings.log_libraries)
        return handler(args.handler)(args)
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

"""The ``peerbot`` command line.

``parser`` declares every subcommand; ``main`` parses, loads the configuration and runs the
one subcommand asked for, importing its module only then (``peerbot analyze`` never loads the
database, platform or plotting code).
"""

from __future__ import annotations

from peerbot.cli.main import EXIT_BAD_INPUT, EXIT_OK, main
from peerbot.errors import BadInput
from peerbot.jsonlines import parse_json_line

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "BadInput", "main", "parse_json_line"]

"""The errors a command reports as one line with exit status 2."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration problem the user must fix: where, which key, why."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source, self.key, self.reason = source, key, reason
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {reason}")


class BadInput(Exception):
    """Input the user must fix; printed as one line, exit code 2."""

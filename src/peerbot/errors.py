"""The error every configuration problem is reported as."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration problem the user must fix: where, which key, why."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source, self.key, self.reason = source, key, reason
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {reason}")

"""Library loggers that would print what peerbot keeps out of its logs."""

from __future__ import annotations

import logging

#: Below these levels they print SQL parameters (moderator command text, ids) or whole
#: request and response bodies (message text); peerbot's own logs never hold message text.
#: The platform libraries keep their INFO lines (connected, reconnecting): the adapters
#: filter the one that carries a body.
QUIET = {
    "aiosqlite": logging.WARNING, "asyncpg": logging.WARNING, "sqlalchemy": logging.WARNING,
    "slack_sdk": logging.INFO, "slack_bolt": logging.INFO, "websockets": logging.INFO, "aiohttp": logging.INFO,
    "urllib3": logging.INFO,
}


def quiet_libraries(allow: bool = False) -> None:
    """Raise those loggers to their level, unless ``allow`` (the ``log_libraries`` setting) asks
    for their detail, or a level was set for one of them on purpose already."""
    if allow:
        return
    for name, level in QUIET.items():
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(level)

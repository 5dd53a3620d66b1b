"""Which database errors are an outage, and how to name one without leaking a secret."""

from __future__ import annotations

import asyncio
import sqlite3

from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import DBAPIError

from peerbot.store.protocol import DatabaseUnavailable

#: PostgreSQL SQLSTATEs (classes, or whole codes) of a server that is there but cannot do the
#: work: connection exceptions (08), insufficient resources such as a full disk (53),
#: operator intervention such as a shutdown (57P), system errors such as I/O (58), and a
#: read-only transaction (25006: a standby after a failover, or writes switched off).
_OUTAGE_SQLSTATES = ("08", "53", "57P", "58", "25006")
_OUTAGE_NAMES = ("ConnectionDoesNotExistError", "CannotConnectNowError", "ConnectionFailureError",
                 "AdminShutdownError", "CrashShutdownError", "InterfaceError", "InternalClientError",
                 "TooManyConnectionsError", "PostgresConnectionError")


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None)
        if isinstance(code, str):
            return code
    return None


def is_outage(exc: BaseException) -> bool:
    """Is this the database being unreachable, or refusing writes for a reason of its own (a
    full disk, read-only after a failover, a failed commit), rather than a bug or bad data?"""
    if isinstance(exc, (OSError, TimeoutError, asyncio.TimeoutError, ConnectionError, sa_exc.TimeoutError,
                        DatabaseUnavailable)):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return True
        code = _sqlstate(exc)
        if code is not None and code.startswith(_OUTAGE_SQLSTATES):
            return True
        orig = getattr(exc, "orig", None)
        cause = getattr(orig, "__cause__", None) or orig
        return isinstance(cause, (OSError, sqlite3.OperationalError)) or type(cause).__name__ in _OUTAGE_NAMES
    return False


def describe_error(exc: BaseException) -> str:
    """The driver's own error, named: "ConnectionRefusedError", or PostgreSQL's message such as
    'InvalidAuthorizationSpecificationError: role "x" does not exist' (never a password)."""
    root: BaseException = exc
    while True:
        inner = getattr(root, "orig", None) or root.__cause__
        if inner is None or inner is root:
            break
        root = inner
    name = type(root).__name__
    if type(root).__module__.startswith("asyncpg") and str(root):
        return f"{name}: {str(root).splitlines()[0][:200]}"
    return name

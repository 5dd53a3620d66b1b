"""Schema migrations (Alembic), shipped inside the package so they run from an installed wheel.

``peerbot db upgrade`` brings a database to the newest revision; ``peerbot db status`` shows
where it is. At start-up (``database_migrate``):

- ``"auto"`` (default): upgrade before serving. The upgrade runs in one transaction holding a
  database lock (a PostgreSQL advisory lock; SQLite's write lock), so when several processes
  start at once exactly one migrates and the others find the schema current;
- ``"check"``: never change the schema; refuse to start, naming the command to run, when the
  database is behind. For deployments that migrate as a separate step.

Either way a database whose revision is newer than this peerbot knows is refused: an older
release must not write into a schema it does not understand. A database created by peerbot
0.1 (tables, no revision table) is recognised and stamped as revision 0001 first.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from peerbot.store.protocol import SchemaError

__all__ = ["SchemaError", "check", "current", "head", "known", "upgrade"]


class SqlStore(Protocol):
    """What migrating needs of a store (``peerbot.store.sql.SqlStore`` has it), named here so
    this module does not import the store that calls it."""

    engine: AsyncEngine
    schema: str | None
    dialect: str

MIGRATIONS = Path(__file__).parent / "migrations"
#: The revision describing the tables peerbot 0.1 made with ``create_all``.
BASELINE = "0001"


def _config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this peerbot knows."""
    found = _script().get_current_head()
    assert found is not None
    return found


def known(revision: str) -> bool:
    return any(script.revision == revision for script in _script().walk_revisions())


def _current_sync(connection: Any) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current(store: SqlStore) -> str | None:
    """The database's revision; None for an empty database (or a 0.1 one, see BASELINE)."""
    async with store.engine.connect() as conn:
        return await conn.run_sync(_current_sync)


def _lock_key(store: SqlStore) -> int:
    digest = hashlib.blake2b(f"peerbot-migrate|{store.schema or ''}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _upgrade_sync(connection: Any, store: SqlStore, target: str) -> list[str]:
    if connection.dialect.name == "postgresql":
        # One migrator at a time; the others wait here, then find nothing left to do.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(store)})
        if store.schema:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{store.schema}"'))
    before = _current_sync(connection)
    if before is None and inspect(connection).has_table("processed_events"):
        command.stamp(_config(connection), BASELINE)  # made by peerbot 0.1's create_all
        before = BASELINE
    if before is not None and not known(before):
        raise SchemaError(_ahead_message(before))
    command.upgrade(_config(connection), target)
    after = _current_sync(connection)
    if before == after:
        return []
    walk = _script().iterate_revisions(after, before or "base")
    return [script.revision for script in reversed(list(walk))]


async def upgrade(store: SqlStore, target: str = "head") -> list[str]:
    """Upgrade to ``target`` in one transaction; returns the revisions applied, oldest first."""
    async with _sqlite_file_lock(store):
        async with store.engine.begin() as conn:
            return await conn.run_sync(_upgrade_sync, store, target)


@contextlib.asynccontextmanager
async def _sqlite_file_lock(store: SqlStore) -> AsyncIterator[None]:
    """SQLite: one migrator at a time, processes included, waiting on a lock file beside the
    database rather than inside SQLite (where a new file's first connections could wait on
    each other's locks while one switches the file to WAL)."""
    database = store.engine.url.database if store.dialect == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    handle = open(f"{database}.migrate-lock", "a+b")  # noqa: SIM115 - closed below
    try:
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock


def _ahead_message(revision: str) -> str:
    return (f"the database schema is at revision {revision}, newer than this peerbot knows "
            f"(newest here: {head()}); upgrade peerbot on this machine")


async def check(store: SqlStore) -> None:
    """Raise ``SchemaError`` unless the database is at this peerbot's newest revision."""
    async with store.engine.connect() as conn:
        revision = await conn.run_sync(_current_sync)
        legacy = revision is None and await conn.run_sync(lambda c: inspect(c).has_table("processed_events"))
    if revision == head():
        return
    if revision is not None and not known(revision):
        raise SchemaError(_ahead_message(revision))
    where = "empty" if revision is None and not legacy else f"at revision {revision or BASELINE}"
    raise SchemaError(
        f"the database schema is {where}, this peerbot needs revision {head()}: run `peerbot db upgrade` "
        "(or set database_migrate = \"auto\" to migrate at start-up)"
    )

"""Databases for tests: SQLite in tmp_path, and the real PostgreSQL on this machine.

Every PostgreSQL test gets its own schema (``pbt_<run>_<n>``, the run part random), dropped
when the test ends, so parallel runs on one server never see each other's rows. PostgreSQL
must be reachable: a test that needs it FAILS when it is not (start it with
``pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start``; ``.ci/run``
does). ``PEERBOT_TEST_PG_URL`` points the tests at another server.

Use the ``backend`` fixture (parametrised: sqlite, postgresql) through ``make_store`` /
``db_url``; import them into a test module: ``from db_kit import backend, db_url, make_store``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from peerbot.store import SqlStore, open_store

PG_URL = os.environ.get("PEERBOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
RUN = secrets.token_hex(4)
_numbers = itertools.count(1)


def _raw_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _pg(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_raw_dsn(PG_URL), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pg_schema() -> str:
    """A fresh schema name for this run (created by the first migration)."""
    return f"pbt_{RUN}_{next(_numbers)}"


def require_postgresql() -> None:
    try:
        asyncio.run(_pg("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach it is the same failure
        pytest.fail(
            f"PostgreSQL at {PG_URL} is not reachable ({type(exc).__name__}: {exc}); start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (.ci/run does)",
            pytrace=False,
        )


def drop_schema(schema: str) -> None:
    asyncio.run(_pg(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@dataclass(frozen=True)
class Db:
    """One database for one test: ``url`` plus ``schema`` (PostgreSQL) — what a process needs."""

    kind: str
    url: str
    schema: str | None = None

    async def open(self, **kwargs: Any) -> SqlStore:
        return await open_store(self.url, schema=self.schema, **kwargs)

    def env(self) -> dict[str, str]:
        """The environment that points a ``peerbot`` process at this database."""
        out = {"PEERBOT_DATABASE_URL": self.url}
        if self.schema:
            out["PEERBOT_DATABASE_SCHEMA"] = self.schema
        return out


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    yield from _db(request.param, tmp_path)


@pytest.fixture
def pg_db(tmp_path: Path) -> Iterator[Db]:
    yield from _db("postgresql", tmp_path)


def _db(kind: str, tmp_path: Path) -> Iterator[Db]:
    if kind == "sqlite":
        yield Db("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'peerbot.db'}")
        return
    require_postgresql()
    schema = pg_schema()
    try:
        yield Db("postgresql", PG_URL, schema)
    finally:
        drop_schema(schema)


@pytest.fixture
async def make_store(backend: Db) -> AsyncIterator[Any]:
    """``await make_store()``: another store (as another process would have) on the test's DB."""
    opened: list[SqlStore] = []

    async def make(**kwargs: Any) -> SqlStore:
        store = await backend.open(**kwargs)
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()

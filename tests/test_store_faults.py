"""A database that is reachable but will not write: a full disk, a read-only server after a
failover, a transaction that fails when it commits. Crisis support, welcomes and replies
carry on from memory, and the journal is written when the database takes writes again.

The faults are real: SQLite on a 2 MB tmpfs that fills up (mounted in a private mount
namespace by tests/disk_full_worker.py), PostgreSQL with the role's sessions made read-only
(``ALTER ROLE ... SET default_transaction_read_only``) and a deferred constraint trigger that
fails the commit with PostgreSQL's own ``disk_full`` error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from db_kit import PG_URL, require_postgresql
from engine_kit import COMMUNITY, T0, joined, kinds, posted, report, scripted
from peerbot.engine import Engine
from peerbot.events import DirectMessage, Member
from peerbot.settings import Settings
from peerbot.store import open_store
from peerbot.store.resilient import ResilientStore

ROOT = Path(__file__).resolve().parents[1]
CRISIS = "I want to kill myself tonight"


def test_sqlite_disk_full_at_commit_still_gets_crisis_support_and_a_real_welcome(tmp_path):
    if shutil.which("unshare") is None:
        pytest.fail("this test needs util-linux's unshare (a private mount namespace for a tiny tmpfs)")
    done = subprocess.run(
        ["unshare", "-rm", sys.executable, str(ROOT / "tests" / "disk_full_worker.py"), str(tmp_path / "disk")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.splitlines()[-1])
    # the join that met the full disk first: a newcomer, welcomed privately and in the channel
    assert out["join"] == [["PrivateMessage", ""], ["Post", "welcome"]]
    assert out["down_after_join"] and out["pending_join"]["join"] == 1 and out["recovered_join"]
    # the crisis that met it: resources and a moderator alert, journalled, then written
    assert out["crisis"] == ["CrisisSupport", "AlertModerators"]
    assert out["down_after_crisis"] and out["pending_crisis"]["crisis"] == 1
    assert out["recovered"] and out["pending_after"] == {}
    assert out["alerts"] == ["2.0"]
    assert out["joins"] == [["UOLD", 0], ["UNEW", 0]]
    assert any("database unavailable (OperationalError)" in line for line in out["log"])
    assert any("wrote what was done while it was away: 1 crisis alerts" in line for line in out["log"])
    assert not any(CRISIS in line for line in out["log"])


# -- PostgreSQL: read-only after a failover, and a commit that fails for a full disk -------------


async def _admin(sql: str) -> list[Any]:
    """Run ``sql`` as the server's administrator: the rows of one query, or several statements."""
    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        if sql.lstrip().upper().startswith("SELECT") and ";" not in sql:
            return list(await conn.fetch(sql))
        await conn.execute(sql)
        return []
    finally:
        await conn.close()


@pytest.fixture
def pg_role():
    """A login role of this test's own (so making *its* sessions read-only touches nobody else)
    and a schema it owns."""
    require_postgresql()
    role = f"pbt_role_{secrets.token_hex(4)}"
    schema = f"{role}_s"
    database = PG_URL.rsplit("/", 1)[1]
    asyncio.run(_admin(f'CREATE ROLE "{role}" LOGIN; GRANT CREATE ON DATABASE "{database}" TO "{role}"'))
    user_part = PG_URL.split("://", 1)[1].split("@", 1)[0]
    url = PG_URL.replace(f"://{user_part}@", f"://{role}@", 1)
    try:
        yield role, url, schema
    finally:
        asyncio.run(_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; SELECT pg_terminate_backend(pid) '
                           f"FROM pg_stat_activity WHERE usename = '{role}'"))
        asyncio.run(_admin(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"'))


def _engine(store: Any) -> Engine:
    return Engine(store, Settings(_env_file=None, database_url="sqlite+aiosqlite:///unused.db",
                                  settings_cache_seconds=0),
                  analyze=scripted({"mean": report("criticism", 0.9, "nudge"), CRISIS: report("crisis", 1.0, "crisis")}))


def _dm(message_id: str) -> DirectMessage:
    return DirectMessage(event_id=f"dm-{message_id}", community=COMMUNITY, at=T0, author=Member("bo", "Bo"),
                         channel_id="D-bo", message_id=message_id, text=CRISIS)


async def _everything_still_works(engine: Engine) -> None:
    """A crisis in a DM and in a channel, a nudge, a welcome and command replies, with the
    database refusing every write."""
    assert kinds(await engine.handle(_dm("dm-crisis"))) == ["CrisisSupport", "AlertModerators"]
    assert kinds(await engine.handle(posted(CRISIS, author="cy", message_id="channel-crisis"))) == [
        "CrisisSupport", "AlertModerators"]
    assert kinds(await engine.handle(posted("mean", author="ana"))) == ["PrivateNudge"]
    assert kinds(await engine.handle(joined("dee", T0))) == ["PrivateMessage", "Post"]
    from engine_kit import command

    settings_reply = await engine.handle(command("settings"))
    assert settings_reply[0].ok and "threshold" in settings_reply[0].text
    refused = await engine.handle(command("threshold 0.9"))
    assert not refused[0].ok and "unavailable" in refused[0].text


async def _written_when_back(store: ResilientStore, schema: str) -> None:
    for _ in range(5):  # the first try may meet a connection the server closed
        if await store.recover():
            break
    assert not store.down and store.pending == {}
    rows = await _admin(f'SELECT message_id FROM "{schema}".crisis_alerts ORDER BY message_id')
    assert [r["message_id"] for r in rows] == ["channel-crisis", "dm-crisis"]
    joins = await _admin(f'SELECT member_id FROM "{schema}".joins')
    assert [r["member_id"] for r in joins] == ["dee"]
    assert len(await _admin(f'SELECT 1 FROM "{schema}".nudges')) == 1


def test_postgresql_read_only_after_a_failover_keeps_crisis_support_and_the_journal(pg_role):
    role, url, schema = pg_role

    async def scenario():
        await (await open_store(url, schema=schema)).close()  # the schema, made while writable
        # The failover: the server this role reaches now refuses writes in every new session.
        await _admin(f'ALTER ROLE "{role}" SET default_transaction_read_only = on')
        store = ResilientStore(await open_store(url, schema=schema, migrate="check"), timeout=5, retry_seconds=3600)
        try:
            engine = _engine(store)
            await _everything_still_works(engine)
            assert store.down
            assert store.pending["crisis"] == 2 and store.pending["join"] == 1 and store.pending["nudge"] == 1
            # still read-only: the journal keeps every entry
            assert not await store.recover()
            assert store.pending["crisis"] == 2 and store.dropped == {}
            # writable again (the new primary): the journal is written
            await _admin(f'ALTER ROLE "{role}" RESET default_transaction_read_only; SELECT pg_terminate_backend(pid) '
                         f"FROM pg_stat_activity WHERE usename = '{role}'")
            await _written_when_back(store, schema)
        finally:
            await store.close()

    asyncio.run(scenario())


def test_postgresql_commit_failing_for_a_full_disk_keeps_crisis_support_and_the_journal(pg_role):
    _, url, schema = pg_role

    async def scenario():
        store = ResilientStore(await open_store(url, schema=schema), timeout=5, retry_seconds=3600)
        try:
            # Every write fails when its transaction commits, with PostgreSQL's own disk_full error.
            await _admin(f"""
                CREATE FUNCTION "{schema}".disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
                END $$;""")
            tables = [r["tablename"] for r in await _admin(
                f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' AND tablename <> 'alembic_version'")]
            for table in tables:
                await _admin(f'CREATE CONSTRAINT TRIGGER full_disk AFTER INSERT OR UPDATE ON "{schema}"."{table}" '
                             f'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "{schema}".disk_full()')
            engine = _engine(store)
            await _everything_still_works(engine)
            assert store.down and store.pending["crisis"] == 2
            assert not await store.recover()  # the disk is still full: nothing is dropped
            assert store.pending["crisis"] == 2 and store.dropped == {}
            for table in tables:
                await _admin(f'DROP TRIGGER full_disk ON "{schema}"."{table}"')
            await _written_when_back(store, schema)
        finally:
            await store.close()

    asyncio.run(scenario())

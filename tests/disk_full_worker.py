"""A peerbot engine on SQLite on a tiny filesystem that fills up, for test_store_faults.py.

    unshare -rm python tests/disk_full_worker.py MOUNT_POINT

Runs in its own mount namespace (``unshare -rm``: no root needed where user namespaces are
allowed) so it can mount a 2 MB tmpfs at MOUNT_POINT that nobody else sees. It opens the
real store there (``open_store_from``: the resilient store over SQLite in WAL mode), handles
a message while the disk has room, truncates the WAL and fills the disk, so the next
transaction fails when it commits (SQLite writes a transaction to the WAL at commit), then
handles a crisis in a DM and a newcomer's join, frees the space and lets the store write
its journal. Prints one JSON object with what happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from peerbot.engine import Engine
from peerbot.events import Channel, Community, DirectMessage, Member, MemberJoined, MessagePosted
from peerbot.settings import Settings
from peerbot.store import open_store_from

COMMUNITY = Community("slack", "TFULL", "Full Disk")
T0 = datetime(2025, 3, 10, 14, 0, tzinfo=UTC)
CRISIS = "I want to kill myself tonight"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):  # to the last byte
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


async def main(disk: Path) -> dict[str, object]:
    db = disk / "peerbot.db"
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}", database_timeout_seconds=5,
                        database_retry_seconds=3600, settings_cache_seconds=0)
    store = await open_store_from(settings)
    engine = Engine(store, settings)
    who = Member("UBOB", "Bob")
    out: dict[str, object] = {}
    warm = await engine.handle(MemberJoined(event_id="j0", community=COMMUNITY, at=T0, member=Member("UOLD")))
    out["warm"] = [type(a).__name__ for a in warm]
    await engine.handle(MessagePosted(event_id="m0", community=COMMUNITY, at=T0, channel=Channel("C1", "general"),
                                      author=who, message_id="1.0", text="good morning"))
    await store.real.drain()
    with sqlite3.connect(db) as raw:  # the WAL is empty: the next commit has to grow it
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    filler = fill(disk)

    # The first transaction to hit the full disk is a newcomer's join...
    later = T0 + timedelta(minutes=5)
    join = await engine.handle(MemberJoined(event_id="j1", community=COMMUNITY, at=later, member=Member("UNEW")))
    out["join"] = [(type(a).__name__, getattr(a, "kind", "")) for a in join]
    out["down_after_join"] = store.down
    out["pending_join"] = dict(store.pending)
    filler.unlink()
    out["recovered_join"] = await store.recover()

    # ... and, the disk full again, a crisis in a DM.
    await store.real.drain()
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    filler = fill(disk)
    dm = DirectMessage(event_id="dm1", community=COMMUNITY, at=later, author=who, channel_id="DBOB",
                       message_id="2.0", text=CRISIS)
    out["crisis"] = [type(a).__name__ for a in await engine.handle(dm)]
    out["down_after_crisis"] = store.down
    out["pending_crisis"] = dict(store.pending)
    filler.unlink()
    out["recovered"] = await store.recover()
    out["pending_after"] = dict(store.pending)
    with sqlite3.connect(db) as raw:
        out["alerts"] = [r[0] for r in raw.execute("SELECT message_id FROM crisis_alerts")]
        out["joins"] = [list(r) for r in raw.execute("SELECT member_id, is_returning FROM joins ORDER BY id")]
    await store.close()
    return out


if __name__ == "__main__":
    mount_point = Path(sys.argv[1])
    mount_point.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], check=True)
    handler = Lines()
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    result = asyncio.run(main(mount_point))
    result["log"] = handler.lines
    print(json.dumps(result))

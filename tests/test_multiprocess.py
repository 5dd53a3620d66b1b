"""Several engines in separate OS processes on one PostgreSQL, fed the same events and the
same clock (tests/mp_worker.py): the database alone keeps every promise exactly once."""

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from db_kit import Db, pg_db  # noqa: F401 - fixture
from mp_worker import COMMUNITIES, FIRST_TIMERS, scenario

WORKERS = 3
HERE = Path(__file__).parent


def run_workers(db: Db, tmp_path: Path, workers: int = WORKERS) -> list[dict]:
    env = {**os.environ, **db.env()}
    procs = []
    for n in range(workers):
        procs.append(subprocess.Popen(
            [sys.executable, str(HERE / "mp_worker.py"), str(tmp_path / f"worker{n}.jsonl")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        ))
    try:
        # Every worker has migrated (all at once, on an empty schema) before any starts.
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert out.startswith("done"), out
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    rows = []
    for n in range(workers):
        for line in (tmp_path / f"worker{n}.jsonl").read_text().splitlines():
            rows.append(json.loads(line) | {"worker": n})
    return rows


def test_engines_in_separate_processes_act_exactly_once(pg_db, tmp_path):
    rows = run_workers(pg_db, tmp_path)
    by_community: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_community[row["community"]].append(row)
    assert sorted(by_community) == sorted(c.id for c in COMMUNITIES)

    for community, actions in by_community.items():
        # One prompt per community per local date, from 09:00 New York time (a tick or two
        # late when a worker's later tick got there first).
        prompts = sorted(a["at"] for a in actions if a["type"] == "Post" and a["kind"] == "prompt")
        assert [p[:10] for p in prompts] == ["2025-03-10", "2025-03-11"], community
        assert all("09:00" <= p[11:16] <= "09:02" for p in prompts), prompts

        # One private welcome per first-time member; one channel welcome per join (m0 came back).
        private = Counter(a["member_id"] for a in actions if a["type"] == "PrivateMessage")
        assert private == Counter(FIRST_TIMERS), community
        greeted = Counter(m for a in actions if a["type"] == "Post" and a["kind"].startswith("welcome")
                          for m in a["mention_ids"])
        assert greeted == Counter(FIRST_TIMERS) + Counter({"m0": 1}), community
        assert [a["kind"] for a in actions if a["type"] == "Post" and "m0" in a["mention_ids"]
                and a["at"].startswith("2025-03-11")] == ["welcome_back"]

        # The shared cooldown: m1 criticised three times inside an hour, once the next day.
        nudges = sorted(datetime.fromisoformat(a["at"]) for a in actions if a["type"] == "PrivateNudge")
        assert len(nudges) == 2 and nudges[1] - nudges[0] >= timedelta(minutes=60), nudges

        # A crisis message and its edit: resources once, moderators alerted once.
        assert [a["member_id"] for a in actions if a["type"] == "CrisisSupport"] == ["m2"]
        assert [a["reason"] for a in actions if a["type"] == "AlertModerators"] == ["crisis"]

    # One worker, and one handling, per event id (ticks run everywhere and are not events).
    workers_per_event: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if not row["event_id"].startswith("tick:"):
            workers_per_event[row["event_id"]].add(row["worker"])
    assert workers_per_event and all(len(w) == 1 for w in workers_per_event.values())

    # Every event id of the scenario was claimed exactly once.
    expected = {(e.community.id, e.event_id) for e in scenario() if hasattr(e, "event_id")}

    async def claimed() -> list[tuple[str, str]]:
        store = await pg_db.open()
        try:
            async with store.engine.connect() as conn:
                result = await conn.execute(text("SELECT community_id, event_id FROM processed_events"))
                return [tuple(row) for row in result]
        finally:
            await store.close()

    import asyncio

    found = asyncio.run(claimed())
    assert len(found) == len(set(found))
    assert expected <= set(found)
    assert {f for f in found if not f[1].startswith("prompt-due:")} == expected

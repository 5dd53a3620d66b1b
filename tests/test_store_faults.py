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

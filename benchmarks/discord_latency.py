"""Gateway event -> Discord REST call latency, on loopback, through the real stack.

    python benchmarks/discord_latency.py [--events 300] [--warmup 20] [--db-dir DIR]

Each event is a criticism from a different member (so no cooldown applies) that peerbot
answers with a private nudge by DM. The clock starts when the fake Discord sends
MESSAGE_CREATE on the gateway and stops when it receives the DM's
``POST /channels/{dm}/messages`` (after ``POST /users/@me/channels``). In between: the
gateway websocket, discord.py's parsing and cache, the adapter, the engine with the tone
analyzer, the SQLite store and discord.py's HTTP client. The counterpart of
``slack_latency.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from fakes.discord_server import FakeDiscord  # noqa: E402

from peerbot.adapters.discord import DiscordAdapter  # noqa: E402
from peerbot.engine import Engine  # noqa: E402
from peerbot.settings import Settings  # noqa: E402
from peerbot.store import open_store  # noqa: E402

TEXT = "you're an idiot and you always ruin everything"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(name: str, ms: list[float]) -> str:
    return (f"{name:<34} n={len(ms):<4} p50 {pct(ms, 50):6.2f} ms   p90 {pct(ms, 90):6.2f} ms   "
            f"p99 {pct(ms, 99):6.2f} ms   max {max(ms):6.2f} ms   mean {statistics.fmean(ms):6.2f} ms")


async def bench(events: int, warmup: int, db_dir: str | None) -> None:
    async with FakeDiscord() as fake:
        members = []
        for i in range(warmup + events):
            user = fake.add_user(f"member{i}")
            fake.add_member(fake.guild, user)
            members.append(user)
        with tempfile.TemporaryDirectory(dir=db_dir) as tmp:
            settings = Settings(
                _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
                discord={"token": fake.token, "api_url": fake.api_url, "gateway_url": fake.gateway_url},
            )
            store = await open_store(settings.database_url)
            adapter = DiscordAdapter.from_settings(Engine(store, settings), settings, guild_ready_timeout=0.05,
                                                   tick_interval=0, sync_on_start=False)
            await adapter.login()
            task = asyncio.create_task(adapter.connect())
            try:
                await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
                done: list[float] = []
                t0 = time.monotonic()
                for i, user in enumerate(members):
                    mark = len(fake.calls)
                    message = await fake.post("general", user, TEXT)
                    dm = await fake.wait_until(lambda: fake.dm_messages(user), timeout=10)
                    assert dm
                    call = next(c for c in fake.calls[mark:] if c.method == "POST" and c.path.endswith("/messages"))
                    if i >= warmup:
                        done.append((call.at - message["_sent_at"]) * 1000)
                elapsed = time.monotonic() - t0
                print(f"-- gateway, {events} events (+{warmup} warm-up), SQLite in {Path(tmp).parent}")
                print(summary("MESSAGE_CREATE -> DM message POST", done))
                print(f"{'throughput':<34} {(events + warmup) / elapsed:7.0f} events/s")
            finally:
                await adapter.close()
                await asyncio.wait_for(task, 5)
                await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--db-dir", help="folder for the SQLite file (e.g. /dev/shm)")
    args = parser.parse_args()
    asyncio.run(bench(args.events, args.warmup, args.db_dir))


if __name__ == "__main__":
    main()

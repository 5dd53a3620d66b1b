"""Signed Slack event -> Web API call latency, on loopback, through the real stack.

    python benchmarks/slack_latency.py [--events 300] [--concurrency 1] [--mode http|socket|both] [--db-dir DIR]

Each event is a criticism from a new member (so no cooldown applies) that peerbot answers
with an ephemeral nudge. The clock starts just before the signed HTTP request is sent (or
the Socket Mode envelope is pushed) and stops when the fake Slack Web API receives
``chat.postEphemeral``. In between: aiohttp, Bolt's signature check and dispatch, the
adapter, the engine with the tone analyzer, the SQLite store (event claim, cooldown read,
nudge record) and slack-sdk's HTTP client. Also printed: the time until Slack's HTTP request
was acknowledged (Slack retries after 3 s).

The SQLite file goes in a temporary folder under ``--db-dir`` (default: the system's temp
folder). On a disk, SQLite's fsync per commit dominates; ``--db-dir /dev/shm`` shows the cost
of everything else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from fakes.slack_server import FakeSlack, event_callback, signed_headers  # noqa: E402

from peerbot.adapters.slack import SlackAdapter  # noqa: E402
from peerbot.engine import Engine  # noqa: E402
from peerbot.settings import Settings, SlackSettings  # noqa: E402
from peerbot.store import open_store  # noqa: E402

SECRET = "bench-signing-secret"
TEXT = "<@UBOB> you're an idiot and you always ruin everything"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(name: str, ms: list[float]) -> str:
    return (f"{name:<34} n={len(ms):<4} p50 {pct(ms, 50):6.2f} ms   p90 {pct(ms, 90):6.2f} ms   "
            f"p99 {pct(ms, 99):6.2f} ms   max {max(ms):6.2f} ms   mean {statistics.fmean(ms):6.2f} ms")


def message(i: int) -> dict:
    ts = f"{time.time():.6f}"
    return {"type": "message", "channel": "C0GENERAL", "user": f"UB{i:06d}", "text": TEXT,
            "ts": ts, "event_ts": ts, "channel_type": "channel"}


async def bench(mode: str, events: int, concurrency: int, warmup: int, db_dir: str | None) -> None:
    fake = await FakeSlack(users={"UBOB": {"profile": {"display_name": "Bob"}}}).start()
    with tempfile.TemporaryDirectory(dir=db_dir) as tmp:
        settings = Settings(
            _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
            slack=SlackSettings(bot_token=fake.bot_token, app_token=fake.app_token,
                                signing_secret=SECRET if mode == "http" else None,
                                api_url=fake.api_url, mode=mode),
        )
        store = await open_store(settings.database_url)
        adapter = SlackAdapter(Engine(store, settings), settings)
        runner = None
        http = aiohttp.ClientSession()
        try:
            if mode == "http":
                runner = web.AppRunner(adapter.web_app(), access_log=None)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events"
            else:
                await adapter.start_socket_mode()
                await fake.wait_connected(1)

            acks: list[float] = []
            done: list[float] = []
            counter = iter(range(warmup + events))

            async def one(i: int) -> None:
                seen = max(0, len(fake.calls_to("chat.postEphemeral")) - concurrency)
                start = time.monotonic()
                if mode == "http":
                    raw = json.dumps(event_callback(message(i), team_id=fake.team_id)).encode()
                    async with http.post(url, data=raw, headers=signed_headers(SECRET, raw)) as resp:
                        assert resp.status == 200
                    acked = time.monotonic()
                else:
                    await fake.send_event(message(i))
                    acked = start
                user = f"UB{i:06d}"
                await fake.wait_until(lambda: any(c.args.get("user") == user
                                                  for c in fake.calls_to("chat.postEphemeral")[seen:]),
                                      timeout=10)
                call = next(c for c in fake.calls_to("chat.postEphemeral") if c.args.get("user") == user)
                if i >= warmup:
                    acks.append((acked - start) * 1000)
                    done.append((call.at - start) * 1000)

            async def lane() -> None:
                for i in counter:
                    await one(i)

            t0 = time.monotonic()
            await asyncio.gather(*(lane() for _ in range(concurrency)))
            elapsed = time.monotonic() - t0
            print(f"-- {mode} mode, {events} events (+{warmup} warm-up), concurrency {concurrency}, "
                  f"SQLite in {Path(tmp).parent}")
            if mode == "http":
                print(summary("signed request -> HTTP 200 ack", acks))
            print(summary("signed event -> chat.postEphemeral" if mode == "http" else
                          "envelope -> chat.postEphemeral", done))
            print(f"{'throughput':<34} {(events + warmup) / elapsed:7.0f} events/s")
            assert fake.unknown_methods == [] and adapter.failed_calls == 0
        finally:
            await http.close()
            await adapter.close()
            if runner is not None:
                await runner.cleanup()
            await store.close()
            await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--mode", choices=["http", "socket", "both"], default="both")
    parser.add_argument("--db-dir", help="folder for the SQLite file (e.g. /dev/shm)")
    args = parser.parse_args()
    for mode in (["http", "socket"] if args.mode == "both" else [args.mode]):
        asyncio.run(bench(mode, args.events, args.concurrency, args.warmup, args.db_dir))


if __name__ == "__main__":
    main()

"""Load benchmark: tens of thousands of events through the engine (analyzer + store + policy,
no network) with 1, 2 and 4 processes on PostgreSQL and one process on SQLite.

    python benchmarks/load.py [--events 20000] [--rate 2000] [--concurrency 16] [--pg URL]
                              [--only pg1,pg2,pg4,sqlite]

Each process owns a share of the communities (as Discord shards or Slack workers would),
opens its own store and engine, warms up, waits at a barrier, then runs two phases:

- capacity: ``--events`` events with ``--concurrency`` of them always in flight per process
  (closed loop): the most events/s the configuration sustains, all processes together and
  per process. Its latency is mostly queueing (in flight / throughput, Little's law), so it
  is printed but is not the latency figure;
- latency: ``--events`` fresh events offered at ``--rate`` events/s in total, spread evenly
  over the processes (open loop, as a platform delivers them); each event's latency runs
  from its arrival time to the end of ``Engine.handle``, queueing included. p50 and p99.

The ratio compares per-process capacity to the analyzer alone (``tone.analyze`` on the same
texts, one process, measured in the same run).

The mix: mostly everyday chat, some criticism, gossip and mockery (nudged, with the shared
per-member cooldown), a little crisis language, a few joins and moderator feedback clicks.
PostgreSQL gets a fresh schema for the run, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing as mp
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from peerbot.engine import Engine
from peerbot.events import Channel, Community, Member, MemberJoined, MessagePosted
from peerbot.settings import Settings
from peerbot.store import open_store
from peerbot.tone import analyze

PG_URL = os.environ.get("PEERBOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
COMMUNITIES = 48
MEMBERS = 400
START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)

CHAT = [
    "Good morning everyone, hope you all slept well.",
    "I went for a walk today and it really helped my mood.",
    "Thanks for listening yesterday, it meant a lot to me.",
    "Does anyone have tips for getting through the afternoon slump?",
    "Day 30 today. Small steps, but I'm proud of them.",
    "That's a great point, I never thought of it that way.",
    "Sending hugs to whoever needs them today.",
    "I had a rough night but I'm here and trying.",
    "My therapist suggested journaling, has anyone tried it?",
    "Congrats on the new job, you earned it!",
    "I feel really anxious about tomorrow's appointment.",
    "Lunch was soup and it was exactly what I needed.",
    "Could someone remind me where the meeting link is?",
    "I'm so grateful for this group, honestly.",
    "Had a panic attack at work but used the breathing exercise and it passed.",
    "What helps you all when you can't sleep?",
    "Just checking in, it's been a busy week.",
    "I baked bread for the first time, it came out flat but tasty lol",
    "Remember to drink some water today friends.",
    "Some days are harder than others and that's okay.",
]
HARSH = [
    "You always twist everything, you're such a hypocrite.",
    "Did you hear about Dee? Between you and me, she's a total mess.",
    "Nice try Eli, real genius move there lol",
    "Honestly you're pathetic and nobody wants your advice.",
    "Don't tell anyone, but Sam is faking it for attention.",
]
CRISIS = ["I want to kill myself.", "I don't want to be alive anymore."]


def make_events(count: int, seed: int) -> list[Any]:
    """The same events for every configuration: ``count`` events over simulated hours."""
    rng = random.Random(seed)
    out: list[Any] = []
    for n in range(count):
        community = Community("discord", f"g{rng.randrange(COMMUNITIES)}")
        at = START + timedelta(seconds=n * 0.5)
        roll = rng.random()
        if roll < 0.01:
            out.append(MemberJoined(event_id=f"join-{n}", community=community, at=at,
                                    member=Member(f"new{n}")))
            continue
        if roll < 0.013:
            text = rng.choice(CRISIS)
        elif roll < 0.08:
            text = rng.choice(HARSH)
        else:
            text = rng.choice(CHAT)
        member = f"u{rng.randrange(MEMBERS)}"
        out.append(MessagePosted(
            event_id=f"msg-{n}", community=community, at=at, channel=Channel(f"c{rng.randrange(5)}", "general"),
            author=Member(member, member), message_id=f"m{n}", text=text,
        ))
    return out


def share(events: list[Any], index: int, processes: int) -> list[Any]:
    """The events of the communities process ``index`` owns (community -> process)."""
    return [e for e in events if int(e.community.id[1:]) % processes == index]


@dataclass
class Result:
    started: float
    finished: float
    busy_latencies: list[float]  # capacity phase
    count: int
    latencies: list[float]  # offered-rate phase, from arrival
    late_start: float  # how far the dispatcher fell behind the arrival schedule at worst


async def run_process(url: str, schema: str | None, events: list[Any], paced: list[Any], rate: float,
                      concurrency: int, barrier: Any, warmup: list[Any]) -> Result:
    settings = Settings(_env_file=None, database_url=url, database_schema=schema, database_pool_size=concurrency)
    store = await open_store(url, schema=schema, pool_size=concurrency)
    engine = Engine(store, settings)
    loop = asyncio.get_running_loop()
    try:
        for event in warmup:
            await engine.handle(event)
        # The harness holds every event of both phases in memory (a bot holds none of them):
        # keep the garbage collector from walking them again and again.
        gc.collect()
        gc.freeze()
        if barrier is not None:
            await loop.run_in_executor(None, barrier.wait)
        # capacity: a fixed number always in flight
        busy: list[float] = []
        queue = iter(events)

        async def worker() -> None:
            for event in queue:
                began = time.perf_counter()
                await engine.handle(event)
                busy.append(time.perf_counter() - began)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await store.drain()  # ids recorded behind count too: done means written
        finished = time.perf_counter()
        if barrier is not None:
            await loop.run_in_executor(None, barrier.wait)
        # latency: events arrive on a schedule, whether or not earlier ones are done
        latencies: list[float] = []
        tasks = []
        worst = 0.0

        async def one(event: Any, arrival: float) -> None:
            await engine.handle(event)
            latencies.append(time.perf_counter() - arrival)

        origin = time.perf_counter() + 0.05
        for n, event in enumerate(paced):
            arrival = origin + n / rate
            delay = arrival - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            worst = max(worst, -delay)
            tasks.append(asyncio.create_task(one(event, arrival)))
        await asyncio.gather(*tasks)
        return Result(started, finished, busy, len(events), latencies, worst)
    finally:
        await store.close()


def _child(url: str, schema: str | None, events: list[Any], paced: list[Any], rate: float, concurrency: int,
           barrier: Any, warmup: list[Any], out: Any) -> None:
    result = asyncio.run(run_process(url, schema, events, paced, rate, concurrency, barrier, warmup))
    out.send(result)
    out.close()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_config(url: str, schema: str | None, events: list[Any], paced: list[Any], rate: float, processes: int,
               concurrency: int, prefix: str) -> dict[str, float]:
    """Capacity, then latency at ``rate`` (or at 60% of capacity when that is under 1.25 x
    ``rate``: latency past saturation only measures a growing queue)."""
    first = _run_config(url, schema, events, paced[:1], 1.0, processes, concurrency, prefix + "c")
    offered = rate if first["events_per_s"] >= 1.25 * rate else 0.6 * first["events_per_s"]
    second = _run_config(url, schema, events[: len(events) // 10], paced, offered, processes, concurrency,
                         prefix + "l")
    return first | {key: second[key] for key in ("rate", "p50_ms", "p99_ms", "dispatch_lag_ms")}


def _run_config(url: str, schema: str | None, events: list[Any], paced: list[Any], rate: float, processes: int,
                concurrency: int, prefix: str) -> dict[str, float]:
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(processes)
    pipes, children = [], []
    for index in range(processes):
        mine = [_renamed(e, prefix) for e in share(events, index, processes)]
        # the offered events of the communities it owns, at their share of the rate
        mine_paced = [_renamed(e, prefix + "-paced") for e in share(paced, index, processes)]
        warmup = [_renamed(e, f"{prefix}-warm-{index}") for e in share(events, index, processes)[:300]]
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(url, schema, mine, mine_paced, rate * len(mine_paced) / len(paced),
                                                  concurrency, barrier, warmup, send))
        child.start()
        pipes.append(receive)
        children.append(child)
    results = [pipe.recv() for pipe in pipes]
    for child in children:
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"a benchmark process failed (exit {child.exitcode})")
    wall = max(r.finished for r in results) - min(r.started for r in results)
    total = sum(r.count for r in results)
    latencies = [x for r in results for x in r.latencies]
    busy = [x for r in results for x in r.busy_latencies]
    return {
        "events": total,
        "events_per_s": total / wall,
        "per_process": total / wall / processes,
        "busy_p50_ms": _percentile(busy, 0.50),
        "busy_p99_ms": _percentile(busy, 0.99),
        "rate": rate,
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
        "dispatch_lag_ms": 1000 * max(r.late_start for r in results),
    }


def _renamed(event: Any, prefix: str) -> Any:
    """The same event with ids unique to one configuration (so runs never dedupe each other)."""
    from dataclasses import replace

    changes: dict[str, Any] = {"event_id": f"{prefix}:{event.event_id}"}
    if isinstance(event, MessagePosted):
        changes["message_id"] = f"{prefix}:{event.message_id}"
        changes["author"] = Member(f"{prefix}:{event.author.id}", event.author.name)
    else:
        changes["member"] = Member(f"{prefix}:{event.member.id}")
    return replace(event, **changes)


def analyzer_only(events: list[Any]) -> float:
    texts = [e.text for e in events if isinstance(e, MessagePosted)]
    for text in texts[:500]:
        analyze(text)
    started = time.perf_counter()
    for text in texts:
        analyze(text, threshold=0.5)
    return len(texts) / (time.perf_counter() - started)


async def _pg(sql: str, url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000, help="events per configuration (default 20000)")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="events in flight per process in the capacity phase (default 16)")
    parser.add_argument("--rate", type=float, default=2000.0,
                        help="events/s offered in total in the latency phase (default 2000)")
    parser.add_argument("--pg", default=PG_URL, help="PostgreSQL URL (postgresql+asyncpg://...)")
    parser.add_argument("--only", default="pg1,pg2,pg4,sqlite", help="configurations to run")
    args = parser.parse_args(argv)
    wanted = args.only.split(",")
    events = make_events(args.events, seed=7)
    paced = make_events(args.events, seed=8)
    rate = analyzer_only(events)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"analyzer alone: {rate:,.0f} messages/s in one process ({1000 / rate:.3f} ms each)")
    print(f"{args.events:,} events per phase and configuration; capacity with {args.concurrency} in flight per "
          f"process; latency at {args.rate:,.0f} events/s offered; {os.cpu_count()} CPUs, load average {load}\n")
    print(f"{'':<24} {'capacity':>9} {'per':>8} {'vs':>9}  {'busy p50/p99':>13}  {'offered':>8} {'p50':>6} {'p99':>6}")
    print(f"{'configuration':<24} {'events/s':>9} {'process':>8} {'analyzer':>9}  {'ms':>13}  {'ev/s':>8} {'ms':>6} {'ms':>6}")
    rows: dict[str, dict[str, float]] = {}
    schema = f"peerbot_load_{secrets.token_hex(4)}"
    try:
        for name in wanted:
            if name.startswith("pg"):
                processes = int(name[2:])
                row = run_config(args.pg, schema, events, paced, args.rate, processes, args.concurrency, name)
                label = f"PostgreSQL, {processes} process{'es' if processes > 1 else ''}"
            elif name == "sqlite":
                with tempfile.TemporaryDirectory() as folder:
                    url = f"sqlite+aiosqlite:///{Path(folder) / 'load.db'}"
                    row = run_config(url, None, events, paced, args.rate, 1, args.concurrency, name)
                label = "SQLite, 1 process"
            else:
                raise SystemExit(f"unknown configuration {name!r}")
            rows[name] = row
            busy = f"{row['busy_p50_ms']:.1f}/{row['busy_p99_ms']:.1f}"
            print(f"{label:<24} {row['events_per_s']:>9,.0f} {row['per_process']:>8,.0f} {row['per_process'] / rate:>8.2f}x"
                  f"  {busy:>13}  {row['rate']:>8,.0f} {row['p50_ms']:>6.2f} {row['p99_ms']:>6.2f}", flush=True)
    finally:
        if any(name.startswith("pg") for name in wanted):
            asyncio.run(_pg(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', args.pg))
    if "pg2" in rows:
        ok = rows["pg2"]["events_per_s"] >= 2000 and rows["pg2"]["rate"] >= 2000 and rows["pg2"]["p99_ms"] <= 10
        print(f"\ngoal (two processes on PostgreSQL: >= 2,000 events/s, p99 <= 10 ms at 2,000 events/s): "
              f"{'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Commands that run peerbot locally: ``demo``, ``chat`` and ``replay``."""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from peerbot.adapters.console import ConsoleCommunity, Printer
from peerbot.engine import Engine
from peerbot.events import Channel, Member
from peerbot.nudges import decide_nudge
from peerbot.config import Loaded, load_config
from peerbot.errors import BadInput
from peerbot.jsonlines import parse_json_line
from peerbot.settings import CommunitySettings
from peerbot.store import open_store
from peerbot.tone import ToneReport, analyze

EXIT_OK = 0


def _loaded(args: argparse.Namespace) -> Loaded:
    loaded = getattr(args, "loaded", None)
    return loaded if loaded is not None else load_config(getattr(args, "config", None))


# -- demo and chat -----------------------------------------------------------------------


SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a SQLite database file peerbot creates or opens, or None."""
    if path.is_dir():
        return "is a folder, not a database file"
    if not path.exists():
        return None if path.parent.is_dir() else f"the folder {path.parent} does not exist"
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    if header and header != SQLITE_HEADER:
        return "is not a SQLite database"
    return None


@contextmanager
def _database(path: str | None) -> Iterator[str]:
    if path:
        resolved = Path(path).expanduser().resolve()
        problem = sqlite_file_problem(resolved)
        if problem:
            raise BadInput(f"--db {path}: {problem}")
        yield f"sqlite+aiosqlite:///{resolved}"
        return
    with tempfile.TemporaryDirectory(prefix="peerbot-demo-") as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'peerbot-demo.db'}"


def _run(coroutine_factory: Callable[[str], Coroutine[Any, Any, int]], db: str | None) -> int:
    with _database(db) as url:
        return asyncio.run(coroutine_factory(url))


async def _community(loaded: Loaded, url: str, out: IO[str], start_local: datetime) -> ConsoleCommunity:
    store = await open_store(url)
    engine = Engine(store, loaded.settings, prompts=loaded.prompts, messages=loaded.messages)
    local = ConsoleCommunity(engine=engine, printer=Printer(out), now=start_local)
    zone = loaded.settings.for_community(local.community.key).zone
    local.now = start_local.replace(tzinfo=zone)
    return local


#: The demo's script. Member messages here are printed, never stored (a test checks the DB).
DEMO_WARM = "Went for a walk this morning and it helped. Thank you all for the encouragement!"
DEMO_REPLY = "So glad to hear that, Ana. Small steps count!"
DEMO_CRITICISM = "Ben, you always twist everything, you're such a hypocrite."
DEMO_GOSSIP = "Did you hear about Dee? Between you and me, she's a total mess and everyone knows it."
DEMO_MOCKERY = "Nice try Eli, real genius move there 🙄 lol"
DEMO_STRUGGLE = "I had an awful week and feel worthless."
DEMO_CRISIS = "I want to kill myself."
DEMO_SOFTENED = "Ben, I see this differently, and I'd like to hear more about what you meant."
DEMO_TEXTS = (DEMO_WARM, DEMO_REPLY, DEMO_CRITICISM, DEMO_GOSSIP, DEMO_MOCKERY, DEMO_STRUGGLE, DEMO_CRISIS,
              DEMO_SOFTENED)


async def play_demo(loaded: Loaded, url: str, out: IO[str]) -> int:
    c = await _community(loaded, url, out, datetime(2025, 6, 2, 8, 40))  # a Monday morning
    note = c.printer.note
    try:
        note(f"{c.community.name}: a small peer-support community, played through the real engine and store.")
        note("Times are the community's local time; the clock is simulated.")
        await c.join("Mo", moderator=True)
        await c.join("Ana")
        c.now += timedelta(minutes=3)
        await c.join("Ben")
        c.now += timedelta(minutes=4)
        note("A burst of joins: after the first few, one combined welcome instead of a flood.")
        for name in ("Cal", "Dee", "Eli", "Fay", "Gus"):
            await c.join(name)
            c.now += timedelta(seconds=5)
        await c.advance(timedelta(minutes=2))
        note("09:00: the daily encouragement prompt, claimed in the store so it posts exactly once.")
        await c.advance(timedelta(minutes=25))
        await c.say("Ana", "general", DEMO_WARM, reply_to=c.last_prompt)
        await c.say("Ben", "general", DEMO_REPLY, reply_to=c.last_prompt)
        c.now += timedelta(minutes=5)
        note("Criticism, gossip and mockery aimed at people get a private, kind nudge. Nobody else sees it.")
        await c.say("Cal", "general", DEMO_CRITICISM)
        await c.say("Fay", "general", DEMO_GOSSIP)
        await c.say("Gus", "general", DEMO_MOCKERY)
        await c.feedback("Cal", "why")
        c.now += timedelta(minutes=2)
        note("peerbot watches a nudged message for 10 minutes and keeps only what became of it, never the words: "
             "Cal softens his, Gus deletes his, Fay leaves hers.")
        await c.edit("Cal", DEMO_SOFTENED)
        await c.delete("Gus")
        note("Sharing your own struggle is what this place is for: no nudge.")
        await c.say("Dee", "general", DEMO_STRUGGLE)
        note("Crisis language: resources privately, and an alert to moderators with a link, never the text.")
        await c.say("Eli", "general", DEMO_CRISIS)
        c.now += timedelta(minutes=10)
        note("A moderator tunes peerbot: a higher threshold in #debate, and a look at the numbers.")
        await c.command("Mo", "threshold 0.8 debate")
        await c.command("Ana", "threshold 0.1")
        await c.command("Mo", "stats 1")
        note("The next morning's prompt, a different one from the library.")
        await c.advance(timedelta(hours=24))
        note("Every Monday at 08:00 moderators get the weekly climate digest: these figures against the week "
             "before, with a chart. Draw this week's from a kept database: peerbot digest --db FILE --out digest.png")
        note("Done. Try it yourself: peerbot chat")
    finally:
        await c.engine.store.close()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: IO[str] | None = None) -> int:
    loaded = _loaded(args)
    return _run(lambda url: play_demo(loaded, url, out or sys.stdout), args.db)


CHAT_HELP = """Type a message to post it as the current member in the current channel, or:
  /join NAME          a member joins (and becomes the current member)
  /as NAME            speak as NAME          /mod NAME   make NAME a moderator
  /channel NAME       switch channel         /wait 30m   advance the clock (m, h or d)
  /bot COMMAND        a moderator command as the current member (try /bot help)
  /feedback helpful|not_helpful|why          answer the current member's last nudge
  /help               this help              /quit       leave"""

_DURATION = re.compile(r"^([0-9]+)\s*([mhd])$")
#: The clock ticks every 15 minutes as it advances, so a long wait is slow; a month is plenty.
LONGEST_WAIT = timedelta(days=31)


def clean_text(text: str) -> str:
    """``text`` with anything that is not a character (a lone surrogate, such as an undecodable
    byte read with surrogateescape) replaced by U+FFFD: the words around it still count, so a
    crisis message with a stray byte is still answered."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


async def play_chat(loaded: Loaded, url: str, stdin: IO[str], out: IO[str]) -> int:
    now = datetime.now().replace(second=0, microsecond=0)
    c = await _community(loaded, url, out, now)
    current, channel = "Ana", "general"
    c.member("Mo", moderator=True)
    c.printer.note(f"peerbot chat in {c.community.name}. You are {current} in #{channel}. /help for commands.")
    try:
        for raw in stdin:
            line = clean_text(raw).strip()
            if not line:
                continue
            if not line.startswith("/"):
                await c.say(current, channel, line)
                continue
            verb, _, rest = line.partition(" ")
            rest = rest.strip()
            if verb == "/quit":
                break
            elif verb == "/help":
                out.write(CHAT_HELP + "\n")
            elif verb == "/join" and rest:
                current = rest
                await c.join(rest)
            elif verb == "/as" and rest:
                current = rest
                c.printer.note(f"you are now {rest}")
            elif verb == "/mod" and rest:
                c.member(rest, moderator=True)
                c.printer.note(f"{rest} is a moderator")
            elif verb == "/channel" and rest:
                channel = rest.lstrip("#")
                c.printer.note(f"now in #{channel}")
            elif verb == "/wait" and _DURATION.match(rest):
                amount, unit = _DURATION.match(rest).groups()  # type: ignore[union-attr]
                step = {"m": 1, "h": 60, "d": 24 * 60}[unit]
                if int(amount) * step > LONGEST_WAIT / timedelta(minutes=1):
                    c.printer.note(f"wait at most {LONGEST_WAIT.days}d at a time")
                    continue
                await c.advance(timedelta(minutes=int(amount) * step))
                c.printer.note(f"clock: {c.now:%a %Y-%m-%d %H:%M}")
            elif verb == "/bot" and rest:
                await c.command(current, rest)
            elif verb == "/feedback" and rest in ("helpful", "not_helpful", "why"):
                await c.feedback(current, rest)
            else:
                c.printer.note("not understood; /help lists commands")
    finally:
        await c.engine.store.close()
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    loaded = _loaded(args)
    # Undecodable bytes become U+FFFD instead of ending the chat (clean_text explains why).
    buffer = getattr(sys.stdin, "buffer", None)
    stdin = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace") if buffer is not None else sys.stdin
    return _run(lambda url: play_chat(loaded, url, stdin, sys.stdout), args.db)


# -- replay ------------------------------------------------------------------------------

SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
NUDGE_ORDER = ("criticism", "gossip", "mockery")


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    author: str
    channel: str
    at: datetime
    roles: frozenset[str]


#: Times replay accepts: far enough inside datetime's range that a minute or a day either
#: side (cooldowns, local midnights) still fits.
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(9000, 12, 31)


def read_history(stream: IO[bytes], source: str, zone: Any) -> tuple[list[Row], int]:
    """The rows of a JSON Lines export, and how many lines held bytes that are not UTF-8 (read
    as U+FFFD, so a crisis message with a stray byte still counts)."""
    rows: list[Row] = []
    previous = datetime(2000, 1, 1, tzinfo=zone)
    not_utf8 = 0
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", "replace")
            not_utf8 += 1
        if not line.strip():
            continue
        where = f"{source}: line {number}"
        data = parse_json_line(line, where)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise BadInput(f"{where}: expected an object with a string \"text\"")
        stamp = data.get("time")
        if stamp is None:
            at = previous + timedelta(minutes=1)
        else:
            try:
                at = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
            except ValueError:
                raise BadInput(f"{where}: \"time\" is not an ISO 8601 time") from None
            if not EARLIEST <= at.replace(tzinfo=None) <= LATEST:
                raise BadInput(f"{where}: \"time\" must be between {EARLIEST:%Y} and {LATEST:%Y}")
            at = at if at.tzinfo else at.replace(tzinfo=zone)
        previous = at
        roles = data.get("roles") or []
        if not isinstance(roles, list):
            raise BadInput(f"{where}: \"roles\" must be a list of role names")
        rows.append(Row(number, clean_text(data["text"]), str(data.get("author", "unknown")),
                        str(data.get("channel", "general")).lstrip("#"), at, frozenset(map(str, roles))))
    return rows, not_utf8


def replay_counts(
    rows: list[Row], reports: dict[int, ToneReport], settings: CommunitySettings, threshold: float
) -> tuple[Counter[str], Counter[str], list[tuple[int, str, float]]]:
    """Nudges per category and skips per reason at ``threshold``, with cooldowns simulated."""
    adjusted = settings.model_copy(update={"nudges": settings.nudges.model_copy(update={"threshold": threshold})})
    nudged: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    which: list[tuple[int, str, float]] = []
    last: dict[str, datetime] = {}
    for row in sorted(rows, key=lambda r: r.at):
        report = reports[row.line]
        if report.action == "crisis":
            continue
        channel = Channel(id=row.channel, name=row.channel)
        author = Member(id=row.author, name=row.author, roles=row.roles)
        decision = decide_nudge(report, adjusted, channel, author, last.get(row.author), row.at)
        if decision.nudge:
            nudged[report.category] += 1
            last[row.author] = row.at
            which.append((row.line, report.category, report.score))
        elif decision.skipped not in (None, "no_nudge"):
            skipped[decision.skipped or ""] += 1
    return nudged, skipped, which


def cmd_replay(args: argparse.Namespace, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    loaded = _loaded(args)
    settings = loaded.settings.for_community(args.community) if args.community else loaded.settings.community
    try:
        with open(args.file, "rb") as stream:
            rows, not_utf8 = read_history(stream, args.file, settings.zone)
    except OSError as exc:
        raise BadInput(f"{args.file}: cannot read ({exc.strerror})") from None
    reports = {row.line: analyze(row.text, threshold=settings.nudges.threshold) for row in rows}
    crisis = [row.line for row in rows if reports[row.line].action == "crisis"]
    current = settings.nudges.threshold
    out.write(f"Replayed {len(rows)} messages from {args.file} "
              f"({len({r.author for r in rows})} authors, {len({r.channel for r in rows})} channels).\n")
    if not_utf8:
        out.write(f"Note: {not_utf8} line{'s' if not_utf8 != 1 else ''} held bytes that are not UTF-8; each such byte was read as U+FFFD.\n")
    out.write(f"Crisis support + moderator alert: {len(crisis)} messages"
              + (f" (lines {', '.join(map(str, crisis))})" if crisis and args.show else "") + "\n")
    nudged, skipped, which = replay_counts(rows, reports, settings, current)
    out.write(f"At your threshold {current:.2f}: {sum(nudged.values())} nudges ("
              + ", ".join(f"{c} {nudged[c]}" for c in NUDGE_ORDER) + ")")
    out.write("; held back by " + (", ".join(f"{k} {v}" for k, v in sorted(skipped.items())) or "nothing") + "\n")
    if args.show:
        for line, category, score in which:
            out.write(f"  line {line}: {category} {score:.2f}\n")
    out.write("\nThreshold sweep (after cooldowns, exemptions and channel settings):\n")
    out.write(f"  {'threshold':>9}  " + "  ".join(f"{c:>9}" for c in NUDGE_ORDER) + f"  {'total':>6}\n")
    for threshold in sorted(set(SWEEP) | {current}):
        counts, _, _ = replay_counts(rows, reports, settings, threshold)
        mark = "  <- current" if threshold == current else ""
        out.write(f"  {threshold:>9.2f}  " + "  ".join(f"{counts[c]:>9}" for c in NUDGE_ORDER)
                  + f"  {sum(counts.values()):>6}{mark}\n")
    if args.chart:
        write_sweep_chart(args.chart, Path(args.file).name, rows, reports, settings, out)
    return EXIT_OK


#: Thresholds the sweep chart is drawn at: 0 to 1 in steps of 0.05.
CHART_SWEEP = tuple(round(i * 0.05, 2) for i in range(21))


def write_sweep_chart(path: str, source: str, rows: list[Row], reports: dict[int, ToneReport],
                      settings: CommunitySettings, out: IO[str]) -> None:
    """Nudges per category against the threshold, to a PNG: moderators choose by looking."""
    from peerbot.charts import png_size, sweep_chart
    counts: dict[str, list[int]] = {category: [] for category in NUDGE_ORDER}
    for threshold in CHART_SWEEP:
        nudged, _, _ = replay_counts(rows, reports, settings, threshold)
        for category in NUDGE_ORDER:
            counts[category].append(nudged[category])
    data = sweep_chart(f"Threshold sweep: {len(rows)} messages from {source}", CHART_SWEEP, counts,
                       settings.nudges.threshold)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise BadInput(f"{path}: cannot write ({exc.strerror})") from None
    width, height = png_size(data)
    out.write(f"\nChart: {path} ({width}x{height} PNG, thresholds 0 to 1 in steps of 0.05)\n")

"""Keep peerbot working while its database is away, and write down afterwards what it did.

``ResilientStore`` wraps the ``SqlStore`` that serving processes use (``open_store_from``).
While the database answers, every call goes straight through. When a call fails because the
database cannot be reached (connection refused or lost, a timeout, SQLite unable to open or
write its file), the store switches to a **fallback in memory** and the engine goes on
deciding exactly as before:

- nudges are sent, with each member's cooldown (as last seen by this process) and one nudge
  per message; crisis resources and moderator alerts are sent, once per message; welcomes
  are sent (a member's earlier visits are not known, so everyone counts as new); held burst
  welcomes are flushed; button feedback is taken;
- daily prompts wait: a prompt claimed in memory could be posted twice (by another process,
  or after a restart), so the claim is left for when the database is back (still on time
  within ``prompts.max_lateness_minutes``);
- moderators' changes are refused with a message (``StoreUnavailable``): a setting that only
  one process knows would be worse than none. Settings are read from the last copy seen.

Everything done in memory is kept in a **journal**: handled event ids, joins and greetings,
nudges (with the cooldown), crisis alerts and feedback. A background probe tries the database
every ``retry_seconds``; when it answers, the journal is written in order (claims that
another process made meanwhile simply conflict), and only then do calls go to the database
again. Nothing is silently lost: the journal holds at most ``journal_limit`` entries (the
oldest event ids go first, then the oldest entries), and whatever is dropped, at that point
or at shutdown with the database still away, is logged with exact counts by kind.

Exactly-once across processes needs the database, so during an outage each process
deduplicates alone: two Slack HTTP workers that both get a redelivered event may both act.
Message text is never in the journal: it holds the same ids, times and categories as the
tables.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import text

from peerbot.events import Community
from peerbot.store.fallback import OFFLINE_PREFIX, Entry, Fallback
from peerbot.store.faults import describe_error, is_outage
from peerbot.store.protocol import (
    AuditEntry,
    CrisisAlert,
    JoinRecord,
    NewNudge,
    NudgeClaim,
    NudgeRecord,
    ReadOnly,
    Stats,
    StoreUnavailable,
)
from peerbot.store.sql import SqlStore

__all__ = ["OFFLINE_PREFIX", "ResilientStore", "StoreUnavailable", "is_outage"]

log = logging.getLogger("peerbot.store")
T = TypeVar("T")


class ResilientStore:
    """A ``Store`` that falls back to memory while its database is unreachable or refuses
    writes (see the module's docstring)."""

    def __init__(self, store: SqlStore, *, timeout: float = 10.0, retry_seconds: float = 5.0,
                 journal_limit: int = 100_000) -> None:
        self.real = store
        self.timeout, self.retry_seconds, self.journal_limit = timeout, retry_seconds, journal_limit
        self.down = False
        self._journal: list[Entry] = []
        self._overrides: dict[str, dict[str, Any]] = {}
        self._memory = Fallback(self._journal_add, self._skip, lambda c: dict(self._overrides.get(c.key, {})))
        self._offline_ids: dict[str, str] = {}  # offline nudge id -> the database's
        self.dropped: Counter[str] = Counter()  # journal entries given up, by kind
        self.skipped: Counter[str] = Counter()  # calls not made while the database was away, by method
        self._probe: asyncio.Task[None] | None = None
        self._fallback = contextvars.ContextVar(f"peerbot-fallback-{id(self)}", default=False)
        self._in_unit = contextvars.ContextVar(f"peerbot-real-unit-{id(self)}", default=False)
        # What the database decided inside the unit running now, remembered only once the unit
        # commits: a commit that fails (a full disk) must not leave memory believing a crisis
        # was alerted or a member seen, or the fallback would skip the alert and say "welcome back".
        self._on_commit: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar(
            f"peerbot-on-commit-{id(self)}", default=None)
        self._closing = False
        store.on_unwritten = self._unwritten

    # -- routing ------------------------------------------------------------------------------

    def _offline(self) -> bool:
        return self._fallback.get() or (self.down and not self._in_unit.get())

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._offline():
            return await getattr(self._memory, name)(*args, **kwargs)
        try:
            if self._in_unit.get():  # the unit as a whole is timed and falls back as a whole
                return await getattr(self.real, name)(*args, **kwargs)
            return await asyncio.wait_for(getattr(self.real, name)(*args, **kwargs), self.timeout)
        except Exception as exc:
            if not is_outage(exc) or self._in_unit.get():
                raise
            self._lost(exc)
            return await getattr(self._memory, name)(*args, **kwargs)

    def _lost(self, exc: BaseException) -> None:
        if not self.down:
            self.down = True
            log.error("database unavailable (%s): serving from memory; what is done meanwhile is written when it "
                      "is back", _describe(exc))
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._recover(), context=contextvars.Context())

    def _skip(self, name: str) -> None:
        self.skipped[name] += 1
        log.warning("database unavailable: %s skipped (%d so far)", name, self.skipped[name])

    async def atomically(self, work: Callable[[], Awaitable[T]], *, attempts: int = 3) -> T:
        if self._fallback.get() or self._in_unit.get():
            return await work()  # nested: part of the outer unit
        if not self.down:
            committed: list[Callable[[], None]] = []

            async def attempt() -> T:
                committed.clear()  # a run the database aborted (deadlock) decided nothing
                return await work()

            token, token_commit = self._in_unit.set(True), self._on_commit.set(committed)
            try:
                result = await asyncio.wait_for(self.real.atomically(attempt, attempts=attempts), self.timeout)
            except Exception as exc:
                if not is_outage(exc):
                    raise
                self._lost(exc)
            else:
                for remember in committed:
                    remember()
                return result
            finally:
                self._in_unit.reset(token)
                self._on_commit.reset(token_commit)
        # From scratch (the database's transaction was rolled back), and all or nothing: what
        # the work does in memory, journal included, is kept only if it completes.
        token = self._fallback.set(True)
        try:
            return await self._memory.atomically(work)
        finally:
            self._fallback.reset(token)

    def unit(self) -> AbstractAsyncContextManager[SqlStore]:
        """The database's own unit, no fallback (``atomically`` is the one that goes on)."""
        return self.real.unit()

    def _remember(self, remember: Callable[[], None]) -> None:
        """Keep in memory what the database decided, once it is committed."""
        pending = self._on_commit.get()
        if pending is not None and self._in_unit.get() and not self._fallback.get():
            pending.append(remember)
        else:
            remember()

    # -- the Store methods ---------------------------------------------------------------------

    async def lock_community(self, community: Community, purpose: str) -> None:
        await self._call("lock_community", community, purpose)

    async def claim_event(self, community: Community, event_id: str, at: datetime) -> bool:
        return bool(await self._call("claim_event", community, event_id, at))

    def record_event(self, community: Community, event_id: str, at: datetime) -> None:
        if self._offline():
            self._memory.record_event(community, event_id, at)
        else:
            self.real.record_event(community, event_id, at)

    def _unwritten(self, rows: list[dict[str, Any]]) -> None:
        """Ids recorded behind that a failed batch could not write: kept for later."""
        for row in rows:
            community = Community(row["platform"], row["community_id"])
            self._memory.record_event(community, row["event_id"], row["processed_at"])
        if not self.down:
            with contextlib.suppress(RuntimeError):  # no running loop: nothing to probe with
                self._lost(StoreUnavailable("a batched write failed"))

    async def prune_events(self, before: datetime) -> int:
        return int(await self._call("prune_events", before))

    async def record_join(self, community: Community, member_id: str, at: datetime) -> JoinRecord:
        join: JoinRecord = await self._call("record_join", community, member_id, at)
        if join.id > 0:
            self._remember(lambda: self._memory.learn(self._memory.members, (community.key, member_id), at))
        return join

    async def joins_since(self, community: Community, since: datetime) -> list[JoinRecord]:
        return list(await self._call("joins_since", community, since))

    async def mark_greeted(self, community: Community, join_id: int, at: datetime) -> bool:
        if join_id < 0 and not self._offline():  # made in memory, not yet written: greet it there
            return await self._memory.mark_greeted(community, join_id, at)
        return bool(await self._call("mark_greeted", community, join_id, at))

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        return list(await self._call("used_prompts", community))

    async def claim_prompt(self, community: Community, local_date: str, prompt_id: str, cycle: int,
                           at: datetime) -> bool:
        return bool(await self._call("claim_prompt", community, local_date, prompt_id, cycle, at))

    async def claim_nudge(self, community: Community, nudge: NewNudge, *, cooldown: timedelta,
                          since: datetime) -> NudgeClaim:
        claim: NudgeClaim = await self._call("claim_nudge", community, nudge, cooldown=cooldown, since=since)
        if claim.nudge_id is not None and not claim.nudge_id.startswith(OFFLINE_PREFIX):
            self._remember(lambda: self._learn_nudge(community, nudge))
        return claim

    async def record_nudge(self, community: Community, nudge: NewNudge, *,
                           cooldown: timedelta | None = None) -> str | None:
        nudge_id: str | None = await self._call("record_nudge", community, nudge, cooldown=cooldown)
        if nudge_id is not None and not nudge_id.startswith(OFFLINE_PREFIX) and cooldown is not None:
            self._remember(lambda: self._learn_nudge(community, nudge))
        return nudge_id

    def _learn_nudge(self, community: Community, nudge: NewNudge) -> None:
        self._memory.learn(self._memory.nudged, (community.key, nudge.message_id))
        self._memory.learn(self._memory.cooldowns, (community.key, nudge.member_id), nudge.at)

    async def last_nudge_at(self, community: Community, member_id: str) -> datetime | None:
        found: datetime | None = await self._call("last_nudge_at", community, member_id)
        return found

    async def nudges_since(self, community: Community, member_id: str, since: datetime) -> list[NudgeRecord]:
        return list(await self._call("nudges_since", community, member_id, since))

    async def get_nudge(self, community: Community, nudge_id: str) -> NudgeRecord | None:
        if nudge_id.startswith(OFFLINE_PREFIX):
            if nudge_id in self._offline_ids and not self._offline():
                return await self._call("get_nudge", community, self._offline_ids[nudge_id])
            return await self._memory.get_nudge(community, nudge_id)
        found: NudgeRecord | None = await self._call("get_nudge", community, nudge_id)
        return found

    async def claim_crisis_alert(self, community: Community, alert: CrisisAlert) -> bool:
        first = bool(await self._call("claim_crisis_alert", community, alert))
        if first and not self._offline():
            self._remember(lambda: self._memory.learn(self._memory.alerts, (community.key, alert.message_id)))
        return first

    async def record_feedback(self, community: Community, nudge_id: str, member_id: str, verdict: str,
                              at: datetime) -> None:
        if nudge_id.startswith(OFFLINE_PREFIX) and not self._offline():
            if nudge_id not in self._offline_ids:  # its nudge is still in the journal: after it
                await self._memory.record_feedback(community, nudge_id, member_id, verdict, at)
                return
            nudge_id = self._offline_ids[nudge_id]
        await self._call("record_feedback", community, nudge_id, member_id, verdict, at)

    async def overrides(self, community: Community) -> dict[str, Any]:
        found: dict[str, Any] = await self._call("overrides", community)
        if not self._offline():
            self._overrides[community.key] = dict(found)
        return found

    async def set_override(self, community: Community, key: str, value: Any, *, actor_id: str,
                           at: datetime) -> None:
        await self._call("set_override", community, key, value, actor_id=actor_id, at=at)

    async def audit_trail(self, community: Community, limit: int = 20) -> list[AuditEntry]:
        return list(await self._call("audit_trail", community, limit))

    async def stats(self, community: Community, since: datetime, until: datetime | None = None,
                    settled_before: datetime | None = None) -> Stats:
        found: Stats = await self._call("stats", community, since, until, settled_before)
        return found

    def count_message(self, community: Community, at: datetime, category: str) -> None:
        self.real.count_message(community, at, category)  # kept by the database store until it writes

    def count_reply(self, community: Community, parent_id: str) -> None:
        self.real.count_reply(community, parent_id)

    async def record_edit(self, community: Community, message_id: str, at: datetime, *, softened: bool,
                          window: timedelta) -> bool:
        return bool(await self._call("record_edit", community, message_id, at, softened=softened, window=window))

    async def record_deletion(self, community: Community, message_id: str, at: datetime, *,
                              window: timedelta) -> bool:
        return bool(await self._call("record_deletion", community, message_id, at, window=window))

    async def settle_outcomes(self, community: Community, now: datetime, window: timedelta) -> int:
        return int(await self._call("settle_outcomes", community, now, window))

    async def record_delivery(self, community: Community, what: str, ref: str, via: str,
                              message_id: str | None = None) -> None:
        await self._call("record_delivery", community, what, ref, via, message_id)

    async def claim_digest(self, community: Community, week_end: str, at: datetime) -> bool:
        return bool(await self._call("claim_digest", community, week_end, at))

    async def last_activity(self, community: Community) -> datetime | None:
        found: datetime | None = await self._call("last_activity", community)
        return found

    async def communities(self) -> list[tuple[str, str]]:
        return list(await self._call("communities"))

    async def drain(self) -> None:
        await self.real.drain()

    # -- the journal ------------------------------------------------------------------------------

    def _journal_add(self, entry: Entry) -> None:
        self._journal.append(entry)
        if len(self._journal) > self.journal_limit:
            # Event ids matter least (a redelivered event with no action is simply analysed again).
            victim = next((i for i, e in enumerate(self._journal) if e.kind == "event"), 0)
            dropped = self._journal.pop(victim)
            self.dropped[dropped.kind] += 1
            if sum(self.dropped.values()) in (1, 10, 100, 1000) or sum(self.dropped.values()) % 10_000 == 0:
                log.error("database still unavailable and the journal is full (%d entries): dropped so far %s",
                          self.journal_limit, _counts(self.dropped))

    @property
    def pending(self) -> Counter[str]:
        """What is waiting to be written, by kind."""
        return Counter(e.kind for e in self._journal)

    async def _recover(self) -> None:
        while self.down and not self._closing:
            await asyncio.sleep(self.retry_seconds)
            if await self.recover():
                return

    async def recover(self) -> bool:
        """Try the database; when it answers, write the journal and go back to it. True when
        the database is in use again."""
        if not self.down:
            return True
        try:
            await asyncio.wait_for(self._ping(), self.timeout)
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is still away
            log.info("database still unavailable (%s)", _describe(exc))
            return False
        written: Counter[str] = Counter()
        while self._journal:
            entry = self._journal[0]
            try:
                await asyncio.wait_for(self._replay(entry), self.timeout)
            except Exception as exc:
                if not is_outage(exc):  # a record the database refuses: say so, and go on
                    self._journal.pop(0)
                    self.dropped[entry.kind] += 1
                    log.error("could not write a %s record made while the database was away (%s): dropped",
                              entry.kind, type(exc).__name__)
                    continue
                log.info("database went away again while writing the journal (%s)", _describe(exc))
                return False
            self._journal.pop(0)
            written[entry.kind] += 1
        self.down = False  # no await between the empty journal and this: nothing slips past
        log.warning("database available again: wrote what was done while it was away: %s", _counts(written) or "nothing")
        return True

    async def _ping(self) -> None:
        async with self.real.engine.connect() as conn:
            if self.real.dialect == "postgresql":
                # A standby answers SELECT 1: ask whether a write would be taken.
                if (await conn.execute(text("SHOW transaction_read_only"))).scalar() == "on":
                    raise ReadOnly("the database is read-only")
            else:
                await conn.execute(text("SELECT 1"))

    async def _replay(self, entry: Entry) -> None:
        real, c, d = self.real, entry.community, entry.data
        if entry.kind == "event":
            await real.atomically(lambda: real.claim_event(c, d["event_id"], d["at"]))
        elif entry.kind == "join":
            made = self._memory.join(d["join_id"])
            if made is None:
                raise ValueError("the join is no longer in memory")

            async def join() -> None:
                record = await real.record_join(c, made.member_id, made.joined_at)
                greeted = self._memory.join(d["join_id"])  # greeted meanwhile, maybe
                if greeted is not None and greeted.greeted_at is not None:
                    await real.mark_greeted(c, record.id, greeted.greeted_at)
            await real.atomically(join)
        elif entry.kind == "nudge":
            new: NewNudge = d["nudge"]

            async def nudge() -> str | None:
                nudge_id = await real.record_nudge(c, new, cooldown=None)
                # the member's shared cooldown moves to this nudge unless a later one holds it
                await real.take_cooldown(c, new.member_id, new.at, timedelta(0))
                return nudge_id
            nudge_id = await real.atomically(nudge)
            if nudge_id is not None:
                self._offline_ids[d["offline_id"]] = nudge_id
        elif entry.kind == "crisis":
            await real.claim_crisis_alert(c, d["alert"])
        elif entry.kind == "feedback":
            nudge_id = self._offline_ids.get(d["nudge_id"], d["nudge_id"])
            if nudge_id.startswith(OFFLINE_PREFIX):
                raise ValueError("its nudge was not written")
            await real.record_feedback(c, nudge_id, d["member_id"], d["verdict"], d["at"])

    # -- lifecycle --------------------------------------------------------------------------------

    async def create_schema(self) -> None:
        await self.real.create_schema()

    async def close(self) -> None:
        self._closing = True
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._probe
        if self.down and self._journal:
            await self.recover()  # one last try
        if self._journal:
            log.error("shutting down with the database unavailable: dropped what was done while it was away: %s",
                      _counts(self.pending))
            self.dropped.update(self.pending)
            self._journal.clear()
        if self.skipped:
            log.warning("not recorded while the database was away: %s", _counts(self.skipped))
        try:
            await self.real.close()
        except Exception as exc:  # noqa: BLE001 - closing a broken pool must not hide the report above
            log.warning("closing the database connection failed (%s)", _describe(exc))


def _counts(counter: Counter[str]) -> str:
    names = {"event": "handled event ids", "join": "joins", "nudge": "nudges", "crisis": "crisis alerts",
             "feedback": "feedback clicks"}
    return ", ".join(f"{n} {names.get(k, k)}" for k, n in sorted(counter.items()) if n)


def _describe(exc: BaseException) -> str:
    return describe_error(exc)

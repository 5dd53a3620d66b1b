"""One runtime for every adapter: events in, the engine decides, actions out.

An adapter translates (platform payload -> core event, core action -> platform call); this
module does everything else, once, for Discord, Slack and the console alike:

- ``Runtime`` sends each event to ``Engine.handle`` and carries out the actions through the
  adapter's table of handlers (one per action type), each action isolated from the others'
  failures; it reports deliveries back to the engine, ticks the clock for the adapter's
  communities and drains the events in flight before a stop.
- ``serve`` is a running process: load the config once, open the store, build the engine
  and the adapter, start it, ``gc.freeze()`` what start-up loaded, tick every 15 s, wait for
  a stop (SIGTERM, SIGINT), then stop taking events, drain, close the store.
- ``run`` is the command line's entry point around ``serve`` (logging, signals, exit codes).

Crisis support must only say what is true. The member's crisis text says a moderator has
been told; so a crisis alert is carried out before the crisis support it accompanies, and
when no moderator could be told (or telling them takes longer than ``ALERT_WAIT_SECONDS``)
the member gets the text that does not say so (``CrisisSupport.unalerted_text``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import logging
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from peerbot.actions import Action, AlertModerators, CrisisSupport
from peerbot.events import Community, Delivered, Event

if TYPE_CHECKING:
    from peerbot.settings import Settings

log = logging.getLogger("peerbot.runtime")
_TRACKED: contextvars.ContextVar[bool] = contextvars.ContextVar("peerbot_tracked", default=False)

#: How long crisis support waits for its moderator alert before going out without saying a
#: moderator was told (the alert still finishes in the background).
ALERT_WAIT_SECONDS = 5.0
TICK_SECONDS = 15.0
#: How long a stop (SIGTERM) waits for the work in flight.
SHUTDOWN_SECONDS = 20.0
#: Exit codes of ``peerbot run``: 0 after a stop; 2 when peerbot cannot start for a reason the
#: operator fixes (settings, a rejected token, the platform unreachable, a port in use); 1
#: when the database is unavailable at start.
EXIT_OK, EXIT_DATABASE, EXIT_CONFIG = 0, 1, 2

#: One outbound handler: the action, and the adapter's context for the event being answered
#: (a Discord interaction, a Slack response URL...) or None.
Handler = Callable[[Any, Any], Awaitable[Any]]


class StartupError(Exception):
    """peerbot cannot start; ``str()`` is one line saying what to fix, never a secret."""

    def __init__(self, message: str, exit_code: int = EXIT_CONFIG) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Handles(Protocol):
    """What the runtime needs of the engine."""

    async def handle(self, event: Event) -> list[Action]: ...

    async def tick(self, community: Community, now: datetime) -> list[Action]: ...


class Adapter(Protocol):
    """A platform, as the runtime sees it."""

    platform: str

    def handlers(self) -> Mapping[type[Action], Handler]:
        """One handler per action type; for ``AlertModerators`` it returns whether a
        moderator was told."""

    def report_failure(self, action: Action, exc: Exception) -> None:
        """A handler raised: log it (ids and error codes only, never text)."""

    async def start(self) -> None:
        """Connect or listen; return once events flow."""

    async def stop(self) -> None:
        """Take no new events (the runtime then drains what is in flight)."""

    async def close(self) -> None:
        """Disconnect and release the platform client (after the drain)."""

    def communities(self) -> Iterable[Community]:
        """The communities this process serves now (for the clock tick)."""

    async def serving(self) -> None:
        """Return when the adapter stops serving by itself (a lost connection it will not
        retry); raise ``StartupError`` for a reason the operator must fix."""


async def carry_out(actions: Sequence[Action], perform: Callable[[Action], Awaitable[Any]], *,
                    alert_wait: float = ALERT_WAIT_SECONDS) -> None:
    """Perform ``actions`` in order, a crisis alert first. ``perform`` isolates its own
    failures; for an ``AlertModerators`` it returns whether a moderator was told."""
    alert = next((a for a in actions if isinstance(a, AlertModerators) and a.reason == "crisis"), None)
    told: bool | None = None
    if alert is not None:
        task = asyncio.ensure_future(perform(alert))
        try:
            told = bool(await asyncio.wait_for(asyncio.shield(task), alert_wait))
        except TimeoutError:
            told = False
            log.error("crisis alert for %s still not delivered after %.0f s: crisis support goes out "
                      "without saying a moderator was told", alert.community.key, alert_wait)
        except Exception:
            told = False
            log.exception("crisis alert for %s failed", alert.community.key)
    for action in actions:
        if action is alert:
            continue
        if isinstance(action, CrisisSupport) and told is False and action.unalerted_text:
            action = replace(action, text=action.unalerted_text)
        await perform(action)


class Runtime:
    """Events to the engine, actions to the adapter's handlers, deliveries back."""

    def __init__(self, engine: Handles, adapter: Adapter, *, tick_seconds: float = TICK_SECONDS,
                 observer: Callable[[Event, list[Action], float], None] | None = None) -> None:
        self.engine = engine
        self.adapter = adapter
        self.tick_seconds = tick_seconds
        #: Called after each event with ``(event, actions, seconds)``: tests and benchmarks.
        self.observer = observer
        self.in_flight = 0
        self.handled = 0
        self.failures: Counter[str] = Counter()
        self._table: Mapping[type[Action], Handler] | None = None
        self._done: asyncio.Condition | None = None

    @property
    def table(self) -> Mapping[type[Action], Handler]:
        if self._table is None:
            self._table = self.adapter.handlers()
        return self._table

    def _condition(self) -> asyncio.Condition:
        if self._done is None:
            self._done = asyncio.Condition()
        return self._done

    @contextlib.asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        """Count one inbound platform event as in flight until it is done (a stop drains
        these). ``handle`` counts by itself when not inside ``track``."""
        token = _TRACKED.set(True)
        self.in_flight += 1
        try:
            yield
        finally:
            _TRACKED.reset(token)
            self.in_flight -= 1
            self.handled += 1
            done = self._condition()
            async with done:
                done.notify_all()

    async def handle(self, event: Event, context: Any = None) -> list[Action]:
        """The engine's actions for ``event``, carried out. An engine failure is logged and
        answered with no actions; a failing action never stops the others."""
        if not _TRACKED.get():
            async with self.track():
                return await self.handle(event, context)
        started = time.perf_counter()
        actions: list[Action] = []
        try:
            actions = list(await self.engine.handle(event))
        except Exception:
            log.exception("engine failed on %s %s", type(event).__name__, event.event_id)
        await carry_out(actions, lambda action: self.perform(action, context))
        if self.observer is not None:
            self.observer(event, actions, time.perf_counter() - started)
        return actions

    async def perform(self, action: Action, context: Any = None) -> Any:
        """One action through the adapter's handler for its type, isolated."""
        handler = self.table.get(type(action))
        if handler is None:
            log.warning("%s: no handler for %s", self.adapter.platform, type(action).__name__)
            return None
        try:
            return await handler(action, context)
        except Exception as exc:
            self.failures[type(action).__name__] += 1
            self.adapter.report_failure(action, exc)
            return None

    async def delivered(self, community: Community, what: str, ref: str, via: str,
                        message_id: str | None = None) -> None:
        """Tell the engine how an action was delivered (ids only, for moderators' stats)."""
        try:
            await self.engine.handle(Delivered(
                event_id=f"{self.adapter.platform}:delivered:{what}:{ref}", community=community,
                at=datetime.now(UTC), what=what, ref=ref, via=via, message_id=message_id,  # type: ignore[arg-type]
            ))
        except Exception:
            log.exception("could not record the delivery of a %s in %s", what, community.key)

    async def tick(self, now: datetime | None = None, communities: Iterable[Community] | None = None) -> list[Action]:
        """One clock tick for each community: held welcomes, due prompts and digests."""
        now = now or datetime.now(UTC)
        done: list[Action] = []
        for community in list(communities if communities is not None else self.adapter.communities()):
            try:
                actions = list(await self.engine.tick(community, now))
            except Exception:  # a bad tick must not stop the bot; the next one retries
                log.exception("tick failed for %s", community.key)
                continue
            await carry_out(actions, self.perform)
            done += actions
        return done

    async def tick_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.tick_seconds)

    async def wait_handled(self, count: int, timeout: float = 3.0) -> None:
        """Wait until ``count`` events were handled (tests and benchmarks)."""
        done = self._condition()
        async with done:
            await asyncio.wait_for(done.wait_for(lambda: self.handled >= count), timeout)

    async def drain(self, timeout: float = SHUTDOWN_SECONDS) -> int:
        """Wait (up to ``timeout``) for the events in flight; returns how many still run."""
        done = self._condition()
        deadline = time.monotonic() + timeout
        async with done:
            while self.in_flight and time.monotonic() < deadline:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), max(0.0, deadline - time.monotonic()))
        return self.in_flight


# ------------------------------------------------------------------------------ a process

#: Builds the adapter for a running process from the engine and the settings.
AdapterFactory = Callable[[Any, "Settings"], Awaitable[Adapter]]


async def serve(settings: Settings, make_adapter: AdapterFactory, *, stop: asyncio.Event | None = None,
                on_ready: Callable[[Adapter], None] | None = None) -> None:
    """Run one adapter until ``stop`` is set: store, engine, adapter, clock tick, drain."""
    from peerbot.engine import Engine
    from peerbot.store import DatabaseUnavailable, SchemaError, open_store_from

    stop = stop or asyncio.Event()
    try:
        store = await open_store_from(settings)
    except (SchemaError, DatabaseUnavailable) as exc:
        raise StartupError(str(exc), exit_code=EXIT_DATABASE) from None
    adapter: Adapter | None = None
    ticker: asyncio.Task[None] | None = None
    try:
        engine = Engine(store, settings)
        adapter = await make_adapter(engine, settings)
        runtime: Runtime = adapter.runtime  # type: ignore[attr-defined]
        await adapter.start()
        # What start-up loaded (lexicons, config, the platform client) lives as long as the
        # process: out of the collector's way, so no full collection pauses a reply for it.
        gc.collect()
        gc.freeze()
        ticker = asyncio.create_task(runtime.tick_forever(stop), name=f"peerbot-{adapter.platform}-tick")
        if on_ready is not None:
            on_ready(adapter)
        stopped = asyncio.ensure_future(stop.wait())
        serving = asyncio.ensure_future(adapter.serving())
        await asyncio.wait({stopped, serving}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if serving.done():
            serving.result()  # an operator problem found after start-up: raised as StartupError
        else:
            serving.cancel()
        log.info("stopping: no new events; finishing what is in flight")
    finally:
        # Graceful: take no new events, let the tick and the events in flight carry out their
        # actions, then close the store (which writes what it holds).
        if ticker is not None:
            stop.set()
            try:
                await asyncio.wait_for(ticker, SHUTDOWN_SECONDS)
            except (TimeoutError, asyncio.CancelledError):
                log.warning("stopping: the clock tick did not finish in time")
        if adapter is not None:
            await adapter.stop()
            left = await adapter.runtime.drain(SHUTDOWN_SECONDS)  # type: ignore[attr-defined]
            if left:
                log.warning("stopping with %d events still being handled after %.0f s", left, SHUTDOWN_SECONDS)
            else:
                log.info("stopped after finishing every event in flight")
            await adapter.close()
        await store.close()


def run(args: Any, make_adapter: AdapterFactory, *, quiet_logs: Callable[[], None] | None = None,
        check: Callable[[Settings], None] | None = None) -> int:
    """``peerbot run PLATFORM``: load the config once, set up logging and signals, serve until
    SIGTERM or SIGINT. Returns the exit code."""
    from peerbot.settings import ConfigError, load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(level=getattr(logging, settings.log_level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if quiet_logs is not None:
        quiet_logs()

    async def main() -> None:
        if check is not None:
            check(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await serve(settings, make_adapter, stop=stop)

    try:
        asyncio.run(main())
    except StartupError as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        pass
    return EXIT_OK

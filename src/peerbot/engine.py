"""The engine: the only place peerbot decides anything.

``await engine.handle(event)`` returns the actions an adapter should carry out. The engine
keeps no state of its own: welcomes, cooldowns, prompt claims and moderator settings live in
the store, so several processes can run engines over one database. "Now" is always the
event's timestamp, which makes simulated clocks (demo, tests) trivial.

Each event is handled in one store transaction (``store.atomically``): the event id is
claimed together with everything the engine records about it, so a crash half-way leaves
the event unclaimed and its redelivery starts afresh. Messages are claimed by message id
instead (a nudge or a crisis alert is unique per message, in the same transaction as the
cooldown); their event ids are recorded behind, batched with other events. Most messages
lead to no action, and their outcome does not depend on the database at all.

Moderators' settings are read through a short cache (``settings_cache_seconds``, 2 s by
default): a change made in one process is seen by every other within that time (messages
may see it one background refresh later), and at once by the process that made it.

For moderators' insight the engine also counts every message seen by tone category (written
behind, batched), watches a nudged message for ``nudges.watch_minutes`` (an edit that
softens it, an edit that doesn't, a deletion, or nothing: only that word is kept), records
how private messages were delivered, and posts the weekly climate digest, claimed per week
like the daily prompt.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from peerbot.actions import Action, AlertModerators, Attachment, CrisisSupport, Post, PrivateMessage, PrivateNudge
from peerbot.events import (
    Community,
    DirectMessage,
    Delivered,
    DigestDue,
    Event,
    MemberJoined,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ModeratorCommand,
    NudgeFeedback,
    PromptDue,
    Tick,
)
from peerbot.commands import run_command
from peerbot.nudges import NudgeDecision, crisis_texts, decide_nudge, effective_threshold, nudge_text, why_text
from peerbot.prompts import Prompt, choose_prompt, community_library, load_prompts
from peerbot.scheduler import digest_due, local_midnight, prompt_due
from peerbot.settings import LIBRARY_PREFIX, CommunitySettings, Settings, merge_community, nest
from peerbot.store import CrisisAlert, NewNudge, Stats, Store, StoreUnavailable
from peerbot.texts import Messages, fill, load_messages
from peerbot.tone import ToneReport
from peerbot.tone import analyze as default_analyze
from peerbot.welcome import burst_text, welcome_text, welcomes_joins_of

Analyzer = Callable[..., ToneReport]
log = logging.getLogger("peerbot.engine")

# Held burst welcomes older than this are dropped rather than greeted a day late.
_BURST_HORIZON = timedelta(hours=6)
# A member's joins this close together are one arrival announced twice (Slack sends
# team_join and member_joined_channel): one welcome, whatever the UTC date of each.
SAME_ARRIVAL = timedelta(hours=24)
# Handled event ids are kept this long (platforms redeliver within minutes or hours), and
# pruned at most this often by each process.
EVENT_RETENTION = timedelta(days=7)
_PRUNE_EVERY_SECONDS = 3600.0
# Nudges whose watch window closed untouched are marked "unchanged" this often per community
# (stats count them as unchanged meanwhile anyway).
_SETTLE_EVERY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class _Assessment:
    """What a message may lead to, worked out before touching the database."""

    settings: CommunitySettings
    report: ToneReport
    decision: NudgeDecision | None  # None for crisis

    @property
    def acts(self) -> bool:
        """A crisis, or a nudge the policy allows (the store still checks the cooldown)."""
        return self.decision is None or self.decision.nudge


class Engine:
    """Decides what peerbot does for each event. See ``events`` and ``actions``."""

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        analyze: Analyzer = default_analyze,
        prompts: Sequence[Prompt] | None = None,
        messages: Messages | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.settings = settings if settings is not None else Settings()
        self.settings_ttl = float(getattr(self.settings, "settings_cache_seconds", 2.0))
        self._clock = clock
        # community key -> (expires at, stored overrides, effective settings)
        self._cache: dict[str, tuple[float, dict[str, Any], CommunitySettings]] = {}
        self._refreshing: dict[str, asyncio.Task[None]] = {}
        self._generation = 0  # bumped whenever the cache is invalidated
        self._next_prune = 0.0
        self._next_settle: dict[str, float] = {}  # community key -> clock
        # (community key, week) digests this process saw claimed: saves the claim's round trip.
        self._digests_seen: set[tuple[str, str]] = set()
        self.analyze = analyze
        self.prompts = tuple(prompts) if prompts is not None else load_prompts(self.settings)
        self.messages = messages if messages is not None else load_messages(self.settings)
        try:
            self._analyzer_takes_names = "names" in inspect.signature(analyze).parameters
        except (TypeError, ValueError):
            self._analyzer_takes_names = False

    # -- entry points -------------------------------------------------------------------

    async def handle(self, event: Event) -> list[Action]:
        """Decide what to do about one event. Redelivered event ids get ``[]``."""
        try:
            if isinstance(event, Tick):
                # Ticks are idempotent and frequent: not claimed.
                return await self.store.atomically(lambda: self._flush_bursts(event.community, event.at))
            if isinstance(event, MessagePosted):  # MessageEdited too
                # For a message the claim that matters is the message's own: a nudge and a
                # crisis alert are unique per message id in the database (so an edit, or a
                # redelivery under any event id, never acts twice). The event id is recorded
                # behind, batched with other events, for the record.
                assessment = await self._assess(event)
                self.store.record_event(event.community, event.event_id, event.at)
                if assessment is None:
                    return []  # a bot: nothing comes of it, whoever handles it
                if isinstance(event, MessageEdited):
                    await self._watch_edit(event, assessment)  # one statement
                if not assessment.acts:
                    return []
                if assessment.decision is None:
                    return await self._crisis(event, assessment.settings)  # one statement: atomic alone
                return await self._act(event, assessment)  # atomic by itself
            # Idempotent, each one statement (or a claim of its own): no event id claim.
            if isinstance(event, MessageDeleted):
                return await self._on_deleted(event)
            if isinstance(event, Delivered):
                await self.store.record_delivery(event.community, event.what, event.ref, event.via, event.message_id)
                return []
            if isinstance(event, DigestDue):
                return await self._on_digest_due(event)
            if isinstance(event, MemberJoined) and event.channel is not None and not welcomes_joins_of(
                    await self.community_settings(event.community), event.channel):
                return []  # not claimed: the member's join of the community may still come
            handler = self._handler(event)
            if handler is None:
                log.warning("unknown event type %s ignored", type(event).__name__)
                return []
            return await self.store.atomically(lambda: self._once(event, handler))
        except BaseException:
            self._invalidate()  # the cache may hold what a rolled-back transaction read
            raise

    def _handler(self, event: Event) -> Callable[[], Awaitable[list[Action]]] | None:
        if isinstance(event, MemberJoined):
            return lambda: self._on_join(event)
        if isinstance(event, PromptDue):
            return lambda: self._on_prompt_due(event)
        if isinstance(event, ModeratorCommand):
            return lambda: run_command(self, event)
        if isinstance(event, NudgeFeedback):
            return lambda: self._on_feedback(event)
        if isinstance(event, DirectMessage):
            return lambda: self._on_direct_message(event)
        return None

    async def _once(self, event: Event, work: Callable[[], Awaitable[list[Action]]]) -> list[Action]:
        """Inside the event's transaction: claim its id, then do the work."""
        if not await self.store.claim_event(event.community, event.event_id, event.at):
            log.debug("duplicate event %s ignored", event.event_id)
            return []
        return await work()

    async def tick(self, community: Community, now: datetime) -> list[Action]:
        """What a runtime calls every ~15 s per community: held welcomes and due prompts."""
        actions = await self.handle(Tick(event_id=f"tick:{now.isoformat()}", community=community, at=now))
        settings = await self.community_settings(community)
        due = prompt_due(community, settings, now)
        if due is not None:
            actions += await self._when_stored(due)
        digest = digest_due(community, settings, now)
        if digest is not None:
            actions += await self._when_stored(digest)
        if self._clock() >= self._next_settle.get(community.key, 0.0):
            self._next_settle[community.key] = self._clock() + _SETTLE_EVERY_SECONDS
            await self.store.settle_outcomes(community, now, timedelta(minutes=settings.nudges.watch_minutes))
        if self._clock() >= self._next_prune:
            self._next_prune = self._clock() + _PRUNE_EVERY_SECONDS
            removed = await self.store.prune_events(now - EVENT_RETENTION)
            if removed:
                log.info("forgot %d handled event ids older than %s", removed, EVENT_RETENTION)
        return actions

    async def _when_stored(self, event: Event) -> list[Action]:
        """A scheduled event whose claim needs the database (prompt, digest): while the
        database is away it waits, and is due again at a later tick."""
        try:
            return await self.handle(event)
        except StoreUnavailable as exc:
            log.info("%s", exc)
            return []

    # -- moderators' settings, through a short cache ---------------------------------------

    async def _settings_entry(
        self, community: Community, *, allow_stale: bool = False
    ) -> tuple[float, dict[str, Any], CommunitySettings]:
        entry = self._cache.get(community.key)
        now = self._clock()
        if entry is not None and now < entry[0]:
            return entry
        if allow_stale and entry is not None and now < entry[0] + self.settings_ttl:
            # Just expired: answer from the cache and refresh it in the background (one
            # refresh per community), so a message never waits for a settings read.
            if community.key not in self._refreshing:
                # A fresh context: the refresh must not join the caller's transaction.
                self._refreshing[community.key] = asyncio.create_task(
                    self._refresh(community), context=contextvars.Context())
            return entry
        return await self._load_settings(community)

    async def _refresh(self, community: Community) -> None:
        try:
            await self._load_settings(community)
        except Exception:  # the next message tries again (or reads through once it is too old)
            log.warning("settings refresh failed for %s", community.key, exc_info=True)
        finally:
            self._refreshing.pop(community.key, None)

    async def _load_settings(self, community: Community) -> tuple[float, dict[str, Any], CommunitySettings]:
        now, generation = self._clock(), self._generation
        overrides = await self.store.overrides(community)
        base = self.settings.for_community(community.key)
        effective = base
        nested = nest(overrides)
        if nested:
            try:
                effective = merge_community(base, nested)
            except ValidationError:
                log.warning("ignoring invalid stored overrides for %s", community.key)
        entry = (now + self.settings_ttl, overrides, effective)
        if self.settings_ttl > 0 and generation == self._generation:  # nothing changed meanwhile
            self._cache[community.key] = entry
        return entry

    def _invalidate(self, community: Community | None = None) -> None:
        self._generation += 1
        if community is None:
            self._cache.clear()
        else:
            self._cache.pop(community.key, None)

    async def community_settings(self, community: Community) -> CommunitySettings:
        """Config-file settings for the community with moderators' changes applied."""
        return (await self._settings_entry(community))[2]

    async def overrides(self, community: Community) -> dict[str, Any]:
        """Moderators' stored changes (possibly ``settings_cache_seconds`` old)."""
        return (await self._settings_entry(community))[1]

    async def set_override(self, community: Community, key: str, value: Any, *, actor_id: str, at: datetime) -> None:
        """Store a moderator's change; this process sees it at once, others within the TTL."""
        self._invalidate(community)
        await self.store.set_override(community, key, value, actor_id=actor_id, at=at)
        self._invalidate(community)

    async def library(self, community: Community) -> tuple[Prompt, ...]:
        overrides = await self.overrides(community)
        return community_library(
            self.prompts,
            overrides.get(LIBRARY_PREFIX + "custom", []),
            overrides.get(LIBRARY_PREFIX + "removed", []),
        )

    def report(self, text: str, threshold: float, names: Sequence[str] = ()) -> ToneReport:
        if names and self._analyzer_takes_names:
            return self.analyze(text, threshold=threshold, names=tuple(names))
        return self.analyze(text, threshold=threshold)

    # -- welcomes -----------------------------------------------------------------------

    async def _on_join(self, event: MemberJoined) -> list[Action]:
        community, member = event.community, event.member
        settings = await self.community_settings(community)
        if member.is_bot or not settings.welcome.enabled:
            return []
        # Joins and burst flushes of one community take turns, in every process.
        await self.store.lock_community(community, "welcome")
        earlier = await self.store.joins_since(community, event.at - SAME_ARRIVAL)
        if any(j.member_id == member.id and j.joined_at <= event.at for j in earlier):
            log.info("join of a member who joined %s within %s: already welcomed", community.key, SAME_ARRIVAL)
            return []
        join = await self.store.record_join(community, member.id, event.at)
        actions: list[Action] = []
        if settings.welcome.privately and not join.returning:
            text = welcome_text(self.messages, community, settings, member.id, kind="private")
            actions.append(PrivateMessage(community=community, member_id=member.id, text=text))
        if settings.welcome.in_channel:
            window = timedelta(seconds=settings.welcome.burst_window_seconds)
            recent = await self.store.joins_since(community, event.at - window)
            if len(recent) < settings.welcome.burst_size:
                if await self.store.mark_greeted(community, join.id, event.at):
                    kind = "back" if join.returning else "channel"
                    actions.append(Post(
                        community=community, channel=settings.welcome.channel,
                        text=welcome_text(self.messages, community, settings, member.id, kind=kind),
                        kind="welcome_back" if join.returning else "welcome", mention_ids=(member.id,),
                    ))
            else:
                log.info("join held for a combined welcome in %s", community.key)
        elif join.returning:
            text = welcome_text(self.messages, community, settings, member.id, kind="back")
            actions.append(PrivateMessage(community=community, member_id=member.id, text=text))
        return actions

    async def _flush_bursts(self, community: Community, now: datetime) -> list[Action]:
        """One combined welcome once a burst of joins has gone quiet for a window."""
        settings = await self.community_settings(community)
        if not (settings.welcome.enabled and settings.welcome.in_channel):
            return []
        window = timedelta(seconds=settings.welcome.burst_window_seconds)
        held: list[Any] = []
        for locked in (False, True):  # look without the lock (cheap, usually nothing), then under it
            held = [j for j in await self.store.joins_since(community, now - _BURST_HORIZON) if j.greeted_at is None]
            if not held or now - max(j.joined_at for j in held) < window:
                return []  # nothing held, or still arriving
            if not locked:
                await self.store.lock_community(community, "welcome")
        claimed = [j for j in held if await self.store.mark_greeted(community, j.id, now)]
        member_ids = list(dict.fromkeys(j.member_id for j in claimed))
        if not member_ids:
            return []
        if len(member_ids) == 1:
            returning = claimed[0].returning
            text = welcome_text(self.messages, community, settings, member_ids[0], kind="back" if returning else "channel")
            kind = "welcome_back" if returning else "welcome"
        else:
            text, kind = burst_text(self.messages, community, settings, member_ids), "welcome_burst"
        return [Post(community=community, channel=settings.welcome.channel, text=text, kind=kind,
                     mention_ids=tuple(member_ids))]

    # -- messages: crisis first, then nudges ---------------------------------------------

    async def _assess(self, event: MessagePosted) -> _Assessment | None:
        """Analyse a message against the policy (None for bots: they are not looked at).
        Reads only (cached) settings, so it runs outside the event's transaction; a new
        message is counted for stats, by category, written behind."""
        if event.author.is_bot:
            return None
        settings = (await self._settings_entry(event.community, allow_stale=True))[2]
        threshold = effective_threshold(settings, event.channel)
        report = self.report(event.text, threshold, event.mentioned_names)
        log.info("message %s: %s %s %.2f", event.message_id, report.action, report.category, report.score)
        if not isinstance(event, MessageEdited):
            self.store.count_message(event.community, event.at, report.category)
            if event.reply_to:
                self.store.count_reply(event.community, event.reply_to)
        if report.action == "crisis":
            return _Assessment(settings, report, None)
        # The cooldown is left to the store, which enforces it across processes.
        decision = decide_nudge(report, settings, event.channel, event.author, None, event.at)
        if not decision.nudge and decision.skipped not in (None, "no_nudge"):
            log.info("nudge skipped for %s: %s", event.message_id, decision.skipped)
        return _Assessment(settings, report, decision)

    async def _watch_edit(self, event: MessageEdited, assessment: _Assessment) -> None:
        """A nudged message edited inside its watch window: softened when the new words would
        no longer be nudged here (a crisis is not "softened"). Only the outcome is kept."""
        report = assessment.report
        threshold = effective_threshold(assessment.settings, event.channel)
        softened = report.action != "crisis" and not report.nudges_at(threshold)
        window = timedelta(minutes=assessment.settings.nudges.watch_minutes)
        if await self.store.record_edit(event.community, event.message_id, event.at, softened=softened, window=window):
            log.info("nudged message %s edited (%s)", event.message_id, "softened" if softened else "not softened")

    async def _on_deleted(self, event: MessageDeleted) -> list[Action]:
        settings = await self.community_settings(event.community)
        window = timedelta(minutes=settings.nudges.watch_minutes)
        if await self.store.record_deletion(event.community, event.message_id, event.at, window=window):
            log.info("nudged message %s deleted", event.message_id)
        return []

    async def _act(self, event: MessagePosted, assessment: _Assessment) -> list[Action]:
        """The nudge, the member's shared cooldown and the count for the repeat summary, in
        one atomic claim (one statement on PostgreSQL)."""
        settings, report, decision = assessment.settings, assessment.report, assessment.decision
        assert decision is not None
        community, nudges = event.community, settings.nudges
        cues = report.cue_names()
        claim = await self.store.claim_nudge(
            community, NewNudge(channel_id=event.channel.id, member_id=event.author.id, message_id=event.message_id,
                                at=event.at, category=report.category, score=report.score,
                                threshold=decision.threshold, cues=cues),
            cooldown=timedelta(minutes=nudges.cooldown_minutes),
            since=event.at - timedelta(hours=nudges.repeat_alert_window_hours),
        )
        if claim.nudge_id is None:
            # this message (e.g. an edit of it) was already nudged, or the member's cooldown runs
            log.info("nudge skipped for %s: cooldown or already nudged", event.message_id)
            return []
        actions: list[Action] = [PrivateNudge(
            community=community, member_id=event.author.id, channel_id=event.channel.id,
            message_id=event.message_id, nudge_id=claim.nudge_id, category=report.category,
            text=nudge_text(self.messages, settings, member_id=event.author.id, channel=event.channel,
                            category=report.category, cue_names=cues),
        )]
        # Exactly at the crossing, so moderators hear once per streak, not on every nudge.
        if nudges.repeat_alert_count > 0 and len(claim.recent) == nudges.repeat_alert_count:
            text = fill(
                self.messages.get("moderation.repeat_alert", settings.texts), member=f"<@{event.author.id}>",
                count=len(claim.recent), hours=nudges.repeat_alert_window_hours,
                categories=", ".join(sorted(set(claim.recent))),
            )
            actions.append(AlertModerators(
                community=community, channel=settings.moderator_channel, reason="repeated_nudges",
                text=text, member_id=event.author.id,
            ))
        return actions

    async def _crisis(self, event: MessagePosted, settings: CommunitySettings) -> list[Action]:
        # One alert per message (an edit doesn't re-alert); cooldowns never apply here.
        first = await self.store.claim_crisis_alert(event.community, CrisisAlert(
            channel_id=event.channel.id, member_id=event.author.id, message_id=event.message_id, at=event.at))
        if not first:
            return []
        actions: list[Action] = [CrisisSupport(
            community=event.community, member_id=event.author.id, channel_id=event.channel.id,
            message_id=event.message_id, **crisis_texts(self.messages, settings, event.author.id),
        )]
        if settings.crisis.alert_moderators:
            text = fill(
                self.messages.get("crisis.alert", settings.texts), member=f"<@{event.author.id}>",
                channel=event.channel.name or event.channel.id,
                link=event.link or f"message {event.message_id}",
            )
            actions.append(AlertModerators(
                community=event.community, channel=settings.moderator_channel, reason="crisis", text=text,
                member_id=event.author.id, message_channel_id=event.channel.id,
                message_id=event.message_id, link=event.link,
            ))
        return actions

    # -- prompts -------------------------------------------------------------------------

    async def _on_prompt_due(self, event: PromptDue) -> list[Action]:
        community = event.community
        settings = await self.community_settings(community)
        if not settings.prompts.enabled or event.at < event.scheduled_at:
            return []
        lateness = event.at - event.scheduled_at
        if lateness > timedelta(minutes=settings.prompts.max_lateness_minutes):
            log.info("prompt for %s on %s skipped: %s late", community.key, event.local_date, lateness)
            return []
        choice = choose_prompt(await self.library(community), await self.store.used_prompts(community), community.key)
        if choice is None:
            return []
        prompt, cycle = choice
        if not await self.store.claim_prompt(community, event.local_date, prompt.id, cycle, event.at):
            return []  # another process (or an earlier run) posted today's prompt
        text = fill(self.messages.get("prompt.post", settings.texts), prompt=prompt.text, theme=prompt.theme)
        return [Post(community=community, channel=settings.prompts.channel, text=text, kind="prompt",
                     ref=event.local_date)]

    # -- moderators' insight -------------------------------------------------------------

    async def stats(self, community: Community, since: datetime, until: datetime | None = None,
                    *, now: datetime | None = None) -> Stats:
        """The community's figures for ``[since, until)``; nudges sent more than the watch
        window before ``now`` (default: ``until``) with no outcome count as unchanged."""
        settings = await self.community_settings(community)
        window = timedelta(minutes=settings.nudges.watch_minutes)
        reference = now or until
        return await self.store.stats(community, since, until,
                                      settled_before=None if reference is None else reference - window)

    async def digest(self, community: Community, week_start: date, week_end: date, *,
                     now: datetime | None = None) -> tuple[str, Attachment] | None:
        """The climate digest for local dates ``[week_start, week_end)`` against the week
        before: its text and chart; None for a week with nothing to report."""
        from peerbot.charts import digest_chart_async
        from peerbot.insight import digest_text, period_label, quiet

        settings = await self.community_settings(community)
        since, until = local_midnight(week_start, settings), local_midnight(week_end, settings)
        this = await self.stats(community, since, until, now=now)
        if quiet(this):
            return None
        before = await self.stats(community, local_midnight(week_start - timedelta(days=7), settings), since, now=now)
        name = community.name or community.key
        text = digest_text(name, this, before, week_start, week_end)
        try:
            chart = await digest_chart_async(f"{name}: {period_label(week_start, week_end)}", this, before)
        except Exception:  # a chart that cannot be drawn must not cost moderators the figures
            log.warning("digest chart for %s could not be drawn", community.key, exc_info=True)
            chart = b""
        attachment = Attachment(f"peerbot-digest-{week_start.isoformat()}.png", chart,
                                alt="Tone mix and nudge outcomes this week and the week before")
        return text, attachment

    async def _on_digest_due(self, event: DigestDue) -> list[Action]:
        community = event.community
        seen = (community.key, event.week_end)
        settings = await self.community_settings(community)
        if seen in self._digests_seen or not settings.digest.enabled or event.at < event.scheduled_at:
            return []
        # Claimed before anything is read or drawn (a second process simply loses the INSERT);
        # if this process dies before posting, that week's digest is lost, never doubled.
        won = await self.store.claim_digest(community, event.week_end, event.at)
        self._digests_seen.add(seen)
        if not won:
            return []
        made = await self.digest(community, date.fromisoformat(event.week_start), date.fromisoformat(event.week_end),
                                 now=event.at)
        if made is None:
            log.info("digest for %s, week ending %s: nothing happened, nothing posted", community.key, event.week_end)
            return []
        text, attachment = made
        return [Post(community=community, channel=settings.digest.channel or settings.moderator_channel, text=text,
                     kind="digest", ref=event.week_end, file=attachment if attachment.data else None)]

    # -- private messages to peerbot -------------------------------------------------------

    async def _on_direct_message(self, event: DirectMessage) -> list[Action]:
        """Crisis language in a DM to peerbot gets resources and a moderator alert (once per
        message; no link, no text: moderators can't open a private conversation); anything
        else a short help text. Never a nudge."""
        author = event.author
        if author.is_bot:
            return []
        settings = await self.community_settings(event.community)
        report = self.report(event.text, settings.nudges.threshold)
        log.info("direct message %s: %s", event.message_id, report.action)
        if report.action != "crisis":
            text = fill(self.messages.get("direct.help", settings.texts), member=f"<@{author.id}>",
                        community=event.community.name or "our community")
            return [PrivateMessage(community=event.community, member_id=author.id, text=text)]
        if not await self.store.claim_crisis_alert(event.community, CrisisAlert(
                channel_id=event.channel_id, member_id=author.id, message_id=event.message_id, at=event.at)):
            return []
        actions: list[Action] = [CrisisSupport(
            community=event.community, member_id=author.id, channel_id=event.channel_id,
            message_id=event.message_id, **crisis_texts(self.messages, settings, author.id),
        )]
        if settings.crisis.alert_moderators:
            text = fill(self.messages.get("crisis.alert_private", settings.texts), member=f"<@{author.id}>")
            actions.append(AlertModerators(
                community=event.community, channel=settings.moderator_channel, reason="crisis", text=text,
                member_id=author.id,
            ))
        return actions

    # -- feedback ------------------------------------------------------------------------

    async def _on_feedback(self, event: NudgeFeedback) -> list[Action]:
        nudge = await self.store.get_nudge(event.community, event.nudge_id)
        if nudge is None or nudge.member_id != event.member.id:
            return []
        await self.store.record_feedback(event.community, nudge.id, event.member.id, event.verdict, event.at)
        settings = await self.community_settings(event.community)
        if event.verdict == "why":
            text = why_text(self.messages, settings, nudge.category, nudge.cues)
        elif event.verdict == "helpful":
            text = "Thank you for letting me know."
        else:
            text = "Thanks for telling me. I'll learn from it, and moderators see these counts to tune me."
        return [PrivateMessage(community=event.community, member_id=event.member.id, text=text)]

"""When is a community's prompt (or weekly digest) due? Pure functions over settings and an
aware "now"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peerbot.events import Community, DigestDue, PromptDue
from peerbot.settings import WEEKDAYS, CommunitySettings


def local_at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """``clock`` on the local date ``day``, aware in ``zone``. A time the clocks skip (spring
    forward, 02:30 in New York) is the moment they jump to (03:00); a time that happens twice
    (fall back) is the first of the two."""
    local = datetime.combine(day, clock, tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return local  # exists (fold=0 is the first of two readings)
    # In the gap: the two readings of the offset bracket the jump; find its second.
    readings = sorted(int(local.replace(fold=f).timestamp()) for f in (0, 1))
    lo, hi = readings
    after = datetime.fromtimestamp(hi, zone).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, zone)


def _prompt_times(settings: CommunitySettings, first: date, step: int) -> Iterator[tuple[date, datetime]]:
    """(local date, aware time) of the prompts on the 8 days from ``first``, going by ``step``."""
    prompt = settings.prompts
    allowed = {WEEKDAYS.index(day) for day in prompt.weekdays}
    clock = time(prompt.local_time.hour, prompt.local_time.minute)
    for n in range(9):
        day = first + timedelta(days=n * step)
        if day.weekday() in allowed:
            yield day, local_at(day, clock, settings.zone)


def _last(settings: CommunitySettings, now: datetime) -> tuple[date, datetime] | None:
    first = now.astimezone(settings.zone).date()
    return next(((d, at) for d, at in _prompt_times(settings, first, -1) if at <= now), None)


def last_scheduled(settings: CommunitySettings, now: datetime) -> datetime | None:
    """The latest scheduled prompt time at or before ``now``, aware in the community's zone."""
    found = _last(settings, now)
    return None if found is None else found[1]


def next_scheduled(settings: CommunitySettings, now: datetime) -> datetime | None:
    first = now.astimezone(settings.zone).date()
    return next((at for _, at in _prompt_times(settings, first, 1) if at > now), None)


def prompt_due(community: Community, settings: CommunitySettings, now: datetime) -> PromptDue | None:
    """A ``PromptDue`` for the latest scheduled time, or None when prompts are off.

    Emitting it again is harmless: the event id is per local date, and the engine claims the
    date in the store. Lateness is the engine's call, not the scheduler's.
    """
    if not settings.prompts.enabled:
        return None
    found = _last(settings, now)
    if found is None:
        return None
    local_date, scheduled = found[0].isoformat(), found[1]
    return PromptDue(
        event_id=f"prompt-due:{local_date}", community=community, at=now,
        local_date=local_date, scheduled_at=scheduled,
    )


def local_midnight(day: date, settings: CommunitySettings) -> datetime:
    """The start of a local date, aware in the community's zone."""
    return local_at(day, time(0), settings.zone)


def week_containing(day: date, settings: CommunitySettings) -> tuple[date, date]:
    """The digest week ``[start, end)`` that contains ``day``: it starts on the digest weekday."""
    start = day - timedelta(days=(day.weekday() - WEEKDAYS.index(settings.digest.weekday)) % 7)
    return start, start + timedelta(days=7)


def digest_due(community: Community, settings: CommunitySettings, now: datetime) -> DigestDue | None:
    """A ``DigestDue`` for the latest scheduled digest at or before ``now`` (None when off).

    The digest posted on a weekday covers the seven local days before that day. Emitting it
    again is harmless: the engine claims the week in the store.
    """
    digest = settings.digest
    if not digest.enabled:
        return None
    local_now = now.astimezone(settings.zone)
    day = local_now.date() - timedelta(days=(local_now.weekday() - WEEKDAYS.index(digest.weekday)) % 7)
    scheduled = local_at(day, digest.local_time, settings.zone)
    if scheduled > now:
        day -= timedelta(days=7)
        scheduled = local_at(day, digest.local_time, settings.zone)
    week_start = day - timedelta(days=7)
    return DigestDue(
        event_id=f"digest-due:{day.isoformat()}", community=community, at=now,
        week_start=week_start.isoformat(), week_end=day.isoformat(), scheduled_at=scheduled,
    )

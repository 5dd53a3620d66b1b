"""When is a community's prompt due? Pure functions over settings and an aware "now"."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.rrule import DAILY, rrule, weekday
from dateutil.rrule import weekdays as RRULE_WEEKDAYS

from peerbot.events import Community, PromptDue
from peerbot.settings import WEEKDAYS, CommunitySettings


def _rule(settings: CommunitySettings, around: datetime) -> rrule:
    prompt = settings.prompts
    days: list[weekday] = [RRULE_WEEKDAYS[WEEKDAYS.index(day)] for day in prompt.weekdays]
    start = (around - timedelta(days=8)).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    return rrule(
        DAILY, dtstart=start, byweekday=days, byhour=prompt.local_time.hour,
        byminute=prompt.local_time.minute, bysecond=0, until=start + timedelta(days=17),
    )


def last_scheduled(settings: CommunitySettings, now: datetime) -> datetime | None:
    """The latest scheduled prompt time at or before ``now``, aware in the community's zone."""
    local_now = now.astimezone(settings.zone)
    naive = _rule(settings, local_now).before(local_now.replace(tzinfo=None), inc=True)
    return None if naive is None else naive.replace(tzinfo=settings.zone)


def next_scheduled(settings: CommunitySettings, now: datetime) -> datetime | None:
    local_now = now.astimezone(settings.zone)
    naive = _rule(settings, local_now).after(local_now.replace(tzinfo=None), inc=False)
    return None if naive is None else naive.replace(tzinfo=settings.zone)


def prompt_due(community: Community, settings: CommunitySettings, now: datetime) -> PromptDue | None:
    """A ``PromptDue`` for the latest scheduled time, or None when prompts are off.

    Emitting it again is harmless: the event id is per local date, and the engine claims the
    date in the store. Lateness is the engine's call, not the scheduler's.
    """
    if not settings.prompts.enabled:
        return None
    scheduled = last_scheduled(settings, now)
    if scheduled is None:
        return None
    local_date = scheduled.date().isoformat()
    return PromptDue(
        event_id=f"prompt-due:{local_date}", community=community, at=now,
        local_date=local_date, scheduled_at=scheduled,
    )

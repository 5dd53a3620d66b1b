"""When is a community's prompt (or weekly digest) due? Pure functions over settings and an
aware "now"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.rrule import DAILY, rrule, weekday
from dateutil.rrule import weekdays as RRULE_WEEKDAYS

from peerbot.events import Community, DigestDue, PromptDue
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


def local_midnight(day: date, settings: CommunitySettings) -> datetime:
    """The start of a local date, aware in the community's zone."""
    return datetime.combine(day, time(0), tzinfo=settings.zone)


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
    scheduled = datetime.combine(day, digest.local_time, tzinfo=settings.zone)
    if scheduled > local_now:
        day -= timedelta(days=7)
        scheduled = datetime.combine(day, digest.local_time, tzinfo=settings.zone)
    week_start = day - timedelta(days=7)
    return DigestDue(
        event_id=f"digest-due:{day.isoformat()}", community=community, at=now,
        week_start=week_start.isoformat(), week_end=day.isoformat(), scheduled_at=scheduled,
    )

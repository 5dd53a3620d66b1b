import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from peerbot.actions import Post
from peerbot.events import PromptDue
from peerbot.scheduler import last_scheduled, next_scheduled, prompt_due

from engine_kit import COMMUNITY, T0, make_engine, minutes, settings

pytestmark = pytest.mark.usefixtures("closing_engines")

# 09:00 New York on Monday 10 March 2025 (EDT) is 13:00 UTC.
NINE = datetime(2025, 3, 10, 13, 0, tzinfo=UTC)


def prompts_posted(actions):
    return [a for a in actions if isinstance(a, Post) and a.kind == "prompt"]


async def test_prompt_posts_once_at_local_time(tmp_path):
    engine = await make_engine(tmp_path)
    assert prompts_posted(await engine.tick(COMMUNITY, NINE - minutes(1))) == []  # Sunday's is long past
    posted = prompts_posted(await engine.tick(COMMUNITY, NINE + minutes(1)))
    assert len(posted) == 1 and posted[0].channel == "general"
    assert "Today's encouragement" in posted[0].text
    assert prompts_posted(await engine.tick(COMMUNITY, NINE + minutes(2))) == []


async def test_two_engines_sharing_one_database_never_double_post(tmp_path):
    engines = [await make_engine(tmp_path) for _ in range(4)]
    for day in range(3):
        now = NINE + timedelta(days=day, minutes=1)
        results = await asyncio.gather(*(e.tick(COMMUNITY, now) for e in engines))
        assert sum(len(prompts_posted(r)) for r in results) == 1


async def test_duplicate_prompt_due_with_different_event_ids_still_posts_once(tmp_path):
    engine = await make_engine(tmp_path)
    due = dict(community=COMMUNITY, at=NINE + minutes(1), local_date="2025-03-10", scheduled_at=NINE)
    first = await engine.handle(PromptDue(event_id="a", **due))
    second = await engine.handle(PromptDue(event_id="b", **due))
    assert len(prompts_posted(first)) == 1 and second == []


async def test_restart_after_missed_time_skips_stale_prompt_then_resumes(tmp_path):
    config = settings(prompts={"max_lateness_minutes": 60})
    engine = await make_engine(tmp_path, config=config)
    assert prompts_posted(await engine.tick(COMMUNITY, NINE + minutes(61))) == []  # came up too late
    restarted = await make_engine(tmp_path, config=config)
    assert prompts_posted(await restarted.tick(COMMUNITY, NINE + minutes(62))) == []
    next_day = prompts_posted(await restarted.tick(COMMUNITY, NINE + timedelta(days=1, minutes=3)))
    assert len(next_day) == 1


async def test_restart_within_lateness_posts_once(tmp_path):
    engine = await make_engine(tmp_path, config=settings(prompts={"max_lateness_minutes": 60}))
    assert len(prompts_posted(await engine.tick(COMMUNITY, NINE + minutes(45)))) == 1
    restarted = await make_engine(tmp_path, config=settings(prompts={"max_lateness_minutes": 60}))
    assert prompts_posted(await restarted.tick(COMMUNITY, NINE + minutes(50))) == []


async def test_only_on_chosen_weekdays(tmp_path):
    engine = await make_engine(tmp_path, config=settings(prompts={"weekdays": ["tue"]}))
    assert prompts_posted(await engine.tick(COMMUNITY, NINE + minutes(1))) == []  # Monday
    assert len(prompts_posted(await engine.tick(COMMUNITY, NINE + timedelta(days=1, minutes=1)))) == 1


async def test_rotation_uses_every_prompt_before_repeating(tmp_path):
    engine = await make_engine(tmp_path)
    size = len(engine.prompts)
    assert size >= 60
    texts = []
    for day in range(size + 5):
        texts += [p.text for p in prompts_posted(await engine.tick(COMMUNITY, NINE + timedelta(days=day, minutes=1)))]
    assert len(texts) == size + 5
    assert len(set(texts[:size])) == size
    assert texts[size] != texts[size - 1]


def test_schedule_follows_local_time_across_daylight_saving():
    config = settings(timezone="America/New_York", prompts={"time": "09:00"}).community
    before = last_scheduled(config, datetime(2025, 3, 8, 15, 0, tzinfo=UTC))  # Saturday, EST
    after = next_scheduled(config, datetime(2025, 3, 8, 15, 0, tzinfo=UTC))  # Sunday, EDT
    assert before.astimezone(UTC).hour == 14 and after.astimezone(UTC).hour == 13
    assert before.hour == after.hour == 9


def test_scheduler_event_id_is_per_local_date_in_the_community_zone():
    tokyo = settings(timezone="Asia/Tokyo", prompts={"time": "07:30"}).community
    due = prompt_due(COMMUNITY, tokyo, datetime(2025, 3, 10, 23, 0, tzinfo=UTC))  # 08:00 on the 11th in Tokyo
    assert due is not None and due.local_date == "2025-03-11" and due.event_id == "prompt-due:2025-03-11"
    assert prompt_due(COMMUNITY, settings(prompts={"enabled": False}).community, T0) is None


async def test_a_prompt_time_the_clocks_skip_posts_when_they_jump_on_the_spring_forward_day(tmp_path):
    # 9 March 2025 in New York: 02:00 EST becomes 03:00 EDT (07:00 UTC), so 02:30 never happens.
    engine = await make_engine(tmp_path, config=settings(timezone="America/New_York", prompts={"time": "02:30"}))
    start = datetime(2025, 3, 9, 6, 45, tzinfo=UTC)  # 01:45 EST
    posted = []
    for step in range(0, 12 * 60, 15):  # a tick every 15 s, as the runtime does, until 05:45 EDT
        now = start + timedelta(seconds=step * 15)
        posted += [(now, p) for p in prompts_posted(await engine.tick(COMMUNITY, now))]
    assert len(posted) == 1
    assert posted[0][0] == datetime(2025, 3, 9, 7, 0, tzinfo=UTC) and posted[0][1].ref == "2025-03-09"


def test_the_schedule_maps_a_skipped_time_to_the_jump_and_a_repeated_time_to_its_first_occurrence():
    config = settings(timezone="America/New_York", prompts={"time": "02:30"}).community
    assert next_scheduled(config, datetime(2025, 3, 9, 6, 0, tzinfo=UTC)) == datetime(2025, 3, 9, 7, 0, tzinfo=UTC)
    assert last_scheduled(config, datetime(2025, 3, 9, 6, 59, 59, tzinfo=UTC)).day == 8
    assert prompt_due(COMMUNITY, config, datetime(2025, 3, 9, 7, 0, tzinfo=UTC)).local_date == "2025-03-09"
    fall = settings(timezone="America/New_York", prompts={"time": "01:30"}).community
    # 2 November 2025: 01:30 happens twice (EDT, then EST); the first one counts. (Compared
    # in UTC: Python never calls a repeated local time equal to a time in another zone.)
    first = next_scheduled(fall, datetime(2025, 11, 2, 5, 0, tzinfo=UTC)).astimezone(UTC)
    assert first == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)
    assert next_scheduled(fall, datetime(2025, 11, 2, 5, 31, tzinfo=UTC)).day == 3

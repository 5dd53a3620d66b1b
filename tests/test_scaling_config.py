"""Settings for running several processes: Discord shards, the database, schema checks at start."""

import os
import subprocess
import sys

import pytest

from peerbot.settings import ConfigError, Settings, load_settings


@pytest.mark.parametrize("env, reason", [
    ({"PEERBOT_DISCORD__SHARD_IDS": "[1]"}, "shard_ids needs shard_count"),
    ({"PEERBOT_DISCORD__SHARD_COUNT": "2", "PEERBOT_DISCORD__SHARD_IDS": "[0, 2]"}, "between 0 and shard_count - 1 (1)"),
    ({"PEERBOT_DISCORD__SHARD_COUNT": "4", "PEERBOT_DISCORD__SHARD_IDS": "[1, 1]"}, "each shard once"),
    ({"PEERBOT_DATABASE_URL": "mysql://db/peerbot"}, "postgresql+asyncpg://"),
    ({"PEERBOT_DATABASE_SCHEMA": "peer bot; drop"}, "should match pattern"),
    ({"PEERBOT_DATABASE_MIGRATE": "sometimes"}, "'auto' or 'check'"),
])
def test_bad_scaling_settings_are_refused_naming_the_variables(env, reason, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert reason in str(info.value)
    assert all(name in str(info.value) for name in env)


def test_a_process_runs_the_shards_it_is_given(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PEERBOT_DISCORD__SHARD_COUNT", "4")
    monkeypatch.setenv("PEERBOT_DISCORD__SHARD_IDS", "[1, 3]")
    settings = load_settings()
    assert settings.discord.shard_count == 4 and settings.discord.shard_ids == [1, 3]
    assert Settings(_env_file=None).database_migrate == "auto"  # the documented default


@pytest.mark.parametrize("platform, extra", [
    ("discord", {"PEERBOT_DISCORD__TOKEN": "not-used"}),
    ("slack", {"PEERBOT_SLACK__BOT_TOKEN": "xoxb-not-used", "PEERBOT_SLACK__APP_TOKEN": "xapp-not-used"}),
])
def test_check_mode_refuses_to_serve_on_a_schema_that_is_behind(platform, extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERBOT_", "SLACK_"))}
    env.update(extra)
    env.update({"PEERBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'new.db'}",
                "PEERBOT_DATABASE_MIGRATE": "check"})
    run = subprocess.run([sys.executable, "-m", "peerbot.cli", "run", platform], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=60)
    assert run.returncode != 0
    assert "this peerbot needs revision 0003: run `peerbot db upgrade`" in run.stderr
    assert "Traceback" not in run.stderr and "not-used" not in run.stderr

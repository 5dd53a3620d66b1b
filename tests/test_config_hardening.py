"""Config files, .env, the environment, texts and secrets: every mistake is one clear line
with exit 2 naming where it is, nothing secret is ever shown, and no text can break or
silence the crisis reply (issue 11)."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest

from peerbot.cli import main
from peerbot.config import load_config
from peerbot.settings import ConfigError, Settings, load_settings, masked

pytestmark = pytest.mark.usefixtures("clean_env")

SHIPPED_MESSAGES = Path(__file__).resolve().parents[1] / "src" / "peerbot" / "defaults" / "messages.toml"


def config_error(capsys, argv: list[str]) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peerbot: config error: "), err
    return lines[0]


# -- texts -------------------------------------------------------------------------------

BAD_TEXTS = [
    ("Stay safe :-}", "a stray { or }"),
    ("Call {0} now", "placeholder {0} needs a name"),
    ("Call {} now", "placeholder {} needs a name"),
    ("Hi {member:d}", "placeholder {member:d} has a format"),
    ("Hi {membr}", "unknown placeholder {membr}; this text can use {member}"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_TEXTS)
def test_a_bad_text_in_messages_toml_fails_config_check(tmp_path, capsys, text, reason):
    shipped = SHIPPED_MESSAGES.read_text()
    line = 'closing = "A moderator has been told'
    assert line in shipped
    (tmp_path / "messages.toml").write_text(shipped.replace(line, f'closing = "{text} A moderator has been told'))
    (tmp_path / "peerbot.toml").write_text("")
    error = config_error(capsys, ["config", "check", "--config", str(tmp_path / "peerbot.toml")])
    assert f"{tmp_path / 'messages.toml'}: crisis.closing: {reason}" in error


@pytest.mark.parametrize(("text", "reason"), BAD_TEXTS)
def test_a_bad_community_text_fails_config_check(tmp_path, capsys, text, reason):
    config = tmp_path / "peerbot.toml"
    config.write_text(f'[communities."discord:1".texts]\n"crisis.message" = "{text}"\n')
    error = config_error(capsys, ["config", "check", "--config", str(config)])
    assert f"{config}: communities.discord:1.texts" in error and "'crisis.message'" in error and reason in error


def test_the_shipped_texts_pass_and_a_brace_can_be_written_doubled(tmp_path):
    config = tmp_path / "peerbot.toml"
    config.write_text('[community.texts]\n"crisis.closing" = "Stay safe :-}} {member}"\n')
    assert load_config(str(config)).settings.community.texts["crisis.closing"].startswith("Stay safe")


async def test_a_crisis_text_that_cannot_render_falls_back_to_the_shipped_text(tmp_path, caplog):
    from engine_kit import make_engine, posted

    loaded = load_config()
    for bad, _ in BAD_TEXTS:
        # A text that got past config check some other way (built in code, an older file).
        broken = dataclasses.replace(loaded.messages, texts={**loaded.messages.texts, "crisis.message": bad,
                                                               "crisis.alert": bad})
        engine = await make_engine(tmp_path, db=f"{len(bad)}-{abs(hash(bad))}.db")
        engine.messages = broken
        try:
            caplog.clear()
            with caplog.at_level(logging.ERROR, logger="peerbot.texts"):
                actions = await engine.handle(posted("I want to kill myself", author="ana"))
        finally:
            await engine.store.close()
        kinds = {type(a).__name__: a for a in actions}
        assert set(kinds) == {"CrisisSupport", "AlertModerators"}, bad
        assert kinds["CrisisSupport"].text.startswith("Hi <@ana>, I'm peerbot. It sounds like")
        assert "988" in kinds["CrisisSupport"].text and "<@ana> may need a check-in" in kinds["AlertModerators"].text
        assert "crisis.message" in caplog.text and "cannot be rendered" in caplog.text


def test_fill_never_raises_and_keeps_the_words():
    from peerbot.texts import fill

    assert fill("Stay safe :-} {member}", member="<@a>") == "Stay safe :-} <@a>"
    assert fill("{0} and {} and {member:d} for {member}", member="<@a>") == "{0} and {} and {member:d} for <@a>"


# -- files and the environment -----------------------------------------------------------


def test_toml_that_is_not_utf8_or_nested_too_deeply(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'[community]\ntimezone = "\xff"\n')
    assert f"{bad}: not UTF-8 text" in config_error(capsys, ["config", "check", "--config", str(bad)])
    bad.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert f"{bad}: not valid TOML (nested too deeply)" in config_error(capsys, ["config", "check", "--config", str(bad)])


def test_dotenv_that_is_not_utf8_or_nested_too_deeply(clean_env, capsys):
    env = clean_env / ".env"
    env.write_bytes(b"PEERBOT_LOG_LEVEL=\xff\n")
    assert ".env: not UTF-8 text" in config_error(capsys, ["config", "check"])
    env.write_text("PEERBOT_COMMUNITY__CHANNELS=" + "[" * 100_000 + "\n")
    assert ".env PEERBOT_COMMUNITY__CHANNELS: community.channels: nested too deeply" in config_error(
        capsys, ["config", "check"])


def test_dotenv_keys_of_other_programs_are_left_alone(clean_env, capsys):
    (clean_env / ".env").write_text("OTHER_APP_TOKEN=abc\nPEERBOT_LOG_LEVEL=DEBUG\n")
    assert main(["config", "check"]) == 0
    assert '"log_level": "DEBUG"' in capsys.readouterr().out
    (clean_env / ".env").write_text("PEERBOT_LOG_LEVL=DEBUG\n")
    error = config_error(capsys, ["config", "check"])
    assert ".env PEERBOT_LOG_LEVL: not a peerbot setting" in error and "peerbot.toml" not in error


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_single_underscore_where_two_are_needed_is_an_error(clean_env, capsys, monkeypatch, where):
    if where == ".env":
        (clean_env / ".env").write_text("PEERBOT_DISCORD_TOKEN=tok-s3cr3t\n")
    else:
        monkeypatch.setenv("PEERBOT_DISCORD_TOKEN", "tok-s3cr3t")
    error = config_error(capsys, ["config", "check"])
    assert f"{where} PEERBOT_DISCORD_TOKEN: discord.token: nested settings take two underscores: " \
           "PEERBOT_DISCORD__TOKEN" in error and "s3cr3t" not in error


def test_list_settings_take_a_plain_comma_list_or_json(monkeypatch):
    monkeypatch.setenv("PEERBOT_SLACK__MODERATORS", "U123")
    assert load_settings().slack.moderators == ["U123"]
    monkeypatch.setenv("PEERBOT_SLACK__MODERATORS", "U123, S456")
    assert load_settings().slack.moderators == ["U123", "S456"]
    monkeypatch.setenv("PEERBOT_SLACK__MODERATORS", '["U1", "U2"]')
    assert load_settings().slack.moderators == ["U1", "U2"]
    monkeypatch.setenv("PEERBOT_COMMUNITY__NUDGES__EXEMPT_ROLES", "")
    assert load_settings().community.nudges.exempt_roles == []


def test_a_missing_messages_or_prompts_file_is_an_error_not_the_shipped_texts(tmp_path, capsys):
    config = tmp_path / "peerbot.toml"
    for key in ("messages_file", "prompts_file"):
        config.write_text(f'{key} = "our-{key}.toml"\n')
        error = config_error(capsys, ["config", "check", "--config", str(config)])
        assert f"{config}: {key}: file not found: our-{key}.toml" in error


@pytest.mark.parametrize(("toml", "key"), [
    ("[community.nudges]\ncooldown_minutes = 1e20\n", "community.nudges.cooldown_minutes"),
    ("[community.nudges]\ncooldown_minutes = 100000000\n", "community.nudges.cooldown_minutes"),
    ('database_url = "postgresql+asyncpg://bot:pw@db:port/x"\n', "database_url"),
    ('database_url = "postgresql+asyncpg://bot:pw@db:70000/x"\n', "database_url"),
    ('database_url = "postgresql+asyncpg://bot:pw@db/x?sslmode=sometimes"\n', "database_url"),
])
def test_values_that_would_only_fail_later_fail_config_check(tmp_path, capsys, toml, key):
    config = tmp_path / "peerbot.toml"
    config.write_text(toml)
    error = config_error(capsys, ["config", "check", "--config", str(config)])
    assert f"{config}: {key}: " in error and "pw" not in error


def test_sslmode_is_passed_to_asyncpg_as_ssl(monkeypatch, capsys):
    monkeypatch.setenv("PEERBOT_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test?sslmode=disable")
    assert load_settings().database_url.endswith("/test?ssl=disable")
    assert main(["db", "status"]) in (0, 1)  # connected: up to date, or behind
    out = capsys.readouterr()
    assert "schema revision" in out.out and "Traceback" not in out.err


# -- secrets -----------------------------------------------------------------------------

SECRET_URLS = [
    "postgresql+asyncpg://:Pw0-s3cr3t@127.0.0.1:1/db",
    "postgresql+asyncpg://bot:p@ss-s3cr3t@127.0.0.1:1/db",
    "postgresql+asyncpg://bot:pa:ss-s3cr3t@127.0.0.1:1/db",
    "postgresql+asyncpg://bot@127.0.0.1:1/db?password=s3cr3t-Pw",
]


@pytest.mark.parametrize("url", SECRET_URLS)
def test_no_output_shows_the_database_password(monkeypatch, capsys, url):
    monkeypatch.setenv("PEERBOT_DATABASE_URL", url)
    monkeypatch.setenv("PEERBOT_DISCORD__TOKEN", "tok-s3cr3t")
    outputs = []
    for argv in (["config", "check"], ["db", "status"], ["db", "upgrade"], ["stats"]):
        code = main(argv)
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
        assert "Traceback" not in captured.err
        assert argv != ["config", "check"] or code == 0
    settings = load_settings()
    assert settings.database_url == url  # the real URL is still there for connecting
    outputs += [repr(settings), str(settings), str(settings.model_dump()), settings.model_dump_json(),
                str(masked(settings))]
    for output in outputs:
        assert "s3cr3t" not in output, output
    assert "127.0.0.1:1/db" in outputs[0] and "cannot use the database at postgresql+asyncpg://" in outputs[1]

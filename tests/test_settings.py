import filecmp
import tomllib
from pathlib import Path

import pytest

from peerbot.config import load_config
from peerbot.prompts import THEMES
from peerbot.settings import ConfigError, load_settings, mask_url, masked

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "peerbot" / "defaults"


pytestmark = pytest.mark.usefixtures("clean_env")


def write(tmp_path, text, name="peerbot.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_config_init_writes_the_shipped_files_to_edit_and_never_over_a_communitys_own(tmp_path, capsys):
    from peerbot.cli import main

    assert main(["config", "init"]) == 0
    assert "Wrote peerbot.toml, messages.toml, prompts.toml to config/" in capsys.readouterr().out
    for name in ("peerbot.toml", "prompts.toml", "messages.toml"):
        assert filecmp.cmp(tmp_path / "config" / name, SHIPPED / name, shallow=False)
    # ./config/peerbot.toml is read from now on, and the texts next to it
    edited = (tmp_path / "config" / "messages.toml").read_text().replace("Peer-run warmline", "Harbor Warmline")
    (tmp_path / "config" / "messages.toml").write_text(edited)
    assert any(r.name == "Harbor Warmline" for r in load_config().messages.resources)
    assert main(["config", "init"]) == 2
    assert "config already has peerbot.toml, messages.toml, prompts.toml" in capsys.readouterr().err
    assert "Harbor Warmline" in (tmp_path / "config" / "messages.toml").read_text()
    assert main(["config", "init", "--force"]) == 0
    assert filecmp.cmp(tmp_path / "config" / "messages.toml", SHIPPED / "messages.toml", shallow=False)
    assert main(["config", "init", str(tmp_path / "elsewhere")]) == 0
    assert "--config " + str(tmp_path / "elsewhere" / "peerbot.toml") in capsys.readouterr().out


def test_shipped_defaults_load_with_no_config_anywhere():
    loaded = load_config()
    assert loaded.settings.config_file.endswith("defaults/peerbot.toml")
    assert loaded.settings.community.channels["vent"].nudges_enabled is False
    assert len(loaded.prompts) >= 60 and {p.theme for p in loaded.prompts} == set(THEMES)
    assert len({p.id for p in loaded.prompts}) == len(loaded.prompts)
    assert any("988" in r.how for r in loaded.messages.resources)
    assert any("741741" in r.how for r in loaded.messages.resources)


def test_every_shipped_key_is_a_real_setting():
    # extra="forbid" means loading the shipped file proves each key exists; and vice versa
    data = tomllib.loads((SHIPPED / "peerbot.toml").read_text())
    assert set(data["community"]) >= {"timezone", "welcome", "prompts", "nudges", "crisis", "channels"}


def test_environment_beats_file_and_nests_with_double_underscore(tmp_path, monkeypatch):
    config = write(tmp_path, "[community.nudges]\nthreshold = 0.6\n")
    monkeypatch.setenv("PEERBOT_COMMUNITY__NUDGES__COOLDOWN_MINUTES", "5")
    monkeypatch.setenv("PEERBOT_DATABASE_URL", "postgresql+asyncpg://bot:hunter2@db/peerbot")
    settings = load_settings(config)
    assert settings.community.nudges.threshold == 0.6 and settings.community.nudges.cooldown_minutes == 5
    monkeypatch.setenv("PEERBOT_COMMUNITY__NUDGES__THRESHOLD", "0.9")
    assert load_settings(config).community.nudges.threshold == 0.9
    assert "hunter2" not in str(masked(settings))


def test_dotenv_and_peerbot_config_variable(tmp_path, monkeypatch):
    config = write(tmp_path, "log_level = \"DEBUG\"\n", "elsewhere.toml")
    (tmp_path / ".env").write_text("PEERBOT_SLACK__BOT_TOKEN=xoxb-secret-value\n")
    monkeypatch.setenv("PEERBOT_CONFIG", config)
    settings = load_settings()
    assert settings.log_level == "DEBUG"
    assert settings.slack.bot_token.get_secret_value() == "xoxb-secret-value"
    assert "xoxb-secret-value" not in repr(settings) and "xoxb-secret-value" not in str(masked(settings))


def test_per_community_overrides_deep_merge(tmp_path):
    config = write(tmp_path, """
[community.nudges]
threshold = 0.55
[communities."discord:42"]
timezone = "America/Chicago"
nudges = { cooldown_minutes = 10 }
""")
    settings = load_settings(config)
    chicago = settings.for_community("discord:42")
    assert chicago.timezone == "America/Chicago"
    assert chicago.nudges.cooldown_minutes == 10 and chicago.nudges.threshold == 0.55
    assert settings.for_community("slack:T1").timezone == "America/New_York"


@pytest.mark.parametrize(("toml", "key", "reason"), [
    ("[community.nudges]\nthreshold = 1.5\n", "community.nudges.threshold", "less than or equal to 1"),
    ("[community]\ntimezone = \"Mars/Olympus\"\n", "community.timezone", "not an IANA time zone"),
    ("[community.prompts]\ntime = \"25:00\"\n", "community.prompts.time", "24-hour"),
    ("[community.prompts]\nweekdays = [\"funday\"]\n", "community.prompts.weekdays.0", "Input should be"),
    ("[community.nudges]\nthreshhold = 0.4\n", "community.nudges.threshhold", "unknown key"),
    ("[communities.\"discord:1\"]\nprompts = { time = \"9\" }\n", "communities.discord:1.prompts.time", "24-hour"),
    ("[slack]\nmode = \"carrier-pigeon\"\n", "slack.mode", "socket"),
])
def test_bad_config_names_file_key_and_reason(tmp_path, toml, key, reason):
    config = write(tmp_path, toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert caught.value.source == config and caught.value.key == key and reason in caught.value.reason
    assert str(caught.value).startswith(f"{config}: {key}: ")


def test_bad_environment_variable_is_named_without_its_value(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERBOT_SLACK__PORT", "not-a-port-s3cr3t")
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, ""))
    assert "PEERBOT_SLACK__PORT" in str(caught.value) and "s3cr3t" not in str(caught.value)


def test_no_bad_value_is_echoed(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERBOT_COMMUNITY__TIMEZONE", "Mars/s3cr3t")
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, ""))
    assert "PEERBOT_COMMUNITY__TIMEZONE" in str(caught.value) and "s3cr3t" not in str(caught.value)


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[community\n"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(str(tmp_path / "nope.toml"))


def test_data_files_are_validated_at_load(tmp_path):
    write(tmp_path, "[[prompts]]\nid = \"a\"\ntheme = \"gratitude\"\ntext = \"\"\n", "prompts.toml")
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, ""))
    assert caught.value.key == "prompts.0.text" and caught.value.source.endswith("prompts.toml")


def test_mask_url_hides_passwords():
    assert mask_url("postgresql+asyncpg://bot:pw@db:5432/x") == "postgresql+asyncpg://bot:********@db:5432/x"
    assert mask_url("sqlite+aiosqlite:///./peerbot.db") == "sqlite+aiosqlite:///./peerbot.db"


def test_built_in_defaults_are_the_shipped_file(tmp_path):
    # README: a key left out of a config file takes the value the shipped file shows for it
    from peerbot.settings import Settings

    built_in = Settings(_env_file=None).model_dump(exclude={"config_file"})
    shipped = load_settings(str(SHIPPED / "peerbot.toml")).model_dump(exclude={"config_file"})
    assert built_in == shipped
    minimal = load_settings(write(tmp_path, "[community]\ntimezone = \"Europe/Berlin\"\n")).community
    assert minimal.nudges.exempt_roles == ["moderator"] and minimal.nudges.exempt_channels == ["moderators"]
    assert minimal.channels["vent"].nudges_enabled is False

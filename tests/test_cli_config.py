import pytest

from peerbot.cli import main


pytestmark = pytest.mark.usefixtures("clean_env")


def test_config_check_prints_effective_config_with_secrets_masked(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PEERBOT_DISCORD__TOKEN", "super-secret-token-value")
    monkeypatch.setenv("PEERBOT_DATABASE_URL", "postgresql+asyncpg://bot:db-password@db/peerbot")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("config OK: ") and "66 prompts" in out
    assert '"token": "********"' in out and '"threshold": 0.5' in out
    assert "super-secret-token-value" not in out and "db-password" not in out


def test_config_check_on_a_broken_config_names_the_key_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[community.nudges]\nthreshold = \"very high\"\n")
    assert main(["config", "check", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "community.nudges.threshold" in err and "valid number" in err


def test_every_command_checks_config_at_start_up(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[community]\ntimezone = \"Nowhere/Town\"\n")
    monkeypatch.setenv("PEERBOT_CONFIG", str(bad))
    for argv in (["demo"], ["analyze", "hello"], ["replay", "missing.jsonl"]):
        assert main(argv) == 2
        assert "community.timezone" in capsys.readouterr().err


def test_analyze_works_with_no_config_file(tmp_path, capsys):
    assert main(["analyze", "I had an awful week and feel worthless"]) == 0
    assert "no action" in capsys.readouterr().out

"""config/slack-manifest.yml grants what the Slack adapter uses, and nothing it doesn't."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import peerbot.adapters.slack as slack_adapter
from peerbot.settings import SlackSettings

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8"))

# Web API method (as slack-sdk spells it) -> bot scopes it needs (empty: none).
METHOD_SCOPES = {
    "auth_test": set(),
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_getPermalink": set(),
    "conversations_open": {"im:write"},
    "conversations_list": {"channels:read", "groups:read"},
    "conversations_info": {"channels:read", "groups:read"},
    "users_info": {"users:read"},
    "usergroups_users_list": {"usergroups:read"},
    "files_upload_v2": {"files:write"},
    "usergroups_list": {"usergroups:read"},
    # the crisis alert's fallback: the workspace's admins and owners
    "users_list": {"users:read"},
    # called with the app-level token (connections:write), which no bot scope covers
    "apps_connections_open": set(),
}
# Manifest bot event -> scopes Slack requires to deliver it.
EVENT_SCOPES = {
    "team_join": {"users:read"},
    "member_joined_channel": {"channels:read", "groups:read"},
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
}
# Bolt listener -> manifest bot events.
EVENT_SUBSCRIPTIONS = {
    "team_join": {"team_join"},
    "member_joined_channel": {"member_joined_channel"},
    "message": {"message.channels", "message.groups", "message.im"},
}


def _source() -> str:
    """The adapter package's code (every module of it)."""
    folder = Path(slack_adapter.__file__).parent
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py")))


def _scopes() -> set[str]:
    return set(MANIFEST["oauth_config"]["scopes"]["bot"])


def test_every_web_api_method_the_adapter_calls_is_granted():
    source = _source()
    called = set(re.findall(r"\.client\.(\w+)\(", source))
    assert called, "no Web API calls found: has the adapter changed how it calls Slack?"
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these methods and their scopes to METHOD_SCOPES and the manifest: {unknown}"
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    needed = set().union(*(METHOD_SCOPES[m] for m in called), *(EVENT_SCOPES[e] for e in events)) | {"commands"}
    assert needed <= _scopes(), needed - _scopes()
    # chat:write.public is the one scope granted for convenience, not for a method
    assert _scopes() - needed <= {"chat:write.public"}, _scopes() - needed


def test_every_event_the_adapter_listens_to_is_subscribed():
    source = _source()
    listened = set(re.findall(r'app\.event\("(\w+)"\)', source))
    assert listened == EVENT_SUBSCRIPTIONS.keys()
    wanted = set().union(*EVENT_SUBSCRIPTIONS.values())
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == wanted


def test_members_can_write_to_peerbot_privately():
    # message.im only arrives when the app's Messages tab lets members write to it
    home = MANIFEST["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False


def test_slash_command_interactivity_and_socket_mode_match_the_defaults():
    commands = [c["command"] for c in MANIFEST["features"]["slash_commands"]]
    assert commands == [SlackSettings().command]
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["settings"]["socket_mode_enabled"] is (SlackSettings().mode == "socket")
    assert MANIFEST["features"]["bot_user"]["display_name"]

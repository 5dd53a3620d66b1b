"""Settings: TOML config file, ``.env`` and ``PEERBOT_*`` environment variables.

Precedence, highest first: environment variables, ``.env``, the TOML file, built-in defaults.
Nested keys use ``__`` in the environment (``PEERBOT_DISCORD__TOKEN``,
``PEERBOT_COMMUNITY__NUDGES__THRESHOLD=0.7``).

The config file is ``--config``, else ``$PEERBOT_CONFIG``, else ``./config/peerbot.toml`` when it
exists, else the copy shipped inside the package, so peerbot runs from any directory with no
configuration. Every problem is reported as a ``ConfigError`` naming the file (or variable),
the key and the reason, without ever echoing a value (it might be a token).
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from collections.abc import Mapping
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from peerbot.tone.report import DEFAULT_THRESHOLD

ENV_PREFIX = "PEERBOT_"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class ConfigError(Exception):
    """A configuration problem the user must fix: where, which key, why."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source, self.key, self.reason = source, key, reason
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {reason}")


class _Strict(BaseModel):
    # Unknown keys are almost always typos; failing loudly beats silently ignoring them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordSettings(_Strict):
    token: SecretStr | None = None
    application_id: str | None = None
    api_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: list[int] | None = None
    moderator_roles: list[str] = Field(default_factory=lambda: ["moderator"])  # besides Manage Server
    dm_fallback: Literal["thread", "skip"] = "thread"  # when a member's DMs are closed
    prompt_thread: bool = False  # open a reply thread under each daily prompt
    sync_commands_on_start: bool = True

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordSettings:
        # N processes split the guilds with shard_count = N total and different shard_ids each.
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("shard_ids needs shard_count (the total number of shards over all processes)")
            if not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError("shard_ids must list each shard once")
            if any(not 0 <= i < self.shard_count for i in self.shard_ids):
                raise ValueError(f"shard_ids must be between 0 and shard_count - 1 ({self.shard_count - 1})")
        return self


class SlackSettings(_Strict):
    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    mode: Literal["socket", "http"] = "socket"
    host: str = "0.0.0.0"
    port: int = Field(default=3000, ge=1, le=65535)
    api_url: str = "https://slack.com/api/"
    timeout_seconds: int = Field(default=30, ge=1, le=300)  # one Web API call; a timed-out call is tried again
    command: str = "/peerbot"
    # Who may change settings with /peerbot besides workspace admins and owners:
    # user ids (U..., W...) and user group ids (S...).
    moderators: list[str] = Field(default_factory=list)


class WelcomeSettings(_Strict):
    enabled: bool = True
    channel: str = "welcome"
    in_channel: bool = True
    privately: bool = True
    burst_size: int = Field(default=3, ge=2)
    burst_window_seconds: int = Field(default=60, ge=1)


class PromptSettings(_Strict):
    enabled: bool = True
    channel: str = "general"
    time: str = "09:00"
    weekdays: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS))
    max_lateness_minutes: int = Field(default=90, ge=0)

    @field_validator("time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        if not re.fullmatch(r"\d{1,2}:\d{2}", value):
            raise ValueError("must be a 24-hour local time like \"09:00\"")
        hours, minutes = (int(part) for part in value.split(":"))
        if hours > 23 or minutes > 59:
            raise ValueError("must be a 24-hour local time like \"09:00\"")
        return f"{hours:02d}:{minutes:02d}"

    @field_validator("weekdays")
    @classmethod
    def _some_days(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least one day (set enabled = false to stop prompts)")
        return sorted(set(value), key=WEEKDAYS.index)

    @property
    def local_time(self) -> time:
        hours, minutes = (int(part) for part in self.time.split(":"))
        return time(hours, minutes)


class NudgeSettings(_Strict):
    enabled: bool = True
    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    cooldown_minutes: int = Field(default=60, ge=0)
    # Built-in defaults equal the shipped config/peerbot.toml (tested), for minimal config files.
    exempt_roles: list[str] = Field(default_factory=lambda: ["moderator"])
    exempt_channels: list[str] = Field(default_factory=lambda: ["moderators"])
    repeat_alert_count: int = Field(default=3, ge=0)  # 0 turns the moderator summary off
    repeat_alert_window_hours: int = Field(default=24, ge=1)
    # How long a nudged message is watched for an edit or a deletion (its outcome).
    watch_minutes: int = Field(default=10, ge=1, le=1440)


class DigestSettings(_Strict):
    """The weekly climate digest to the moderators' channel."""

    enabled: bool = True
    weekday: Weekday = "mon"
    time: str = "08:00"
    channel: str = ""  # empty: the moderator channel

    _hh_mm = field_validator("time")(PromptSettings._hh_mm.__func__)  # type: ignore[attr-defined]

    @property
    def local_time(self) -> time:
        hours, minutes = (int(part) for part in self.time.split(":"))
        return time(hours, minutes)


class CrisisSettings(_Strict):
    alert_moderators: bool = True


class ChannelOverride(_Strict):
    """Per-channel changes; unset fields inherit the community's values."""

    nudges_enabled: bool | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)


class CommunitySettings(_Strict):
    timezone: str = "America/New_York"
    moderator_channel: str = "moderators"
    rules_channel: str = "rules"
    welcome: WelcomeSettings = WelcomeSettings()
    prompts: PromptSettings = PromptSettings()
    nudges: NudgeSettings = NudgeSettings()
    crisis: CrisisSettings = CrisisSettings()
    digest: DigestSettings = DigestSettings()
    # As shipped: a "vent" channel where nudges are off (crisis support still applies).
    channels: dict[str, ChannelOverride] = Field(default_factory=lambda: {"vent": ChannelOverride(nudges_enabled=False)})
    texts: dict[str, str] = Field(default_factory=dict)  # "welcome.channel" = "..." etc.

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA time zone name (e.g. \"America/New_York\")") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def channel_override(self, channel_id: str, channel_name: str = "") -> ChannelOverride:
        """The override for a channel named by id or by name (id wins)."""
        for key in (channel_id, channel_name, channel_name.lstrip("#")):
            if key and key in self.channels:
                return self.channels[key]
        return ChannelOverride()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
        frozen=True,
    )

    database_url: str = "sqlite+aiosqlite:///./peerbot.db"
    # PostgreSQL only: keep peerbot's tables in this schema (its search_path).
    database_schema: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
    # "auto": migrate the schema at start-up (under a database lock); "check": refuse to start
    # when it is behind and let `peerbot db upgrade` do it.
    database_migrate: Literal["auto", "check"] = "auto"
    database_pool_size: int = Field(default=10, ge=1, le=100)  # PostgreSQL connections per process
    # A database call taking longer than this counts as the database being away: peerbot then
    # serves from memory and tries the database again every database_retry_seconds.
    database_timeout_seconds: float = Field(default=10.0, gt=0.0, le=300.0)
    database_retry_seconds: float = Field(default=5.0, gt=0.0, le=3600.0)
    # Moderators' changes made in another process are seen within this many seconds.
    settings_cache_seconds: float = Field(default=2.0, ge=0.0, le=300.0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    prompts_file: str = "prompts.toml"
    messages_file: str = "messages.toml"
    discord: DiscordSettings = DiscordSettings()
    slack: SlackSettings = SlackSettings()
    community: CommunitySettings = CommunitySettings()
    # Per-community changes keyed "platform:id", deep-merged over [community].
    communities: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # Set by load_settings, not by users: the file these settings came from.
    config_file: str = ""

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///FILE or postgresql+asyncpg://user:password@host/db")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # init kwargs carry the TOML data, so they rank below the environment.
        return env_settings, dotenv_settings, init_settings

    def for_community(self, key: str) -> CommunitySettings:
        """Effective settings for ``"platform:id"``: [community] with its overrides merged."""
        overrides = self.communities.get(key)
        if not overrides:
            return self.community
        return merge_community(self.community, overrides)

    @property
    def config_dir(self) -> Path | None:
        return Path(self.config_file).parent if self.config_file else None

    def resolve_file(self, name: str) -> Path | None:
        """A data file named in the config, relative to the config file's folder."""
        path = Path(name).expanduser()
        if not path.is_absolute() and self.config_dir is not None:
            path = self.config_dir / path
        return path if path.is_file() else None


def merge_community(base: CommunitySettings, overrides: Mapping[str, Any]) -> CommunitySettings:
    merged = deep_merge(base.model_dump(), overrides)
    return CommunitySettings.model_validate(merged)


#: Override keys under this prefix change the prompt library, not CommunitySettings.
LIBRARY_PREFIX = "library."


def nest(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Stored moderator overrides as a nested dict: ``{"nudges.threshold": 0.7}`` ->
    ``{"nudges": {"threshold": 0.7}}``. Prompt-library keys are left out."""
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        if key.startswith(LIBRARY_PREFIX):
            continue
        node = out
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def packaged_defaults() -> Path:
    return Path(str(resources.files("peerbot") / "defaults"))


def find_config_file(explicit: str | None, environ: Mapping[str, str]) -> tuple[Path, str]:
    """The config file to read and a label for messages about it."""
    chosen = explicit or environ.get("PEERBOT_CONFIG")
    if chosen:
        path = Path(chosen).expanduser()
        label = str(chosen)
        if not path.is_file():
            raise ConfigError(label, "", "config file not found")
        return path, label
    local = Path("config") / "peerbot.toml"
    if local.is_file():
        return local, str(local)
    shipped = packaged_defaults() / "peerbot.toml"
    return shipped, "shipped defaults/peerbot.toml"


def read_toml(path: Path, label: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(label, "", f"not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(label, "", f"cannot read ({exc.strerror})") from None


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _has_key(data: Mapping[str, Any], loc: tuple[int | str, ...]) -> bool:
    node: Any = data
    for part in loc:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return True


def _env_name(loc: tuple[int | str, ...]) -> str:
    return ENV_PREFIX + "__".join(str(part).upper() for part in loc)


def _error_from(exc: ValidationError, data: Mapping[str, Any], label: str, prefix: tuple[str, ...] = ()) -> ConfigError:
    # Only the location and pydantic's message: input values may be secrets.
    first = exc.errors(include_input=False, include_url=False)[0]
    loc = prefix + tuple(first["loc"])
    reason = first["msg"]
    if first["type"] == "extra_forbidden":
        reason = "unknown key (check the spelling against the shipped config)"
    if loc and _env_name(loc) in os.environ:  # the environment beats the file
        return ConfigError(f"environment {_env_name(loc)}", _dotted(loc), reason)
    nested = sorted(name for name in os.environ if loc and name.startswith(_env_name(loc) + "__"))
    if nested:  # a whole section checked: its values may come from either place
        where = f"environment {', '.join(nested)}"
        return ConfigError(where if not _has_key(data, loc) else f"{label} with {where}", _dotted(loc), reason)
    return ConfigError(label, _dotted(loc), reason)


def load_settings(config: str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate everything; raise ``ConfigError`` on the first problem."""
    environ = os.environ if environ is None else environ
    path, label = find_config_file(config, environ)
    data = read_toml(path, label)
    data.pop("config_file", None)
    try:
        settings = Settings(**data, config_file=str(path))
    except ValidationError as exc:
        raise _error_from(exc, data, label) from None
    for key, overrides in settings.communities.items():
        if not re.fullmatch(r"[a-z]+:[^:\s]+", key):
            raise ConfigError(label, f"communities.{key}", "community keys look like \"discord:1234\" or \"slack:T0123\"")
        try:
            merge_community(settings.community, overrides)
        except ValidationError as exc:
            raise _error_from(exc, data, label, ("communities", key)) from None
    return settings


def masked(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain data, secrets replaced by ``"********"`` or unset."""

    def walk(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return "********" if value.get_secret_value() else "(empty)"
        if isinstance(value, BaseModel):
            return {name: walk(getattr(value, name)) for name in type(value).model_fields}
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    out = walk(settings)
    out["database_url"] = mask_url(settings.database_url)
    return out


def mask_url(url: str) -> str:
    """Hide a password in a database URL (``postgresql://user:***@host/db``)."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1********@", url)

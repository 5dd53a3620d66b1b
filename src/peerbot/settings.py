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

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from peerbot.errors import ConfigError
from peerbot.templates import problem
from peerbot.envvars import environment_settings, read_dotenv
from peerbot.tone.report import DEFAULT_THRESHOLD

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Upper bounds on durations keep every date computed from them in range (1e20 minutes is not
# a cooldown, it is an OverflowError waiting in the event loop).
MINUTES_PER_YEAR = 366 * 24 * 60


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
    burst_size: int = Field(default=3, ge=2, le=1000)
    burst_window_seconds: int = Field(default=60, ge=1, le=86_400)


class PromptSettings(_Strict):
    enabled: bool = True
    channel: str = "general"
    time: str = "09:00"
    weekdays: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS))
    max_lateness_minutes: int = Field(default=90, ge=0, le=1440)

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
    cooldown_minutes: int = Field(default=60, ge=0, le=MINUTES_PER_YEAR)
    # Built-in defaults equal the shipped defaults/peerbot.toml (tested), for minimal config files.
    exempt_roles: list[str] = Field(default_factory=lambda: ["moderator"])
    exempt_channels: list[str] = Field(default_factory=lambda: ["moderators"])
    repeat_alert_count: int = Field(default=3, ge=0, le=1000)  # 0 turns the moderator summary off
    repeat_alert_window_hours: int = Field(default=24, ge=1, le=24 * 366)
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

    @field_validator("texts")
    @classmethod
    def _renderable(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            reason = problem(key, text)
            if reason is not None:
                raise ValueError(f"text {key!r}: {reason}")
        return value

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


class Settings(BaseModel):
    # The environment and .env are read by load_settings, which knows which variable set what
    # and can name it in errors; a Settings built directly takes only what it is given.
    model_config = ConfigDict(extra="forbid", frozen=True)

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
    # Below WARNING, database and platform libraries log SQL parameters and request bodies,
    # which can hold message text: they stay at WARNING unless this is set.
    log_libraries: bool = False
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
        return check_database_url(value)

    @field_serializer("database_url")
    def _dump_masked(self, value: str) -> str:
        # model_dump() and JSON of the settings are for showing; the password stays out.
        return mask_url(value)

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, (mask_url(value) if name == "database_url" else value)

    @model_validator(mode="before")
    @classmethod
    def _no_env_file(cls, data: Any) -> Any:
        # Settings(_env_file=None) meant "not from .env" when this was a pydantic-settings
        # class; nothing here reads .env any more, so the argument is accepted and dropped.
        if isinstance(data, dict) and "_env_file" in data:
            data = {key: value for key, value in data.items() if key != "_env_file"}
        return data

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
    except UnicodeDecodeError as exc:
        raise ConfigError(label, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise ConfigError(label, "", "not valid TOML (nested too deeply)") from None
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


def _error_from(exc: ValidationError, data: Mapping[str, Any], label: str, origin: Mapping[tuple[str, ...], str],
                prefix: tuple[str, ...] = ()) -> ConfigError:
    # Only the location and pydantic's message: input values may be secrets.
    first = exc.errors(include_input=False, include_url=False)[0]
    loc = prefix + tuple(str(part) for part in first["loc"])
    reason = first["msg"]
    if first["type"] == "extra_forbidden":
        reason = "unknown key (check the spelling against the shipped config)"
    for end in range(len(loc), 0, -1):  # the variable that set this value, or a table above it
        if loc[:end] in origin:
            return ConfigError(origin[loc[:end]], _dotted(loc), reason)
    below = sorted(where for path, where in origin.items() if loc and path[:len(loc)] == loc)
    if below:  # a whole section checked: its values may come from either place
        names = ", ".join(below)
        return ConfigError(names if not _has_key(data, loc) else f"{label} with {names}", _dotted(loc), reason)
    return ConfigError(label, _dotted(loc), reason)


def load_settings(config: str | None = None, environ: Mapping[str, str] | None = None,
                  dotenv: str | Path | None = ".env") -> Settings:
    """Read and validate everything; raise ``ConfigError`` on the first problem.

    Precedence, highest first: the environment, ``.env`` (in the working folder), the TOML file."""
    environ = os.environ if environ is None else environ
    path, label = find_config_file(config, environ)
    data = read_toml(path, label)
    data.pop("config_file", None)
    dotenv_path = Path(dotenv) if dotenv else None
    dotenv_values = read_dotenv(dotenv_path) if dotenv_path is not None and dotenv_path.is_file() else {}
    from_env, origin = environment_settings(Settings, environ, dotenv_values, str(dotenv_path or ".env"))
    file_data = data
    data = deep_merge(data, from_env)
    try:
        settings = Settings(**data, config_file=str(path))
    except ValidationError as exc:
        raise _error_from(exc, file_data, label, origin) from None
    for key, overrides in settings.communities.items():
        if not re.fullmatch(r"[a-z]+:[^:\s]+", key):
            raise ConfigError(label, f"communities.{key}", "community keys look like \"discord:1234\" or \"slack:T0123\"")
        if not isinstance(overrides, Mapping):
            raise ConfigError(origin.get(("communities", key), label), f"communities.{key}", "expected a table")
        try:
            merge_community(settings.community, overrides)
        except ValidationError as exc:
            raise _error_from(exc, file_data, label, origin, ("communities", key)) from None
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


#: sslmode values libpq accepts; asyncpg takes the same words as its ``ssl`` argument.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def check_database_url(value: str) -> str:
    """A supported database URL, with libpq's ``sslmode`` spelled as asyncpg's ``ssl``; raises
    ``ValueError`` (never echoing the URL, which holds a password) for anything that would
    only fail later, at connect time."""
    if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ValueError("use sqlite+aiosqlite:///FILE or postgresql+asyncpg://user:password@host/db")
    if value.startswith("sqlite"):
        return value
    rest = value[len("postgresql+asyncpg://"):]
    location, _, query = rest.partition("?")
    netloc = location.split("/", 1)[0] if "@" not in location else location[location.rindex("@") + 1:].split("/", 1)[0]
    hostport = netloc.rsplit("]", 1)[-1]  # [::1]:5432
    for host in hostport.split(","):  # several hosts are allowed: host1:5432,host2:5433
        if ":" in host:
            port = host.rsplit(":", 1)[1]
            if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
                raise ValueError("the port in database_url must be a number from 1 to 65535")
    if not query:
        return value
    params = []
    for item in query.split("&"):
        key, _, setting = item.partition("=")
        if key == "sslmode":
            if setting not in SSL_MODES:
                raise ValueError(f"sslmode in database_url must be one of {', '.join(SSL_MODES)}")
            item = f"ssl={setting}"  # asyncpg's name for it; SQLAlchemy passes query keys on as-is
        params.append(item)
    return f"postgresql+asyncpg://{location}?{'&'.join(params)}"


def mask_url(url: str) -> str:
    """Hide a password in a database URL: ``postgresql://user:********@host/db``. Everything
    before the last ``@`` is the user part (a password may hold an unescaped ``@``), an empty
    user included; a ``password=`` query parameter is hidden too."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    location, qsep, query = rest.partition("?")
    if "@" in location and not location.startswith("/"):
        userinfo, host = location.rsplit("@", 1)
        user, colon, _ = userinfo.partition(":")
        location = f"{user}:********@{host}" if colon else f"{userinfo}@{host}"
    if qsep:
        query = re.sub(r"(^|&)(password|passwd)=[^&]*", r"\1\2=********", query)
    return f"{scheme}://{location}{qsep}{query}"

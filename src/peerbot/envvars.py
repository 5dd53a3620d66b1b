"""Settings from ``PEERBOT_*`` environment variables and a ``.env`` file.

Nested keys use ``__`` (``PEERBOT_DISCORD__TOKEN``, ``PEERBOT_COMMUNITY__NUDGES__THRESHOLD``);
each value is remembered with the variable that set it, so an error names the variable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from peerbot.errors import ConfigError

ENV_PREFIX = "PEERBOT_"


def dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def env_name(loc: tuple[int | str, ...]) -> str:
    return ENV_PREFIX + "__".join(str(part).upper() for part in loc)



#: Names that are not settings but are read by peerbot.
_NOT_SETTINGS = {"CONFIG"}


def _field_model(annotation: Any) -> type[BaseModel] | None:
    """The settings model a field holds (``DiscordSettings``), or None for a plain value."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _is_list(annotation: Any) -> bool:
    return any(get_origin(a) is list for a in (annotation, *get_args(annotation)))


def _is_dict(annotation: Any) -> bool:
    return any(get_origin(a) is dict for a in (annotation, *get_args(annotation)))


def _resolve(model: type[BaseModel], parts: list[str]) -> tuple[str, ...] | None:
    """The settings path for ``PEERBOT_A__B__C`` split into parts, or None when not a setting."""
    path: list[str] = []
    for index, part in enumerate(parts):
        field = model.model_fields.get(part) if model is not None else None
        if field is None or part == "config_file":
            return None
        path.append(part)
        if _is_dict(field.annotation):  # free keys below: communities, channels, texts
            return tuple(path + parts[index + 1:])
        inner = _field_model(field.annotation)
        if index < len(parts) - 1:
            if inner is None:
                return None
            model = inner
    return tuple(path)


def _resolve_underscores(model: type[BaseModel], rest: str) -> tuple[str, ...] | None:
    """``discord_token`` -> ("discord", "token"): what a name with single underscores meant."""
    for name, field in model.model_fields.items():
        if rest == name:
            return (name,)
        inner = _field_model(field.annotation)
        if inner is not None and rest.startswith(name + "_"):
            found = _resolve_underscores(inner, rest[len(name) + 1:])
            if found:
                return (name, *found)
    return None


def _field_at(model: Any, path: tuple[str, ...]) -> Any:
    annotation: Any = None
    for part in path:
        if model is None:
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        model = _field_model(annotation)
    return annotation


def _env_value(model: type[BaseModel], path: tuple[str, ...], raw: str, where: str) -> Any:
    """A variable's text as the value the setting takes. Lists take JSON (``["a", "b"]``) or a
    plain comma list (``U123,U456``); tables take JSON; everything else is left to validation."""
    annotation = _field_at(model, path)
    text = raw.strip()
    if annotation is None:
        return raw
    if _is_list(annotation) and not text.startswith("["):
        return [item.strip() for item in text.split(",") if item.strip()]
    if _is_list(annotation) or _is_dict(annotation) or _field_model(annotation) is not None:
        try:
            return json.loads(text)
        except RecursionError:
            raise ConfigError(where, dotted(path), "nested too deeply") from None
        except ValueError:
            kind = "a list" if _is_list(annotation) else "an object"
            raise ConfigError(where, dotted(path), f"expected {kind} in JSON") from None
    return raw


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a .env file (python-dotenv's reading, as pydantic-settings did)."""
    from dotenv import dotenv_values

    try:
        with open(path, encoding="utf-8") as stream:
            values = dotenv_values(stream=stream)
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read ({exc.strerror})") from None
    return {key: value for key, value in values.items() if value is not None}


def environment_settings(
    model: type[BaseModel], environ: Mapping[str, str], dotenv: Mapping[str, str], dotenv_label: str = ".env"
) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """Settings from ``PEERBOT_*`` variables (the environment beats .env), nested with ``__``,
    and for each setting path the variable that set it (for error messages).

    Keys without the prefix are left alone: a .env file is often shared with other programs.
    A name that is not a setting is refused when it comes from .env, or when it reads as a
    setting written with single underscores (``PEERBOT_DISCORD_TOKEN``), so a token is never
    silently ignored; other unknown names in the process environment are ignored, as a
    container platform may set some (``PEERBOT_PORT`` for a service named peerbot)."""
    data: dict[str, Any] = {}
    origin: dict[tuple[str, ...], str] = {}
    for source, values in ((dotenv_label, dotenv), ("environment", environ)):
        for name, raw in values.items():
            if not name.upper().startswith(ENV_PREFIX):
                continue
            rest = name[len(ENV_PREFIX):]
            if rest.upper() in _NOT_SETTINGS:
                continue
            where = f"{source} {name}"
            path = _resolve(model, rest.lower().split("__")) if rest else None
            if path is None:
                meant = _resolve_underscores(model, rest.lower())
                if meant is not None and len(meant) > 1:
                    raise ConfigError(where, dotted(meant), f"nested settings take two underscores: "
                                      f"{env_name(meant)}")
                if source == "environment":
                    continue
                raise ConfigError(where, "", "not a peerbot setting (check the spelling against the README)")
            node = data
            for part in path[:-1]:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
            node[path[-1]] = _env_value(model, path, raw, where)
            origin[path] = where
    return data, origin

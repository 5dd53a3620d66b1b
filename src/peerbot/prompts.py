"""The encouragement library and its rotation: every prompt once before any repeats."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerbot.settings import ConfigError, Settings, packaged_defaults, read_toml

THEMES = ("strengths", "gratitude", "connection", "recovery", "camaraderie", "self-care")


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    theme: str
    text: str


def parse_prompts(data: Mapping[str, Any], label: str) -> tuple[Prompt, ...]:
    rows = data.get("prompts")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(label, "prompts", "list at least one prompt ([[prompts]] with id, theme, text)")
    seen: set[str] = set()
    out = []
    for index, row in enumerate(rows):
        where = f"prompts.{index}"
        if not isinstance(row, Mapping):
            raise ConfigError(label, where, "each prompt is a table with id, theme and text")
        for field in ("id", "theme", "text"):
            if not isinstance(row.get(field), str) or not row[field].strip():
                raise ConfigError(label, f"{where}.{field}", "missing or empty")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", row["id"]):
            raise ConfigError(label, f"{where}.id", "use lowercase letters, digits, - and _")
        if row["id"] in seen:
            raise ConfigError(label, f"{where}.id", f"duplicate prompt id {row['id']!r}")
        seen.add(row["id"])
        out.append(Prompt(row["id"], row["theme"], row["text"].strip()))
    return tuple(out)


def prompts_path(settings: Settings) -> tuple[Path, str]:
    found = settings.resolve_file(settings.prompts_file)
    if found is not None:
        return found, str(found)
    if "prompts_file" in settings.model_fields_set:  # a community's own library: never swap it silently
        raise ConfigError(settings.config_file or "settings", "prompts_file",
                          f"file not found: {settings.prompts_file} (relative paths start at the config file's folder)")
    return packaged_defaults() / "prompts.toml", "shipped defaults/prompts.toml"


def load_prompts(settings: Settings) -> tuple[Prompt, ...]:
    path, label = prompts_path(settings)
    return parse_prompts(read_toml(path, label), label)


def community_library(
    base: Sequence[Prompt], custom: Iterable[Mapping[str, str]] = (), removed: Iterable[str] = ()
) -> tuple[Prompt, ...]:
    """The shipped library with a community's moderator additions and removals."""
    gone = set(removed)
    added = [Prompt(item["id"], item.get("theme", "camaraderie"), item["text"]) for item in custom]
    return tuple(p for p in (*base, *added) if p.id not in gone)


def _order(community_key: str, cycle: int, prompt_id: str) -> str:
    # A stable shuffle: each community and each round gets its own order, reproducibly.
    return hashlib.sha256(f"{community_key}|{cycle}|{prompt_id}".encode()).hexdigest()


def choose_prompt(
    library: Sequence[Prompt], used: Sequence[tuple[str, int]], community_key: str
) -> tuple[Prompt, int] | None:
    """The next prompt and its rotation round, given what was posted so far."""
    if not library:
        return None
    cycle = max((c for _, c in used), default=0)
    used_now = {pid for pid, c in used if c == cycle}
    candidates = [p for p in library if p.id not in used_now]
    if not candidates:
        cycle += 1
        candidates = list(library)
    candidates.sort(key=lambda p: _order(community_key, cycle, p.id))
    last = used[-1][0] if used else None
    # Across a round boundary, don't post yesterday's prompt again today.
    if len(candidates) > 1 and candidates[0].id == last:
        candidates.append(candidates.pop(0))
    return candidates[0], cycle

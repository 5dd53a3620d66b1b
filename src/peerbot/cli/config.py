"""``peerbot config check`` and ``peerbot config init``."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import IO

from peerbot.errors import BadInput

EXIT_OK = 0

#: The files a community edits; the shipped copies inside the package are the only others.
EDITABLE = ("peerbot.toml", "messages.toml", "prompts.toml")


def cmd_config_check(args: argparse.Namespace, out: IO[str] | None = None) -> int:
    from peerbot.config import load_config
    from peerbot.prompts import prompts_path
    from peerbot.settings import masked
    from peerbot.texts import messages_path

    out = out or sys.stdout
    loaded = getattr(args, "loaded", None) or load_config(getattr(args, "config", None))
    settings = loaded.settings
    effective = masked(settings)
    effective["communities"] = {
        key: json.loads(settings.for_community(key).model_dump_json()) for key in settings.communities
    }
    out.write(f"config OK: {settings.config_file}\n")
    out.write(f"messages: {messages_path(settings)[1]}\n")
    themes = Counter(p.theme for p in loaded.prompts)
    out.write(f"prompts: {prompts_path(settings)[1]} ({len(loaded.prompts)} prompts: "
              + ", ".join(f"{t} {n}" for t, n in sorted(themes.items())) + ")\n")
    out.write(json.dumps(effective, indent=2, default=str) + "\n")
    return EXIT_OK


def cmd_config_init(args: argparse.Namespace, out: IO[str] | None = None) -> int:
    """Copy the shipped files to edit; never over a community's own files unless --force."""
    from peerbot.settings import packaged_defaults

    out = out or sys.stdout
    folder = Path(args.folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{args.folder}: is a file, not a folder")
    there = [name for name in EDITABLE if (folder / name).exists()]
    if there and not args.force:
        raise BadInput(f"{args.folder} already has {', '.join(there)}: edit those, or add --force to replace them "
                       "with the shipped files")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in EDITABLE:
            shutil.copyfile(packaged_defaults() / name, folder / name)
    except OSError as exc:
        raise BadInput(f"{args.folder}: cannot write ({exc.strerror})") from None
    out.write(f"Wrote {', '.join(EDITABLE)} to {folder}/: edit them (add your local warmline to "
              f"messages.toml), then check with: peerbot config check"
              + ("" if folder.resolve() == (Path.cwd() / "config").resolve()
                 else f" --config {folder / 'peerbot.toml'}") + "\n")
    return EXIT_OK

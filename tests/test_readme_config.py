"""README's configuration tables name every setting peerbot has (a test so new keys get documented)."""

from pathlib import Path

from pydantic import BaseModel

from peerbot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out += _keys(kind, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def _first_cells(text: str) -> list[str]:
    return [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| `")]


def _documented(key: str) -> bool:
    *parents, leaf = key.split(".")
    prefix = ".".join(parents)
    for cell in _first_cells(README):
        if f"`{key}`" in cell or f"`{key}." in cell:
            return True
        if prefix and cell.startswith(f"`{prefix}.") and f"`{leaf}`" in cell:
            return True
    if len(parents) == 1 and parents[0] in ("discord", "slack"):  # the platform sections' own tables
        section = README.split(f"## Running on {parents[0].title()}", 1)[1].split("\n## ", 1)[0]
        return any(f"`{leaf}`" in cell for cell in _first_cells(section))
    return False


def test_every_setting_is_in_a_readme_table():
    keys = [k for k in _keys(Settings) if k != "config_file"]  # set by the loader, not by users
    assert len(keys) > 40
    missing = [k for k in keys if not _documented(k)]
    assert not missing, f"document these settings in README.md's tables: {missing}"

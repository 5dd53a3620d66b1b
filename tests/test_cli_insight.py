"""`peerbot stats`, `peerbot digest --out` and `peerbot replay --chart` from the command line,
right after `peerbot demo --db demo.db` (the data the README's chart is drawn from)."""

import json

import pytest

from peerbot.charts import DIGEST_SIZE, SWEEP_SIZE, png_size
from peerbot.cli import main
from peerbot.local import DEMO_TEXTS


pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.fixture
def demo_db(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def test_stats_after_the_demo(demo_db, capsys):
    assert main(["stats", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Harbor Peer Circle, the 7 days up to Tue 03 Jun 2025")
    assert "messages seen: 7; tone: supportive 29%, struggle 14%, criticism 14%, gossip 14%, mockery 14%, crisis 14%" in out
    # the demo's nudges: Cal softens his, Gus deletes his, Fay leaves hers
    assert ("after a nudge: edited and softened 1 (33%), deleted 1 (33%), unchanged 1 (33%). "
            "Changed or removed: 67%") in out
    assert "prompts posted: 2, replies to them: 2" in out and "crisis alerts: 1" in out
    assert not any(t[:20] in out for t in DEMO_TEXTS)


def test_digest_renders_the_demo_week_to_a_png(demo_db, tmp_path, capsys):
    chart = tmp_path / "digest.png"
    assert main(["digest", "--db", str(demo_db), "--out", str(chart)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Weekly climate digest for Harbor Peer Circle, Mon 2 Jun - Sun 8 Jun 2025:")
    assert "messages seen: 7 (week before: 0)" in out and f"Chart: {chart} (1200x600 PNG)" in out
    data = chart.read_bytes()
    assert png_size(data) == DIGEST_SIZE
    # a week with nothing recorded draws nothing
    assert main(["digest", "--db", str(demo_db), "--week-of", "2025-05-01", "--out", str(tmp_path / "x.png")]) == 1
    assert "Nothing was recorded" in capsys.readouterr().out and not (tmp_path / "x.png").exists()


def test_stats_and_digest_name_their_problems(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no such database file" in capsys.readouterr().err
    empty = tmp_path / "empty.db"
    empty.touch()
    assert main(["digest", "--db", str(empty)]) == 2
    assert "nothing is recorded" in capsys.readouterr().err


def test_replay_chart_is_a_png_of_the_sweep(tmp_path, capsys):
    rows = [{"text": "You're so lazy and stupid, nobody cares about your posts.", "author": f"a{i}"} for i in range(3)]
    rows += [{"text": "I had an awful week and feel worthless.", "author": "c"}]
    history = tmp_path / "history.jsonl"
    history.write_text("".join(json.dumps(r) + "\n" for r in rows))
    chart = tmp_path / "sweep.png"
    assert main(["replay", str(history), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert f"Chart: {chart} (1000x600 PNG" in out and "lazy" not in out
    assert png_size(chart.read_bytes()) == SWEEP_SIZE


def test_the_readme_shows_the_digest_chart_drawn_from_the_demo():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "](docs/digest.png)" in readme and "peerbot digest --db demo.db --out docs/digest.png" in readme
    assert png_size((root / "docs" / "digest.png").read_bytes()) == DIGEST_SIZE

"""The migrations ship inside the wheel: `peerbot db upgrade` works from an installed package,
away from the source tree."""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_db_upgrade_runs_from_the_built_wheel(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("peerbot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "peerbot/store/migrations/env.py" in names
    assert "peerbot/store/migrations/script.py.mako" in names
    assert {"peerbot/store/migrations/versions/0001_initial.py",
            "peerbot/store/migrations/versions/0002_shared_cooldowns.py",
            "peerbot/store/migrations/versions/0003_moderator_insight.py"} <= set(names)

    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    # -S: no site-packages .pth files, so the editable install of the source tree is out of
    # the picture; the dependencies come from this environment's site-packages.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(installed), sysconfig.get_paths()["purelib"],
                                         sysconfig.get_paths()["platlib"]])
    env["PEERBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'wheel.db'}"
    code = ("import sys, peerbot, peerbot.cli; print(peerbot.__file__, flush=True); "
            "sys.exit(peerbot.cli.main(sys.argv[1:]))")
    run = subprocess.run([sys.executable, "-S", "-c", code, "db", "upgrade"], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]
    first, second = run.stdout.splitlines()[:2]
    assert first.startswith(str(installed))
    assert "upgraded to revision 0003 (applied 0001, 0002, 0003)" in second
    status = subprocess.run([sys.executable, "-S", "-c", code, "db", "status"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=60)
    assert status.returncode == 0 and "up to date" in status.stdout

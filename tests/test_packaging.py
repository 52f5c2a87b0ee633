"""An installed wheel must work outside the checkout: our packages and every template ship in it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_packages_and_templates(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("postdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").rglob("*"):
        if template.is_file() and template.suffix not in (".py", ".pyc"):
            name = f"postdesk/{template.relative_to(ROOT)}"
            assert name in names, f"{name} is not in the wheel"
    for package in ("daemon", "parsers", "routing", "storage", "templates"):
        for init in (ROOT / package).rglob("__init__.py"):  # subpackages too: a new one is easily left out
            assert f"postdesk/{init.relative_to(ROOT)}" in names, f"{init.relative_to(ROOT).parent} is not in the wheel"
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"postdesk"}, f"the wheel claims more than one name in site-packages: {sorted(tops)}"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "postdesk = postdesk.daemon.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()

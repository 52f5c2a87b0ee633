"""Where the daemon's processes write their Prometheus counters: `<data_dir>/metrics/<front pid>/`.

prometheus-client picks its multiprocess mode from PROMETHEUS_MULTIPROC_DIR when it is first imported, so
`postdesk run` calls this before anything imports it; the worker process inherits the variable. A folder per
front process: a second daemon on the same data directory keeps its own counts, and a restart starts from
zero (Prometheus sees a counter reset) instead of adding to files of processes long gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def use_metrics_dir(data_dir: Path) -> Path:
    """Make this process's empty counter folder, drop those of daemons that are gone, and export its path."""
    if "prometheus_client" in sys.modules:
        raise RuntimeError("use_metrics_dir() must run before prometheus_client is imported")
    root = data_dir / "metrics"
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if old.is_dir() and old.name.isdigit() and (int(old.name) == os.getpid() or not _alive(int(old.name))):
            shutil.rmtree(old, ignore_errors=True)
    mine = root / str(os.getpid())
    with contextlib.suppress(FileExistsError):
        mine.mkdir()
    os.environ[ENV] = str(mine)
    return mine

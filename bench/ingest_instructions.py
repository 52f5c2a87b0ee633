"""Instructions the worker spends on a mail (pipeline and outbox passes), counted by callgrind: a figure that
does not move with what else the machine runs, for comparing checkouts on a shared machine.

    .venv/bin/python bench/ingest_instructions.py [OTHER ...] [--n 400]

For this checkout and then each OTHER (e.g. a `git worktree` of the commit before), runs itself under
`valgrind --tool=callgrind` with instrumentation off: stores N `bench/corpus.py` mails into a fresh SQLite
database, parses them beforehand (the parse process's work is not the worker's thread's), processes the first
half (statements prepared, templates loaded), and counts only the second half: pipeline batches of 50 (a
commit every COMMIT_EVERY) each followed by outbox passes into a maildir, with INFO lines logged into a file
as the daemon logs them. Prints instructions a mail per checkout and the ratio to the first; with
PYTHONHASHSEED=0 the count repeats within ~0.1 % run to run. Counts user-space instructions only: the
kernel's work (fsync, file creation) and waiting are not in it, and an instruction is not a nanosecond
(a cache miss costs more than a hundred of them). Needs valgrind. Asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
BATCH = 50


def child(root: Path, n: int) -> None:
    """Inside valgrind: set up untimed, count the second half (callgrind_control switches counting on and off)."""
    sys.path[:0] = [str(root), str(root / "tests" / "lib"), str(root / "bench")]
    from corpus import ensure

    import postdesk
    from postdesk.daemon.config import load_config
    from postdesk.daemon.logs import FieldsFilter, TextFormatter
    from postdesk.daemon.outgoing.delivery import MaildirTransport, send_due
    from postdesk.daemon.pipeline.bounces import Outcomes
    from postdesk.daemon.pipeline.runner import Pipeline, parse_or_error
    from postdesk.daemon.process.worker import COMMIT_EVERY
    from postdesk.parsers.headerscan import message_id_of
    from postdesk.storage import inbound
    from postdesk.storage.db import Database
    from postdesk.storage.inbound import Delivery
    from postdesk.templates.render import Renderer
    from support import Center

    assert Path(postdesk.__file__).resolve().is_relative_to(root.resolve()), postdesk.__file__
    work = Path(tempfile.mkdtemp(prefix="pd-instr-"))
    mails = [p.read_bytes() for p in sorted(ensure(n, None, work).iterdir()) if p.is_file()][:n]
    center = Center(work / "center", extra=f'[database]\nurl = "sqlite:///{work / "bench.db"}"\n')
    config = load_config(center.config)
    db = Database(config.database_url)
    db.create_schema()
    ids = [i for m in mails for i in inbound.store_inbound(
        db, m, source="bench", deliveries=[Delivery("service", None, ())], envelope_from=None,
        message_id=message_id_of(m)) if i is not None]
    handler = logging.FileHandler(work / "worker.log")
    handler.addFilter(FieldsFilter())
    handler.setFormatter(TextFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging._srcfile = None  # as logs.configure() sets it for the daemon
    logging.logThreads = logging.logMultiprocessing = False
    pipeline = Pipeline(config, db, Renderer())
    options = config.parse_options()
    parsed = {m: parse_or_error(m, options, (None, ())) for m in mails}
    transport, desk = MaildirTransport(config.smtp_out.maildir), Outcomes(config, pipeline.renderer, db)

    def parse(_fn: Any, raws: list[bytes], *_: Any) -> Any:  # as a pool's map, from what was parsed before
        return (parsed[r] for r in raws)

    def run(rows: list[int]) -> None:
        for k in range(0, len(rows), BATCH):
            pipeline.process_batch(rows[k:k + BATCH], parse, COMMIT_EVERY)
            while send_due(db, transport, config.smtp_out, desk=desk):
                pass

    def count(on: bool) -> None:
        subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], check=True,
                       stdout=subprocess.DEVNULL)

    half = len(ids) // 2
    run(ids[:half])
    count(True)
    run(ids[half:])
    count(False)
    print(f"counted {len(ids) - half}")


def measure(root: Path, n: int) -> float:
    """Instructions a mail in the counted half, for the checkout at `root`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={tmp}/callgrind.out",
             sys.executable, __file__, "--child", str(root), "--n", str(n)],
            capture_output=True, text=True, cwd=tmp, env={**os.environ, "PYTHONHASHSEED": "0",
                                                          "PYTHONPATH": str(root)})
    counted = re.search(r"^counted (\d+)", out.stdout, re.M)
    collected = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not counted or not collected:
        raise SystemExit(f"{root}: exited {out.returncode}\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return int(collected.group(1)) / int(counted.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("others", nargs="*", type=Path, help="other checkouts (git worktrees) to count the same way")
    ap.add_argument("--n", type=int, default=400, help="mails stored; the second half is counted")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.n)
        return
    first = None
    for root in [HERE, *args.others]:
        per_mail = measure(root.resolve(), args.n)
        first = first or per_mail
        print(f"{root!s:<40} {per_mail / 1e6:6.3f} M instructions a mail   ({per_mail / first:.3f} of the first)")


if __name__ == "__main__":
    main()

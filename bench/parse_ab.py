"""Parse CPU time of this checkout's parser against another checkout's, in one process, alternating.

Usage:
    git worktree add /tmp/old <commit>
    .venv/bin/python bench/parse_ab.py /tmp/old [--n 2000] [--rounds 13] [--corpus DIR]

Between two processes the shared machine's load moves the figures by 10 % and more; here both parsers
(and the stdlib compat32 floor) parse the same `bench/corpus.py` mails in every round, in alternating
order, and the best and the median CPU time (time.process_time) of each are printed. The other checkout's
`parsers` package is copied to a temporary folder under another name (its own imports rewritten), so both
import side by side.
"""

from __future__ import annotations

import argparse
import email
import gc
import importlib
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from email.policy import compat32
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import ensure  # noqa: E402

OURS = frozenset({"service@corp.example", "it@corp.example", "hr@corp.example", "buh@corp.example"})


def load_as(checkout: Path, name: str, into: Path) -> object:
    """The `parsers` package of `checkout`, imported as `name` (`postdesk.parsers.x` and `parsers.x` alike)."""
    target = into / name
    shutil.copytree(checkout / "parsers", target, ignore=shutil.ignore_patterns("__pycache__", "*.md"))
    for source in target.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        source.write_text(re.sub(r"\b(?:postdesk\.)?parsers(?=[. ])", name, text), encoding="utf-8")
    return importlib.import_module(name)


def cpu(fn: Callable[[], object]) -> float:
    gc.collect()
    started = time.process_time()
    fn()
    return time.process_time() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", type=Path, help="the other checkout (a git worktree)")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=13)
    ap.add_argument("--corpus", type=Path, help="a folder of .eml files (default: generate N with bench/corpus.py)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pd-ab-"))
    corpus = ensure(args.n, args.corpus, work)
    mails = [p.read_bytes() for p in sorted(corpus.iterdir()) if p.is_file()][: args.n]
    sys.path.insert(0, str(work))
    versions = {"other": load_as(args.other, "other_parsers", work), "this": load_as(ROOT, "this_parsers", work)}
    options = {k: importlib.import_module(f"{k}_parsers.model").ParseOptions(ticket_prefix="SD", our_addresses=OURS)
               for k in versions}
    times: dict[str, list[float]] = {"floor": [], "other": [], "this": []}
    for r in range(args.rounds):
        times["floor"].append(cpu(lambda: [email.message_from_bytes(m, policy=compat32) for m in mails]))
        for k in ("other", "this") if r % 2 == 0 else ("this", "other"):
            parse = versions[k].parse_mail  # type: ignore[attr-defined]
            times[k].append(cpu(lambda parse=parse, o=options[k]: [parse(m, o) for m in mails]))
    floor = min(times["floor"])
    print(f"# {len(mails)} mails from {corpus}, {args.rounds} rounds; other = {args.other}")
    for k, values in times.items():
        values.sort()
        print(f"{k:6s} best {values[0]:.3f} s  median {values[len(values) // 2]:.3f} s  "
              f"best/floor {values[0] / floor:.2f}")
    o, t = sorted(times["other"]), sorted(times["this"])
    print(f"this/other: best {t[0] / o[0]:.3f}, median {t[len(t) // 2] / o[len(o) // 2]:.3f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Knowledge suggestions on the labelled queries: hit-rate at 3 and wrong suggestions, with every miss.

    .venv/bin/python bench/kb_quality.py
Prints figures; the test tests/kb/test_quality.py holds the same numbers to their aim.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from kbquality import evaluate  # noqa: E402


def main() -> None:
    q = evaluate()
    print(f"answerable queries: {q.answerable}, answered in the top 3: {q.hits_at_3} = hit-rate@3 {q.hit_rate:.2f} "
          f"(aim >= 0.85)")
    print(f"queries no article answers: {q.unanswerable}, given a suggestion anyway: {q.wrongly_suggested} = "
          f"{q.wrong_rate:.2f} (aim <= 0.10)")
    for m in q.misses:
        print("  " + m)


if __name__ == "__main__":
    main()

"""The knowledge suggestions meet their aim on labelled real-world requests (tests/kb/queries.toml)."""

from __future__ import annotations

from kbquality import evaluate


def test_hit_rate_at_3_and_wrong_suggestions() -> None:
    q = evaluate()
    assert q.answerable >= 60 and q.unanswerable >= 10
    report = f"hit@3 {q.hit_rate:.2f}, wrong {q.wrong_rate:.2f}\n" + "\n".join(q.misses)
    assert q.hit_rate >= 0.85, report
    assert q.wrong_rate <= 0.10, report

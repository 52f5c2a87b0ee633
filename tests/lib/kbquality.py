"""How well the acknowledgment's suggestions answer real requests: the labelled queries in tests/kb."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from postdesk.daemon.knowledge import load_articles
from postdesk.routing.knowledge import KnowledgeIndex

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "tests" / "kb" / "queries.toml"
ARTICLES = ROOT / "examples" / "kb"


@dataclass(frozen=True)
class Quality:
    answerable: int
    hits_at_3: int
    unanswerable: int
    wrongly_suggested: int  # queries no article answers that still got a suggestion
    misses: tuple[str, ...]

    @property
    def hit_rate(self) -> float:
        return self.hits_at_3 / self.answerable

    @property
    def wrong_rate(self) -> float:
        return self.wrongly_suggested / self.unanswerable


def evaluate(queries: Path = QUERIES, articles: Path = ARTICLES) -> Quality:
    """Search each query as the pipeline does (subject twice, then the body; the requester's language)."""
    found, problems = load_articles(articles)
    assert not problems, problems
    index = KnowledgeIndex.build(found)
    cases = tomllib.loads(queries.read_text(encoding="utf-8"))["query"]
    answerable = hits = unanswerable = wrong = 0
    misses = []
    for q in cases:
        text = f"{q['subject']}\n{q['subject']}\n{q['body']}"
        got = [s.article.slug for s in index.search(text, lang=q["lang"], limit=3)]
        if q["expect"]:
            answerable += 1
            if q["expect"] in got:
                hits += 1
            else:
                misses.append(f"missed {q['expect']}: {q['subject']!r} -> {got}")
        else:
            unanswerable += 1
            if got:
                wrong += 1
                misses.append(f"suggested for none: {q['subject']!r} -> {got}")
    return Quality(answerable, hits, unanswerable, wrong, tuple(misses))

"""The knowledge base on disk: Markdown articles in `[knowledge] dir`, indexed, re-read when they change."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from postdesk.routing.knowledge import Article, KnowledgeIndex, parse_article

log = logging.getLogger("postdesk.knowledge")

CHECK_SECONDS = 5.0  # how often a lookup may stat the directory for edits (admins keep the articles in git)


def load_articles(path: Path) -> tuple[list[Article], list[str]]:
    """Every `*.md` under `path`; problems name the file and the key. A broken file is left out, not fatal."""
    articles: list[Article] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for file in sorted(path.rglob("*.md")):
        name = str(file.relative_to(path))
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{name}: cannot read: {exc}")
            continue
        article, found = parse_article(text, name)
        problems += [f"{name}: {p}" for p in found]
        if article is None:
            continue
        if article.slug in seen:
            problems.append(f"{name}: slug {article.slug!r} is already used by {seen[article.slug]}")
            continue
        seen[article.slug] = name
        articles.append(article)
    return articles, problems


def _snapshot(path: Path) -> tuple[tuple[str, float, int], ...]:
    out = []
    for file in path.rglob("*.md"):
        try:
            st = file.stat()
        except OSError:
            continue
        out.append((str(file), st.st_mtime, st.st_size))
    return tuple(sorted(out))


class KnowledgeBase:
    """Thread-safe: the pipeline and the web page read it; edits on disk show up within CHECK_SECONDS."""

    def __init__(self, path: Path | None):
        self.path = path
        self.lock = threading.Lock()
        self.problems: list[str] = []
        self._index = KnowledgeIndex.build([])
        self._seen: tuple[tuple[str, float, int], ...] = ()
        self._checked = 0.0
        self.reload()

    def reload(self) -> None:
        if self.path is None or not self.path.is_dir():
            return
        started = time.perf_counter()
        snapshot = _snapshot(self.path)
        articles, problems = load_articles(self.path)
        index = KnowledgeIndex.build(articles)
        with self.lock:
            self._index, self._seen, self.problems = index, snapshot, problems
            self._checked = time.monotonic()
        for p in problems:
            log.warning("knowledge base: %s", p)
        log.info("knowledge base: %d articles from %s indexed in %.0f ms", len(index), self.path,
                 (time.perf_counter() - started) * 1000)

    def index(self) -> KnowledgeIndex:
        if self.path is not None and time.monotonic() - self._checked > CHECK_SECONDS:
            self._checked = time.monotonic()
            if _snapshot(self.path) != self._seen:
                self.reload()
        return self._index

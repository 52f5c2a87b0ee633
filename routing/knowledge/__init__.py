"""Knowledge-base articles: front matter checked, and a BM25F index that suggests articles for a new request.

Pure: the caller reads the Markdown files and passes their text; nothing here touches the disk, the network or
the clock. The index is built once and then only read, so one index serves every thread.

`articles` reads an article's file, `words` turns text into the terms both sides are matched on (and says
how), `index` builds the index and scores a mail against it (and says on what scale).
"""

from postdesk.routing.knowledge.articles import Article, Suggestion, parse_article, summary_line
from postdesk.routing.knowledge.index import DEFAULT_THRESHOLD, KnowledgeIndex

__all__ = [
    "DEFAULT_THRESHOLD",
    "Article",
    "KnowledgeIndex",
    "Suggestion",
    "parse_article",
    "summary_line",
]

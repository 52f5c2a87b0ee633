"""Knowledge-base articles: the front matter of a Markdown file read and checked, and the summary a mail lists.

Pure: the caller reads the file and passes its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

_SUMMARY_MAX = 200
_LINE_MAX = 160

_FRONT_OPEN_RE = re.compile(r"---[ \t]*$")
_FRONT_CLOSE_RE = re.compile(r"(?:---|\.\.\.)[ \t]*$")
_KEY_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_ITEM_LINE_RE = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*$")
_LIST_ITEM_RE = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([^,"']*?))\s*(?:,|$)""")
_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")

_FENCE_RE = re.compile(r" {0,3}(?:```|~~~)")
_NOT_PARAGRAPH_RE = re.compile(r" {0,3}(?:#|\||<|(?:[-*_] *){3,}$|=+ *$|\[[^\]]+\]:)")
_SENTENCE_END_RE = re.compile(r"[.!?…](?=\s+[\"«(\[0-9A-ZА-ЯЁ]|\s*$)")
_SPACES_RE = re.compile(r"\s+")

_MARKDOWN = MarkdownIt("commonmark").enable("table")  # a table is no paragraph to take a summary from

_KEYS = ("title", "slug", "lang", "queue", "category", "tags", "summary")
_LANGS = ("ru", "en")


@dataclass(frozen=True, slots=True)
class Article:
    """One knowledge-base article; `body` is its Markdown source without the front matter."""

    slug: str
    title: str
    lang: str
    queue: str | None
    category: str | None
    tags: tuple[str, ...]
    summary: str
    body: str
    source: str  # the file name it came from, for messages


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An article offered for a request; `score` is on the 0..1 scale of `KnowledgeIndex.search`."""

    article: Article
    score: float


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _split_list(value: str) -> tuple[list[str], str | None]:
    """`[a, "b, c", d e]` or `a, b` as items; the second value is what is wrong with it, if anything."""
    inner = value
    if value.startswith("["):
        if not value.endswith("]"):
            return [], "unclosed '['"
        inner = value[1:-1]
    items: list[str] = []
    pos = 0
    while pos < len(inner):
        m = _LIST_ITEM_RE.match(inner, pos)
        if m is None or m.end() == pos:
            return [], f"cannot read the list at {inner[pos:pos + 20]!r}"
        item = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
        if item.strip():
            items.append(item.strip())
        pos = m.end()
    return items, None


def _slug_of(source: str) -> str:
    """The file name without folder and extension: the slug of an article that gives none."""
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def _lead(body: str) -> str:
    """The body up to the end of its first paragraph: all markdown-it needs to find the opening sentence."""
    lines = body.split("\n")
    fenced = seen_text = False
    for i, line in enumerate(lines):
        if _FENCE_RE.match(line):
            fenced = not fenced
        elif fenced:
            continue
        elif not line.strip():
            if seen_text:
                return "\n".join(lines[:i])
        elif not _NOT_PARAGRAPH_RE.match(line):
            seen_text = True
    return body


def _first_paragraph_text(body: str) -> str:
    tokens = _MARKDOWN.parse(_lead(body))
    for i, token in enumerate(tokens[:-1]):
        if token.type == "paragraph_open" and tokens[i + 1].type == "inline":
            parts = []
            for child in tokens[i + 1].children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            text = _SPACES_RE.sub(" ", "".join(parts)).strip()
            if text:
                return text
    return ""


def _shortened(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, "…" marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def _first_sentence(body: str) -> str:
    text = _first_paragraph_text(body)
    m = _SENTENCE_END_RE.search(text)
    return _shortened(text[: m.end()] if m else text, _SUMMARY_MAX)


@dataclass(frozen=True, slots=True)
class _FrontMatter:
    """The front matter as written: single values, lists, the keys given, and what is wrong with its lines."""

    scalars: dict[str, str]
    lists: dict[str, list[str]]
    seen: frozenset[str]
    problems: tuple[str, ...]


def _read_front_matter(lines: list[str]) -> _FrontMatter:
    """`key: value`, `key: [a, b]` and `key:` followed by `- item` lines; a bad line is a problem, not the end."""
    problems: list[str] = []
    scalars: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    seen: set[str] = set()
    list_key: str | None = None  # a key with an empty value: "- item" lines below it are its items
    for number, line in enumerate(lines, start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE_RE.match(line)
        if item is not None and list_key is not None:
            lists.setdefault(list_key, []).append(_unquoted(item.group(1)))
            continue
        m = _KEY_LINE_RE.match(line)
        list_key = None
        if m is None:
            problems.append(f"line {number}: expected 'key: value', got {line.strip()[:40]!r}")
            continue
        key, value = m.group(1).lower(), (m.group(2) or "")
        if key not in _KEYS:
            problems.append(f"unknown key {m.group(1)!r}")
            continue
        if key in seen:
            problems.append(f"{key}: given twice")
            continue
        seen.add(key)
        if not value:
            list_key = key
        elif key == "tags" or (value.startswith("[") and value.endswith("]")):
            items, fault = _split_list(value)
            if fault:
                problems.append(f"{key}: {fault}")
            else:
                lists[key] = [_unquoted(x) for x in items]
        else:
            scalars[key] = _unquoted(value)
    return _FrontMatter(scalars, lists, frozenset(seen), tuple(problems))


def _unusable(front: _FrontMatter, slug: str) -> list[str]:
    """What makes the article unusable: a list where one value belongs, a required field missing or wrong."""
    scalars, seen = front.scalars, front.seen
    listed = front.lists.keys() - {"tags"}
    wrong = [f"{key}: must be a single value, not a list" for key in sorted(listed)]
    if not scalars.get("title", "") and "title" not in listed:
        wrong.append("title: empty" if "title" in seen else "title: missing")
    if scalars.get("lang", "").lower() not in _LANGS and "lang" not in listed:
        wrong.append(f"lang: must be ru or en, not {scalars['lang']!r}" if "lang" in scalars else "lang: missing")
    if not scalars.get("queue") and not scalars.get("category") and not listed & {"queue", "category"}:
        wrong.append("queue or category: one is required")
    if "slug" in scalars and not _SLUG_RE.fullmatch(slug):
        wrong.append(f"slug: must be lower-case latin letters, digits and '-', not {slug!r}")
    elif "slug" not in scalars and "slug" not in listed and not _SLUG_RE.fullmatch(slug):
        wrong.append(f"slug: the file name {slug!r} is no valid slug; give one with 'slug:'")
    return wrong


def parse_article(text: str, source: str) -> tuple[Article | None, tuple[str, ...]]:
    """An article and the problems of its file; the article is None only when a required field is unusable.

    Problems that leave a usable article (an unknown key, a key given twice) come with it, so a loader can warn
    and carry on. Never raises.
    """
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not _FRONT_OPEN_RE.match(lines[0]):
        return None, ("no front matter: the file must start with a '---' line",)
    end = next((i for i in range(1, len(lines)) if _FRONT_CLOSE_RE.match(lines[i])), None)
    if end is None:
        return None, ("front matter: no closing '---' line",)
    front = _read_front_matter(lines[1:end])
    scalars = front.scalars
    slug = scalars.get("slug") or _slug_of(source)
    wrong = _unusable(front, slug)
    if wrong:
        return None, (*front.problems, *wrong)
    tags: list[str] = []
    for tag in front.lists.get("tags", ()):
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    title = scalars["title"]
    body = "\n".join(lines[end + 1:]).strip("\n")
    summary = _SPACES_RE.sub(" ", scalars.get("summary", "")).strip() or _first_sentence(body) or title
    article = Article(slug=slug, title=title, lang=scalars["lang"].lower(), queue=scalars.get("queue") or None,
                      category=scalars.get("category") or None, tags=tuple(tags), summary=summary, body=body,
                      source=source)
    return article, front.problems


def summary_line(article: Article) -> str:
    """Title and summary on one line of at most 160 characters, for the list of suggestions in a mail."""
    title = _SPACES_RE.sub(" ", article.title).strip()
    summary = _SPACES_RE.sub(" ", article.summary).strip()
    if not summary or summary.casefold().startswith(title.casefold().rstrip(".!?")):
        line = summary or title
    else:
        line = f"{title} — {summary}"
    return _shortened(line, _LINE_MAX)

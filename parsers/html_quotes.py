"""Cut quoted history out of an HTML body while its markup still says what is quoted.

Gmail, Outlook, Apple Mail, Thunderbird, Yandex and Mail.ru mark quotes with classes, ids, `type=cite`
or borders; those blocks are removed before the HTML becomes text (parsers/quotes.py then cuts what the
markup did not mark). Split out of quotes.py; shares the header patterns of linekinds.py.
"""

from __future__ import annotations

import bisect
import html as _htmlmod
import re

from postdesk.parsers.linekinds import _FORWARD_RE, _FROM_RE, _HEADER_RE

# A tag: name and attributes; possessive and '<'-free so that broken HTML cannot make it backtrack.
_TAG_RE = re.compile(r"<!--|<(/?)([A-Za-z][\w:-]{0,40}+)([^<>]{0,4000}+)>")
_VOID = frozenset([
    "br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param", "track",
    "basefont", "frame",
])
_CLASS_RE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_ID_RE = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_REMOVE_CLASSES = frozenset([
    "gmail_quote", "gmail_quote_container", "gmail_extra", "gmail_signature", "moz-cite-prefix", "yahoo_quoted",
    "protonmail_quote", "zmail_extra",
])
_CUT_IDS = frozenset(["divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container",
                      "olk_src_body_section"])
_CUT_CLASSES = frozenset(["outlookmessageheader"])
_CITE_RE = re.compile(r"""\btype\s*=\s*["']?cite\b""", re.I)
_BORDER_LEFT_RE = re.compile(r"""\bstyle\s*=\s*["'][^"']*border-left\s*:""", re.I)
_BORDER_TOP_RE = re.compile(r"""\bstyle\s*=\s*["'][^"']*border-top\s*:""", re.I)
_SIG_ATTR_RE = re.compile(r"""data-smartmail\s*=\s*["']?gmail_signature""", re.I)
_STRIP_TAGS_RE = re.compile(r"<[^<>]{0,4000}+>")
_ENTITY_RE = re.compile(r"&(?:nbsp|#160|#xa0);", re.I)


def _attr(regex: re.Pattern[str], attrs: str) -> str:
    m = regex.search(attrs)
    return next((g for g in m.groups() if g is not None), "") if m else ""


def _visible_start(html: str, pos: int) -> str:
    """The first visible characters after `pos` (tags dropped): what a reader sees first from there."""
    chunk = _STRIP_TAGS_RE.sub(" ", html[pos:pos + 3000])
    return " ".join(_htmlmod.unescape(_ENTITY_RE.sub(" ", chunk)).split())[:200]


def _visible_text(html: str) -> str:
    """The visible text of `html`, whitespace-collapsed; only the first 200 characters are needed."""
    pos, n = 0, len(html)
    while pos < n:
        chunk = _visible_start(html, pos)
        if chunk:
            return chunk
        pos += 3000
    return ""


def _shows_text(piece: str) -> bool:
    """True when an HTML fragment shows any text (tags and non-breaking spaces do not count)."""
    return bool(_ENTITY_RE.sub(" ", _STRIP_TAGS_RE.sub(" ", piece)).strip())


def _has_visible(html: str, start: int, stop: int, spans: list[tuple[int, int]]) -> bool:
    """True when html[start:stop] shows some text outside the (sorted) removed spans."""
    pos = start
    for s, e in spans[bisect.bisect_left(spans, (start, -1)):]:
        if s >= stop:
            break
        if s > pos and _shows_text(html[pos:s]):
            return True
        pos = max(pos, e)
    return pos < stop and _shows_text(html[pos:stop])


def _starts_with_from(html: str, pos: int) -> bool:
    """True when the visible text from `pos` begins with a From/От/De/Von header field: Outlook's reply header."""
    m = _HEADER_RE.match(_visible_start(html, pos))
    return bool(m and _FROM_RE.match(m.group(1)))


def _tags(html: str) -> list[tuple[int, int, bool, str, str]]:
    """(start, end, closing, lower-case name, attributes) of every tag outside comments."""
    out: list[tuple[int, int, bool, str, str]] = []
    pos, n = 0, len(html)
    while pos < n:
        m = _TAG_RE.search(html, pos)
        if not m:
            break
        if m.group(0) == "<!--":
            end = html.find("-->", m.end())
            pos = n if end < 0 else end + 3
            continue
        out.append((m.start(), m.end(), m.group(1) == "/", m.group(2).lower(), m.group(3)))
        pos = m.end()
    return out


def strip_html_quotes(html: str) -> str:
    """Remove quoted-history blocks (Gmail, Outlook, Apple, Thunderbird, Yandex, Mail.ru) from an HTML body.

    Elements that are history are removed whole; Outlook's reply header (divRplyFwdMsg, a bordered "From:"
    block, an <hr> followed by "From:") starts the history, so everything from there on goes.
    """
    if not html or "<" not in html:
        return html or ""
    removed, trailing_quotes, cut = _history_blocks(html)
    _take_trailing_quotes(html, removed, trailing_quotes, cut)
    result = _without(html, removed, cut)
    if removed or cut < len(html):
        seen = _visible_text(result)
        if not seen or (len(seen) < 100 and _FORWARD_RE.match(seen)):
            # nothing of the sender's own is left: the quote *is* the mail (a forward sent without a comment)
            return html
    return result


def _history_blocks(html: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """(spans of elements that are history, spans of plain <blockquote>s that may be, where the history that
    runs to the end starts)."""
    stack: list[tuple[str, int, str]] = []  # (name, start, attrs)
    removed: list[tuple[int, int]] = []
    trailing_quotes: list[tuple[int, int]] = []
    cut = len(html)
    for start, end, closing, name, attrs in _tags(html):
        if start >= cut:
            break
        if not closing:
            ident = _attr(_ID_RE, attrs).lower() if "id" in attrs.lower() else ""
            classes = set(_attr(_CLASS_RE, attrs).lower().split()) if "class" in attrs.lower() else set()
            bordered = name == "hr" or _BORDER_TOP_RE.search(attrs)
            if ident in _CUT_IDS or classes & _CUT_CLASSES or (bordered and _starts_with_from(html, end)):
                cut = start
                break
            if name not in _VOID and not attrs.rstrip().endswith("/"):
                stack.append((name, start, attrs))
            continue
        for depth in range(len(stack) - 1, max(-1, len(stack) - 40), -1):
            if stack[depth][0] == name:
                break
        else:
            continue  # a stray closing tag
        _, ostart, oattrs = stack[depth]
        del stack[depth:]
        classes = set(_attr(_CLASS_RE, oattrs).lower().split())
        if classes & _REMOVE_CLASSES or _SIG_ATTR_RE.search(oattrs):
            removed.append((ostart, end))
        elif name == "blockquote":
            if _CITE_RE.search(oattrs) or _BORDER_LEFT_RE.search(oattrs):
                removed.append((ostart, end))
            else:
                trailing_quotes.append((ostart, end))
    for name, ostart, oattrs in stack:  # a quote left open by truncated HTML runs to the end
        if ostart < cut and (set(_attr(_CLASS_RE, oattrs).lower().split()) & _REMOVE_CLASSES
                             or (name == "blockquote" and _CITE_RE.search(oattrs))):
            cut = ostart
            break
    return removed, trailing_quotes, cut


def _take_trailing_quotes(html: str, removed: list[tuple[int, int]], trailing_quotes: list[tuple[int, int]],
                          cut: int) -> None:
    """Add to `removed` the plain <blockquote>s (Yandex) that nothing visible follows: history. Walks from the
    end, so that each stretch of the document is looked at once."""
    barrier = cut
    spans = sorted(removed)
    for start, end in sorted(trailing_quotes, key=lambda x: -x[1]):
        if start >= cut or end > barrier:
            continue  # past the cut, or inside a quote already taken
        if _has_visible(html, end, barrier, spans):
            break
        removed.append((start, end))
        barrier = start


def _without(html: str, removed: list[tuple[int, int]], cut: int) -> str:
    """The HTML up to `cut` without the removed spans (which may nest or overlap)."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(removed):
        if start >= cut:
            break
        if start >= pos:
            out.append(html[pos:start])
            pos = end
        elif end > pos:
            pos = end
    if pos < cut:
        out.append(html[pos:cut])
    return "".join(out)

"""Knowledge-base articles: front matter checked, and a BM25F index that suggests articles for a new request.

Pure: the caller reads the Markdown files and passes their text; nothing here touches the disk, the network or
the clock. The index is built once and then only read, so one index serves every thread.

Matching. Title, tags and body are indexed as separate fields (BM25F). Words are lower-cased, "ё" folded to "е",
stop words dropped, and stemmed with Snowball: the Russian stemmer for Cyrillic words and the English one for
Latin words, whatever the article's language, so "VPN" in a Russian article matches "vpn" in an English mail.
Numbers of three digits and more and codes ("809", "2-ндфл", "1с", "0x80070005") are words too. Two small
tables help real mail: `_VARIANT_SPELLINGS` folds spellings of one word on both sides ("впн" is "vpn") and
`_RELATED_WORDS` lets a word of the mail also find a near-synonym at a lower weight ("мфу" finds "принтер").
Russian stems that differ only in their last letters ("подключа-ется", "подключ-иться") find each other at a
lower weight too, since Snowball leaves derivation alone.

The query is a mail: its first line is the subject, the rest the body. Greetings, the signature (from "С
уважением", "Best regards", "--" on), quoted lines and words of asking rather than of the problem ("проблема",
"срочно", "не работает") do not count.

Scores, 0..1: the share of the mail's weight that an article matches. Each term of the mail weighs its idf
(x1.5 in the subject, +25% a repeat up to two; x0.4 for a word no article has, nothing for such a word only ever
capitalised: a name) and counts in an article with its BM25F saturation: about 0.77 for a term in the title,
0.67 in the tags, 0.84 in both, 0.4 for one mention in a body of average length; a near match (a stem sibling,
a related word) counts x0.7 or x0.6 of that. So a mail whose every word is in an article's title scores about
0.8, and one of three equally weighty words, one of them once in the body, about 0.13. A mail of n > 6 counted terms
has its weight divided by sqrt(n / 6): long mails carry chatter, which should not drown their topic. Then the
article's factor: x0.7 in another language than the request's, x1.1 in the request's queue, x1.1 in its
category; the score is capped at 1. DEFAULT_THRESHOLD, 0.35, is roughly "the mail's main words in the article's
title or tags": of 62 hand-written mails to 28 articles, the 46 with a right article had it first at 0.38 or
more; of the 16 about something no article covers, 15 scored 0.34 or less.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Protocol

import snowballstemmer
from markdown_it import MarkdownIt

__all__ = [
    "DEFAULT_THRESHOLD",
    "Article",
    "KnowledgeIndex",
    "Suggestion",
    "parse_article",
    "summary_line",
]

# ---------------------------------------------------------------------------------------------- scoring knobs

DEFAULT_THRESHOLD = 0.35  # below this a suggestion is more likely noise than help; the scale is above

_K1 = 1.5  # BM25 saturation: a word's 2nd and 3rd occurrence add less and less
_TITLE_WEIGHT, _TAGS_WEIGHT, _BODY_WEIGHT = 5.0, 3.0, 1.0  # a word in the title says more than one in the body
_TITLE_B, _TAGS_B, _BODY_B = 0.3, 0.3, 0.75  # length normalisation: bodies vary in length, titles hardly do

_SUBJECT_WEIGHT = 1.5  # the subject of a mail names the problem more often than any sentence of its body
_REPEAT_BONUS, _REPEATS_COUNTED = 0.25, 2  # a term the mail repeats is more likely its topic: +25% a repeat, twice
_SHORT_MAIL = 6  # terms; a longer mail's weight is divided by sqrt(terms / 6), see the module's docstring
_PREFIX_WEIGHT = 0.7  # "подключается" finding "подключиться": likely the same thing, less certain
_RELATED_WEIGHT = 0.6  # "мфу" finding "принтер": related, not the same
_UNKNOWN_WEIGHT = 0.4  # a word no article has is as often chatter as topic: it lowers every score a little
_OTHER_LANG_FACTOR = 0.7  # an article in another language must match clearly better to be offered
_QUEUE_FACTOR = 1.1  # the request's queue or category matching the article's: a modest nudge, a tie-breaker
_CATEGORY_FACTOR = 1.1

_SLACK = 1 - 1e-9  # bounds are sums in another order than the scores: a hair of room for rounding
_PREFIX_MIN = 5  # shorter stems are too ambiguous to match by prefix
_SIBLING_MIN = 7  # stems sharing this many first letters may differ in their last two
_SUMMARY_MAX = 200
_LINE_MAX = 160

# ---------------------------------------------------------------------------------------------- vocabulary
# All words lower-case with "ё" folded to "е".

# Function words (after Snowball's Russian and English lists) and the politeness of mail; dropped before stemming.
_STOP_TEXT = """
    а алло б без более бы был была были было быть в вам вас ведь весь во вот впрочем все всегда всего всех всю
    вы где да даже два для до другой его ее ей ему если есть еще ж же за зачем здесь и из или им иногда их к как
    какая какие какой когда конечно кто куда ли либо лучше между меня мне много мной мог могу может можно мой
    моя мы на над надо наконец нас наш нам не него нее нельзя нет ни нибудь никогда ним них ничего но ну о об
    один однако он она они оно опять от очень перед по под после потом потому почему почти при про раз разве с
    сам свой свою себе себя сейчас снова со совсем так также такой там тебя тем теперь то тогда того тоже
    только том ту тут ты у уж уже хорошо хоть хотя чего чем через что чтоб чтобы чуть эта эти это этого этой
    этом этот эту я изза изпод
    здравствуйте здравствуй привет приветствую коллеги уважаемый уважаемая уважаемые спасибо благодарю
    пожалуйста подскажите помогите прошу заранее
    a about after again all also am an and any are as at be been being but by can cannot cant could couldn did
    didn do does doesn doing don dont for from had has hasn have haven having he her here hi him his how i id if
    im in into is isn it its ive just me more most my no nor not of off on once only or other our out over own
    please same she should shouldn so some such than that the their them then there these they this those
    through to too under until up very was wasn we were weren what when where which while who whom why will
    with won wont would wouldn you your yours t s m d ll ve re fw fwd
    hello hey dear thanks thank regards cheers
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())

# How mail asks rather than what it is about: stemmed, and then dropped like stop words. "Не работает X" is about X.
_FILLER_TEXT = """
    проблема проблемы проблему вопрос ситуация сегодня вчера утром утра пытаюсь пытался пишет пишут выдает
    делать сделать нужно нужен необходимо хочу хотел хотелось срочно работает работать
    problem issue question today yesterday morning try need want urgent asap help say says
"""

_PARTICLES = frozenset({"то", "либо", "нибудь", "ка", "таки"})  # "что-то", "кто-нибудь": the word before counts

# Spellings of one word, folded in articles and mail alike; the right side may be several words. Each entry is
# here because mail writes it so: product names in Cyrillic, slang, short forms, "ё"-less and Latin-c variants.
_VARIANT_SPELLINGS: dict[str, str] = {
    "впн": "vpn", "випиэн": "vpn",
    "аутлук": "outlook", "эксель": "excel", "ексель": "excel", "ворд": "word", "винда": "windows",
    "виндовс": "windows", "тимс": "teams", "зум": "zoom",
    "вайфай": "wifi", "имейл": "email", "емейл": "email", "мейл": "email",
    "комп": "компьютер", "пк": "компьютер", "ноут": "ноутбук",
    "пасс": "пароль", "пассворд": "пароль", "пасворд": "пароль", "pwd": "password", "passwd": "password",
    "1c": "1с",  # with a Latin "c"
    "зп": "зарплата", "расчетка": "расчетный лист", "payslip": "pay slip",
    "листок": "лист", "листка": "лист",  # the fleeting "о" Snowball keeps: "листок" / "листка"
    "почтовый": "почта", "гостевой": "гость",  # adjective and noun: Snowball keeps their stems apart
    "увольняюсь": "увольнение", "уволиться": "увольнение",  # verb and noun, likewise
}

# Near-synonyms: a word of the mail also finds the others of its group, at _RELATED_WEIGHT. Query side only, so
# an article about "отгул" still ranks above one about "отпуск" for a mail about "отгул".
_RELATED_WORDS: tuple[tuple[str, ...], ...] = (
    ("принтер", "мфу"),
    ("компьютер", "ноутбук"),
    ("отпуск", "отгул"),
    ("почта", "email"),
    ("командировка", "поездка"),
    ("гость", "посетитель"),
    ("printer", "mfp"),
    ("laptop", "notebook", "computer"),
    ("leave", "vacation", "holiday"),
    ("trip", "travel"),
)

# ---------------------------------------------------------------------------------------------- regexes

_FRONT_OPEN_RE = re.compile(r"---[ \t]*$")
_FRONT_CLOSE_RE = re.compile(r"(?:---|\.\.\.)[ \t]*$")
_KEY_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_ITEM_LINE_RE = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*$")
_LIST_ITEM_RE = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([^,"']*?))\s*(?:,|$)""")
_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")

_WORD_RE = re.compile(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*")
_ANY_CASE_WORD_RE = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*", re.I)
_CYRILLIC_RE = re.compile(r"[а-я]")
_LATIN_RE = re.compile(r"[a-z]")
_DIGIT_RE = re.compile(r"[0-9]")
_TO_CYRILLIC = str.maketrans("aceopxykmthb", "асеорхукмтнв")
_TO_LATIN = str.maketrans("асеорхукмтнв", "aceopxykmthb")

# Parts of addresses would read as words. A plain first letter lets `re` skip ahead fast (5x); the look-behind keeps
# the mail address linear, or every letter of every word would start a new attempt.
_URL_RE = re.compile(r"[hfwmHFWM](?i:ttps?://|tp://|ww\.|ailto:)\S+")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK_TARGET_RE = re.compile(r"\]\([^)\n]*\)")
_HTML_RE = re.compile(r"<[^>\n]{1,300}>|&(?:[a-zA-Z]+|#\d+);")

_SUBJECT_PREFIX_RE = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|ответ|отв|пересл)(?:\[\d+\])?\s*:\s*)+", re.I)
_TICKET_TAG_RE = re.compile(r"\[[A-Za-z]+-\d+\]")
_GREETING_RE = re.compile(
    r"(?i)\b(?:добр(?:ый|ое|ого)\s+(?:день|дня|утро|утра|вечер|вечера)|хорошего\s+дня|"
    r"good\s+(?:morning|afternoon|evening|day)|have\s+a\s+(?:nice|good|great)\s+day|thank\s+you)\b")
_SIGNOFF_RE = re.compile(
    r"\s*(?:--+\s*$|_{3,}|с уважением|с наилучшими пожеланиями|с благодарностью|всего (?:доброго|хорошего)|"
    r"best regards|kind regards|warm regards|regards\b|best wishes|sincerely|cheers\b|"
    r"sent from|отправлено (?:с|из|со)\b|get outlook for|-{2,}\s*(?:original message|исходное сообщение|"
    r"пересылаемое сообщение|forwarded message))")
_THANKS_LINE_RE = re.compile(r"\s*(?:заранее\s+)?(?:спасибо|благодарю|thanks|thank you|thx)[\s!.,)]*"
                             r"(?:заранее|in advance)?[\s!.,)]*$")

_FENCE_RE = re.compile(r" {0,3}(?:```|~~~)")
_NOT_PARAGRAPH_RE = re.compile(r" {0,3}(?:#|\||<|(?:[-*_] *){3,}$|=+ *$|\[[^\]]+\]:)")
_SENTENCE_END_RE = re.compile(r"[.!?…](?=\s+[\"«(\[0-9A-ZА-ЯЁ]|\s*$)")
_SPACES_RE = re.compile(r"\s+")

_MARKDOWN = MarkdownIt("commonmark").enable("table")  # a table is no paragraph to take a summary from


class _Stemmer(Protocol):
    """What we use of a Snowball stemmer (snowballstemmer ships no types)."""

    def stemWord(self, word: str) -> str: ...


_STEMMERS: dict[str, _Stemmer] = {"ru": snowballstemmer.stemmer("russian"), "en": snowballstemmer.stemmer("english")}
_STEM_LOCK = threading.Lock()  # Snowball stemmers keep their word in the object while they work

# ---------------------------------------------------------------------------------------------- articles

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

    problems: list[str] = []
    scalars: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    seen: set[str] = set()
    list_key: str | None = None  # a key with an empty value: "- item" lines below it are its items
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE_RE.match(line)
        if item is not None and list_key is not None:
            lists.setdefault(list_key, []).append(_unquoted(item.group(1)))
            continue
        m = _KEY_LINE_RE.match(line)
        if m is None:
            problems.append(f"line {number}: expected 'key: value', got {line.strip()[:40]!r}")
            list_key = None
            continue
        key, value = m.group(1).lower(), (m.group(2) or "")
        list_key = None
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

    listed = lists.keys() - {"tags"}
    wrong = [f"{key}: must be a single value, not a list" for key in sorted(listed)]  # each makes it unusable
    title = scalars.get("title", "")
    lang = scalars.get("lang", "").lower()
    queue = scalars.get("queue") or None
    category = scalars.get("category") or None
    slug = scalars.get("slug") or _slug_of(source)
    if not title and "title" not in listed:
        wrong.append("title: empty" if "title" in seen else "title: missing")
    if lang not in _LANGS and "lang" not in listed:
        wrong.append(f"lang: must be ru or en, not {scalars['lang']!r}" if "lang" in scalars else "lang: missing")
    if queue is None and category is None and not listed & {"queue", "category"}:
        wrong.append("queue or category: one is required")
    if "slug" in scalars and not _SLUG_RE.fullmatch(slug):
        wrong.append(f"slug: must be lower-case latin letters, digits and '-', not {slug!r}")
    elif "slug" not in scalars and "slug" not in listed and not _SLUG_RE.fullmatch(slug):
        wrong.append(f"slug: the file name {slug!r} is no valid slug; give one with 'slug:'")
    if wrong:
        return None, (*problems, *wrong)

    tags: list[str] = []
    for tag in lists.get("tags", ()):
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    body = "\n".join(lines[end + 1:]).strip("\n")
    summary = _SPACES_RE.sub(" ", scalars.get("summary", "")).strip() or _first_sentence(body) or title
    article = Article(slug=slug, title=title, lang=lang, queue=queue, category=category, tags=tuple(tags),
                      summary=summary, body=body, source=source)
    return article, tuple(problems)


def summary_line(article: Article) -> str:
    """Title and summary on one line of at most 160 characters, for the list of suggestions in a mail."""
    title = _SPACES_RE.sub(" ", article.title).strip()
    summary = _SPACES_RE.sub(" ", article.summary).strip()
    if not summary or summary.casefold().startswith(title.casefold().rstrip(".!?")):
        line = summary or title
    else:
        line = f"{title} — {summary}"
    return _shortened(line, _LINE_MAX)


# ---------------------------------------------------------------------------------------------- words


def _stem(word: str, lang: str) -> str:
    with _STEM_LOCK:
        return _STEMMERS[lang].stemWord(word)


def _raw_terms(text: str) -> list[str]:
    """Stemmed words without the variant and filler tables: what those tables themselves are built from."""
    out: list[str] = []
    for w in _WORD_RE.findall(text.lower().replace("ё", "е")):
        if w not in _STOP_WORDS:
            out.append(w if _DIGIT_RE.search(w) else _stem(w, "ru" if _CYRILLIC_RE.search(w) else "en"))
    return out


_VARIANTS = {key: tuple(_raw_terms(meant)) for spelling, meant in _VARIANT_SPELLINGS.items()
             for key in _raw_terms(spelling)}
_FILLER = frozenset(_raw_terms(_FILLER_TEXT))


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """The terms of one lower-cased, "ё"-folded word: several for some hyphenated words, none for a stop word."""
    if "-" in word:
        parts = [p for p in word.split("-") if p and p not in _PARTICLES]
        if not parts:
            return ()
        if _DIGIT_RE.search(word):  # a code, "2-ндфл": the code and its words
            words = (t for p in parts if len(p) >= 3 and not _DIGIT_RE.search(p) for t in _word_terms(p))
            return ("".join(parts), *words)
        if any(len(p) < 3 for p in parts):  # "wi-fi", "e-mail", "из-за"
            return _word_terms("".join(parts))
        return tuple(t for p in parts for t in _word_terms(p))
    if word in _STOP_WORDS:
        return ()
    if _DIGIT_RE.search(word):
        if word.isdigit() and len(word) < 3:  # dates, counts, list numbers
            return ()
        return _VARIANTS.get(word, (word,))
    cyrillic, latin = _CYRILLIC_RE.search(word), _LATIN_RE.search(word)
    if cyrillic and latin:  # a look-alike letter typed in the other layout: "пpинтер"
        cyr = sum(1 for c in word if "а" <= c <= "я")
        word = word.translate(_TO_CYRILLIC if cyr * 2 >= len(word) else _TO_LATIN)
        cyrillic, latin = _CYRILLIC_RE.search(word), _LATIN_RE.search(word)
        if cyrillic and latin:
            return (word,)
    if len(word) < 2 or word in _STOP_WORDS:
        return ()
    stem = _stem(word, "ru" if cyrillic else "en")
    if stem in _FILLER:
        return ()
    return _VARIANTS.get(stem, (stem,))


def _terms(text: str) -> list[str]:
    """The terms of a text in order, as the index has them."""
    out: list[str] = []
    for w in _WORD_RE.findall(text.lower().replace("ё", "е")):
        out.extend(_word_terms(w))
    return out


def _build_related() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = {}
    for group in _RELATED_WORDS:
        stems = {t for w in group for t in _terms(w)}
        for s in stems:
            table.setdefault(s, set()).update(stems - {s})
    return {k: tuple(sorted(v)) for k, v in table.items()}


_RELATED = _build_related()


def _without_addresses(text: str) -> str:
    """The text without links and mail addresses, whose parts ("corp", "example", "https") are no topic."""
    text = _URL_RE.sub(" ", text)
    return _EMAIL_RE.sub(" ", text) if "@" in text else text


def _body_text(article: Article) -> str:
    """The words of the body: link targets, addresses and HTML go; the rest of Markdown's syntax is punctuation."""
    text = _without_addresses(_LINK_TARGET_RE.sub("] ", article.body))
    return f"{_HTML_RE.sub(' ', text) if '<' in text or '&' in text else text}\n{article.summary}"


def _mail_parts(text: str) -> tuple[str, str]:
    """Subject and body of a query; quoted lines, the signature and everything below it go."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    subject = _TICKET_TAG_RE.sub(" ", _SUBJECT_PREFIX_RE.sub("", lines[0]))
    body: list[str] = []
    for line in lines[1:]:
        if line.lstrip().startswith(">"):
            continue
        low = line.lower()
        if body and (_SIGNOFF_RE.match(low) or _THANKS_LINE_RE.match(low)):
            break
        body.append(line)
    return subject, "\n".join(body)


@dataclass(frozen=True, slots=True)
class _MailTerm:
    """A term of a mail: its weight, and whether it was only ever capitalised (a name, a sentence's first word)."""

    weight: float
    capitalised: bool


def _mail_terms(text: str) -> dict[str, _MailTerm]:
    """The terms of a mail: the subject's weigh more, a repeated term a little more; greetings do not count."""
    found: dict[str, tuple[float, int, bool]] = {}
    subject, body = _mail_parts(text)
    for part, weight in ((subject, _SUBJECT_WEIGHT), (body, 1.0)):
        for m in _ANY_CASE_WORD_RE.finditer(_GREETING_RE.sub(" ", _without_addresses(part))):
            word = m.group()
            capital = word[0].isupper()
            for term in _word_terms(word.lower().replace("ё", "е")):
                old = found.get(term)
                found[term] = (weight, 1, capital) if old is None else (
                    max(old[0], weight), old[1] + 1, old[2] and capital)
    return {t: _MailTerm(w * (1.0 + _REPEAT_BONUS * min(n - 1, _REPEATS_COUNTED)), c)
            for t, (w, n, c) in found.items()}


# ---------------------------------------------------------------------------------------------- the index


def _field_counts(text: str) -> tuple[dict[str, int], int]:
    """Each term of a field with its count, and the field's length in terms; words are counted before stemming."""
    counts: dict[str, int] = {}
    length = 0
    for word, c in Counter(_WORD_RE.findall(text.lower().replace("ё", "е"))).items():
        for t in _word_terms(word):
            counts[t] = counts.get(t, 0) + c
            length += c
    return counts, length


def _add_all(scores: dict[int, float], entries: list[tuple[float, array[int], array[float]]]) -> None:
    """Add a term's contribution to every article that has it; one with several matches counts the best."""
    get = scores.get
    if len(entries) == 1:
        mass, ids, sats = entries[0]
        for d, s in zip(ids, sats, strict=True):
            scores[d] = get(d, 0.0) + mass * s
        return
    best: dict[int, float] = {}
    best_get = best.get
    for mass, ids, sats in entries:
        for d, s in zip(ids, sats, strict=True):
            v = mass * s
            if v > best_get(d, 0.0):
                best[d] = v
    for d, v in best.items():
        scores[d] = get(d, 0.0) + v


# A term of the mail as the search uses it: the best it can add to any score, and per indexed term it may match
# (itself, a prefix sibling, a related word) the mass it adds and its postings.
_Concept = tuple[float, list[tuple[float, "array[int]", "array[float]"]]]


class KnowledgeIndex:
    """An inverted index of articles, built once and only read after; `search` offers the articles for a mail."""

    __slots__ = ("_articles", "_by_slug", "_category", "_cyrillic", "_idf", "_lang", "_max_sat", "_postings",
                 "_queue", "_unknown_idf")

    def __init__(self, articles: list[Article], postings: dict[str, tuple[array[int], array[float]]]) -> None:
        """Use `build`; this takes the postings: term -> (article numbers ascending, saturated weights 0..1)."""
        self._articles = articles
        self._by_slug = {a.slug: a for a in articles}
        self._postings = postings
        n = len(articles)
        self._idf = {t: math.log(1.0 + (n - len(ids) + 0.5) / (len(ids) + 0.5)) for t, (ids, _) in postings.items()}
        self._max_sat = {t: max(sats) for t, (_, sats) in postings.items()}
        self._unknown_idf = math.log(1.0 + (n + 0.5) / 0.5)
        self._cyrillic = sorted(t for t in postings if "а" <= t[0] <= "я")
        self._lang = [a.lang for a in articles]
        self._queue = [a.queue.casefold() if a.queue else None for a in articles]
        self._category = [a.category.casefold() if a.category else None for a in articles]

    @classmethod
    def build(cls, articles: Iterable[Article]) -> KnowledgeIndex:
        """Index the articles; two with one slug are a mistake of the knowledge base and raise ValueError."""
        docs = list(articles)
        seen: dict[str, Article] = {}
        for a in docs:
            if a.slug in seen:
                raise ValueError(f"slug {a.slug!r} of {a.source} is taken by {seen[a.slug].source}")
            seen[a.slug] = a
        fields = [(_field_counts(a.title), _field_counts("\n".join(a.tags)), _field_counts(_body_text(a)))
                  for a in docs]
        n = max(len(docs), 1)
        avg = [max(sum(f[i][1] for f in fields) / n, 1.0) for i in range(3)]
        postings: dict[str, tuple[array[int], array[float]]] = {}
        for number, ((title, title_len), (tags, tags_len), (body, body_len)) in enumerate(fields):
            title_w = _TITLE_WEIGHT / (1.0 - _TITLE_B + _TITLE_B * title_len / avg[0])
            tags_w = _TAGS_WEIGHT / (1.0 - _TAGS_B + _TAGS_B * tags_len / avg[1])
            body_w = _BODY_WEIGHT / (1.0 - _BODY_B + _BODY_B * body_len / avg[2])
            tf: dict[str, float] = {t: c * body_w for t, c in body.items()}
            for t, c in tags.items():
                tf[t] = tf.get(t, 0.0) + c * tags_w
            for t, c in title.items():
                tf[t] = tf.get(t, 0.0) + c * title_w
            for t, x in tf.items():
                entry = postings.get(t)
                if entry is None:
                    entry = postings[t] = (array("i"), array("f"))
                entry[0].append(number)
                entry[1].append(x / (x + _K1))
        return cls(docs, postings)

    def articles(self) -> tuple[Article, ...]:
        """Every article, in the order indexed: for browsing by queue and tag."""
        return tuple(self._articles)

    def __len__(self) -> int:
        return len(self._articles)

    def get(self, slug: str) -> Article | None:
        return self._by_slug.get(slug)

    def _alternatives(self, term: str) -> list[tuple[str, float]]:
        """The indexed terms a mail's term may match, each with the confidence of that match."""
        idf = self._idf
        found = {term: 1.0} if term in idf else {}
        if len(term) >= _PREFIX_MIN and "а" <= term[0] <= "я":
            for k in range(max(_PREFIX_MIN, len(term) - 2), len(term)):  # "расчет" for "расчетн"
                if term[:k] in idf:
                    found.setdefault(term[:k], _PREFIX_WEIGHT)
            head = term[:_SIBLING_MIN]
            i = bisect.bisect_left(self._cyrillic, head)
            while i < len(self._cyrillic) and self._cyrillic[i].startswith(head):
                other = self._cyrillic[i]
                extends = other.startswith(term) and len(other) - len(term) <= 2  # "подключен" for "подключ"
                sibling = len(term) >= _SIBLING_MIN and len(other) >= _SIBLING_MIN and abs(len(other) - len(term)) <= 2
                if extends or sibling:
                    found.setdefault(other, _PREFIX_WEIGHT)
                i += 1
        for other in _RELATED.get(term, ()):
            if other in idf:
                found.setdefault(other, _RELATED_WEIGHT)
        return list(found.items())

    def _concepts(self, text: str) -> tuple[list[_Concept], float]:
        """The mail's terms ready to score, and the mail's total weight: the most any article could score."""
        idf, postings, max_sat = self._idf, self._postings, self._max_sat
        concepts: list[_Concept] = []
        total = 0.0
        counted = 0
        for term, mail_term in _mail_terms(text).items():
            weight = mail_term.weight
            alternatives = self._alternatives(term)
            if not alternatives:
                if not mail_term.capitalised:  # "Новосибирск", "Иван": names say nothing of the problem
                    total += weight * _UNKNOWN_WEIGHT * self._unknown_idf
                    counted += 1
                continue
            total += weight * max(idf[t] for t, _ in alternatives)  # a near match counts for less than the word
            counted += 1
            entries = [(weight * w * idf[t], *postings[t]) for t, w in alternatives]
            upper = max(weight * w * idf[t] * max_sat[t] for t, w in alternatives)
            concepts.append((upper, entries))
        if counted > _SHORT_MAIL:  # a long mail's chatter should not drown its topic: sqrt, not linear
            total *= math.sqrt(_SHORT_MAIL / counted)
        return concepts, total

    def search(self, text: str, *, lang: str | None = None, queue: str | None = None,
               category: str | None = None, limit: int = 3, threshold: float | None = None) -> list[Suggestion]:
        """Up to `limit` articles for a mail (subject line, then body), best first, scoring >= `threshold`.

        The scale of the scores is in the module's docstring; `lang`, `queue` and `category` are the request's.
        """
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        if limit <= 0 or not self._articles:
            return []
        concepts, total = self._concepts(text)
        if total <= 0.0 or not concepts:
            return []
        boost = _Boost(self._lang, self._queue, self._category, lang.lower() if lang else None,
                       queue.casefold() if queue else None, category.casefold() if category else None)
        top = boost.top
        need = threshold * total * _SLACK  # the raw score times the article's factor that a suggestion needs

        # MaxScore: terms strongest first, each added to every article that has it, while the terms left could
        # still lift an article not seen yet to `need` together. Then the articles seen are finished one at a time,
        # best first, each dropped as soon as it cannot make the list any more; `need` rises to the limit-th best
        # score so far, so a long mail of common words ends up looking into few articles.
        concepts.sort(key=lambda c: -c[0])
        rest = [0.0] * (len(concepts) + 1)
        for i in range(len(concepts) - 1, -1, -1):
            rest[i] = rest[i + 1] + concepts[i][0]
        scores: dict[int, float] = {}
        for i, (_, entries) in enumerate(concepts):
            if len(scores) >= limit and sum(len(ids) for _, ids, _ in entries) * 2 > len(scores):
                need = max(need, min(boost.kth_best(scores, limit), total) * _SLACK)  # worth a look at the best
            if rest[i] * top < need:
                scores = _finish(scores, concepts[i:], rest[i:], need, boost, limit, total)
                break
            _add_all(scores, entries)

        found: list[tuple[float, int]] = []
        for d, raw in scores.items():
            score = min(raw * boost.factor(d) / total, 1.0)
            if score >= threshold:
                found.append((score, d))
        found.sort(key=lambda x: (-x[0], x[1]))
        return [Suggestion(self._articles[d], round(s, 4)) for s, d in found[:limit]]


def _finish(scores: dict[int, float], concepts: list[_Concept], rest: list[float], need: float, boost: _Boost,
            limit: int, total: float) -> dict[int, float]:
    """Complete the scores on the remaining terms, best article first; those that cannot make the list are left out.

    `rest[j]` is the most `concepts[j:]` can add; `need` is what an article's score times its factor must reach.
    """
    bisect_left = bisect.bisect_left
    steps = [(rest[j], entries[0] if len(entries) == 1 else None, entries) for j, (_, entries) in enumerate(concepts)]
    done: dict[int, float] = {}
    best: list[float] = []  # the `limit` best finished scores times their factors, smallest first
    top = boost.top
    for d, v in sorted(scores.items(), key=itemgetter(1), reverse=True):
        if (v + rest[0]) * top < need:
            break  # nor any after it: they are sorted
        f = boost.factor(d)
        for left, single, entries in steps:
            if (v + left) * f < need:
                break
            if single is not None:  # the usual case, inline: a binary search in one posting list
                mass, ids, sats = single
                i = bisect_left(ids, d)
                if i < len(ids) and ids[i] == d:
                    v += mass * sats[i]
                continue
            add = 0.0  # the term's best match among its alternatives
            for mass, ids, sats in entries:
                i = bisect_left(ids, d)
                if i < len(ids) and ids[i] == d and mass * sats[i] > add:
                    add = mass * sats[i]
            v += add
        else:
            if v * f >= need:
                done[d] = v
                if len(best) < limit:
                    heapq.heappush(best, v * f)
                else:
                    heapq.heappushpop(best, v * f)
                if len(best) == limit:
                    need = max(need, min(best[0], total) * _SLACK)
    return done


@dataclass(frozen=True, slots=True)
class _Boost:
    """The factor of each article for one search: its language, queue and category against the request's."""

    langs: list[str]
    queues: list[str | None]
    categories: list[str | None]
    lang: str | None
    queue: str | None
    category: str | None

    @property
    def top(self) -> float:
        """The largest factor any article can have: a bound for what a partial score can still become."""
        return (_QUEUE_FACTOR if self.queue else 1.0) * (_CATEGORY_FACTOR if self.category else 1.0)

    def factor(self, doc: int) -> float:
        f = 1.0
        if self.lang is not None and self.langs[doc] != self.lang:
            f *= _OTHER_LANG_FACTOR
        if self.queue is not None and self.queues[doc] == self.queue:
            f *= _QUEUE_FACTOR
        if self.category is not None and self.categories[doc] == self.category:
            f *= _CATEGORY_FACTOR
        return f

    def kth_best(self, scores: dict[int, float], k: int) -> float:
        """A lower bound of the k-th best final score: the k-th best of the 4k best partial ones, with factors."""
        top = heapq.nlargest(4 * k, scores.items(), key=itemgetter(1))
        return sorted((v * self.factor(d) for d, v in top), reverse=True)[k - 1]

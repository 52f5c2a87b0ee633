"""Text to terms: the words of an article's fields and of a mail, as the index matches them.

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
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import snowballstemmer

from postdesk.routing.knowledge.articles import Article

_SUBJECT_WEIGHT = 1.5  # the subject of a mail names the problem more often than any sentence of its body
_REPEAT_BONUS, _REPEATS_COUNTED = 0.25, 2  # a term the mail repeats is more likely its topic: +25% a repeat, twice

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


class _Stemmer(Protocol):
    """What we use of a Snowball stemmer (snowballstemmer ships no types)."""

    def stemWord(self, word: str) -> str: ...


_STEMMERS: dict[str, _Stemmer] = {"ru": snowballstemmer.stemmer("russian"), "en": snowballstemmer.stemmer("english")}
_STEM_LOCK = threading.Lock()  # Snowball stemmers keep their word in the object while they work

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


# ~250 bytes an entry with its word: 20,000 recent words (~5 MB) hold a center's everyday vocabulary, while
# 200,000 let a daemon that reads years of mail (typos, codes, names) grow by ~50 MB (issue 19's memory target)
@lru_cache(maxsize=20_000)
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


RELATED = _build_related()


def _without_addresses(text: str) -> str:
    """The text without links and mail addresses, whose parts ("corp", "example", "https") are no topic."""
    text = _URL_RE.sub(" ", text)
    return _EMAIL_RE.sub(" ", text) if "@" in text else text


def body_text(article: Article) -> str:
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
class MailTerm:
    """A term of a mail: its weight, and whether it was only ever capitalised (a name, a sentence's first word)."""

    weight: float
    capitalised: bool


def mail_terms(text: str) -> dict[str, MailTerm]:
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
    return {t: MailTerm(w * (1.0 + _REPEAT_BONUS * min(n - 1, _REPEATS_COUNTED)), c)
            for t, (w, n, c) in found.items()}


def field_counts(text: str) -> tuple[dict[str, int], int]:
    """Each term of a field with its count, and the field's length in terms; words are counted before stemming."""
    counts: dict[str, int] = {}
    length = 0
    for word, c in Counter(_WORD_RE.findall(text.lower().replace("ё", "е"))).items():
        for t in _word_terms(word):
            counts[t] = counts.get(t, 0) + c
            length += c
    return counts, length

"""Sign-offs known by the sender's own name, in any language: the From header names the writer, so a last
paragraph that is a short closing line over that very name is their signature, whatever the closing's
words, and so is the name written right after a `--` with no blank between.

The closing formulas of signatures.py are a list (a convention per language); the lists will always lack
some ("Құрметпен,", "Με εκτίμηση,", "Trân trọng,"). The shape does not: a paragraph of its own at the end of
the writer's text, a line of at most three words ending in a comma, then the sender's name (two words or more,
each one of the From name's) and at most four short lines under it; in a script without letter case (Thai) the
comma may be missing. Thanks over the name ("Thanks,\\nAnna Berg", «Спасибо,\\nМарина Новикова») stays, as the
project decided (signatures.py: Discourse keeps it, the authored corpus accepts both ways); a colon line ("Booked
by:\\nJohn Smith") introduces what follows; the name written right after `--` may carry a title after a comma.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from postdesk.parsers.gratitude import _THANKS

_WORD_RE = re.compile(r"[^\W\d_]+")
_COMMAS = (",", "،", "，")  # Latin, Arabic, full-width
# "--Павел Орлов", "-Anna", "—Anna Berg", "-- John Carter, Facilities": one dash glued to the name (a bullet
# "- John Smith" is a list's), two or a long one with a blank or not
_DASHED_NAME_RE = re.compile(r"\s*+(?:-(?=[^\W\d_])|(?:--|—|–) ?+(?=[^\W\d_]))")


def _words(s: str) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFC", s).casefold())


@lru_cache(maxsize=512)
def _name_words(writer: str) -> frozenset[str]:
    """The words of the sender's name, folded (one From name serves many mails of a thread)."""
    return frozenset(_words(writer))


def _is_writer(line: str, names: frozenset[str], least: int) -> bool:
    """Whether the line is only (some of) the sender's name: `least` words or more, each a word of the name."""
    said = _words(line)
    return len(said) >= least and all(w in names for w in said) and not any(c.isdigit() for c in line)


def _caseless(line: str) -> bool:
    """A line written in a script without letter case and without sentence marks (Thai "ด้วยความเคารพ", Chinese,
    Hebrew): such scripts mark no closing with a comma, so its place over the name is what tells it."""
    if line[:1].lower() != line[:1].upper() or "\u0590" <= line[:1] <= "\u06ff":
        return False  # (a cased first letter; Hebrew and Arabic write the comma after a closing)
    return not any(c.isupper() or c.islower() or c in ".!?:;" for c in line)


def paragraph_before(lines: list[str], end: int) -> tuple[int, int]:
    """(start, end) of the last paragraph that ends at or before `end`: the blank lines before `end` skipped,
    then back to the blank line above; (0, 0) when there is none. The signature rules each read one so."""
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    return start, end


def named_signoff_start(lines: list[str], writer: str) -> tuple[int, str]:
    """Index in the writer's own `lines` where a sign-off carrying the sender's name starts, and the rule's name
    for `reply_cut`; (-1, "") when there is none, or no person's name is known."""
    start, end = paragraph_before(lines, len(lines))
    if not writer or not 1 <= end - start <= 6:
        return -1, ""
    first = lines[start].strip()
    dashed = first[:1] in "-—–" and _DASHED_NAME_RE.match(first)
    closing = end - start >= 2 and len(first) <= 40 and (first.endswith(_COMMAS) or _caseless(first))
    if not (dashed or closing) or any(len(lines[i]) > 70 for i in range(start, end)):
        return -1, ""  # (most mails end otherwise: the name is not looked at)
    if not any(lines[i].strip() for i in range(start)):
        return -1, ""  # the sign-off of a mail that says nothing else is all it says
    said = first[dashed.end():].split(",", 1) if dashed else []
    listed = any(lines[i].strip()[:1] == first[:1] for i in range(start + 1, end))  # a dashed list, not a name
    titled = len(said) < 2 or (not said[1].rstrip().endswith((".", "!", "?")) and len(said[1].split()) <= 5)
    if dashed and not listed and titled and _is_writer(said[0], _name_words(writer), 1 if len(said) == 1 else 2):
        return start, "signature-separator"  # "--Павел Орлов" over a title and a phone (tests/mail `*_sd737`)
    if (closing and first.count(" ") <= 2 and first[:1].isalpha() and not any(c.isdigit() for c in first)
            and _THANKS.isdisjoint(_words(first)) and not _listed_alphabet(first)
            and _is_writer(lines[start + 1], _name_words(writer), 2)):
        return start, "closing-formula"  # "Με εκτίμηση,\nΝίκος Γεωργίου" (tests/mail `*_sd724`, `*_sd728`, `*_sd731`)
    return -1, ""


def persons_name(name: str) -> bool:
    """A person's name as written in any script: two to four words of letters (an apostrophe, a hyphen, a dot or
    a vowel mark inside), each capitalised where the script has letter case ("Νίκος Γεωργίου", "Nguyễn Văn An",
    "יעל לוי", "สมชาย ใจดี").
    Whether it is a department's name instead ("IT Service Desk") is the caller's question."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(
        w[0].isalpha() and not w[0].islower() and all(c.isalpha() or c in ".'’-" or _mark(c) for c in w) for w in words)


def _mark(c: str) -> bool:
    """A combining mark: Thai, Hindi, Hebrew write vowels so ("ใจดี")."""
    return unicodedata.category(c).startswith("M")


_LISTED = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def _listed_alphabet(line: str) -> bool:
    """A line in Russian letters only: signatures._CLOSINGS knows the Russian closings, so a comma line it does not
    know ("Пока не работает," over the sender's name) is the writer's words, not an unknown closing."""
    return all(c in _LISTED for c in line.lower() if c.isalpha())

"""The attribution line of a reply ("On <date>, <name> wrote:") as a shape, in any language.

An attribution is one line, or up to five wrapped lines joined, that has

* an opener ("On", "Am", "Le", "El", "W dniu", "Вы писали", a weekday, a date) or starts with a date,
* a date or a time, and/or the quoted writer's address or name,
* and ends in a verb ("wrote", "schrieb", "написал(а)", "ha escrit", "pisze", …) or a colon.

Strong verbs end an attribution on their own; weak ones ("пишет", "writes", "pisze") are everyday words too
and need an address, or a date and a time. Without a known verb, a date or time, an address and at most
three words after it before the colon still make one ("El 19/03/2014 11:34, Juan <j@x> ha escrit:").
Needed for: discourse, email_reply_parser, willdurand (17 date-line variants, Catalan, Polish, wrapped
Italian/Dutch/English), quotequail, ru_replies_authored (Gmail/Yandex/Mail.ru/Thunderbird/Apple/The Bat!).
Split out of quotes.py, which classifies lines with it.
"""

from __future__ import annotations

import re

_MAX_LINE = 400  # only this much of a line is ever fed to a regex: no pathological backtracking

# "On <date>, <name> wrote:" and its cousins; checked on one line or on up to five joined lines.
# The attribution verbs, compared as words (faster and safer than one big regex): strong ones end an
# attribution; weak ones are also everyday words ("программа пишет:") and need a date and a time, or an address.
_STRONG_VERBS = frozenset((
    "wrote", "schrieb", "geschrieben", "écrit", "escribió", "escreveu", "scritto", "scrisse", "schreef", "geschreven",
    "skrev", "napisał", "napisała", "napisał(a)", "napsal", "napsala", "napsal(a)", "napísal", "napísal(a)",
    "написал", "написала", "написал(а)", "написав", "написав(ла)", "kirjoitti", "írta", "yazdı", "scrie", "escrit",
    # round 5 probes: el, sl/hr/bs, lv, lt, et, vi, he, ar, is, ca, bg, sr, kk, be
    "έγραψε", "napisal", "napisala", "napisao", "rakstīja", "rašė", "kirjutas", "viết", "כתב", "כתבה", "كتب",
    "skrifaði", "escriure", "написа", "написао", "жазды", "напісаў", "напісала",
))
_WEAK_VERBS = frozenset(("writes", "schreibt", "skriver", "пишет", "пише", "pisze",
                         # other verbs than "wrote": everyday words, so only with a date and a time or an address
                         "replied", "responded", "antwortete", "répondu", "ответил", "ответила", "ответил(а)",
                         "odpowiedział", "odpowiedziała", "menulis"))
_MID_VERBS = frozenset((  # "Am <date> schrieb <name>:", "<name> <addr> wrote on <date>:"
    "schrieb", "skrev", "schreef", "wrote", "napisał(a)", "napsal(a)", "написал(а)", "написал", "написала",
    "escribió", "écrit", "kirjoitti", "писали", "wrote",
))
_QUOTE_VERBS = _STRONG_VERBS | _WEAK_VERBS | {"写道"}
_SAID_RE = re.compile(r"(?:On|At)\s.{0,300}\s(?:said|says)\s*:?\s*$", re.I)
_CJK_VERBS = ("写道", "寫道", "작성", "のメッセージ")
_LAST_WORD_RE = re.compile(r"[^\W\d_]+(?:\([^\W\d_]{1,2}\))?$")
_EMAIL_TOKEN_RE = re.compile(r"[<(\[\"']*[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_OPENER_RE = re.compile(
    r"(?:On|At|In message|Am|Le|El|Il|Op|Em|Den|Dnia|Dňa|Dne|W dniu|Pe|På|Στις|Вы писали|You wrote)\s|在|\d|"
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|четверг|пятница|суббота|"
    r"воскресенье)",
    re.I,
)
_OPENER_WORD_RE = re.compile(
    r"(?:On|At|In message|Am|Le|El|Il|Op|Em|Den|Dnia|Dňa|Dne|W dniu|Pe|På|Στις|Вы писали|You wrote)\s|在", re.I)
_DATEISH_RE = re.compile(r"\b(?:19|20)\d\d\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}\s*年|\bGMT\b")
_DIGIT_RE = re.compile(r"\d")
_DOTTED_RE = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")  # an IP address ("9.2.26" is a date)
_TIME_RE = re.compile(r"\d{1,2}[:.h]\d{2}")
_DATE_START_EMAIL_RE = re.compile(
    r"(?:\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b.{0,200}<[^<>@\s]+@[^<>\s]+>\s*$"
)
# an address (bare or in <>) followed by at most three words and nothing else: the verb of an attribution
_VERB_AFTER_ADDRESS_RE = re.compile(r"@[\w.-]+\.\w+>?\)?(?:\s+[^\W\d_]{1,12}\.?){1,3}$")
_ISO_GMT_RE = re.compile(r"\d{4}-\d\d-\d\d \d{1,2}:\d\d GMT[+-]\d{1,2}:\d\d\b")
_ATTRIB_LEAD_RE = re.compile(r"[\s>*\-]*")
_HINT_VERBS = _STRONG_VERBS | _WEAK_VERBS | {"said", "says"}
_NAMEISH_RE = re.compile(r"[<@]|\b(?:schrieb|wrote|skrev|schreef)\b", re.I)  # a wrapped attribution's first line


def _last_token(s: str) -> str:
    """The last whitespace-separated token of `s` ("" when there is none)."""
    parts = s.rsplit(None, 1)
    return parts[-1] if parts else ""


def _last_verb(core: str) -> str:
    """The last word of `core` in lower case (letters only), or a CJK attribution verb it ends with."""
    if core.endswith(_CJK_VERBS):
        return "写道"
    if len(core) < 4 or not (core[-1].isalpha() or core[-1] == ")"):
        return ""  # every verb has four letters or more, and ends with a letter or "(a)"
    token = _last_token(core[-40:])
    if token.isalpha():
        return token.lower()
    m = _LAST_WORD_RE.search(token)
    return m.group(0).lower() if m else ""


def _attrib_hint(t: str) -> bool:
    """Cheap pre-test: could the stripped line `t` end (or be) an attribution?"""
    if t[0].isdigit() or "@" in t:
        return True
    verb = _last_verb(t.rstrip(" \t:：-"))
    if verb in _HINT_VERBS or verb == "写道":
        return True
    return t[-1] in ":：" and _DIGIT_RE.search(t) is not None


def _few_words_to_verb(core: str) -> bool:
    """Whether at most five words stand between the last date or time (else the opener) and the closing verb,
    the two right before it not both lower-case words: a name and an address do ("On Mon, 9 Feb 2026 at 10:15,
    Bob Smith <b@x> said", "…, jdoe said"); a sentence does not ("On 9 Feb 2026 at 10:15 the backup of the CRM
    failed again, the log says:", tests/mail `*_sd747`)."""
    last = max((m.end() for m in _TIME_RE.finditer(core)), default=0) or max(
        (m.end() for m in _DATEISH_RE.finditer(core)), default=0) or core.find(" ")
    words = core[last:].split()  # (the verb itself is the last of them)
    told = len(words) > 2 and all(w.isalpha() and w.islower() for w in words[-3:-1])  # "… the log says"
    return len(words) <= 6 and not told


def _is_attribution(s: str) -> bool:
    """True when `s` (one line or several joined) is an "On <date>, <name> wrote:" style attribution."""
    s = _ATTRIB_LEAD_RE.sub("", s, count=1).rstrip()
    if not s or len(s) > _MAX_LINE:
        return False
    if _ISO_GMT_RE.match(s) or _DATE_START_EMAIL_RE.match(s):
        return True
    core = s.rstrip(" \t:：-")
    verb = _last_verb(core)
    opener = bool(_OPENER_WORD_RE.match(s))
    email = "@" in s
    if verb in _STRONG_VERBS or verb == "写道":
        # "On <date>, <name> wrote:", "<name> <addr> wrote:", "<date>, <name> написал:" (a comma or quote
        # separates the date from the name; "In 2019 I wrote:" is not an attribution)
        return opener or email or (bool(_DATEISH_RE.search(s)) and ("," in s or '"' in s))
    if verb in _WEAK_VERBS:
        return email or bool(_DATEISH_RE.search(s) and _TIME_RE.search(s))
    if verb in ("said", "says"):
        return bool(_SAID_RE.match(s)) and _few_words_to_verb(core)
    if s[-1] in ":：" and not (opener or email):
        # "Bob Smith/ACME wrote on 09.02.2026 10:15:" (Lotus Notes): the verb inside, a date and a time
        return (_TIME_RE.search(s) is not None and _DATEISH_RE.search(s) is not None
                and not _MID_VERBS.isdisjoint(s.lower().split()) and _names_someone(s))
    if s[-1] in ":：":
        if not _MID_VERBS.isdisjoint(s.lower().split()):
            return True
        if email and len(s) <= 250 and _dated_and_named(s):
            return True  # an address, a date, a time and a name before a colon, whatever the verb ("… a scris:")
        if email and (opener or s[0].isdigit()) and _VERB_AFTER_ADDRESS_RE.search(core) and (
                _DATEISH_RE.search(s) or _TIME_RE.search(s)):
            return True  # "El 19/03/2014 11:34, Juan <juan@x> ha escrit:": a date, an address, a verb, a colon
        # Gmail/Yandex/Mail.ru without a verb: "<date>, <name> <addr>:"
        token = _last_token(core.rstrip(">)]\"' "))
        return (email and bool(_EMAIL_TOKEN_RE.fullmatch(token.rstrip(">)]\"'")))
                and bool(_DATEISH_RE.search(s) or _TIME_RE.search(s)))
    return False


# IBM/HCL Notes' collapsed history, as its HTML reads as text: "Desk ---09.02.2026 10:15:26---Hello Bob, …"
_NOTES_HEAD_RE = re.compile(r"[^\W\d_][^-\n]{0,80}?\s?---\s?\d[\d./-]{5,9}\s+\d{1,2}:\d\d(?::\d\d)?(?:\s?[AP]M)?\s?---")


def notes_head(t: str) -> bool:
    """True when the stripped line `t` opens with a name, then a date and a time framed by `---`: the head
    of an original as Notes shows it collapsed (tests/mail `en_notes_inline_history_dashes_sd352`)."""
    return _NOTES_HEAD_RE.match(t) is not None


def quote_lead(s: str) -> bool:
    """True when `s` -- a line ending in a colon, or up to three joined, that a quote block follows -- is the
    attribution of that quote in whatever language: it carries the quoted writer's address (with a date, or
    short), or a date and a time. The verb is not needed: "έγραψε:", "a scris:", "je napisao/la:", "ezt írta
    (időpont: …):", a right-to-left "מאת … <addr>:" all have this shape (tests/mail he_*, el_*, ro_*, hr_*, hu_*).
    A short line ending in a known verb needs neither ("Bob wrote:"): the quote below is the evidence.
    """
    if len(s) > 300:
        return False
    core = s.rstrip(" \t:：")
    if _last_verb(core) in _QUOTE_VERBS and len(core.split()) <= 8:
        return True  # "Bob wrote:", "Иван пишет:", "John Doe escribió:" right above the quote
    if "@" in s and _EMAIL_TOKEN_RE.search(s) and (_DIGIT_RE.search(s) or len(s.split()) <= 10):
        # a bare "<user@host>:" (a bounce's recipient above an SMTP transcript) names nobody: a wrapped
        # attribution's last line is joined with the line above it first
        return any(c.isalpha() for c in _EMAIL_TOKEN_RE.sub("", s))
    # a date and a time, and a name (a capitalised word after the first): "Error at 10:15 on 09.02.2026:"
    # above the log it quotes is the writer's own line; "mx.example.jp [192.0.2.45]:" has neither
    return _dated_and_named(s)


def orphan_head(line: str) -> bool:
    """True when the writer's last line is a quote's head with nothing under it: it ends in a colon and has the
    shape `quote_lead` asks of a line above a quote (the quoted writer's address, a date and a time and a name,
    or a short "Bob wrote:"). The HTML reader removed the `<blockquote>` under `Zitat von Desk <d@x>:` or
    `Desk <d@x> ezt írta (időpont: …):`, or a mobile client collapsed the quote; the writer's own text does not
    end in a colon that introduces nothing. An SMTP command's address (`… after RCPT TO:<a@x>:`, a bounce's last
    line) is no one's head."""
    t = line.strip()
    return t.endswith((":", "：")) and ":<" not in t and quote_lead(t)


def _dated_and_named(s: str) -> bool:
    """A date and a time that are not parts of an IP address ("198.51.100.18"), and
    a name: what an attribution in an unknown language still has ("În lun., 9 feb. 2026 la 10:15, Ana <a@x>
    a scris:"); a bounce's "SMTP error from remote mail server after RCPT TO:<a@x>:" has none of them."""
    if "." in s and _DOTTED_RE.search(s):
        s = _DOTTED_RE.sub(" ", s)
    return bool(_TIME_RE.search(s) and _DATEISH_RE.search(s)) and _names_someone(s)


def _names_someone(s: str) -> bool:
    """A word after the first starts with a capital, or with a letter of a script without case (a name) --
    unless a number follows it: then it is part of the date ("Monday 07.12.2026", "December 7", "Dez. 2026"),
    and "On Monday 07.12.2026 at 10:15 the printer stopped:" above a quoted error names nobody."""
    words = s.split()
    for word, after in zip(words[1:], [*words[2:], ""], strict=True):
        word = word.lstrip("\"'«“„(<[")
        if word[:1].isalpha() and not word[0].islower() and word[1:2].isalpha() and not after[:1].isdigit():
            return True  # ("I" is nobody's name)
    return False


def _could_end_attribution(t: str) -> bool:
    """Cheap test on the last line of a wrapped attribution: a verb, an address, a date or a time must be there."""
    core = t.rstrip(" \t:：-")
    if core and not core.strip("<>()[]\"' \t"):
        return True  # the closing ">:" of an address wrapped onto its own line
    verb = _last_verb(core)
    return bool(core) and ("@" in t or verb in _HINT_VERBS or verb == "写道"
                           or bool(_TIME_RE.search(t)) or bool(_DATEISH_RE.search(t)))


# the reply and the attribution on one line ("Sounds good. On Mon, … wrote:"): where the attribution may start
_GLUED_RE = re.compile(r"[.!?)]\s+(?=(?:On|Am|Le|El|Il|Op|Em|Den|Dnia|W dniu|Вы писали)\s|\d{1,2}[./ ])")


def split_glued_attribution(line: str) -> tuple[str, str] | None:
    """(own text, attribution) when `line` ends with an attribution glued to the writer's last sentence."""
    t = line.rstrip()
    if len(t) > _MAX_LINE or not t.endswith((":", "：")) or ("@" not in t and not _TIME_RE.search(t)):
        return None
    if _OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", t, count=1)):
        return None  # the line starts like an attribution ("Den 08/06/2015 kl. 21.21 skrev …:"): one piece
    for m in _GLUED_RE.finditer(t):
        head, tail = t[: m.start() + 1], t[m.end():]
        last = head.rsplit(None, 1)[-1] if head.strip() else ""
        if tail[:1].isdigit() and head[-1] == "." and len(last) < 5:
            continue  # "tir. 18. apr. 2017 …": an abbreviation, not the end of a sentence
        if head.strip() and _is_attribution(tail):
            return head, tail
    return None


_COLON_ENDS = frozenset(":： \t")  # a line that may end in a colon (trailing blanks are checked later)
GLUE_LAST = tuple(_COLON_ENDS)


def unglue_lines(lines: list[str]) -> list[str]:
    """Lines with an attribution glued to the writer's last sentence split in two (cheap test first)."""
    out: list[str] | None = None
    for i, line in enumerate(lines):
        if line[-1:] in _COLON_ENDS and len(line) > 30 and (split := split_glued_attribution(line)):
            out = out if out is not None else lines[:i]
            out.extend(split)
        elif out is not None:
            out.append(line)
    return lines if out is None else out


_NOTES_NAME_RE = re.compile(r"[^\W\d_]/[^\W\d_]|@")  # "John Smith/Sales/CORP", or an address


def dated_frame(s: str) -> bool:
    """A dash-framed line with a date, a time and the forwarder's Notes name or address: Lotus Notes' forward
    separator in any language ("----- Forwarded by John Smith/Sales/CORP on 02/09/2026 10:15 AM -----",
    «----- Переадресовано Иван Петров/Sales/CORP дата 09.02.2026 10:15 -----»). A dashed log line names no one."""
    t = s.strip()
    return (t.startswith("---") and t.endswith("---") and len(t) <= 200 and _NOTES_NAME_RE.search(t) is not None
            and _DATEISH_RE.search(t) is not None and _TIME_RE.search(t) is not None)

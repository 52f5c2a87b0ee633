"""The writer's own lines that look like the start of history, told apart by where they stand.

A marker of quoted history, a signature or a client's footer has a place in a mail: a header block opens a
paragraph of its own, a `-- ` signature ends the letter, an attribution heads an original, quoted or pasted.
The same words inside the writer's paragraph, or followed by more of the writer's request, are the writer's
(issue 15, the blind set tests/mail `*_sd334`-`*_sd349`: a phishing report quoting a `From:` line, command
output framed by `--`, "the printer wrote:"). Each test here looks at the neighbours of a line quotes.py
would cut at, so the cut itself stays one rule per marker; parsers/README.md names the tests that need each.
"""

from __future__ import annotations

import re

from postdesk.parsers.attribution import _DATEISH_RE, _MID_VERBS, _STRONG_VERBS, _TIME_RE, _WEAK_VERBS
from postdesk.parsers.fieldnames import DATE_FIELDS, is_record
from postdesk.parsers.linekinds import ATTRIB, EMPTY, FORWARD, HEADER, QUOTE, SIGSEP, TEXT, _classify, _norm
from postdesk.parsers.signatures import _DATA_LABEL_RE

_SENTENCE_END = (".", "!", "?", "…")
_MARKERS = frozenset((ATTRIB, FORWARD, HEADER, QUOTE, SIGSEP))
_SIGNATURE_SPAN = 12  # lines under a `--` that may still be a signature
_ALL_VERBS = _STRONG_VERBS | _WEAK_VERBS | _MID_VERBS


def asks_below(norm: list[str], kinds: list[str], i: int) -> bool:
    """True when the text under the `--` line at i asks a question before the next marker: a signature never
    asks the desk anything, so the `--` frames the writer's own output ("--\\nERROR: lock held\\n--")."""
    if "?" not in "".join(norm[i + 1:i + 1 + _SIGNATURE_SPAN]):
        return False  # (one scan in C for most signatures)
    for j in range(i + 1, min(len(kinds), i + 1 + _SIGNATURE_SPAN)):
        if kinds[j] in _MARKERS and kinds[j] != SIGSEP:
            return False
        if kinds[j] == TEXT and norm[j].rstrip().endswith("?") and asks(norm[j]):
            return True  # (a question that ends the line: a signature's "Need help? Call …" does not)
    return False


def asks(line: str) -> bool:
    """True when `line` asks a question (a "?" ending a sentence) and has five words or more: the writer asking,
    never a signature. A footer's "Need help? Visit https://…" names a link or an address and does not count."""
    t = line.rstrip()
    if not (t.endswith("?") or "? " in t) or len(t.split(None, 4)) <= 4:
        return False
    return "://" not in t and "@" not in t and "www." not in t


def mid_sentence(norm: list[str], kinds: list[str], i: int) -> bool:
    """True when the marker line at i (a forward separator, a rule) stands inside the writer's sentence: the
    writer's line above it does not end a sentence, and the next line below goes on in lower case
    ("… вставляется только строка\n\n-----Original Message-----\n\nбез полей «От» …", a form's blank line of
    underscores over "и при печати линии уходят за край"). A client's separator heads a header block or the
    original (`From:`, a date, a capitalised greeting) or is dated itself; a footer's rule ends the letter and
    asks nothing (quotes.py asks for a question below a rule too) (tests/mail
    `ru_question_about_original_message_line_sd535`, `ru_form_underscore_blanks_and_rule_sd544`)."""
    if "@" in norm[i] or _TIME_RE.search(norm[i]):
        return False  # a dated head ("---- On <date> <name> wrote ----", Zoho) is a client's whatever follows
    above, below = i - 1, i + 1
    while above >= 0 and not norm[above].strip():
        above -= 1
    while below < len(norm) and not norm[below].strip():
        below += 1
    if above < 0 or below >= len(norm) or kinds[above] != TEXT or kinds[below] != TEXT:
        return False
    if norm[above].rstrip().endswith((*_SENTENCE_END, ":")):
        return False
    word = norm[below].split(None, 1)[0]
    return word.isalpha() and word.islower()


_SENTENCE_IN_RE = re.compile(r"[^\W\d_]{2,}[.!?]\s+[^\W\d_]")  # a sentence ends inside the line, another starts


def cites_below(norm: list[str], kinds: list[str], j: int) -> bool:
    """True when the quote line j belongs to a last `>` block that the writer's own line ending in a colon
    introduces (empty lines between allowed), in a text with no attribution, separator or header block: a
    new request citing a log or a message with `>` at its end ("The log says:\n\n> Feb 10 … status=bounced",
    tests/mail `en_postfix_log_cited_with_gt_at_the_end_sd532`). The colon line goes on from the writer's
    sentence; a reply's quoted history has its client's head, even one no list knows, as a short paragraph of
    its own, or stands under the writer's finished sentence or name."""
    if ATTRIB in kinds or FORWARD in kinds or HEADER in kinds:
        return False
    while j >= 0 and kinds[j] == QUOTE:
        j -= 1
    while j >= 0 and not norm[j].strip():
        j -= 1
    if j < 0 or kinds[j] != TEXT or not (t := norm[j].rstrip()).endswith((":", "：")):
        return False
    # the writer's words go on from a sentence ("… or\ncheck our SPF? The log says:", "Выгрузка падает, в логе:");
    # a head in a language the verb lists lack ("Desk έγραψε:", "Zitat von Desk:") is a paragraph of a few words
    return (j > 0 and kinds[j - 1] == TEXT) or ", " in t or _SENTENCE_IN_RE.search(t) is not None


def inside_paragraph(norm: list[str], kinds: list[str], i: int, end: int) -> bool:
    """True when the header lines i..end-1 sit inside the writer's paragraph: a sentence of the writer's right
    above (no empty line, rule or title between) and more text right below. A client writes a header block
    as a paragraph of its own, with an empty line (or a rule) above and under it; the writer citing a mail
    ("Сегодня пришло письмо, похожее на фишинг.\\nОт: «Банк» <noreply@…>\\nТема: …\\nВ письме просят …")
    does not."""
    if not i or end >= len(kinds) or kinds[i - 1] != TEXT or kinds[end] != TEXT:
        return False
    return norm[i - 1].rstrip().endswith(_SENTENCE_END)


def unattested(norm: list[str], kinds: list[str], i: int, j: int) -> bool:
    """True when the attribution lines i..j-1, with no quote below them, name neither an address nor a date
    or a time: "on Monday the printer on the 3rd floor wrote:" over the printer's message is the writer's.
    An original pasted unquoted is trusted only under a head that says whose and when; a bare "Bob wrote:"
    needs the quote marks below it."""
    head = " ".join(norm[x] for x in range(i, j) if kinds[x] == ATTRIB)
    if "@" in head:
        return _narrated(head)
    if head.rstrip(" \t:：").lower().endswith((" says", " said")):
        return not _greets(norm, j)  # "… Veeam says:" over its message; over "Hello Tom," a client's pasted letter
    return (_DATEISH_RE.search(head) is None and _TIME_RE.search(head) is None) or (
        _told_by_the_writer(head) and not _greets(norm, j))


# the words a letter's greeting opens with ("Hello Tom,", «Добрый день!»): quotes._GREETING_RE's, and _greets'
GREETING_WORDS = (r"hi|hello|hey|dear|good\s|здравствуй|добр|привет|уважаем|коллеги|hallo|guten|bonjour|salut|hola|"
                  r"buon|ciao|hej|cześć|dzień dobry|dobrý den")
_GREETING_WORD_RE = re.compile(rf"\s*(?:{GREETING_WORDS})", re.I)  # a program's message greets no one


def _greets(norm: list[str], j: int) -> bool:
    """Whether the paragraph under a head (from line j) opens with a greeting: a letter pasted under its client's
    head ("IT Service Desk said:" / "Hello Tom,", review O), where a program's message greets no one."""
    first = next((t for t in norm[j:j + 3] if t.strip()), "")
    return _GREETING_WORD_RE.match(first) is not None


def _told_by_the_writer(head: str) -> bool:
    """True when a dated head without an address, over no quote, has lower-case words between its time and the verb
    that ends it, a word of a sentence and a short one ("при", "the"): the writer tells what a program said and
    when ("Сегодня, 10.02.2026 в 09:05, 1С при запуске пишет:", tests/mail `ru_1c_pishet_with_date_own_words_sd533`).
    A client puts the writer's name there ("Служба поддержки", "Georges du chemin a écrit"), or an address, or the
    verb first ("Den … kl. 21.21 skrev Test user:")."""
    words = head.rstrip(" \t:：").split()
    if len(words) < 3 or words[-1].lower() not in _ALL_VERBS:
        return False
    times = list(_TIME_RE.finditer(head))
    if not times:
        return False
    between = _WORD_RE.findall(head[times[-1].end():head.rstrip(" \t:：").rfind(words[-1])])
    if not between or between[0][:1].isupper():
        return False  # a name first ("Georges du chemin a écrit", willdurand): the client's
    said = [w for w in between if w.islower()]
    return any(len(w) >= 4 for w in said) and any(len(w) <= 3 for w in said)  # "1С при запуске", "the backup job"


_QUOTED_NAME_RE = re.compile(r"«[^»]{0,80}»|\"[^\"]{0,80}\"|“[^”]{0,80}”")
_LOWER_WORD_RE = re.compile(r"[^\W\d_]{4,}")
_WORD_RE = re.compile(r"\w+")  # a word or a number ("1С" starts no name)


def _narrated(head: str) -> bool:
    """True when a verbless attribution with an address (no quote below) tells of the mail in the writer's words:
    a client goes from the time straight to the name ("пн, 9 февр. 2026 г. в 10:15, Имя <a@x>:", Mail.ru's
    "10:15 +03:00 от Имя <a@x>:"); "… в 10:15 пришло письмо от «Банк» <a@x>:" has two lower-case words of four
    letters or more between them, outside quotes (tests/mail `ru_gmail_shaped_own_words_bank_notice_sd440`).
    An attribution with a verb ("… wrote:") is a client's whatever stands between."""
    core = head.rstrip(" \t:：")
    if not core.endswith((">", ")")) or not _ALL_VERBS.isdisjoint(core.lower().split()):
        return False  # ("Den 08/06/2015 kl. 21.21 skrev Test user <t@x>:", willdurand: the verb in the middle)
    at = head.rfind("<") if "<" in head else head.rfind("(")
    times = list(_TIME_RE.finditer(head, 0, at))
    if not times:
        return False
    between = _QUOTED_NAME_RE.sub(" ", head[times[-1].end():at])
    return sum(1 for w in _LOWER_WORD_RE.findall(between) if w.islower()) >= 2


DATE_LABELS = frozenset(x.lower() for x in DATE_FIELDS.split("|"))  # "date", "дата", … (not Outlook's "Sent")
_CLOCK_RE = re.compile(r"(?<![\d.])\d{1,2}(?::\d\d|[.h]\d\d(?![.\d]))")  # "10:15", "10.15"; not "05.02.2026"


def undated(norm: list[str], dates: list[tuple[int, int]]) -> bool:
    """True when none of a header block's `Date:` fields (line, end of its label) gives a time: a client dates a
    mail it quotes or forwards to the minute ("Дата: 09.02.2026 10:15 (GMT+03:00)"); a memo or form the writer
    asks about gives a day ("От: ООО «Ромашка»\nКому: …\nДата: 05.02.2026\nТема: …"). Outlook's `Sent:` is
    not asked: Discourse's `*Sent:* 2016-01-27` heads history."""
    return not any(_CLOCK_RE.search(norm[x], at) for x, at in dates)


_ITEM_RE = re.compile(r"\s*+(\d{1,3})[.)]\s")  # "1. …", "2) …": a numbered list's item
_LETTER_ITEM_RE = re.compile(r"\s*([a-zа-я])\)\s", re.I)  # "а) …", "b) …": a lettered list's item


def _next_letter(norm: list[str], above: int, below: int) -> bool:
    """Whether the line below is the lettered item after the one above («а) …» then «б) …»)."""
    a, b = _LETTER_ITEM_RE.match(norm[above]), _LETTER_ITEM_RE.match(norm[below])
    return a is not None and b is not None and ord(b.group(1).lower()) == ord(a.group(1).lower()) + 1


def _form_field(line: str) -> bool:
    """A short field of a form ("Кабинет: 305"), not a footer's first line that has a label too: a list's address
    ("Mailing list: x@…"), a link, or a disclaimer's long sentence ("Confidentiality Notice: This e-mail …")."""
    return len(line) <= 80 and "@" not in line and "://" not in line and is_record(line)


def list_goes_on(norm: list[str], kinds: list[str], i: int) -> bool:
    """True when the line at i stands between two items of the writer's numbered list: the last text line above
    is item N, the first below item N+1 ("1. The scanner jams.\\n__________\\n\\n2. The monitor …"), or lettered
    items «а) …» / «б) …», or two fields of a form the writer fills in ("ФИО гостя: …" / "Организация: …"), or a
    numbered item over a form's field that is no contact line («2. Модем 4G.» / «Подпись руководителя: …»). A rule
    drawn between the items divides the writer's list; a list footer does not go on counting (tests/mail
    `en_own_short_underscore_rule_between_items_sd746`)."""
    above = next((j for j in range(i - 1, max(i - 4, -1), -1) if kinds[j] != EMPTY), -1)
    below = next((j for j in range(i + 1, min(i + 4, len(kinds))) if kinds[j] != EMPTY), -1)
    if above < 0 or below < 0 or kinds[below] != TEXT:
        return False
    if kinds[above] == TEXT and ((is_record(norm[above]) and _form_field(norm[below]))
                                 or _next_letter(norm, above, below)):
        return True  # a form's fields ("ФИО гостя: …" / "Организация: …") or items «а) …» / «б) …» ruled apart
    m, n = _ITEM_RE.match(norm[below]), None
    for j in range(above, max(above - 30, -1), -1):  # the item above may run over a few lines
        if kinds[j] != TEXT:
            break
        if n := _ITEM_RE.match(norm[j]):
            break
    if n is not None and m is None and _form_field(norm[below]) and _DATA_LABEL_RE.match(norm[below]):
        return True  # the list, then the form's field under the rule («2. Модем 4G.» / «Подпись руководителя: …»)
    return m is not None and n is not None and int(m.group(1)) == int(n.group(1)) + 1


_TAG_RE = re.compile(r"\[([^\W\d_][^\W\d_.]{0,2}\.?(?:[^\W\d_]\.?){0,2})\]")  # "[MK]", «[Б.Ш.]»: initials


def tagged_answers(norm: list[str], kinds: list[str], own: list[int], cut: int, writer: str = "") -> list[int]:
    """Lines of the history from `cut` on that carry the tag the writer names in their own text: initials in
    brackets, in capitals ("Answers below in [MK]." over the original, unquoted, with "- the start date [MK] 2
    March" typed into it). Outlook users answer inside the original so and mark each answer; without the tag
    named above, a bracketed word in the history is the history's (tests/mail `*_sd744`)."""
    tags = {m.group(0) for i in own if kinds[i] == TEXT and "[" in norm[i] for m in _TAG_RE.finditer(norm[i])
            if m.group(1).isupper()}
    initials = {w[0].upper() for w in writer.split() if w[:1].isalpha()}
    if initials:  # the tag is the writer's own initials ([MK] for Mark King, [ИП] for Игорь Павлов)
        tags = {t for t in tags if {c for c in t if c.isalpha()} == initials}
    if not tags:
        return []
    return [j for j in range(cut, len(kinds)) if kinds[j] == TEXT and any(t in norm[j] for t in tags)]


def with_marked_answers(text: str, full: str, writer: str = "") -> str:
    """`text`, the reply cut from an HTML part where the original went with its markup, followed by the lines of
    the whole HTML's text below it that carry the tag `text` names (tagged_answers: Outlook's answers typed into
    the original, tests/mail `ru_outlook_html_only_answers_marked_initials_sd757`)."""
    if "[" not in text:
        return text
    lines = full.split("\n")
    norm = [_norm(x) for x in lines]
    own = {x.strip() for x in text.split("\n") if x.strip()}
    kept = [i for i, x in enumerate(norm) if x.strip() in own]
    answers = tagged_answers(norm, _classify(norm), kept, kept[-1] + 1, writer) if kept else []
    return text + "".join(f"\n\n{lines[j].strip()}" if j == answers[0] else f"\n{lines[j].strip()}" for j in answers)


def unheaded_original(norm: list[str], kinds: list[str], i: int) -> bool:
    """Whether a bare "Original Message" line (BlackBerry's, no dashes) has no header block under it: then the line
    is the writer's ("В теле только строка:\nOriginal Message\nи больше ничего")."""
    if not norm[i].strip().lower().startswith("original message") or norm[i].rstrip().endswith(":"):
        return False
    j = i + 1
    while j < len(kinds) and kinds[j] == EMPTY:
        j += 1
    return j >= len(kinds) or kinds[j] != HEADER

"""Every line of a reply gets a kind: text, empty, `>` quote, attribution, forward separator, header field,
mobile footer, signature separator, rule, punctuation-only delimiter.

The kinds are decided here, line by line and then with their neighbours (an attribution wrapped over up to
five lines, a quote that lost its `>` when re-wrapped); quotes.py reads the sequence of kinds to find where the
writer's own text ends. Split from quotes.py so each of the two is read whole; html_quotes.py shares the
header patterns. Regexes see at most `_MAX_LINE` characters of a line and use no nested quantifiers.
"""

from __future__ import annotations

import re

from postdesk.parsers.attribution import (
    _ATTRIB_LEAD_RE,
    _DATEISH_RE,
    _MAX_LINE,
    _NAMEISH_RE,
    _OPENER_RE,
    _TIME_RE,
    _attrib_hint,
    _could_end_attribution,
    _is_attribution,
    dated_frame,
    notes_head,
    quote_lead,
)
from postdesk.parsers.fieldnames import DATE_FIELDS as _DATE_FIELDS
from postdesk.parsers.fieldnames import FROM_FIELDS as _FROM_FIELDS
from postdesk.parsers.fieldnames import SENT_FIELDS as _SENT_FIELDS
from postdesk.parsers.fieldnames import SUBJECT_FIELDS as _SUBJECT_FIELDS
from postdesk.parsers.fieldnames import TO_FIELDS as _TO_FIELDS
from postdesk.parsers.footers import glued_footer, is_mobile, maybe_mobile

# zero-width characters, and the bidi marks a right-to-left client puts around an address (Gmail he/ar)
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = str.maketrans({"\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u2060": "", "\xa0": " ",
                            **{c: "" for c in _BIDI}})

EMPTY, TEXT, QUOTE, ATTRIB, FORWARD, HEADER, MOBILE, SIGSEP, RULE, DELIM = "etqbfhmsud"

_QUOTE_RE = re.compile(r"\s*+(?:>|[^\W\d_]{1,12}>(?=\s|$))")  # "ИП>": The Bat! quotes with the initials
_SMTP_SENT_RE = re.compile(r"(?:RCPT|MAIL|DATA|QUIT|EHLO|HELO|RSET|STARTTLS|AUTH|BDAT)\b")  # ">>> RCPT TO:<…>"
_SIGSEP_RE = re.compile(r"\s*+--\s*+$")
_RULE_RE = re.compile(r"\s*+_{5,}+\s*+$")  # Outlook's separator above a header block, or a list footer
_DELIM_RE = re.compile(r"\s*+[-_=+~#*•·.,ᐧ—–─━═＝]++\s*+$")  # (box rules: Japanese signatures' frames)
_FENCE_RE = re.compile(r"\s*+(?:```|~~~)")

_FORWARD_RE = re.compile(
    r"[\s>*]*+(?:"
    r"-{2,}\s*(?:Forwarded message|Original Message|Reply Message|Message transféré|Message d'origine"
    r"|Ursprüngliche Nachricht|Weitergeleitete Nachricht|Originalnachricht|Mensaje original|Mensaje reenviado"
    r"|Messaggio originale|Messaggio inoltrato|Mensagem original|Mensagem encaminhada|Oorspronkelijk bericht"
    r"|Doorgestuurd bericht|Origineel bericht|Oprindelig meddelelse|Videresendt meddelelse|Opprinnelig melding"
    r"|Videresendt melding|Ursprungligt meddelande|Vidarebefordrat meddelande|Wiadomość oryginalna"
    r"|Oryginalna wiadomość|Przekazana wiadomość|Wiadomość przekazana|Původní zpráva|Přeposlaná zpráva"
    r"|Původní e-mail|Исходное сообщение|Пересылаемое сообщение|Пересланное сообщение|Исходное письмо"
    r"|Перенаправленное сообщение|Переадресованное сообщение"
    r"|Оригинальное сообщение|Переслане повідомлення|Оригінальне повідомлення|Вихідне повідомлення"
    r"|原始邮件|原始郵件|转发的邮件|転送メッセージ|元のメッセージ|원본 메시지|전달된 메시지)\s*-{2,}"
    r"|Begin forwarded message\s*:|(?:Forwarded|Original) message\s*:?\s*$|Début du message (?:transféré|réexpédié)\s*:"
    r"|Anfang der weitergeleiteten Nachricht\s*:|Inicio del mensaje reenviado\s*:|Início da mensagem reencaminhada\s*:"
    r"|Начало (?:пересылаемого|переадресованного) сообщения\s*:|Original Message processed by\b"
    r")",
    re.I,
)

_FORWARD_END_RE = re.compile(
    r"[\s>*]*+-*+\s*+(?:End of forwarded message|Конец пересылаемого сообщения|Fin du message transféré"
    r"|Ende der weitergeleiteten Nachricht)\s*-*\s*$", re.I
)
_HEADER_RE = re.compile(
    rf"[\s>]*+\*{{0,2}}+\s*+({_FROM_FIELDS}|{_SENT_FIELDS}|{_SUBJECT_FIELDS}|{_DATE_FIELDS}|{_TO_FIELDS})"
    r"\s*+\*{0,2}+\s*+[:：]", re.I
)
_FROM_RE = re.compile(rf"(?:{_FROM_FIELDS})$", re.I)
_WHEN_FIELD_RE = re.compile(rf"(?:{_SENT_FIELDS}|{_SUBJECT_FIELDS})$", re.I)

_QUOTE_LEVEL_RE = re.compile(r"[ \t]*> ?")
_PUNCT = frozenset("-_=+~#*•·.,ᐧ—–─━═＝")
_INVISIBLE_RE = re.compile(f"[\u200b\u200c\u200d\ufeff\u2060\xa0{_BIDI}]")


def _norm(line: str) -> str:
    """The part of a line that classification looks at: capped, invisible characters removed."""
    return line[:_MAX_LINE].translate(_INVISIBLE)


def _classify_one(s: str) -> str:
    """Kind of one normalised line, without looking at its neighbours (cheap tests first: most lines are text)."""
    t = s.strip()
    if not t:
        return EMPTY
    c, last = t[0], t[-1]
    if c == ">":
        if t.startswith(">>> "):
            if _SMTP_SENT_RE.match(t, 4):
                return TEXT
            if t.endswith(" >>>") and _TIME_RE.search(t) and ("@" in t or _DATEISH_RE.search(t)):
                return ATTRIB  # GroupWise: ">>> Desk <desk@x> 2/9/2026 10:15 AM >>>" over the original, unquoted
        return QUOTE
    if c in _PUNCT:
        if _SIGSEP_RE.match(s):
            return SIGSEP
        if _RULE_RE.match(s):
            return RULE
        if _FORWARD_RE.match(s) or (c == "-" and dated_frame(s)):  # (Notes: "----- Forwarded by … on <date> -----")
            return FORWARD
        if _DELIM_RE.match(s) or _FORWARD_END_RE.match(s):
            return DELIM
    elif (last in ":：" or t.startswith(("Original Message", "Begin forwarded"))) and _FORWARD_RE.match(s):
        return FORWARD
    if c.isalpha() and ">" in t[1:13] and _QUOTE_RE.match(s):  # "Name>" quotes: the ">" comes by the 13th
        return QUOTE
    if len(t) <= 160:
        if (":" in t[:40] or "：" in t[:40]) and _HEADER_RE.match(s):
            return HEADER
        if len(t) <= 120 and maybe_mobile(t) and is_mobile(t, s):
            return MOBILE
    if _attrib_hint(t) and _is_attribution(s):
        return ATTRIB
    return TEXT


def _classify(norm: list[str]) -> list[str]:
    """Kinds of all lines; code fences are text, attributions wrapped over several lines are joined, then the
    passes that need a line's neighbours. The main loop notes which lines each pass may look at."""
    kinds: list[str] = []
    ends: list[int] = []  # lines that may end an attribution wrapped over several lines
    ats: list[int] = []  # lines with an address (a header block's first line)
    fenced = pipes = False
    add, one = kinds.append, _classify_one  # locals: this loop runs once per line of every mail
    whole = "".join(norm)  # one scan each for "@", "|" and a fence spares most mail the per-line tests
    any_at, any_pipe, any_fence = "@" in whole, "|" in whole, "```" in whole or "~~~" in whole
    any_dashes = "---" in whole  # Notes' collapsed head "Desk ---09.02.2026 10:15:26---Hello …"
    for j, s in enumerate(norm):
        if any_fence and ("```" in s or "~~~" in s) and _FENCE_RE.match(s):
            fenced = not fenced
            add(TEXT)
            continue
        t = s.rstrip()
        if fenced:
            add(TEXT if t else EMPTY)
            continue
        add(one(s))
        if any_dashes and kinds[-1] == TEXT and "---" in s and notes_head(s.strip()):
            kinds[-1] = ATTRIB
        if t and ((last := t[-1]) in ":：-" or (last in "eb" and t.endswith(("wrote", "schrieb")))):
            ends.append(j)
        if any_at and "@" in s:
            ats.append(j)
        if any_pipe and s[:1] == "|":
            pipes = True
    if "<http" in whole:  # a footer with a store link glued on ("Outlook für iOS<https://…> beziehen")
        kinds[:] = [MOBILE if k == TEXT and "<http" in s and glued_footer(s.strip()) else k
                    for s, k in zip(norm, kinds, strict=True)]
    _join_wrapped(norm, kinds, ends)
    if pipes:
        _mark_pipe_quotes(norm, kinds)
    if QUOTE in kinds:
        _mark_quote_leads(norm, kinds, ends)
    if ats:
        _mark_label_blocks(norm, kinds, ats)
        _mark_name_date_heads(norm, kinds, ats)
    if HEADER in kinds:
        _mark_forward_leads(norm, kinds)
    if MOBILE in kinds:
        _mend_mobile(norm, kinds)
    _mend_quotes(norm, kinds)
    return kinds


def _mend_mobile(norm: list[str], kinds: list[str]) -> None:
    """A footer line inside a sentence is the writer's words: "… every mail ends with the line\nSent from my
    iPhone\nalthough I write …" -- text on the line above and a lower-case continuation below. A client's
    footer stands in a paragraph of its own or under the name, never in the middle of a sentence."""
    j, last = -1, len(kinds) - 1
    for _ in range(kinds.count(MOBILE)):  # the footer lines only, found in C
        j = kinds.index(MOBILE, j + 1)
        if j > 0 and kinds[j - 1] == TEXT and norm[j - 1].rstrip().endswith((":", "：")):
            kinds[j] = TEXT  # "install the app:\nDownload X for iOS: <link>": what the writer points to
        elif 0 < j < last and kinds[j - 1] == TEXT and kinds[j + 1] == TEXT:
            below = norm[j + 1].lstrip()
            if below[:1].islower() and not below.startswith(("http", "www.")):
                kinds[j] = TEXT


def _join_wrapped(norm: list[str], kinds: list[str], ends: list[int]) -> None:
    """An attribution wrapped over up to five lines, ending at one of `ends`, becomes attribution lines."""
    for j in ends:
        s = norm[j]
        t = s.rstrip()
        if not j or (kinds[j] == ATTRIB and _OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", s, count=1))):
            continue  # nothing above, or complete on its own line
        if kinds[j] == QUOTE and len(_QUOTE_RE.sub("", t, count=1).strip()) > 25:
            continue  # only a bare "> wrote:" may end an attribution that started above the quote
        if not _could_end_attribution(t):
            continue
        best, gap = -1, False
        for k in range(1, 5):
            i = j - k
            if i < 0 or kinds[i] in (ATTRIB, FORWARD, SIGSEP, RULE, QUOTE, HEADER):
                break  # (a header field is no piece of an attribution: "From: agent@x" / … / "the agent wrote:")
            if kinds[i] == EMPTY:
                gap = True
                continue
            if gap and norm[i].rstrip().endswith(_SENTENCE_END):
                break  # a sentence and a paragraph break above: the writer's text ("Am primit …\n\nÎn lun., …")
            joined = " ".join(x.strip() for x in norm[i:j + 1] if x.strip())
            if len(joined) > _MAX_LINE or not _is_attribution(joined):
                continue
            if _OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", norm[i], count=1)):
                best = i
                break
            if best < 0 and (kinds[j] != ATTRIB or (k == 1 and norm[i].rstrip().endswith(("<", "(")))) and \
                    _NAMEISH_RE.search(norm[i]):
                best = i  # (a complete-looking last line whose address opened on the line above: "… Desk <")
        while best > 0 and j - best < 4 and kinds[best - 1] == TEXT and norm[best - 1].rstrip().endswith(","):
            # "On Nov 21, 2014,\nat 10:18,\nJohn <j@x> wrote:": the opener may sit one more line up
            joined = " ".join(x.strip() for x in norm[best - 1:j + 1] if x.strip())
            if not (_OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", norm[best - 1], count=1)) and _is_attribution(joined)):
                break
            best -= 1
        if best >= 0:
            for i in range(best, j + 1):
                kinds[i] = ATTRIB


_NAME_ADDRESS_RE = re.compile(r"\s*+[^\W\d_][^<>@:]{0,60}<[^<>@\s]+@[^<>\s]+>\s*+$")  # "Desk <desk@x>" alone
_DATE_ONLY_RE = re.compile(r"\s*+[\d./\- ]{6,12}\s+\d{1,2}[:.]\d\d(?:\s*+[AP]M)?\s*+$", re.I)  # "09.02.2026 10:15"


def _mark_name_date_heads(norm: list[str], kinds: list[str], ats: list[int]) -> None:
    """A line that is only a name and an address, over a line that is only a date and a time, heads an
    original pasted below (Lotus Notes: "Desk <desk@x>" / "09.02.2026 10:15" / "To" / …): an attribution
    without verb or colon."""
    for j in ats:
        if (j + 1 < len(kinds) and kinds[j] == TEXT and kinds[j + 1] == TEXT and _NAME_ADDRESS_RE.match(norm[j])
                and _DATE_ONLY_RE.match(norm[j + 1])):
            kinds[j] = kinds[j + 1] = ATTRIB


# a dash-framed title ("-------- Αρχικό μήνυμα --------"), or a short line ending in a colon without an address
# or a digit ("Inizio messaggio inoltrato:")
_FRAMED_RE = re.compile(r"\s*+[-–—=_*~]{2,}+\s*+[^\W\d_][^-–—=_*~]{0,50}+[-–—=_*~]{2,}+\s*+$")


def _mark_forward_leads(norm: list[str], kinds: list[str]) -> None:
    """The line above a header block (two or more header lines, one a From with an address or a label of no list) that
    introduces it, in any language, is a forward separator: a dash-framed title or a short colon-ended line.
    Without this, a forward's "-------- Orijinal mesaj --------" or "Inizio messaggio inoltrato:" stays as
    the writer's last line, and a forward sent without a comment keeps only that line."""
    n = len(kinds)
    for j in range(n - 1):
        if kinds[j] != HEADER or kinds[j + 1] != HEADER or (j and kinds[j - 1] == HEADER):
            continue
        i = j - 1
        while i >= 0 and kinds[i] == EMPTY:
            i -= 1
        if i < 0 or kinds[i] != TEXT:
            continue
        k = j
        while k < n and kinds[k] == HEADER:
            k += 1
        froms = [x for x in range(j, k) if (m := _HEADER_RE.match(norm[x])) and _FROM_RE.match(m.group(1))]
        if not any((m := _HEADER_RE.match(norm[x])) is None or (_FROM_RE.match(m.group(1)) and "@" in norm[x])
                   for x in range(j, k)) or len(froms) > 1:
            continue  # "To:" + "Subject:" of a mail to send, "From: 01.03" + "To: 31.03", "From: a@x" / "From: b@x"
        if _is_title(norm[i].strip()):
            kinds[i] = FORWARD


def _is_title(t: str) -> bool:
    """A line that introduces a block under it: a dash-framed title or a short colon-ended line with no
    address or digit ("-------- Orijinal mesaj --------", "Inizio messaggio inoltrato:")."""
    return bool(_FRAMED_RE.match(t)) or (t[-1:] in (":", "：") and len(t.split()) <= 5 and "@" not in t
                                         and not any(c.isdigit() for c in t))


# "Label: value", the label one to three words of letters: a header field in any language
_LABEL_RE = re.compile(
    r"[\s>]*+\*{0,2}+([^\W\d_][^\W\d_'-]{0,24}+(?: [^\W\d_][^\W\d_'-]{0,24}+){0,2}+)\s?\*{0,2}+\s?[:：]\s*\S")


def _mark_label_blocks(norm: list[str], kinds: list[str], ats: list[int]) -> None:
    """An Outlook header block in a language the field lists lack ("Від:" / "Надіслано:" / "Кому:" / "Тема:"):
    three to six `Label: value` lines in a row, the first a one-word label whose value has an address, a
    later one a date and a time. They become header lines; quotes._header_block_end accepts such a block."""
    n, done = len(kinds), -1
    for j in ats:
        if j <= done or j >= n - 2 or not (kinds[j] == TEXT or (kinds[j] == HEADER and kinds[j + 1] == TEXT)):
            continue  # (a known field over known fields is the field lists' block already)
        m = _LABEL_RE.match(norm[j])
        if m is None or " " in m.group(1) or not _opens_a_block(norm, kinds, j):
            continue
        k = j + 1
        while k < n and k - j < 6 and kinds[k] in (TEXT, HEADER) and _LABEL_RE.match(norm[k]):
            k += 1
        if k - j >= 3 and any(_DATEISH_RE.search(norm[x]) and _TIME_RE.search(norm[x]) for x in range(j + 1, k)):
            kinds[j:k] = [HEADER] * (k - j)
            done = k


def _opens_a_block(norm: list[str], kinds: list[str], j: int) -> bool:
    """A forwarded header block starts a paragraph, or sits under its separator or a short title ("-----",
    "Inizio messaggio inoltrato:"). A `Label: value` line under another one, or under the writer's sentence,
    is a form the writer filled in ("ФИО: …\nПочта: …\nДата выхода: …") and stays text."""
    return j == 0 or kinds[j - 1] in (EMPTY, RULE, FORWARD, DELIM) or _is_title(norm[j - 1].strip())


def _mark_pipe_quotes(norm: list[str], kinds: list[str]) -> None:
    """Lines quoted with "|" instead of ">" (Pine, old Usenet readers): two or more lines in a row that start
    with "|" and do not end with one (a table row does), under a line that ends in a colon (the attribution;
    empty lines between allowed)."""
    n = len(kinds)
    j = next((i for i, x in enumerate(norm) if "|" in x[:4]), n)  # most mails have no such line at all
    while j < n:
        k = j
        while k < n and kinds[k] == TEXT and (t := norm[k].strip())[:1] == "|" and (t == "|" or t[-1] != "|"):
            k += 1
        if k - j >= 2:
            above = j - 1
            while above >= 0 and kinds[above] == EMPTY:
                above -= 1
            if above >= 0 and norm[above].rstrip()[-1:] in (":", "："):
                kinds[j:k] = [QUOTE] * (k - j)
        j = k + 1


_SENTENCE_END = (".", "!", "?", ";")
# one sentence ending and the next beginning: a word (not an abbreviation such as "Dez." or "jun.", not a
# date's "7.") and a capital after it. An attribution is one clause; a writer's line may be several.
_PROSE_RE = re.compile(r"[^\W\d_]{4,}[.!?]\s+[^\W\d_]")
_NOT_A_START = (*_SENTENCE_END, ":", "：")
_OPEN_END = ("<", "(", "[", ",")  # a line broken inside an attribution, before the address or after the date


def _mark_quote_leads(norm: list[str], kinds: list[str], ends: list[int]) -> None:
    """A text line ending in a colon, directly above a quote block, that carries an address or a date and a
    time is the quote's attribution in any language (attribution.quote_lead), also when wrapped: lines above
    are joined (at most three in all) while the shape is not yet complete, or while the line above ends open
    ("… <", "… ,"). The quote below is the evidence, so no verb list is needed."""
    n = len(kinds)
    for j in ends:
        if kinds[j] != TEXT or norm[j].rstrip()[-1:] not in (":", "："):
            continue
        k = j + 1
        while k < n and kinds[k] == EMPTY:
            k += 1
        if k == n or kinds[k] != QUOTE:
            continue
        start, joined = j, norm[j].strip()
        if _PROSE_RE.search(joined):
            continue  # "VPN fails since this morning. The log at 09:14 for ivan@x says:" is the writer's text
        while not quote_lead(joined):
            above = norm[start - 1].rstrip() if start else ""
            if j - start >= 2 or kinds[start - 1] != TEXT or above.endswith(_NOT_A_START):
                break  # a sentence, or a line that ends as an attribution does, is not the start of this one
            start -= 1
            joined = f"{above.strip()} {joined}"
        else:
            if start and j - start < 2 and kinds[start - 1] == TEXT and norm[start - 1].rstrip().endswith(_OPEN_END):
                start -= 1
            for i in range(start, j + 1):
                kinds[i] = ATTRIB


def _mend_quotes(norm: list[str], kinds: list[str]) -> None:
    """Quote blocks as the writer's client meant them.

    * A line that lost its `>` when the quote was re-wrapped (lower-case start, between two quoted lines, the
      one above long enough to have been wrapped) is quoted too (willdurand's Italian and Dutch mails).
    * A quote that starts with a forward separator ("> Begin forwarded message:") is forwarded history,
      not context for an inline answer (quotequail); one quoted attribution line right over unquoted text
      heads the original pasted below it (GroupWise's ">>> On …, Desk <d@x> wrote:").
    """
    if QUOTE not in kinds:
        return
    n = len(kinds)
    for j in range(1, n - 1):
        if kinds[j] == TEXT and kinds[j - 1] == QUOTE and kinds[j + 1] == QUOTE:
            t, above = norm[j].lstrip(), norm[j - 1].rstrip()
            if len(above) >= 50 and (t[:1].islower() or (t[:1].isdigit() and not above.endswith((".", "?", "!", ":")))):
                kinds[j] = QUOTE  # "… in room 214 before\n18:00 on Thursday": a wrapped line, not an answer
    for j in range(n):
        if kinds[j] == QUOTE and (j == 0 or kinds[j - 1] != QUOTE):
            inner = _QUOTE_LEVEL_RE.sub("", norm[j], count=1)
            if inner.strip() and _FORWARD_RE.match(inner):
                kinds[j] = FORWARD
            elif (j + 1 < n and kinds[j + 1] in (TEXT, QUOTE) and ("@" in (t := inner.strip(" \t>"))
                                                                   or _TIME_RE.search(t)) and _is_attribution(t)):
                kinds[j] = ATTRIB  # a quoted head over the original, unquoted (GroupWise's ">>> On …, Desk <d@x>
                # wrote:") or quoted (Apple Mail's "> On 9 Feb 2026, at 10:15, Desk <d@x> wrote:" over an inline answer)

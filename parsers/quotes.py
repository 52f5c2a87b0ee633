"""Cut quoted history and signatures from a reply, in English, Russian and the other languages mail clients use.

`strip_reply` gives every line a kind (text, empty, `>` quote, attribution "On … wrote:" / "… пишет:" even when
wrapped over up to five lines, forward/original-message separator, Outlook header field "From:"/"От:", mobile
footer, `-- ` signature separator, line of underscores, punctuation-only delimiter), then reads the kinds:

* History starts at the first attribution, separator or header block (From + Sent/Subject) that follows the
  writer's own text. An attribution whose quote is followed by more own text *and* more quotes is an inline
  reply: the text and the quotes between it stay (as context), only the attribution goes. When only a short
  tail (<= 4 lines: a signature, a list footer) follows the quote, the tail goes too -- unless the text above
  is a bare greeting ("Hi,"), which announces a bottom-posted answer.
* A mail that *starts* with a forward separator or header block is a forward sent without a comment: the
  forwarded body is what the sender gave us, so only the header lines go. A forward below the writer's own
  text is history, like a quote; the agent still has it in `full_text`.
* A closing formula with the name right under it or on its line ("С уважением,\nИван Петров\nдоб. 1234",
  "Pozdrawiam,\nJan") starts a signature and goes with everything below (see parsers/signatures.py for the
  exact rule and the corpora that needed it); a bare "Best regards" or "Thanks,\nAnna" stays. Also cut:
  mobile footers, everything under `-- `, a list/company footer under a line of underscores, a trailing
  "-Name"/"/Name" sign-off and Outlook's "[cid:…]" image placeholders. A forward sent without a comment loses
  the forwarded writer's signature too (mail_parser_reply's Polish mails are such forwards).
* Nothing but a quote: with an attribution it is a reply that adds nothing (""), without one it is what the
  sender sent (kept); a quote under "Begin forwarded message:" is unpacked as a forward.

Lines are returned with "\n" endings. Regexes see at most `_MAX_LINE` characters of a line and use no nested
quantifiers, so a megabyte of hostile text costs well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postdesk.parsers.attribution import (
    _ATTRIB_LEAD_RE,
    _MAX_LINE,
    _NAMEISH_RE,
    _OPENER_RE,
    _attrib_hint,
    _could_end_attribution,
    _is_attribution,
    split_glued_attribution,
)
from postdesk.parsers.signatures import contact_block_start, signature_start, slash_signoff

_INVISIBLE = str.maketrans({"\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u2060": "", "\xa0": " "})

# ---------------------------------------------------------------------------------------------- line kinds
EMPTY, TEXT, QUOTE, ATTRIB, FORWARD, HEADER, MOBILE, SIGSEP, RULE, DELIM = "etqbfhmsud"

_QUOTE_RE = re.compile(r"\s*+(?:>|[^\W\d_]{1,12}>(?=\s|$))")  # "ИП>": The Bat! quotes with the initials
_SIGSEP_RE = re.compile(r"\s*+--\s*+$")
_RULE_RE = re.compile(r"\s*+_{5,}+\s*+$")  # Outlook's separator above a header block, or a list footer
_FOOTER_MAX = 15  # text lines under a line of underscores that are still a footer
_DELIM_RE = re.compile(r"\s*+[-_=+~#*•·.,ᐧ—–]++\s*+$")
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
    r"|Begin forwarded message\s*:|(?:Forwarded|Original) message\s*:\s*$|Début du message (?:transféré|réexpédié)\s*:"
    r"|Anfang der weitergeleiteten Nachricht\s*:|Inicio del mensaje reenviado\s*:|Início da mensagem reencaminhada\s*:"
    r"|Начало (?:пересылаемого|переадресованного) сообщения\s*:|Original Message processed by\b"
    r")",
    re.I,
)

_FORWARD_END_RE = re.compile(
    r"[\s>*]*+-*+\s*+(?:End of forwarded message|Конец пересылаемого сообщения|Fin du message transféré"
    r"|Ende der weitergeleiteten Nachricht)\s*-*\s*$", re.I
)
_FROM_FIELDS = (
    r"From|От|От кого|Von|De|Da|Van|Fra|Från|Od|Lähettäjä|Feladó|Kimden|Expéditeur|Afzender|"
    r"发件人|發件人|寄件者|差出人|보낸 사람"
)
_SENT_FIELDS = (  # when it was sent (Outlook) ...
    r"Sent|Отправлено|Gesendet|Envoyé|Date d'envoi|Enviado|Enviada em|Inviato|Verzonden|Sendt|Skickat|Wysłano|"
    r"Wysłane|Odesláno|Lähetetty|发送时间|發送時間|送信日時|보낸 날짜"
)
_SUBJECT_FIELDS = (  # ... or what it was about; a bare "Date:" next to "From:" may be a trip request
    r"Subject|Тема|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Emne|Ämne|Temat|Předmět|Aihe|主题|主題|件名|제목"
)
_DATE_FIELDS = r"Date|Дата|Datum|Fecha|Data|日期"
_TO_FIELDS = (
    r"To|Cc|Bcc|Reply-To|Кому|Копия|An|Kopie|À|A|Répondre à|Destinataire|Para|Risposta|Aan|Beantwoorden - Aan|"
    r"Til|Till|Kopia|Do|DW|Komu|Vastaanottaja|收件人|抄送|宛先|받는 사람|참조"
)
_HEADER_RE = re.compile(
    rf"[\s>]*+\*{{0,2}}+\s*+({_FROM_FIELDS}|{_SENT_FIELDS}|{_SUBJECT_FIELDS}|{_DATE_FIELDS}|{_TO_FIELDS})"
    r"\s*+\*{0,2}+\s*+[:：]", re.I
)
_FROM_RE = re.compile(rf"(?:{_FROM_FIELDS})$", re.I)
_WHEN_FIELD_RE = re.compile(rf"(?:{_SENT_FIELDS}|{_SUBJECT_FIELDS})$", re.I)

_MOBILE_RE = re.compile(
    r"[\s(<\[*]*+(?:"
    r"sent\s+(?:from|via|with|by|using)\s+(?:my\s+|an?\s+)?(?:(?:[\w.'-]++[ \t]*+){1,4}+[)>\]*]*+$"
    r"|(?:[\w.'-]+\s+){0,2}(?:iphone|ipad|ipod|android|mobile|phone|cell|blackberry|galaxy|samsung|htc|"
    r"nokia|huawei|xiaomi|pixel|tablet|device|outlook|mail|yahoo|airmail|mailbox|windows|pc)\b)"
    r"|\w+\s+from\s+mobile\b|from\s+my\s+(?:iphone|ipad|android|mobile|phone|smartphone|blackberry)"
    r"|get\s+outlook\s+for\b|(?:скачайте|загрузите|получите|получить|скачать)\s+outlook\s+для\b"
    r"|envoyé\s+(?:de|depuis|à\s+partir\s+de)\s+(?:mon|ma|yahoo|outlook|l'application|\S+\s+pour)\b"
    r"|gesendet\s+(?:von|mit|vom)\s+(?:meinem|der|dem|outlook|mobil|\S+\s+für)\b"
    r"|(?-i:(?:[A-ZА-ЯЁ][\w.'-]*\s+){1,3})via\s+(?:mobile|phone|iphone|android|cell)\s*$"
    r"|von\s+meinem\s+.{1,40}\s+gesendet|diese\s+nachricht\s+wurde\s+von\s+.{1,80}\s+gesendet"
    r"|inviato\s+da\s+(?:iphone|ipad|android|il\s+mio|yahoo|outlook|libero)\b|sendt\s+fra\s+min\b"
    r"|enviado\s+(?:do|desde)\s+(?:meu|mi|o|el)\b|verzonden\s+(?:met|vanaf|van)\s+(?:mijn\s+)?\w"
    r"|verstuurd\s+vanaf\s+mijn\b|skickat\s+från\s+(?:min|mobil)|från\s+min\s+(?:iphone|ipad|mobil)"
    r"|wysłane\s+z\s+(?:mojego|iphone|aplikacji|telefonu)|odesláno\s+z\s+(?:mého|iphonu|mobilu)"
    r"|отправлено\s+(?:с|со|из)\s+\S|получено\s+с\s+помощью\b|надіслано\s+з\s+\S"
    r"|從我的.{1,20}傳送|从我的.{1,20}发送|.{1,20}から送信"
    r")",
    re.I,
)
_MOBILE_STARTS = frozenset((
    "sent", "get", "from", "envoyé", "von", "diese", "inviato", "sendt", "enviado", "verzonden", "verstuurd",
    "skickat", "från", "wysłane", "odesláno", "отправлено", "получено", "надіслано", "скачайте", "загрузите",
    "получите", "получить", "скачать", "gesendet",
))
_MD_LINK_RE = re.compile(r"\[([^\]\n]{1,200})\]\([^)\n]{0,500}\)")
_SIGNOFF_RE = re.compile(r"\s*+-[^\W\d_][\w.']*(?:\s[^\W\d_][\w.']*){0,2}\s*$")
_GREETING_RE = re.compile(  # "Hi," alone above an attribution announces an answer below the quote
    r"\s*+(?:\S.{0,38}[,:]|(?:hi|hello|hey|dear|good\s|здравствуй|добр|привет|уважаем|коллеги|hallo|guten|bonjour|"
    r"salut|hola|buon|ciao|hej|cześć|dzień dobry|dobrý den).{0,38}!)\s*$",
    re.I,
)
_QUOTE_LEVEL_RE = re.compile(r"[ \t]*> ?")
_CID_RE = re.compile(r"\[cid:[^\]\s]{1,300}\](?:<[^<>\s]{1,500}>)?")
_BLANK_RUN_RE = re.compile(r"\n(?:[ \t]*+\n){2,}")
_PUNCT = frozenset("-_=+~#*•·.,ᐧ—–")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\ufeff\u2060\xa0]")
_SHORT_TAIL = 4  # at most this many text lines after a quoted reply are a signature or footer, not a reply


def _norm(line: str) -> str:
    """The part of a line that classification looks at: capped, invisible characters removed."""
    return line[:_MAX_LINE].translate(_INVISIBLE)


def _maybe_mobile(t: str) -> bool:
    """Cheap pre-test for a mobile footer: its first (or second) word is one the footers start with."""
    words = t.lstrip("(<[* \t").split(None, 2)
    if not words:
        return False
    first = words[0].lower()
    if first in _MOBILE_STARTS or (len(words) > 1 and words[1].lower() == "from"):
        return True
    if " via " in t and t.rstrip().lower().endswith(("mobile", "phone", "android", "cell")):
        return True  # "John via mobile"
    return first.startswith(("從我的", "从我的")) or t.endswith("から送信")


def _classify_one(s: str) -> str:
    """Kind of one normalised line, without looking at its neighbours (cheap tests first: most lines are text)."""
    t = s.strip()
    if not t:
        return EMPTY
    c, last = t[0], t[-1]
    if c == ">":
        return QUOTE
    if c in _PUNCT:
        if _SIGSEP_RE.match(s):
            return SIGSEP
        if _RULE_RE.match(s):
            return RULE
        if _FORWARD_RE.match(s):
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
        if len(t) <= 120 and _maybe_mobile(t) and _MOBILE_RE.match(_MD_LINK_RE.sub(r"\1", s) if "](" in s else s):
            return MOBILE
    if _attrib_hint(t) and _is_attribution(s):
        return ATTRIB
    return TEXT


def _classify(norm: list[str]) -> list[str]:
    """Kinds of all lines; code fences are text, attributions wrapped over several lines are joined."""
    kinds: list[str] = []
    ends: list[int] = []  # lines that may end an attribution wrapped over several lines
    fenced = False
    for j, s in enumerate(norm):
        if ("```" in s or "~~~" in s) and _FENCE_RE.match(s):
            fenced = not fenced
            kinds.append(TEXT)
            continue
        t = s.rstrip()
        if fenced:
            kinds.append(TEXT if t else EMPTY)
            continue
        kinds.append(_classify_one(s))
        if j and t and ((last := t[-1]) in ":：-" or (last in "eb" and t.endswith(("wrote", "schrieb")))):
            ends.append(j)
    for j in ends:
        s = norm[j]
        t = s.rstrip()
        if kinds[j] == ATTRIB and _OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", s, count=1)):
            continue  # complete on its own line
        if kinds[j] == QUOTE and len(_QUOTE_RE.sub("", t, count=1).strip()) > 25:
            continue  # only a bare "> wrote:" may end an attribution that started above the quote
        if not _could_end_attribution(t):
            continue
        best = -1
        for k in range(1, 5):
            i = j - k
            if i < 0 or kinds[i] in (ATTRIB, FORWARD, SIGSEP, RULE, QUOTE):
                break
            if kinds[i] == EMPTY:
                continue
            joined = " ".join(x.strip() for x in norm[i:j + 1] if x.strip())
            if len(joined) > _MAX_LINE or not _is_attribution(joined):
                continue
            if _OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", norm[i], count=1)):
                best = i
                break
            if best < 0 and kinds[j] != ATTRIB and _NAMEISH_RE.search(norm[i]):
                best = i
        while best > 0 and j - best < 4 and kinds[best - 1] == TEXT and norm[best - 1].rstrip().endswith(","):
            # "On Nov 21, 2014,\nat 10:18,\nJohn <j@x> wrote:": the opener may sit one more line up
            joined = " ".join(x.strip() for x in norm[best - 1:j + 1] if x.strip())
            if not (_OPENER_RE.match(_ATTRIB_LEAD_RE.sub("", norm[best - 1], count=1)) and _is_attribution(joined)):
                break
            best -= 1
        if best >= 0:
            for i in range(best, j + 1):
                kinds[i] = ATTRIB
    _mend_quotes(norm, kinds)
    return kinds


def _mend_quotes(norm: list[str], kinds: list[str]) -> None:
    """Quote blocks as the writer's client meant them.

    * A line that lost its `>` when the quote was re-wrapped (lower-case start, between two quoted lines, the
      one above long enough to have been wrapped) is quoted too (willdurand's Italian and Dutch mails).
    * A quote that starts with a forward separator ("> Begin forwarded message:") is forwarded history,
      not context for an inline answer (quotequail).
    """
    if QUOTE not in kinds:
        return
    n = len(kinds)
    for j in range(1, n - 1):
        if kinds[j] == TEXT and kinds[j - 1] == QUOTE and kinds[j + 1] == QUOTE:
            t = norm[j].lstrip()
            if t[:1].islower() and len(norm[j - 1].rstrip()) >= 50:
                kinds[j] = QUOTE
    for j in range(n):
        if kinds[j] == QUOTE and (j == 0 or kinds[j - 1] != QUOTE):
            inner = _QUOTE_LEVEL_RE.sub("", norm[j], count=1)
            if inner.strip() and _FORWARD_RE.match(inner):
                kinds[j] = FORWARD


# ---------------------------------------------------------------------------------------------- reading the kinds
def _header_block_end(kinds: list[str], norm: list[str], i: int, leading: bool = False) -> int:
    """If an Outlook/Gmail header block starts at i, the index after it; else -1.

    A block is From + Sent or Subject; or From with an address + one more field (Date, To: short blocks of
    mobile clients and quotequail's "*From:* … *To:*"); at the very top of a mail (`leading`) a lone
    "From: name <address>" too (willdurand). "From: Monday / To: Friday" has no address and stays text.
    """
    has_from = has_when = from_address = False
    fields = 0
    j, n, last = i, len(kinds), -1
    while j < n and j - i < 14:
        k = kinds[j]
        if k == HEADER:
            m = _HEADER_RE.match(norm[j])
            name = m.group(1).lower() if m else ""
            is_from = bool(_FROM_RE.match(name))
            has_from = has_from or is_from
            from_address = from_address or (is_from and "@" in norm[j])
            has_when = has_when or bool(_WHEN_FIELD_RE.match(name))
            fields += 1
            last = j
        elif k in (TEXT, ATTRIB, MOBILE) and last == j - 1 and j + 1 < n and kinds[j + 1] == HEADER:
            pass  # a wrapped Subject/To value
        elif k == EMPTY and last == j - 1 and j + 1 < n and kinds[j + 1] == HEADER:
            pass
        else:
            break
        j += 1
    if last < 0 or not has_from:
        return -1
    if has_when or (from_address and (fields >= 2 or leading)):
        return last + 1
    return -1


def _quote_run_end(kinds: list[str], i: int) -> int:
    """Index after the run of quoted/empty/attribution lines starting at i (trailing empties excluded)."""
    j, end = i, i
    while j < len(kinds) and kinds[j] in (QUOTE, EMPTY, ATTRIB, DELIM):
        if kinds[j] != EMPTY:
            end = j + 1
        j += 1
    return end


def _tail_is_short(kinds: list[str], norm: list[str], start: int) -> bool:
    """True when, after a quote, only a few text lines remain and no further quote: a signature or footer."""
    count = 0
    for j in range(start, len(kinds)):
        k = kinds[j]
        if k == QUOTE:
            return False
        if k in (SIGSEP, RULE, FORWARD, ATTRIB) or (k == HEADER and _header_block_end(kinds, norm, j) > 0):
            break
        if k == TEXT:
            count += 1
    return count <= _SHORT_TAIL


def _texts_to_marker(kinds: list[str], norm: list[str]) -> list[int]:
    """For every line, how many text lines (capped) come before the next history marker or the end."""
    n = len(kinds)
    out = [0] * (n + 1)
    for j in range(n - 1, -1, -1):
        k = kinds[j]
        if k in (FORWARD, ATTRIB, SIGSEP) or (k == HEADER and _header_block_end(kinds, norm, j) > 0):
            out[j] = 0
        else:
            out[j] = min(out[j + 1] + (k == TEXT), _FOOTER_MAX + 1)
    return out


def _skip_leading(kinds: list[str], norm: list[str], i: int, drop: set[int]) -> int:
    """Skip what stands before the writer's own text: attributions with their quotes, forward headers."""
    n = len(kinds)
    while i < n:
        k = kinds[i]
        if k in (EMPTY, MOBILE, DELIM, SIGSEP, RULE, FORWARD):
            drop.add(i)
            i += 1
        elif k == ATTRIB:
            drop.add(i)
            j = i + 1
            while j < n and kinds[j] in (EMPTY, ATTRIB):
                drop.add(j)
                j += 1
            if j < n and kinds[j] == QUOTE:
                end = _quote_run_end(kinds, j)
                drop.update(range(j, end))
                j = end
            i = j
        elif k == HEADER and (end := _header_block_end(kinds, norm, i, leading=True)) > 0:
            drop.update(range(i, end))
            i = end
        else:
            return i
    return i


_CUT_RULES = {SIGSEP: "signature-separator", FORWARD: "forward-separator", HEADER: "header-block",
              RULE: "footer-rule", ATTRIB: "attribution", MOBILE: "mobile-footer"}


def _own_text(lines: list[str], norm: list[str], kinds: list[str]) -> tuple[list[str], tuple[str, int] | None]:
    """The writer's own lines, and why and where the rest was cut (rule, line index) if it was.

    History after the first marker that follows own text is cut.
    """
    drop: set[int] = set()
    n = len(lines)
    start = _skip_leading(kinds, norm, 0, drop)
    cut = n
    why: tuple[str, int] | None = None
    own_lines = 0  # text lines of the writer seen so far
    rule_tail: list[int] = []  # computed when the first line of underscores is met
    first_own = -1
    i = start
    while i < n:
        k = kinds[i]
        if k == TEXT:
            own_lines += 1
            if first_own < 0:
                first_own = i
        elif k == MOBILE:
            if own_lines:
                cut = i  # "Sent from my phone" ends the reply; below it, if anything, the unquoted original
                break
            drop.add(i)
        elif own_lines == 0:
            pass  # a leading plain quote: context for what follows
        elif k in (SIGSEP, FORWARD) or (k == HEADER and _header_block_end(kinds, norm, i) > 0):
            cut = i
            break
        elif k == RULE:
            rule_tail = rule_tail or _texts_to_marker(kinds, norm)
            if rule_tail[i + 1] <= _FOOTER_MAX:  # a footer or history below the line, not more of the letter
                cut = i
                break
        elif k == ATTRIB:
            j = i
            while j < n and kinds[j] in (ATTRIB, EMPTY):
                j += 1
            if j >= n or kinds[j] != QUOTE:
                cut = i  # history pasted below without quote marks (Outlook, mobile clients)
                break
            after = _quote_run_end(kinds, j)
            greeting = own_lines == 1 and bool(_GREETING_RE.match(norm[first_own]))
            if _tail_is_short(kinds, norm, after) and not greeting:
                cut = i  # the text below the quote is a signature or a list footer
                break
            drop.update(x for x in range(i, j) if kinds[x] == ATTRIB)
            i = j
            continue
        i += 1
    if cut < n:
        why = (_CUT_RULES.get(kinds[cut], "attribution"), cut)
    kept = [i for i in range(start, cut) if i not in drop]
    # trailing quotes, empties and delimiter lines are history or decoration
    popped = -1
    while kept and kinds[kept[-1]] in (QUOTE, EMPTY, DELIM, RULE, MOBILE, ATTRIB):
        if kinds[kept[-1]] in (QUOTE, ATTRIB):
            popped = kept[-1]
        kept.pop()
    if popped >= 0:
        while popped > 0 and kinds[popped - 1] in (QUOTE, ATTRIB):
            popped -= 1
        why = ("trailing-quote", popped)
    lead = 0
    while lead < len(kept) and kinds[kept[lead]] in (EMPTY, DELIM, RULE):
        lead += 1
    kept = kept[lead:]
    texts = [i for i in kept if kinds[i] == TEXT]
    if len(texts) > 1 and texts[-1] == kept[-1] and (
            _SIGNOFF_RE.match(norm[texts[-1]]) or slash_signoff(norm[texts[-1]])):
        why = ("sign-off", kept.pop())  # "-Name" or "/Name" sign-off under the text (the classic dash signature)
        while kept and kinds[kept[-1]] in (EMPTY, DELIM):
            kept.pop()
    own = [norm[i] if kinds[i] == TEXT else "" for i in kept]
    sig = signature_start(own)
    rule = "closing-formula"  # a closing formula with the name under it: the signature block
    if sig < 0:
        sig, rule = contact_block_start(own), "contact-block"  # name, title, phone or links as the last paragraph
    if sig > 0:
        why = (rule, kept[sig])
        del kept[sig:]
        while kept and kinds[kept[-1]] in (EMPTY, DELIM, RULE):
            kept.pop()
    return [lines[i] for i in kept], why


def _only_quoted(lines: list[str], norm: list[str], kinds: list[str], depth: int) -> tuple[str, Cut | None]:
    """A mail with no text of its own outside `>` quotes."""
    quoted = [ln for ln, k in zip(lines, kinds, strict=True) if k in (QUOTE, EMPTY)]
    if FORWARD in kinds and depth < 3:
        # Apple Mail forwards a message as a quote under "Begin forwarded message:": the quote is the content
        text, _why = _strip("\n".join(_QUOTE_LEVEL_RE.sub("", ln, count=1) for ln in quoted), depth + 1)
        return text, Cut("quoted-forward-unpacked", lines[kinds.index(FORWARD)])
    first = next((s for s, k in zip(norm, kinds, strict=True) if k in (QUOTE, ATTRIB)), "")
    if ATTRIB in kinds or _is_attribution(_QUOTE_RE.sub("", first, count=1).lstrip("> ")):
        at = next(i for i, k in enumerate(kinds) if k in (QUOTE, ATTRIB))
        return "", Cut("only-attributed-quote", lines[at])  # a reply that adds nothing
    return "\n".join(quoted).strip(), None  # a bare quote is all the sender sent: keep it


@dataclass(frozen=True, slots=True)
class Cut:
    """Why a reply's text ends where it does: the rule that cut, and the line the cut starts at."""

    rule: str
    line: str


_COLON_ENDS = frozenset(":： \t")  # a line that may end in a colon (trailing blanks are checked later)
_GLUE_LAST = tuple(_COLON_ENDS)


def _unglue(lines: list[str]) -> list[str]:
    """Lines with an attribution glued to the writer's last sentence split in two (cheap test first)."""
    out: list[str] | None = None
    for i, line in enumerate(lines):
        if line[-1:] in _COLON_ENDS and len(line) > 30 and (split := split_glued_attribution(line)):
            out = out if out is not None else lines[:i]
            out.extend(split)
        elif out is not None:
            out.append(line)
    return lines if out is None else out


def _strip(text: str, depth: int) -> tuple[str, Cut | None]:
    """strip_reply with its reason, and the nesting depth of forwards already unpacked."""
    if not text or not text.strip():
        return "", None
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = flat.split("\n")
    if ":\n" in flat or " \n" in flat or "\t\n" in flat or "：\n" in flat or flat.endswith(_GLUE_LAST):
        # (substring scans in C before a loop over every line)
        lines = _unglue(lines)
    needs_norm = _INVISIBLE_RE.search(text) or max(map(len, lines)) > _MAX_LINE
    norm = [_norm(x) for x in lines] if needs_norm else lines
    kinds = _classify(norm)
    if TEXT not in kinds and QUOTE in kinds:
        return _only_quoted(lines, norm, kinds, depth)
    out, why = _own_text(lines, norm, kinds)
    if not any(s.strip() for s in out) and TEXT in kinds:
        # every own line looked like a marker: better the text lines than nothing
        out = [ln for ln, k in zip(lines, kinds, strict=True) if k == TEXT]
        why = None
    result = "\n".join(out).strip("\n").rstrip()
    if "[cid:" in result:  # Outlook's placeholder for an inline image means nothing to a reader
        result = "\n".join(ln.rstrip() if "[cid:" in ln else ln for ln in result.split("\n"))
        result = _BLANK_RUN_RE.sub("\n\n", _CID_RE.sub("", result)).strip("\n").rstrip()
    return result, (Cut(why[0], lines[why[1]].strip()[:200]) if why else None)


def strip_reply(text: str) -> str:
    """Return only what the writer of this mail wrote: quoted history, forwarded headers and signature removed."""
    return _strip(text, 0)[0]


def explain_reply(text: str) -> tuple[str, Cut | None]:
    """strip_reply's result with the rule that ended it and the line where the cut starts (None: nothing cut)."""
    return _strip(text, 0)

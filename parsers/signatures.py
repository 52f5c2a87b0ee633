"""Where a signature starts when the writer put no `-- ` above it: a closing formula that opens a name block.

Corpora disagree on valedictions, so the rule is the narrowest one all of them accept:

* A closing formula ("С уважением", "Best regards", "Pozdrawiam", "Med venlig hilsen", …) **immediately**
  followed by the writer's name (next line, no empty line between) or carrying the name on the same line
  ("С уважением, Тарасова И.В.") starts the signature: it and everything below it go. Needed for
  ru_replies_authored (Outlook, Notes and Apple Mail signatures with title, phone and disclaimer) and
  mail_parser_reply (Polish "Pozdrawiam,\\nJan", Danish "Med venlig hilsen\\nAnders Andersen").
* A bare closing word, alone at the end or separated from the name by an empty line, stays: the Discourse
  corpus keeps "Best regards,\\n\\n//Jef" and "Best Regards" as part of the reply (and mail_parser_reply's
  `begins_with_signature`, which wants "Regards,\\n\\nName" cut, is the one case left to disagree).
* "Thanks,\\nName" is *not* a closing formula: Discourse keeps it, ru_replies_authored accepts both.
* A contact block as the last paragraph (a name line, then at most six short lines of which one has a
  phone number, a web address or an e-mail address: "Роман Егоров\nруководитель отдела\n+7 495 …") is a
  signature too (issue 15; ru_replies_authored accepts both ways; no corpus keeps one as text).
* A one-word sign-off with a single slash ("/John", Scandinavian; mail_parser_reply) is cut like the
  GitHub "-Name"; a double slash ("//Jef") is kept (Discourse).

The formulas are a list because a closing is a convention, not a shape; the shape (formula + name block at
the end of the writer's text) is what decides. Words that are everyday words too ("Gruß", "Cheers",
"Saluti") are left out.
"""

from __future__ import annotations

import re

from postdesk.parsers.linekinds import DELIM, EMPTY, RULE, TEXT
from postdesk.parsers.signoffs import named_signoff_start, paragraph_before, persons_name

_CLOSINGS = (
    # ru / uk / be
    r"с уважением(?: и (?:благодарностью|наилучшими пожеланиями))?|с наилучшими пожеланиями|всего (?:доброго|хорошего)"
    r"|с благодарностью|искренне ваш[аи]?|з повагою|з найкращими побажаннями|с ув\.?"
    # en
    r"|(?:best|kind|warm|warmest|kindest|many)\s+regards|regards|(?:thanks|thank you)\s*(?:&|and)\s*regards"
    r"|best wishes|(?:yours\s+)?(?:sincerely|faithfully|truly)|sincerely yours|respectfully|all the best|rgds|brgds|br"
    # de / nl
    r"|mit freundlichen gr(?:ü|ue)(?:ß|ss)en|freundliche gr(?:ü|ue)(?:ß|ss)e"
    r"|(?:viele|beste|liebe|herzliche) gr(?:ü|ue)(?:ß|ss)e|mit (?:besten|herzlichen|lieben) gr(?:ü|ue)(?:ß|ss)en"
    r"|mit freundlichem gru(?:ß|ss)|mfg|(?:met )?(?:vriendelijke |hartelijke )?groet(?:en)?|mvg"
    # fr / es / pt / it
    r"|(?:bien )?cordialement|bien à vous|(?:meilleures |sinc[èe]res )?salutations|amicalement"
    r"|(?:un )?saludos?(?: cordiales)?|un cordial saludo|(?:un )?abrazos?|atentamente|atenciosamente|cumprimentos"
    r"|abraços?|cordiali saluti|distinti saluti|(?:un )?salut[oi]|cordialmente"
    # pl / cs / sk / fi / tr
    r"|pozdrawiam(?: serdecznie)?|pozdrowienia|z (?:poważaniem|powazaniem)|s pozdravem|s úctou|srdečně"
    r"|ystävällisin terveisin|terveisin|saygılarımla|üdvözlettel|üdv|(?:srdačan |lijep )?pozdrav|cu stimă"
    # da / no / sv, then kk / uz / vi
    r"|(?:med )?(?:venlig|vennlig|vänlig|kærlig) (?:hilsen|hälsning)|vänliga hälsningar|hälsningar|hilsen|mvh|vh|kh"
    r"|құрметпен|qurmetpen|hurmat(?: bilan)?|thân(?: mến| ái)?"
)
# the formula, optional punctuation, and optionally the name on the same line (a comma before it)
_CLOSING_RE = re.compile(
    rf"\s*+(?:(?:{_CLOSINGS})\s*[,.!:]?(?:\s*,?\s*(?P<name>[^\W\d_][\w.'’-]*(?:\s+[\w.'’-]+){{0,4}})"
    r"(?:\s*,\s*[^\s?!][^?!]{0,100})?)?"  # ("С уважением, Иванов Иван, специалист, тел. 1234")
    r"|(?:best|cheers)\s*[,.!]?)\s*$",  # everyday words: a closing only alone on their line ("Cheers Mike, it works")
    re.I,
)
# every word a formula above can start with: most lines are ruled out by a set lookup, not a regex
_FIRST_WORDS = frozenset((
    "с", "всего", "искренне", "з", "best", "kind", "warm", "warmest", "kindest", "many", "regards", "thanks",
    "thank", "yours", "sincerely", "faithfully", "truly", "respectfully", "all", "rgds", "brgds", "mit",
    "freundliche", "viele", "beste", "liebe", "herzliche", "mfg", "met", "vriendelijke", "mvg", "bien",
    "cordialement", "meilleures", "sincères", "sinceres", "salutations", "amicalement", "un", "saludo",
    "saludos", "atentamente", "atenciosamente", "cumprimentos", "cordiali", "distinti", "pozdrawiam", "z", "s",
    "ystävällisin", "terveisin", "saygılarımla", "med", "br", "venlig", "vennlig", "vänlig", "kærlig", "vänliga",
    "hälsningar", "hilsen", "mvh", "vh", "kh", "cheers", "hartelijke", "groet", "groeten", "abrazo", "abrazos",
    "abraço", "abraços", "saluto", "saluti", "cordialmente", "pozdrowienia", "srdečně", "üdvözlettel", "üdv",
    "pozdrav", "srdačan", "lijep", "cu", "құрметпен", "qurmetpen", "hurmat", "thân",
))
_SLASH_SIGNOFF_RE = re.compile(r"\s*+/[^\W\d_/][\w.'-]*\s*$")  # "/John"; "//Jef" stays


def closing_line(line: str) -> bool:
    """True when `line` is a closing formula, with or without the name after it."""
    return len(line) <= 80 and _CLOSING_RE.match(line) is not None


def signature_start(lines: list[str]) -> int:
    """Index of the line where a signature without `-- ` starts in the writer's own text, or -1.

    `lines` are the kept lines of the reply, quotes and history already gone. The first own line is never
    a signature (a mail that is nothing but "С уважением, Иван" keeps it).
    """
    seen_text = False
    for i, line in enumerate(lines):
        if not seen_text:
            seen_text = bool(line) and not line.isspace()
            continue
        if not line or len(line) > 80:
            continue
        head = line.split(None, 1)  # the first word, inline: this loop runs over every reply's own lines
        if head and head[0].rstrip(",.!:").lower() in _FIRST_WORDS:
            m = _CLOSING_RE.match(line)
            if m is not None:
                name = m.group("name")
                named = name is not None and name[0].isupper()
                if name is not None and not named:
                    continue  # "Regards to the team, …": a sentence, not a closing
                follows = i + 1 < len(lines) and bool(lines[i + 1].strip())
                if (named or follows) and not _introduced(lines, i):
                    return i
    return -1


def _introduced(lines: list[str], i: int) -> bool:
    """True when the writer's last line above line i ends in a colon: the closing is what the writer cites
    ("please change my signature to:\n\nBest regards,\nJohn Smith"), not how the letter ends."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j >= 0 and lines[j].rstrip().endswith((":", "："))


def closing_above(lines: list[str], sig: int) -> int:
    """The index of a bare closing ("Best regards,", "Mit freundlichen Grüßen") that is a paragraph of its own
    right above the contact block starting at `sig`, else `sig`: the closing and the block are one signature
    (Outlook puts an empty line between them). A bare closing over no contact block stays (Discourse's
    "Best regards,\n\n//Jef")."""
    j = sig - 1
    while j > 0 and not lines[j].strip():
        j -= 1
    if j < sig - 1 and j > 0 and not lines[j - 1].strip() and closing_line(lines[j]) and not _introduced(lines, j):
        return j
    return sig


# closings that are everyday words too ("Gruß" is also "a greeting"): a closing only as the last paragraph,
# alone on its line with the writer's name, and nothing else, under it ("Gruß\nJürgen")
_WEAK_CLOSING_RE = re.compile(r"\s*+(?:gru(?:ß|ss)|grü(?:ß|ss)e|gruesse|lg|vg)\s*[,.!]?\s*$", re.I)
# "P.S.", "PS:", "P.P.S." (Latin or Cyrillic letters) opening a paragraph: more of the letter, under the signature
_WEAK_FIRST = frozenset("GgLlVv")  # the first letters of weak_closing_start's closings
_POSTSCRIPT_RE = re.compile(r"\s*+(?:[PП]\.?\s?){1,2}[SС]\.?(?=[\s:,]|$)")


def weak_closing_start(lines: list[str]) -> int:
    """Index of a closing of the everyday kind ("Gruß", "LG") that opens the last paragraph, followed by one
    or two lines of the writer's name and nothing else, with text above; else -1 (tests/mail `*_sd304`,
    `*_sd320`; "Viele Grüße" and the like are closings of the strong kind already)."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    for start in (end - 2, end - 3):  # the closing, and one or two name lines
        if start < 1 or lines[start][:1] not in _WEAK_FIRST or lines[start - 1].strip():
            continue
        if (_WEAK_CLOSING_RE.match(lines[start]) and all(_NAME_LINE_RE.match(x) for x in lines[start + 1:end])
                and any(x.strip() for x in lines[:start])):
            return start
    return -1


def postscript_start(lines: list[str], sig: int) -> int:
    """Index of a "P.S." paragraph below the signature that starts at `sig`, or -1: a postscript is more of
    the letter, written after the name on purpose (tests/mail `ru_ps_after_closing_formula_sd349`)."""
    for i in range(sig + 1, len(lines)):
        if lines[i][:1] in "PpПп " and not lines[i - 1].strip() and _POSTSCRIPT_RE.match(lines[i]):
            return i
    return -1


def slash_signoff(line: str) -> bool:
    """True when `line` is a "/Name" sign-off."""
    return _SLASH_SIGNOFF_RE.match(line) is not None


# a phone: after "+" or a label, or ten digits and more in the usual groupings ("4410-220-17" is a cost centre)
_PHONE_RE = re.compile(r"(?:\+|\b(?:tel|тел|phone|mob|моб|факс|fax)\b[.:]?\s*)\d[\d\s()./-]{5,}|\d[\d ()-]{9,}\d", re.I)
# a link with a scheme or www, an address, or a bare domain with a path (a signature's "linkedin.com/in/bob")
_WEB_RE = re.compile(r"https?://|www\.|[\w.+-]+@[\w-]+\.[\w.-]+|\b[\w-]+\.[a-z]{2,6}/[\w%-]")
_NAME_WORD = r"[A-ZА-ЯЁÀ-Þ][^\W\d_]*(?:[.'’-][^\W\d_]*)*\.?"  # "Егоров", "O'Neill", "Jean-Luc", "И.В."
_PRONOUNS = r"(?:\s*\((?:[^\W\d_]+/)+[^\W\d_]+\))?"  # "Maria Lopez (she/her)": pronouns after the name
# the lower-case particles of family names ("Pieter de Vries", "Ludwig van der Berg", "Maria da Silva")
_PARTICLES = r"(?:(?-i:van|von|der|den|de|da|di|du|del|della|la|le|ter|ten|dos|das|do|bin|ibn|al|y)\s+){0,2}"
_NAME_LINE_RE = re.compile(rf"\s*{_NAME_WORD}(?:\s+{_PARTICLES}{_NAME_WORD}){{0,3}}{_PRONOUNS}\s*,?\s*$")
# "Bob Smith | Engineer | ACME", "Иван Петров — бухгалтерия": the name, then the title after a bar or a dash
_NAME_AND_TITLE_RE = re.compile(rf"\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}{_PRONOUNS}\s*[|•·–—]\s*\S")


_LONG_BLOCK = 12  # lines: name, title, department, company, phones, address, site, a footer line


def contact_block_start(lines: list[str]) -> int:
    """Index where a trailing contact block (name, then title/phone/links) starts in the own text, or -1.

    Only the last paragraph is looked at, and only when some other paragraph comes before it.
    """
    start, end = paragraph_before(lines, len(lines))
    block = lines[start:end]
    images = 0
    while images < len(block) and block[images].lstrip().startswith(("[cid:", "[image:")):
        images += 1  # Outlook's and Gmail's placeholders for the signature's logo, above the name
    block = block[images:]
    if not 2 <= len(block) <= _LONG_BLOCK or not any(x.strip() for x in lines[:start]) or _introduced(lines, start):
        return -1  # (introduced: "our new account manager:" over a name and a link is whom the writer names)
    if any(len(x) > 70 for x in block) or not (_NAME_LINE_RE.match(block[0]) or _NAME_AND_TITLE_RE.match(block[0])):
        return -1
    contacts = sum(1 for x in block[1:] if _phone(x) or _WEB_RE.search(x))
    if contacts < (1 if len(block) <= 7 else 2):
        return -1  # a long corporate block (title, department, company, address) carries two contact lines
    return start


def closing_over_name(lines: list[str]) -> int:
    """Index of a closing formula that is a paragraph of its own over a last paragraph that is a name block (the
    name, then one or two short lines that end no sentence: a title, a department), or -1. Outlook and many
    writers put an empty line between the closing and the name ("Met vriendelijke groet,\n\nPieter de
    Vries\nAfdeling Inkoop", tests/mail `*_sd809`). A closing over a bare name or none ("Best regards\n\nSome
    One": Discourse keeps it), over a sentence, or over a sentence-case line ("Charger missing", review O) stays."""
    start, end = paragraph_before(lines, len(lines))
    top, bottom = paragraph_before(lines, start)  # the closing: a paragraph of one line
    head = lines[top].split(None, 1) if bottom == top + 1 else []
    if not 2 <= end - start <= 3 or not head or head[0].rstrip(",.!:").lower() not in _FIRST_WORDS:
        return -1  # (most mails end otherwise: a set lookup, not a regex)
    block = [x.strip() for x in lines[start:end]]
    if not (_NAME_LINE_RE.match(block[0]) or _NAME_AND_TITLE_RE.match(block[0])) or any(
            len(x) > 50 or x.endswith(("!", "?", ":", ";")) or len(x.split()) > 5 for x in block) or any(
            x.endswith(".") or any(c.isdigit() for c in x)
            or (x[:1].isupper() and any(w.islower() and len(w) >= 4 for w in x.split()[1:])) for x in block[1:]):
        return -1
    top = closing_above(lines, start)
    return top if top < start else -1


def _phone(line: str) -> bool:
    m = _PHONE_RE.search(line)
    return m is not None and (not m.group(0)[0].isdigit() or sum(c.isdigit() for c in m.group(0)) >= 10)


# a confidentiality notice speaks of confidentiality, of the intended recipient, and tells whoever got it by
# mistake to delete it or speaks of an error -- a user's own sentence about a "confidential folder" and its
# "recipients" does not. Word stems, looked for in the lower-cased paragraph (substring scans, no regex).
_CONFIDENTIAL = (
    "confiden", "vertraulich", "poufn", "důvěrn", "dôvern", "luottamuksel", "fortrolig", "konfidentiel",
    "konfidensiel", "vertrouwelijk", "riservat", "privileged", "конфиденц", "机密", "機密", "保密", "기밀", "gizli",
)
_ADDRESSEE = (
    "recipient", "addressee", "destinat", "adressat", "empfänger", "geadresseerde", "adresat", "příjemce",
    "adresát", "vastaanottaja", "mottag", "modtager", "получател", "адресат", "收件人", "宛先", "수신", "alıcı",
)
_MISTAKE = (
    "error", "delete", "destroy", "erreur", "détrui", "supprim", "elimin", "borr", "irrtum", "fehler", "lösch",
    "vernicht", "errore", "fout", "verwijder", "błęd", "usuń", "zniszcz", "omyl", "smaž", "znič", "virhe",
    "poista", "tuhoa", "fejl", "feil", "slet", "radera", "ошибк", "удал", "уничтож", "誤", "错", "錯", "削除",
    "删除", "삭제", "hata",
)


def _stems_re(stems: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of the stems (plain substrings): twice as fast as a substring test per stem."""
    return re.compile("|".join(map(re.escape, stems)))


_CONFIDENTIAL_RE, _ADDRESSEE_RE, _MISTAKE_RE = map(_stems_re, (_CONFIDENTIAL, _ADDRESSEE, _MISTAKE))


def disclaimer_start(lines: list[str]) -> int:
    """Index where trailing confidentiality notices start in the own text, or -1.

    A notice is a paragraph of 80 to 3000 characters that names confidentiality, the intended recipient and
    what to do on receiving it by mistake; the trailing run of such paragraphs goes, when some other text
    comes before it (a mail that is nothing but a notice keeps it). Needed for tests/mail `*_disclaimer_*`
    (es, fr, de, ru, en): a notice without `-- ` or a closing formula above it (ru_replies_authored's sit
    under "С уважением" already); `en_disclaimer_with_confidential_request_*` keeps a request that only
    speaks of confidential things.
    """
    start, end, cut = len(lines), len(lines), -1
    while True:
        start, end = paragraph_before(lines, end)
        if not end:
            return -1
        size = sum(map(len, lines[start:end]))
        para = " ".join([x.strip() for x in lines[start:end]]).lower() if 80 <= size <= 3200 else ""
        if not (80 <= len(para) <= 3000 and _CONFIDENTIAL_RE.search(para) and _ADDRESSEE_RE.search(para)
                and (_MISTAKE_RE.search(para) or (cut < 0 and "?" not in para and _under_a_name(lines, start)
                                             and not _POSTSCRIPT_RE.match(para[:8].upper())  # more of the letter
                                             and _REGISTRATION_RE.search(para)))):
            return cut if cut > 0 and _more_than_a_greeting(lines[:cut]) else -1
        cut, end = start, start


# a company's footer names its registration; a person's own "access only for her as the recipient" does not
_REGISTRATION_RE = re.compile(r"regist|company|\bltd\b|limited|\bllc\b|gmbh|\bplc\b|\binc\b|\bооо\b|\bао\b|"
                              r"зарегистр|\bинн\b|\bогрн\b|\bvat\b")


def _more_than_a_greeting(above: list[str]) -> bool:
    """Whether the writer said something above a notice: under "Добрый день!" alone the paragraph that speaks of
    confidential data sent by mistake is the request itself, not a footer."""
    said = [x.strip() for x in above if x.strip()]
    return len(said) > 1 or (len(said) == 1 and not (said[0].endswith((",", "!")) and len(said[0].split()) <= 4))


def _under_a_name(lines: list[str], start: int) -> bool:
    """True when the paragraph above `start` is a name block: one to four short lines (at most five words, none
    ending a sentence or asking). A last paragraph under the writer's name that speaks of confidentiality and
    of the addressee, and asks nothing, is the company's footer even when it says nothing of a mistake (a UK company's
    registration and "intended solely for the use of the addressee", tests/mail
    `en_uk_company_registration_footer_sd527`); a request that speaks of confidential folders stands above."""
    top, end = paragraph_before(lines, start)
    block = [x.strip() for x in lines[top:end]]
    return bool(top and 1 <= len(block) <= 4 and all(
        len(x.split()) <= 5 and not x.endswith((".", "!", "?", ":", ",")) for x in block))


_DATA_LABEL_RE = re.compile(
    r"\s*(?!(?:tel|phone|fax|mob|mobile|cell|e-?mail|web|www|тел|моб|факс|адрес|address|skype|teams)\w*\.?\s*:)"
    r"[^\W\d_][\w .-]{1,25}:\s+\S", re.I)


def framed_start(kept: list[int], norm: list[str], kinds: list[str], writer: str = "") -> int:
    """Index in `kept` of a rule line (three marks or more: `━━━━`, `=====`) over the last one to eight short
    lines of the writer's text, one of them a phone, an address or a link, and framed by a second rule below
    them (trimmed off `kept` already: asked of the line after the last kept one) or, open, two lines or more
    under an empty line: the frame Japanese and many corporate signatures draw around company, name and TEL, with
    no `-- ` and no closing (tests/mail `ja_thunderbird_heavy_rule_framed_signature_sd643`); else -1. A rule
    right under a line underlines a heading, and lines under the writer's line ending in a colon or asking a
    question are the writer's."""
    if len(kept) < 3:
        return -1
    after = kept[-1] + 1
    closed = after < len(kinds) and kinds[after] == DELIM and len(norm[after].strip()) >= 3
    top = len(kept) - 1
    while top > 0 and kinds[kept[top]] == TEXT and len(kept) - top <= 9:
        top -= 1
    rule, block = kept[top], [norm[i] for i in kept[top + 1:]]
    if not (kinds[rule] == DELIM and len(norm[rule].strip()) >= 3 and 1 <= len(block) <= 8
            and kept[-1] - rule == len(block) and all(len(x) <= 70 and not x.rstrip().endswith("?") for x in block)
            and any(kinds[i] == TEXT for i in kept[:top])):
        return -1
    if not closed and (len(block) < 2 or kinds[rule - 1] != EMPTY):
        return -1
    if _introduced([norm[i] if kinds[i] == TEXT else "" for i in kept[:top]], top):
        return -1  # "call the vendor's hotline:" over a framed number: what the writer points to
    above = [norm[i].strip() for i in kept[:top] if kinds[i] == TEXT and norm[i].strip()]
    if above and above[-1][-1:].isalnum() and len(above[-1].split()) > 4:
        return -1  # "… the manager on site today is" over the frame: the sentence goes on in it
    if any(_DATA_LABEL_RE.match(x) and not (_phone(x) or _WEB_RE.search(x)) for x in block):
        return -1  # "Курьер: …", "Attn: …": data the writer passes on, not the contact lines of a signature
    if (names := [w.lower() for w in re.findall(r"[^\W\d_]{2,}", writer)]) and not any(
            w in " ".join(block).lower() for w in names):
        return -1  # a frame without the sender's name: a counterparty's details they pass on (new bank details)
    return top if any(_phone(x) or _WEB_RE.search(x) for x in block) else -1




def cut_signature(kept: list[int], norm: list[str], kinds: list[str],
                   why: tuple[str, int] | None, lines: list[str], writer: str = "") -> tuple[str, int] | None:
    """Drop (in place) a signature block at the end of the kept lines (indices into `norm`, whose `kinds`
    linekinds.py gave); returns the reason (rule, line), else `why` unchanged. A notice is read
    from the whole `lines`: HTML-to-text writes each paragraph on one line, its "received in error" past the
    `_MAX_LINE` characters `norm` keeps."""
    own = [norm[i] if kinds[i] == TEXT else "" for i in kept]
    # (norm is lines itself unless a line was capped or held invisible characters)
    full = own if lines is norm else [lines[i] if kinds[i] == TEXT else "" for i in kept]
    if (notice := disclaimer_start(full)) > 0:
        why = ("disclaimer", kept[notice])
        del kept[notice:], own[notice:]
        while kept and kinds[kept[-1]] in (EMPTY, DELIM, RULE):
            kept.pop()
            own.pop()
    sig = signature_start(own)
    rule = "closing-formula"  # a closing formula with the name under it: the signature block
    if sig < 0 and len(own) > 2 and (own[-2][:1] in _WEAK_FIRST or own[-3][:1] in _WEAK_FIRST):
        sig = weak_closing_start(own)  # ("Gruß", "LG", "VG" over the name: a cheap look first)
    if sig < 0:
        sig, rule = contact_block_start(own), "contact-block"  # name, title, phone or links as the last paragraph
        sig = closing_above(own, sig) if sig > 0 else sig
    if sig < 0:
        sig, rule = closing_over_name(own), "closing-formula"  # "Met vriendelijke groet,\n\nPieter de Vries"
    if sig < 0:
        sig, rule = framed_start(kept, norm, kinds, writer), "framed-signature"  # company, name, TEL between two rules
    if sig < 0 and writer:
        sig, rule = named_signoff_start(own, writer)  # a closing in any words, or "--", over the sender's own name
        if sig > 0 and (_introduced(own, sig) or not _more_than_a_greeting(own[:sig])
                        or (rule == "closing-formula" and not _signature_tail(own[sig + 2:]))):
            sig = -1  # a colon line introduces it, only a greeting stands above, or data stands under the name
    if sig > 0:
        why = (rule, kept[sig])
        ps = postscript_start(own, sig)  # a "P.S." under the signature is more of the letter and stays
        del kept[sig:ps if ps > 0 else len(kept)]
        while kept and kinds[kept[-1]] in (EMPTY, DELIM, RULE):
            kept.pop()
    return why


def _signature_tail(tail: list[str]) -> bool:
    """Whether the lines under a named closing's name are a signature's (title, phone, link), not another
    person's name or figures the writer passes on ("Итого к возмещению,\nИван Петров\n12 400,00 руб.")."""
    for x in tail:
        t = x.strip()
        if not t:
            continue
        if persons_name(t):
            return False
        if any(c.isdigit() for c in t) and not (_phone(t) or _WEB_RE.search(t)):
            return False
    return True

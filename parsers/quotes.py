"""Cut quoted history and signatures from a reply, in English, Russian and the other languages mail clients use.

`strip_reply` gives every line a kind (linekinds.py: text, empty, `>` quote, attribution "On … wrote:" /
"… пишет:" even when wrapped over up to five lines, forward/original-message separator, Outlook header field
"From:"/"От:", mobile footer, `-- ` signature separator, line of underscores, punctuation-only delimiter),
then reads the kinds here:

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

from postdesk.parsers.attribution import _MAX_LINE, GLUE_LAST, _is_attribution, orphan_head, unglue_lines
from postdesk.parsers.footers import banner_end, maybe_banner
from postdesk.parsers.leading import answer_below, leading_cut, quoted_letter, signature_on_top
from postdesk.parsers.linekinds import (
    _FROM_RE,
    _HEADER_RE,
    _INVISIBLE_RE,
    _QUOTE_LEVEL_RE,
    _QUOTE_RE,
    _WHEN_FIELD_RE,
    ATTRIB,
    DELIM,
    EMPTY,
    FORWARD,
    HEADER,
    MOBILE,
    QUOTE,
    RULE,
    SIGSEP,
    TEXT,
    _classify,
    _norm,
)
from postdesk.parsers.lookalikes import (
    DATE_LABELS,
    GREETING_WORDS,
    asks,
    asks_below,
    cites_below,
    inside_paragraph,
    list_goes_on,
    mid_sentence,
    tagged_answers,
    unattested,
    undated,
    unheaded_original,
)
from postdesk.parsers.signatures import cut_signature, slash_signoff

_FOOTER_MAX = 15  # text lines under a line of underscores that are still a footer
_SIGNOFF_RE = re.compile(r"\s*+-[^\W\d_][\w.']*(?:\s[^\W\d_][\w.']*){0,2}\s*$")
_NAMEWORD = r"(?-i:[A-ZА-ЯЁ])[^\W\d_]*+"  # a capitalised word
_GREETING_RE = re.compile(  # "Hi," alone above an attribution announces an answer below the quote; so does
    # "Здравствуйте, Служба." (a greeting, a name of one or two words, a full stop: The Bat!'s template)
    r"\s*+(?:\S.{0,38}[,:]|(?:" + GREETING_WORDS + r")(?:.{0,38}!|[^\s,.!]*+,?\s" + _NAMEWORD + r"(?:\s"
    + _NAMEWORD + r")?\.))\s*$",
    re.I,
)
_CID_RE = re.compile(r"\[cid:[^\]\s]{1,300}\](?:<[^<>\s]{1,500}>)?")
_BLANK_RUN_RE = re.compile(r"\n(?:[ \t]*+\n){2,}")
_SHORT_TAIL = 4  # at most this many text lines after a quoted reply are a signature or footer, not a reply


def _header_block_end(kinds: list[str], norm: list[str], i: int, leading: bool = False) -> int:
    """If an Outlook/Gmail header block starts at i, the index after it; else -1. A block is From + Sent or
    Subject; or From with an address + one more field (Date, To: short blocks of mobile clients and quotequail's
    "*From:* … *To:*"); at the very top of a mail (`leading`) a lone "From: name <address>" too (willdurand).
    "From: Monday / To: Friday" has no address and stays text; nor is a list of two From lines a block."""
    if i and kinds[i - 1] == HEADER:
        return -1  # a block is read from its first field: one rejected there is not taken from its second
    has_from = has_when = from_address = generic = False  # generic: labels in no list (linekinds._mark_label_blocks)
    fields, j, n, last = 0, i, len(kinds), -1
    dates: list[tuple[int, int]] = []  # the Date: fields' (line, end of the label)
    while j < n and j - i < 14:
        k = kinds[j]
        if k == HEADER:
            m = _HEADER_RE.match(norm[j])
            name = m.group(1).lower() if m else ""
            is_from = bool(_FROM_RE.match(name))
            if is_from and has_from:  # "From: a@x" / "From: b@x" (a mail has one From), or the next mail's block
                if kinds[j - 1] != EMPTY:
                    return -1
                break
            if m and name in DATE_LABELS:
                dates.append((j, m.end()))
            generic = generic or m is None
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
    if last < 0 or not (has_from or generic):
        return -1
    if (has_when or generic or (from_address and (fields >= 2 or leading))) and not (dates and undated(norm, dates)):
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
    """True when, after a quote, only a few text lines remain and no further quote: a signature or footer.
    Further attributions each with their quote (a thread pasted whole) are passed over; a tail that asks a
    question is the writer's, not a signature (tests/mail `en_pasted_thread_question_below_sd338`)."""
    count, j, n = 0, start, len(kinds)
    while j < n:
        k = kinds[j]
        if k == QUOTE:
            return False
        if k == ATTRIB and count == 0:
            while j < n and kinds[j] in (ATTRIB, EMPTY):
                j += 1
            if j < n and kinds[j] == QUOTE:
                j = _quote_run_end(kinds, j)
                continue
            break
        if k in (SIGSEP, RULE, FORWARD, ATTRIB) or (k == HEADER and _header_block_end(kinds, norm, j) > 0):
            break
        if k == TEXT:
            count += 1
            if "?" in norm[j] and asks(norm[j]):
                return False
        j += 1
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


def _skip_leading(kinds: list[str], norm: list[str], i: int, drop: set[int], reply: bool = True) -> int:
    """Skip what stands before the writer's own text: attributions with their quotes, forward headers."""
    n = len(kinds)
    while i < n:
        k = kinds[i]
        if k == SIGSEP and reply and (end := signature_on_top(norm, kinds, i)) > 0:
            drop.update(range(i, end))  # the writer's signature on top, their answer below the quote
            i = end
        elif k in (EMPTY, MOBILE, DELIM, SIGSEP, RULE, FORWARD):
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
        elif reply and k == QUOTE and (end := _quote_run_end(kinds, i)) < n and TEXT in kinds[end:] and quoted_letter(
                norm, i, end, [norm[x] for x in range(end, n) if kinds[x] == TEXT]):
            # a quoted letter that opens the mail is what the writer answers below it, as under an attribution
            # (tests/mail `*_sd738`, `*_sd755`, `*_sd756`: bottom posts and inline answers, glued or not)
            drop.update(range(i, end))
            i = end
        else:
            return i
    return i


_CUT_RULES = {SIGSEP: "signature-separator", FORWARD: "forward-separator", HEADER: "header-block",
              RULE: "footer-rule", ATTRIB: "attribution", MOBILE: "mobile-footer"}


def _own_text(lines: list[str], norm: list[str], kinds: list[str], writer: str = "", reply: bool = True
              ) -> tuple[list[str], tuple[str, int] | None]:
    """The writer's own lines, and why and where the rest was cut (rule, line index) if it was.

    History after the first marker that follows own text is cut; then decoration at the edges, a sign-off and
    a signature block.
    """
    drop: set[int] = set()
    n = len(lines)
    start = _skip_leading(kinds, norm, 0, drop, reply)
    cut = _history_start(norm, kinds, start, drop)
    why = (_CUT_RULES.get(kinds[cut], "attribution"), cut) if cut < n else None
    kept = [i for i in range(start, cut) if i not in drop]
    why = _trim_edges(kept, norm, kinds, why)
    why = cut_signature(kept, norm, kinds, why, lines, writer)
    if kept and maybe_banner(norm[kept[0]], norm[kept[1]] if len(kept) > 1 else "") and (
            top := banner_end([norm[i] if kinds[i] == TEXT else "" for i in kept[:40]])):
        why = why or ("banner", kept[0])  # a gateway's "[EXTERNAL] …" or a label above the writer's text
        del kept[:top]
    answers = tagged_answers(norm, kinds, kept, cut, writer) if cut < n and "[" in "".join(norm[start:cut]) else []
    if why is None and start:
        why = leading_cut(kinds, drop, start)
    return [lines[i] for i in kept] + ([""] + [lines[j] for j in answers] if answers else []), why



def _history_start(norm: list[str], kinds: list[str], start: int, drop: set[int]) -> int:
    """Index of the first history marker after the writer's own text (len(kinds): none). Attributions of
    quotes answered inline, and mobile footers above any own text, are added to `drop`."""
    n = len(kinds)
    own_lines = 0  # text lines of the writer seen so far
    rule_tail: list[int] = []  # computed when the first line of underscores is met
    first_own = last_own = -1
    i = start
    while i < n:
        k = kinds[i]
        if k == TEXT:
            own_lines += 1
            last_own = i
            if first_own < 0:
                first_own = i
        elif k == MOBILE:
            if own_lines:
                return i  # "Sent from my phone" ends the reply; below it, if anything, the unquoted original
            drop.add(i)
        elif own_lines == 0:
            pass  # a leading plain quote: context for what follows
        elif k in (SIGSEP, FORWARD):
            if not (mid_sentence(norm, kinds, i) if k == FORWARD else asks_below(norm, kinds, i)) and not (
                    k == FORWARD and unheaded_original(norm, kinds, i)):
                return i
        elif k == HEADER and (end := _header_block_end(kinds, norm, i)) > 0:
            if not inside_paragraph(norm, kinds, i, end):
                return i
            own_lines, i = own_lines + end - i, end  # a mail the writer cites inside a sentence
            continue
        elif k == RULE:
            rule_tail = rule_tail or _texts_to_marker(kinds, norm)
            if rule_tail[i + 1] <= _FOOTER_MAX and not (mid_sentence(norm, kinds, i) and asks_below(norm, kinds, i)
                                                        ) and not list_goes_on(norm, kinds, i):
                return i  # a footer or history below the line, not more of the letter (which goes on and asks)
        elif k == ATTRIB:
            j = i
            while j < n and kinds[j] in (ATTRIB, EMPTY):
                j += 1
            if j >= n or kinds[j] != QUOTE:
                if unattested(norm, kinds, i, j):
                    own_lines, i = own_lines + 1, i + 1  # "the printer wrote:" over no quote: the writer's
                    continue
                return i  # history pasted below without quote marks (Outlook, mobile clients)
            after = _quote_run_end(kinds, j)
            if _tail_is_short(kinds, norm, after) and not ((own_lines == 1 and _GREETING_RE.match(norm[first_own]))
                                                            or answer_below(norm, kinds, last_own, after)):
                return i  # the text below the quote is a signature or a list footer (unless a greeting or
                # "answers below" above the quote announces it as the answer)
            drop.update(x for x in range(i, j) if kinds[x] == ATTRIB)
            i = j
            continue
        i += 1
    return n


def _trim_edges(kept: list[int], norm: list[str], kinds: list[str],
                why: tuple[str, int] | None) -> tuple[str, int] | None:
    """Drop (in place) trailing quotes and decoration, leading decoration, and a "-Name"/"/Name" sign-off;
    returns the reason, changed when a trailing quote or a sign-off was what ended the text."""
    popped, asked = -1, False
    while kept and kinds[kept[-1]] in (QUOTE, EMPTY, DELIM, RULE, MOBILE, ATTRIB):
        if kinds[kept[-1]] == QUOTE and not asked:
            asked = True  # (asked once, for the last quote line: the block is walked at most once)
            if cites_below(norm, kinds, kept[-1]):
                break  # the writer's "The log says:" over the lines it cites with ">", in a mail that quotes no one
        if kinds[kept[-1]] in (QUOTE, ATTRIB):
            popped = kept[-1]
        kept.pop()
    if popped >= 0:
        while popped > 0 and kinds[popped - 1] in (QUOTE, ATTRIB):
            popped -= 1
        why = ("trailing-quote", popped)
    # a head whose quote the HTML cut or the client collapsed: a paragraph of its own; right under the writer's
    # sentence it is their own colon line over a screenshot or a file ("При проведении 1С пишет:")
    if len(kept) > 2 and kinds[kept[-1]] == TEXT and kinds[kept[-2]] in (EMPTY, DELIM) and orphan_head(
            norm[kept[-1]]):
        why = ("attribution", kept.pop())
        while kept and kinds[kept[-1]] in (EMPTY, DELIM):
            kept.pop()
    lead = 0
    while lead < len(kept) and kinds[kept[lead]] in (EMPTY, DELIM, RULE):
        lead += 1
    del kept[:lead]
    texts = [i for i in kept if kinds[i] == TEXT]
    if len(texts) > 1 and texts[-1] == kept[-1] and (
            _SIGNOFF_RE.match(norm[texts[-1]]) or slash_signoff(norm[texts[-1]])):
        why = ("sign-off", kept.pop())  # "-Name" or "/Name" sign-off under the text (the classic dash signature)
        while kept and kinds[kept[-1]] in (EMPTY, DELIM):
            kept.pop()
    return why


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


def _strip(text: str, depth: int, writer: str = "", reply: bool = True) -> tuple[str, Cut | None]:
    """strip_reply with its reason, and the nesting depth of forwards already unpacked; `writer`: the sender's
    name when it is a person's (a framed block without it is data they pass on, not their signature)."""
    if not text or not text.strip():
        return "", None
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = flat.split("\n")
    if ":\n" in flat or " \n" in flat or "\t\n" in flat or "：\n" in flat or flat.endswith(GLUE_LAST):
        # (substring scans in C before a loop over every line)
        lines = unglue_lines(lines)
    needs_norm = _INVISIBLE_RE.search(text) or max(map(len, lines)) > _MAX_LINE
    norm = [_norm(x) for x in lines] if needs_norm else lines
    kinds = _classify(norm)
    if TEXT not in kinds and QUOTE in kinds:
        return _only_quoted(lines, norm, kinds, depth)
    out, why = _own_text(lines, norm, kinds, writer, reply)
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


def explain_reply(text: str, writer: str = "", reply: bool = True) -> tuple[str, Cut | None]:
    """strip_reply's result with the rule that ended it and the line where the cut starts (None: nothing cut);
    `writer`: the sender's name when it is a person's."""
    return _strip(text, 0, writer, reply)


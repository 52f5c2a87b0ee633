"""What stands above the writer's answer in a bottom-posted reply, with no own text before it.

A bottom post opens with what the writer answers: an attribution with its quote (quotes.py), a quoted letter
without an attribution (the writer deleted it, or the client wrote none), a quoted question alone, and in some
clients the writer's own signature, put on top of the quote by a "signature above the quote" setting. Each test
here says whether the lines at the top are such a thing, so that quotes.py goes on to the answer below them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from postdesk.parsers.linekinds import ATTRIB, EMPTY, FORWARD, HEADER, QUOTE, SIGSEP, TEXT
from postdesk.parsers.lookalikes import asks
from postdesk.parsers.signatures import (
    _CONFIDENTIAL_RE,
    _NAME_AND_TITLE_RE,
    _NAME_LINE_RE,
    _WEB_RE,
    _phone,
    closing_line,
)

_TOP_SIGNATURE_LINES = 6  # text lines under a `-- ` on top that may still be a signature
_TOP_SIGNATURE_WIDTH = 60  # a signature's line (name, title, phone) is short; a sentence of the letter is not


def quoted_letter(norm: list[str], i: int, end: int, below: Sequence[str] = ()) -> bool:
    """Whether the quoted lines i..end are what the writer answers below them: a letter that opens with a greeting
    ("> Hello Kate,", "> Добрый день!") or ends with a sign-off line (a name of one to four words, no sentence:
    "> IT Service Desk"), over two lines at least (tests/mail `*_sd738`, `*_sd755`, `*_sd756`); or a question
    ending the quote ("> Can we come by on Monday at 10:00 to swap your laptop?", tests/mail `*_sd846`). A cited
    policy, a command (`> ping 10.0.0.15`), a figure (`> 50 GB: sales@`) or a prompt answered in the quoted
    session itself (`> Continue (yes/no)?` over `> yes`) is none of them."""
    said = [t for x in range(i, end) if (t := norm[x].lstrip(" \t>").rstrip())]
    if not said:
        return False
    first, last = said[0], said[-1]
    if asks(last) and last[:1].isupper():
        # a question of the writer's own below cites the quoted one: it belongs to the request (review O)
        return not any(asks(line) for line in below)
    if len(said) < 2:
        return False
    greets = first[-1:] in ",!" and first[:1].isalpha() and len(first.split()) <= 4
    signs = last[:1].isupper() and last[-1:].isalnum() and len(last.split()) <= 4 and ":" not in last
    # a quote that only ends on a short capitalised line may be a program's dialog with its buttons ("> Да Нет"):
    # when the writer asks about it below, it is what they cite (review O), not a letter they answer
    return greets or (signs and not any(asks(line) for line in below))


def signature_on_top(norm: list[str], kinds: list[str], i: int) -> int:
    """The index of the attribution under a signature that opens the mail at the `-- ` line i, or -1.

    Thunderbird's and Outlook's "signature above the quote" puts the writer's signature first; a writer who then
    answers below the quote leaves it there (tests/mail `en_signature_on_top_answer_below_quote_sd840`). The
    block is one to six short lines that ask nothing, right above an attribution whose quote the writer's text
    follows; a sentence under the `--` (a long line, a question) is the writer's letter and stays.
    """
    n, j, texts = len(kinds), i + 1, 0
    while j < n and kinds[j] in (TEXT, EMPTY):
        if kinds[j] == TEXT:
            line = norm[j].strip()
            texts += 1
            if len(line) > _TOP_SIGNATURE_WIDTH or line.endswith(("?", "!")) or texts > _TOP_SIGNATURE_LINES:
                return -1
        j += 1
    if not texts or j >= n or kinds[j] != ATTRIB:
        return -1
    block = [norm[x].strip() for x in range(i + 1, j) if kinds[x] == TEXT]
    if not (_NAME_LINE_RE.match(block[0]) or _NAME_AND_TITLE_RE.match(block[0]) or closing_line(block[0])
            or any(_phone(x) or _WEB_RE.search(x) for x in block)):
        return -1  # "-- \nPrinter on 3rd floor\njams again" over a quote: the writer's request (review O)
    below = j
    while below < n and kinds[below] in (ATTRIB, EMPTY):
        below += 1
    if below >= n or kinds[below] != QUOTE:
        return -1
    while below < n and kinds[below] in (QUOTE, EMPTY):
        below += 1
    return j if TEXT in kinds[below:] else -1


_LEADING_RULES = {ATTRIB: "attribution", HEADER: "header-block", QUOTE: "quoted-letter", SIGSEP: "signature-on-top",
                  FORWARD: "forward-separator"}


def leading_cut(kinds: list[str], drop: set[int], start: int) -> tuple[str, int] | None:
    """Why the text starts where it does, when nothing below it was cut: the first history line above the writer's
    words (a bottom post's attribution and quote, a quoted question, a signature on top), so that an admin sees
    why those lines are not in the ticket (`postdesk parse --json`'s reply_cut)."""
    first = next((x for x in range(start) if x in drop and kinds[x] in _LEADING_RULES and (
        kinds[x] != SIGSEP or (x + 1 in drop and kinds[x + 1] == TEXT))), None)  # a lone `-- ` cuts nothing
    return None if first is None else (_LEADING_RULES[kinds[first]], first)


# a line by which the writer says their answer follows the quote ("both answers below", «ответы ниже», "siehe unten")
_BELOW_RE = re.compile(r"\b(?:below|beneath|underneath|inline|ниже|нижче|unten|ci-dessous|plus bas|abajo|debajo|sotto|"
                       r"hieronder|poniżej|nedan|nedenfor|alla|níže|alább|aşağıda|төменде)\b", re.I)
_BELOW_WORDS = 8  # the announcement is a short line; a long sentence that mentions "below" is the writer's letter


def answer_below(norm: list[str], kinds: list[str], last_own: int, after_quote: int) -> bool:
    """Whether the writer's own text above a quote announces the answer below it ("Hi,\n\nboth answers below.",
    tests/mail `en_text_above_and_below_quote_sd911`) and a sentence of theirs stands there: the short tail is then
    that answer, not a signature to cut with the history. A tail that is only a name, nothing, or a server's
    confidentiality notice stays cut with the history."""
    if last_own < 0 or len(norm[last_own].split()) > _BELOW_WORDS or not _BELOW_RE.search(norm[last_own]):
        return False
    tail = [norm[x] for x in range(after_quote, len(kinds)) if kinds[x] == TEXT]
    return any(len(line.split()) >= 4 for line in tail) and not _CONFIDENTIAL_RE.search(" ".join(tail).lower())

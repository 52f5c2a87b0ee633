"""Tell a bare "thank you" from a real follow-up, so thanking for a resolved ticket does not reopen it.

Deliberately conservative: every word left after greetings, sign-offs and the signature must be known
thanks/confirmation vocabulary or a name; anything else (a question, a "не"/"but", a new problem) means
"real content", because wrongly keeping a ticket closed costs more than reopening it once too often.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_only_thanks"]

_MAX_WORDS = 25  # past this a reply says more than thanks
_MAX_NAMES = 4  # capitalised unknown words taken for names ("Спасибо, Алексей Викторович!")
_MAX_UNKNOWN = 2  # unknown words allowed next to "works" ("Спасибо, почта заработала")

# ---------------------------------------------------------------------------------------------- vocabulary
# All words are lower-case with "ё" folded to "е".

_THANKS = frozenset({
    "спасибо", "спасибки", "спасибочки", "спасиб", "пасиб", "пасибо", "спс", "сяп", "благодарю", "благодарим",
    "благодарна", "благодарен", "благодарны", "благодарность", "благодарностью", "мерси", "сенкс",
    "thanks", "thank", "thx", "thnx", "tnx", "ty", "tyvm", "cheers", "appreciated", "appreciate", "kudos",
})
_CONFIRM = frozenset({
    # Russian: it works / it is solved / fine
    "работает", "работают", "заработал", "заработала", "заработало", "заработали", "починили", "починил",
    "починила", "починилось", "исправили", "исправилось", "получилось", "помогло", "помогли", "помог", "помогла",
    "сработало", "решено", "решена", "решен", "решился", "решилась", "решилось", "подключается", "подключилось",
    "подключился", "открывается", "открылось", "открылся", "печатает", "приходит", "приходят", "пришло",
    "пришла", "пришли", "грузится", "загружается", "отлично", "супер", "класс", "здорово", "замечательно",
    "прекрасно", "круто", "ура", "ок", "окей", "хорошо", "готово", "порядок", "понятно", "принято", "норм",
    "нормально", "снят",
    # English
    "works", "worked", "working", "fixed", "solved", "resolved", "sorted", "helped", "running", "connects",
    "connected", "loads", "prints", "arrived", "great", "perfect", "excellent", "awesome", "nice", "cool",
    "ok", "okay", "fine", "brilliant", "wonderful", "fantastic", "done", "yay",
})
# Words that say "it works" and so may stand next to what works: "принтер заработал", "the VPN works now".
_WORKS = frozenset({
    "работает", "работают", "заработал", "заработала", "заработало", "заработали", "починили", "починилось",
    "исправили", "исправилось", "получилось", "помогло", "помогли", "сработало", "решено", "решена", "решен",
    "решился", "решилась", "решилось", "подключается", "подключилось", "подключился", "открывается", "открылось",
    "открылся", "печатает", "приходит", "приходят", "пришло", "пришла", "пришли", "грузится", "загружается",
    "works", "worked", "working", "fixed", "solved", "resolved", "sorted", "helped", "running", "connects",
    "connected", "loads", "prints", "arrived",
})
_FILLER = frozenset({
    # greetings, sign-offs, politeness
    "добрый", "доброе", "доброго", "день", "дня", "утро", "утра", "вечер", "вечера", "здравствуйте", "здравствуй",
    "привет", "приветствую", "коллеги", "уважаемый", "уважаемая", "уважаемые", "с", "уважением", "наилучшими",
    "пожеланиями", "всего", "хорошего", "хороших", "выходных", "удачи", "hi", "hello", "hey", "dear", "good",
    "morning", "afternoon", "evening", "have", "a", "day", "weekend", "regards", "best", "kind", "kindest", "br",
    "wishes", "sincerely", "yours", "warm", "team", "all", "guys", "folks", "mr", "mrs", "ms",
    # the words thanks are made of
    "большое", "огромное", "громадное", "огромнейшее", "человеческое", "вам", "тебе", "всем", "вас", "за",
    "помощь", "оперативность", "оперативно", "быстро", "быструю", "оперативную", "отзывчивость", "поддержку",
    "решение", "работу", "очень", "еще", "раз", "так", "и", "все", "теперь", "уже", "снова", "да", "вроде",
    "бы", "у", "меня", "нас", "тоже", "в", "порядке", "вопрос", "проблема", "можно", "закрывать", "закрыть",
    "заявку", "обращение", "тикет", "то", "что", "это", "было", "по", "пожалуйста", "just", "many", "much", "so",
    "very", "lot", "lots", "for", "the", "help", "your", "quick", "fast", "prompt", "response", "fix", "support",
    "again", "it", "it's", "its", "is", "now", "everything", "all's", "that", "this", "yes", "yep", "yeah",
    "indeed", "you", "can", "close", "ticket", "request", "issue", "problem", "as", "well", "too",
    "and", "got", "fine", "up", "assistance", "super", "once", "more", "really", "truly", "job", "work",
    "please", "out", "on", "my", "side", "end", "of", "course", "totally", "absolutely",
})
_KNOWN = _THANKS | _CONFIRM | _FILLER

# A word that turns thanks into a follow-up, even next to "works".
_BLOCK_WORDS = frozenset({
    "не", "нет", "ни", "но", "а", "однако", "кроме", "только", "почти", "частично", "иногда", "периодически",
    "опять", "никак", "ничего", "как", "где", "когда", "почему", "зачем", "ли", "хотя", "увы", "сожалению",
    "still", "but", "not", "no", "nope", "never", "except", "only", "however", "though", "although", "yet",
    "almost", "partly", "partially", "sometimes", "unfortunately", "how", "why", "when", "where", "what",
    "which", "who", "cannot", "cant", "anymore", "nor",
})
_BLOCK_STEMS = (
    "ошиб", "error", "сбо", "fail", "глюч", "глюк", "завис", "висн", "вылет", "слома", "broke", "crash",
    "переста", "stopped", "медлен", "slow", "долг", "плох", "bad", "крив", "странн", "weird", "strange",
    "исчез", "пропа", "missing", "lost", "помогите", "подскаж", "could", "would", "should", "прошу",
    "нужен", "нужна", "need", "want", "хочу", "хотел",
)

# ---------------------------------------------------------------------------------------------- line shapes

_INVISIBLE = str.maketrans({"\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u2060": "", "\xa0": " "})
_SIGSEP_RE = re.compile(r"\s*(?:--+|—|–|_{3,}|-{3,}|={3,})\s*$")
_MOBILE_RE = re.compile(
    r"\s*(?:sent from|sent with|get outlook for|отправлено (?:с|из|со)|отправлено через|"
    r"скачайте|download outlook)\b", re.I)
_SIGNOFF_RE = re.compile(
    r"\s*(?:с уважением|с наилучшими пожеланиями|с благодарностью|всего (?:доброго|хорошего)|"
    r"best regards|kind regards|kindest regards|warm regards|regards|best wishes|best|br|sincerely|"
    r"yours(?: sincerely| truly)?|cheers)\b[\w\s,.!-]*$", re.I)
_PS_RE = re.compile(r"\s*(?:p\.?\s?s\.?|п\.?\s?с\.?)(?:\s|:|$)", re.I)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # the look-behind keeps it linear
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
_PHONE_RE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_CONTACT_MAX = 200  # a longer line is never just a phone or an address
_CONTACT_LABEL_RE = re.compile(
    r"\b(?:тел|телефон|моб|мобильный|сот|доб|вн|факс|tel|phone|mob|mobile|cell|ext|fax|e-?mail|почта|skype|"
    r"telegram|tg|whatsapp)\b\.?", re.I)
_NAME_LINE_RE = re.compile(r"\s*[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?"
                           r"(?:\s+[A-ZА-ЯЁ](?:[a-zа-яё]+|\.)(?:-[A-ZА-ЯЁ][a-zа-яё]+)?){0,2}[\s,.!]*$")
_NAME_WORD_RE = re.compile(r"[A-ZА-Я][a-zа-я]+(?:-[A-ZА-Я][a-zа-я]+)?")  # after ё folding
# A capitalised word opening a sentence is an ordinary word ("Спасибо. Проверю."), unless a comma or another
# capitalised word follows: "Алексей, спасибо", "Спасибо! Алексей Викторович".
_SENTENCE_START_RE = re.compile(r"(^\s*|[.!…]\s+)([A-ZА-Я])(?=[a-zа-я]+(?![\w'’-])(?!\s*,)(?!\s+[A-ZА-Я]))")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LETTER_RE = re.compile(r"[^\W\d_]")
_CLAUSE_RE = re.compile(r"[.,!;:…\n()«»\"]+|\s[-–—]+\s")
_SAD_RE = re.compile(r"[:;]-?\(|\({2,}|[👎😞😟😢😭😡😠☹🙁😕😩😫🤬😤😒😔]")
_GLAD_RE = re.compile(r"[👍🙏😊🙂😀😃😄😁❤💖👌✅🎉💪🤝👏☺😉🤗🥰😍🔥⭐🌹💐]|[:;]-?\)|\){2,}")


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("ё", "е").replace("Ё", "Е")


def _is_contact(line: str) -> bool:
    """A signature's phone, address or web line: no letters left once contacts and their labels are gone."""
    if len(line) > _CONTACT_MAX:
        return False
    rest = _CONTACT_LABEL_RE.sub(" ", _PHONE_RE.sub(" ", _URL_RE.sub(" ", _EMAIL_RE.sub(" ", line))))
    return rest != line and not _LETTER_RE.search(rest)


def _is_name_line(line: str) -> bool:
    """A name alone on a line ("Пётр Петров") starts a signature; a line of known words ("Работает!") does not."""
    return _NAME_LINE_RE.match(line) is not None and not any(
        w.lower() in _KNOWN or _blocked(w.lower()) for w in _WORD_RE.findall(line))


def _own_lines(text: str) -> list[str]:
    """The lines the requester wrote for this reply: the signature, mobile footer and contact lines go."""
    lines = [ln for ln in _normalized(text).splitlines() if ln.strip()]
    kept: list[str] = []
    cut_at: int | None = None
    for i, line in enumerate(lines):
        if _SIGSEP_RE.match(line) or _MOBILE_RE.match(line):
            cut_at = i
            break
        if _is_contact(line):
            continue
        kept.append(line)
        if _SIGNOFF_RE.match(line) or (len(kept) > 1 and _is_name_line(line)):
            cut_at = i + 1  # "С уважением," / "Пётр Петров": what follows is title, company, phone
            break
    if cut_at is not None:  # a P.S. below the signature is the requester's again
        kept += [_PS_RE.sub("", ln, count=1) for ln in lines[cut_at:] if _PS_RE.match(ln)]
    return kept


def _lower_start(m: re.Match[str]) -> str:
    return m.group(1) + m.group(2).lower()


def _blocked(word: str) -> bool:
    return word in _BLOCK_WORDS or word.endswith(("n't", "n’t")) or word.startswith(_BLOCK_STEMS)


def is_only_thanks(text: str) -> bool:
    """True when a reply only thanks or confirms that it works, so it must not reopen a resolved ticket."""
    body = "\n".join(ln if _is_name_line(ln) else _SENTENCE_START_RE.sub(_lower_start, ln) for ln in _own_lines(text))
    if not body.strip() or "?" in body or _SAD_RE.search(body):
        return False
    positive = _GLAD_RE.search(body) is not None
    words = names = unknown_total = 0
    for clause in _CLAUSE_RE.split(body):
        unknown = 0
        works = False
        for token in _WORD_RE.findall(clause):
            words += 1
            word = token.lower().replace("’", "'")
            if _blocked(word):
                return False
            if word in _KNOWN:
                positive = positive or word in _THANKS or word in _CONFIRM
                works = works or word in _WORKS
            elif _NAME_WORD_RE.fullmatch(token):
                names += 1
            else:
                unknown += 1
        if unknown and not works:
            return False
        unknown_total += unknown
    return positive and words <= _MAX_WORDS and names <= _MAX_NAMES and unknown_total <= _MAX_UNKNOWN

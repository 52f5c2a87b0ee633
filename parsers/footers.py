"""Mobile footers ("Sent from my iPhone", "Отправлено из мобильной Почты Mail.ru", "나의 iPhone에서 보냄"): the
line shapes, split from linekinds.py, which gives such a line the kind MOBILE. Two ways to recognise one:
the phrases mail clients write (a list, as closings are: a convention), and a shape -- "sent" as the first
or last word of a short line that names a device or a mail app (issue 15; parsers/README.md says which
tests need which).
"""

from __future__ import annotations

import re

_MOBILE_RE = re.compile(
    r"[\s(<\[*]*+(?:"
    r"sent\s+(?:from|via|with|by|using)\s+(?:my\s+|an?\s+)?(?:(?:[\w.'’™®-]++[ \t]*+){1,4}+"
    r"(?:[(<]https?://[^\s()<>]{1,200}[)>][ \t]*+)?[)>\]*]*+$"
    r"|(?:[\w.'-]+\s+){0,2}(?:iphone|ipad|ipod|android|mobile|phone|cell|blackberry|galaxy|samsung|htc|"
    r"nokia|huawei|xiaomi|pixel|tablet|device|outlook|mail|yahoo|airmail|mailbox|windows|pc)\b)"
    r"|\w+\s+from\s+mobile\b|from\s+my\s+(?:iphone|ipad|android|mobile|phone|smartphone|blackberry)"
    r"|get\s+outlook\s+for\b"
    # an app's store promo with its link, whatever the app: "Download Spark for iOS: <link>", "Get Newton for
    # iPhone<link>"; without the link "Download Chrome for Windows" is the writer's
    r"|(?:get|download)\s+(?:[\w.'’-]+\s+){1,2}for\s+(?:ios|android|iphone|ipad|windows|mac|macos)\b[.!]?"
    r"(?:\s*:?\s*https?://\S+|<https?://[^<>\s]+>)\s*$"
    r"|(?:скачайте|загрузите|получите|получить|скачать)\s+outlook\s+для\b"
    r"|envoyé\s+(?:de|depuis|à\s+partir\s+de)\s+(?:mon|ma|yahoo|outlook|l'application|\S+\s+pour)\b"
    r"|gesendet\s+(?:von|mit|vom)\s+(?:meinem|der|dem|outlook|mobil|\S+\s+für)\b"
    r"|(?-i:(?:[A-ZА-ЯЁ][\w.'-]*\s+){1,3})via\s+(?:mobile|phone|iphone|android|cell)\s*$"
    r"|von\s+meinem\s+.{1,40}\s+gesendet|diese\s+nachricht\s+wurde\s+von\s+.{1,80}\s+gesendet"
    r"|inviato\s+da\s+(?:iphone|ipad|android|il\s+mio|yahoo|outlook|libero)\b|sendt\s+fra\s+min\b"
    r"|enviado\s+(?:do|desde)\s+(?:meu|mi|o|el)\b|verzonden\s+(?:met|vanaf|van)\s+(?:mijn\s+)?\w"
    r"|verstuurd\s+vanaf\s+mijn\b|skickat\s+från\s+(?:min|mobil)|från\s+min\s+(?:iphone|ipad|mobil)"
    r"|wysłane\s+z\s+(?:mojego|iphone|aplikacji|telefonu)|odesláno\s+z\s+(?:mého|iphonu|mobilu)"
    r"|отправлено\s+(?:с|со|из)\s+\S|получено\s+с\s+помощью\b|надіслано\s+з\s+\S"
    r"|從我的.{1,20}傳送|从我的.{1,20}发送|[发發]自我的\s*\S|.{1,20}から送信"
    r")",
    re.I,
)
_MOBILE_STARTS = frozenset((
    "sent", "get", "download", "from", "envoyé", "von", "diese", "inviato", "sendt", "enviado", "verzonden",
    "verstuurd", "skickat", "från", "wysłane", "odesláno", "отправлено", "получено", "надіслано", "скачайте",
    "загрузите", "получите", "получить", "скачать", "gesendet",
))
# "sent" as the first or last word of a short line that names a device or a mail app: a mobile footer in any
# of these languages, whatever the words between ("Inviato dal mio iPhone", "iPhone'umdan gönderildi")
_SENT_WORDS = frozenset((
    "sent", "inviato", "enviado", "enviada", "enviat", "envoyé", "gesendet", "verzonden", "verstuurd", "wysłane",
    "wysłano", "skickat", "sendt", "lähetetty", "отправлено", "надіслано", "odesláno", "odoslané", "poslano",
    "poslato", "послато", "изпратено", "trimis", "αποστολή", "στάλθηκε", "gönderildi", "dikirim", "gửi", "보냄",
    "küldve", "saadetud", "sūtīts", "išsiųsta", "أرسلت", "مرسل", "ارسال", "נשלח",
))
# Arabic and Persian write the short vowels as marks over the letters or leave them out ("أُرسلت" = "أرسلت"):
# a footer's first word is compared without them
_VOWEL_MARKS = {c: None for c in (*range(0x64B, 0x660), 0x670)}
_SENT_LAST = ("gönderildi", "보냄", "küldve", "gesendet")  # the languages that put the verb last
_FOOTER_STARTS = _MOBILE_STARTS | _SENT_WORDS
_LAST_WORDS = (*_SENT_LAST, "から送信")  # maybe_mobile's one endswith for the footers that end with the verb
_DEVICE_RE = re.compile(  # names, as written (case matters: "phone" is a word, "iPhone" a name)
    r"iPhone|iPad|iPod|Android|BlackBerry|Galaxy|Samsung|Huawei|Xiaomi|Pixel|Nokia|Outlook|Yahoo|Gmail|Proton"
    r"|Spark|Mail\.ru|Яндекс|Windows|AOL|Xperia|OnePlus")


def _sent_from_device(t: str) -> bool:
    """A short line (at most seven words) that starts or ends with "sent" in some language and names a device
    or a mail app: a mobile footer ("Trimis de pe iPhone-ul meu", "나의 iPhone에서 보냄", "Sendt fra Outlook for
    Android"). "I sent the photo from my phone" starts with neither and stays text."""
    first = t.find(" ")
    if first < 0 or (_first_word(t[:first]) not in _SENT_WORDS and not t.rstrip(".").endswith(_SENT_LAST)):
        return False
    m = _DEVICE_RE.search(t)
    if m is None or len(t) > 80 or t.count(" ") > 6:
        return False
    # a footer ends at the device (or a possessive word or two after it); a sentence goes on or ends in a mark
    return t.rstrip()[-1:] not in ".!?؟," and len(t[m.end():].split()) <= 2


def _first_word(word: str) -> str:
    """A footer's first word as the word lists spell it: lower case, no Arabic vowel marks."""
    word = word.lower()
    return word.translate(_VOWEL_MARKS) if "\u0600" <= word[:1] <= "\u06ff" else word


_MD_LINK_RE = re.compile(r"\[([^\]\n]{1,200})\]\([^)\n]{0,500}\)")


def maybe_mobile(t: str) -> bool:
    """Cheap pre-test for a mobile footer: its first (or second) word is one the footers start with."""
    words = t.lstrip("(<[* \t").split(None, 2)
    if not words:
        return False
    first = words[0].lower()
    if "\u0600" <= first[:1] <= "\u06ff":  # (inline: this runs for most lines of every mail)
        first = first.translate(_VOWEL_MARKS)
    if first in _FOOTER_STARTS or (len(words) > 1 and words[1].lower() == "from"):
        return True
    if t.endswith(_LAST_WORDS):
        return True
    if " via " in t and t.rstrip().lower().endswith(("mobile", "phone", "android", "cell")):
        return True  # "John via mobile"
    return first.startswith(("從我的", "从我的", "发自我的", "發自我的"))


def is_mobile(t: str, s: str) -> bool:
    """True when the stripped line `t` (normalised line `s`) is a mobile footer; call behind maybe_mobile. A line
    that goes on after a comma with a conjunction ("Отправлено с iPhone, а на ноутбуке письма нет") is the
    writer's sentence about their phone, not the phone's footer."""
    if ", " in t and _GOES_ON_RE.search(t):
        return False
    return _MOBILE_RE.match(_MD_LINK_RE.sub(r"\1", s) if "](" in s else s) is not None or _sent_from_device(t)


_GOES_ON_RE = re.compile(r",\s+(?:а|но|однако|хотя|but|however|though)\s", re.I)  # (not "so": "…, so excuse typos")


_GLUED_LINK_RE = re.compile(r"(?<=\S)<https?://[^<>\s]{1,300}>")
_APP_OS_RE = re.compile(r"\b(?:iOS|Android)\b")


def glued_footer(t: str) -> bool:
    """A footer line with a store or app link glued to a word, as HTML-to-text writes it: without the link, a
    mobile footer ("Sent from Yahoo Mail on Android<https://go.onelink.me/…>", longer than any footer line
    with the link), or Outlook's in the app's language, a line of at most seven words naming Outlook and iOS or
    Android ("Outlook für iOS<https://aka.ms/o0ukef> beziehen", "Obtenir Outlook pour Android<…>"). The glued
    link tells the footer from the writer's "Outlook on iOS does not sync" (tests/mail
    `de_outlook_ios_fuer_ios_beziehen_sd419`). linekinds._classify asks only for the lines of a text with a
    glued link: no cost for other mail."""
    bare = _GLUED_LINK_RE.sub("", t).strip()
    if bare == t or len(bare) > 120:
        return False
    if "Outlook" in bare and len(bare.split()) <= 7 and _APP_OS_RE.search(bare) is not None:
        return True
    return maybe_mobile(bare) and is_mobile(bare, bare)


# a warning the receiving organisation's gateway puts above the text of mail from outside: a tag first
# ("[EXTERNAL]", "CAUTION:", «ВНИМАНИЕ:»), and the words "external"/"outside" in some language
_EXTERNAL_RE = re.compile(
    r"extern|outside|внешн|вне организации|за пределами|außerhalb|ausserhalb|extérieur|fuera de|esterno|zewnętrzn",
    re.I)
_THIS_MAIL_RE = re.compile(  # it speaks of this very mail, or of an external mail or sender
    r"\b(?:this|the)\s+(?:e-?mail|message)|\bexternal\s+(?:e-?mail|message|sender)|(?:это|данное)\s+(?:письмо|сообщение)"
    r"|внешн\w+\s+(?:письмо|отправител)|diese[rs]?\s+(?:e-?mail|nachricht)|externe[rn]?\s+(?:e-?mail|absender)"
    r"|\bce\s+(?:courriel|message|mail)|\beste\s+(?:correo|mensaje)|questo\s+messaggio|ta\s+wiadomo", re.I)
_CAUTION_RE = re.compile(  # what it warns about (links, attachments, the sender) or where the mail came from
    r"click|link|attach|sender|ссылк|вложени|отправител|anhang|anhäng|absender|pièce|lien|expéditeur|enlace|adjunto"
    r"|remitente|allegat|mittente|załącz|nadawc|originat|came from|comes from|поступил|пришло|stammt", re.I)
_SAFETY_TIP = "LearnAboutSenderIdentification"  # the link in Exchange Online's first-contact tip, in every language
_BANNER_MAX = 600  # characters: a banner is a sentence or two


def banner_end(lines: list[str]) -> int:
    """Index of the first line after a leading external-sender banner and the empty lines under it, or 0.

    The banner is the first paragraph, at most a few sentences, that opens with a tag in capitals or brackets
    and says this mail came from outside and warns of its links, attachments or sender, asking nothing; or
    Exchange Online's first-contact tip ("You don't often get email from … Learn why this is important<https://
    aka.ms/LearnAboutSenderIdentification>"), or a sensitivity label alone on the first line. The writer's text
    must follow (tests/mail `*_sd326`, `*_sd327`, `*_sd356`)."""
    end = 0
    while end < len(lines) and lines[end].strip():
        end += 1
    if not end or sum(map(len, lines[:end])) > _BANNER_MAX:
        return 0
    para = " ".join(lines[:end])
    if not (end == 1 and sensitivity_label(para)) and _SAFETY_TIP not in para and not (
            _tagged(lines[0][:48]) and "?" not in para and _EXTERNAL_RE.search(para) and _THIS_MAIL_RE.search(para)
            and _CAUTION_RE.search(para)):
        return 0  # "[Urgent] Our external website is down.", "NOTE: … our mails …", a question are the writer's
    while end < len(lines) and not lines[end].strip():
        end += 1
    return end if end < len(lines) else 0


# a sensitivity label Outlook writes into the text (Microsoft Purview): "Classification: Internal",
# «Классификация: Для внутреннего использования»; a line of its own, a short value
_SENSITIVITY_RE = re.compile(
    r"\s*+(?:classification|sensitivity|data classification|классификация|конфиденциальность|гриф|klassifizierung"
    r"|vertraulichkeit|classificação|clasificación|klasyfikacja|sınıflandırma)\s?:\s?\S[^:]{0,60}$", re.I)


def sensitivity_label(line: str) -> bool:
    """True when `line` is only a sensitivity label (tests/mail `ru_outlook_sensitivity_label_top_sd356`)."""
    return len(line) <= 90 and _SENSITIVITY_RE.match(line) is not None


def maybe_banner(first: str, second: str) -> bool:
    """Cheap test on the writer's first two lines, run on every mail: could a banner start here?"""
    head = first[:48]
    if (":" in head or "[" in head) and (_tagged(head) or sensitivity_label(first)):
        return True
    return _SAFETY_TIP in first or _SAFETY_TIP in second


def _tagged(head: str) -> bool:
    """The line (its first 48 characters will do) opens with a tag: "[EXTERNAL]" or words in capitals before a
    colon ("CAUTION:", «ВНИМАНИЕ:»). A cheap test, run on every mail's first line."""
    if ":" not in head and "[" not in head:
        return False
    t = head.lstrip()
    if t.startswith("["):
        return "]" in t[2:42]
    tag, colon, _ = t.partition(":")
    tag = tag.strip("* ")
    return bool(colon) and 4 <= len(tag) <= 40 and tag.isupper()

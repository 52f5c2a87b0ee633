"""The words of automatic mail: subjects, senders, MTA phrases, out-of-office sentences and the header names
the rules in auto.py and bounces.py look for. Tables of data, kept apart from the rules that use them.
"""

from __future__ import annotations

import re

# Local parts that only ever send delivery reports.
_DAEMON_LOCAL = frozenset({
    "mailer-daemon", "mailerdaemon", "mailer_daemon", "mail-daemon", "maildaemon", "mdaemon",
    "postmaster", "post_master", "poostmaster", "mail.delivery.subsystem", "bounce", "bounces",
    "nobody-bounces", "smtp-gateway",
})

_MAILER_DAEMON_LOCAL = frozenset({"mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon"})

_NOREPLY_LOCAL = frozenset({"no-reply", "noreply", "do-not-reply", "donotreply", "do_not_reply"})

_DAEMON_NAME_RE = re.compile(
    r"\b(?:mail(?:er)?[ -]?daemon|mail delivery (?:subsystem|system|service)|postmaster|"
    r"mail administrator|system administrator|content-filter|anti-?virus|mailscanner|mail gateway|"
    r"почтов\w* (?:шлюз|служба|система|робот))\b", re.I)

# Subjects of delivery reports (anchored: a person's "Fwd: Undeliverable ..." is not one).
_BOUNCE_SUBJECT_RE = re.compile(
    r"^\s*(?:"
    r"undeliver(?:ed|able)|delivery status notification|(?:mail )?delivery (?:status )?notification|"
    r"mail delivery (?:failed|failure|status|problem)|delivery fail(?:ure|ed)|failure notice|"
    r"returned mail|return(?:ed)? (?:to sender|mail)|mail (?:system error|failed)|"
    r"message (?:not delivered|delivery failed|could not be delivered)|could not send message|"
    r"warning: could not send|delayed mail|delivery (?:delayed|has been delayed|report)|"
    r"(?:mail )?delivery (?:status )?report|nondeliverable|non[- ]delivery|notice: mail delivery status|"
    r"postmaster notify|unzustellbar|nicht zustellbar|zustellung (?:fehlgeschlagen|verz)|"
    r"non remis|non recapitabile|non distribuibile|no se puede entregar|onbestelbaar|"
    r"échec de (?:la )?remise|impossible de remettre|"
    r"недостав|не доставлено|(?:сообщение|письмо) не (?:может быть |было )?доставлено|ошибка доставки|"
    r"отчет о доставке|отчёт о доставке|"
    r"virus (?:found|detected|alert)|(?:message|mail) (?:blocked|rejected|quarantined)|обнаружен вирус|"
    # an antivirus or DLP gateway that deleted or held the mail (ESET, Kaspersky in Russian)
    r"(?:сообщение|письмо) (?:удалено|заблокировано|отклонено|помещено в карантин)|"
    # zh, ja: Chinese mail systems' "system bounce" / "delivery failed", Japanese "delivery error"
    r"(?:系统)?退信|邮件(?:被)?退回|投递失败|發送失敗|無法投遞|配信(?:エラー|失敗)|送信エラー"
    r")", re.I)

# Delay warnings; anchored, because a failure's subject often repeats the original one ("... delayed payment").
_DELAY_SUBJECT_RE = re.compile(
    r"^\s*(?:(?:mail )?delivery status notification\s*[:(]\s*(?:mail delivery )?(?:delay|warning)|"
    r"delayed mail|delivery (?:delayed|has been delayed)|message delayed|"
    r"warning: (?:message \S+ delayed|could not send message for past)|"
    r"zustellung verzögert|verzögerte zustellung|задержка доставки|доставка (?:письма |сообщения )?задерж|"
    # Exchange's delay subjects in the languages of its failure subjects: de, fr, es, it, pl, pt
    r"verzögert\s*:|remise différée|retardée?\s*:|retrasad[oa]\s*:|recapito ritardato|ritardo\s*:|opóźnion\w*\s*:|"
    r"atrasad[oa]\s*:|"
    r"(?:письмо|сообщение) (?:пока|ещё|еще) не доставлено)",
    re.I)

# Vacation / out-of-office subjects, anchored at the start (a person's "Re: Out of office" is not one).
# Strong: the fixed prefixes mail programs put before the original subject; enough on their own.
_OOF_PREFIX_RE = re.compile(
    r"^\s*(?:"
    r"automatic reply|auto[- ]?reply|auto[- ]?response|automatic response|out of (?:the )?office(?: reply| autoreply)?|"
    r"autosvar|abwesenheitsnotiz|automatische antwort|réponse automatique|reponse automatique|"
    r"risposta automatica|respuesta automática|respuesta automatica|resposta automática|automatisch antwoord|"
    r"odpowiedź automatyczna|automatická odpověď|автоматический ответ|автоответ|автоответчик|"
    # Outlook's prefix in the languages of a Russian centre's neighbours and partners: uk, be, kk, uz (Cyrillic
    # and Latin), tr, zh-CN, zh-TW, ko
    r"автоматична відповідь|аўтаматычны адказ|автоматты жауап|автоматик жавоб|avtomatik javob|"
    r"otomatik (?:yanıt|yanit|cevap)|"
    r"自動応答|自动回复|自动答复|自動回覆|自動回復|자동 응답|자동 회신"
    r")\s*(?::|$)", re.I)

# Weak: words a person also uses ("Urlaub 2025", "Отпуск с 1 июля", an HR request); they count only
# together with some header evidence of an automatic reply.
_OOF_WORDS_RE = re.compile(
    r"^\s*(?:"
    r"out of (?:the )?office|vacation|on vacation|on leave|away from (?:the )?office|away until|absent|"
    r"i am (?:currently )?(?:out of|away|on leave|on vacation)|i'm (?:currently )?(?:out of|away|on leave|on vacation)|"
    r"abwesend|urlaub|absence|absent du bureau|fuori sede|fuera de la oficina|afwezig|"
    # (whole words: «Отпускные» is pay, «Отсутствует доступ» a request)
    r"нет на месте|вне офиса|в отпуске|отпуск\b|отсутствую\b|отсутствие (?:на|в офисе)\b|"
    r"я (?:сейчас )?(?:в отпуске|вне офиса|в командировке)|"
    r"у відпустці|відсутн|поза офісом|ofis dışında|izindeyim|不在办公室|休假"
    r")", re.I)

_REPLY_PREFIX_RE = re.compile(
    r"^\s*(?:re|fw|fwd|wg|aw|tr|sv|vs|rv|enc|res|odp|ynt|antw|отв|ответ|пересл|доб)\.?\s*(?:\[\d+\])?\s*:", re.I)

_ARF_SUBJECT_RE = re.compile(r"^\s*(?:complaint about message from|abuse report|email feedback report)", re.I)

# Phrases only a delivery agent writes, looked for near the top of the report.
_MTA_TEXT_RE = re.compile(
    r"this is the qmail-send program|this is the mail system at host|this is the postfix program|"
    r"created automatically by mail delivery (?:software|system)|"
    r"could not be delivered to one or more (?:of its )?recipients|"
    r"delivery to the following recipients? (?:failed|has failed|was unsuccessful|has been delayed)|"
    r"delivery has failed to these recipients|your message (?:wasn't|was not|couldn't be|could not be) delivered|"
    r"the following addresses? (?:had (?:permanent )?(?:fatal )?(?:delivery )?(?:errors|problems)|failed)|"
    r"did not reach the following recipient|i'm afraid i wasn't able to deliver|"
    r"automatically generated delivery status notification|----- ?transcript of session follows|"
    r"the original message was received at|^reporting-mta\s*:|^final-recipient\s*:|"
    r"this is the mailer-daemon|hi\. this is the|"
    r"сообщение не (?:может быть )?доставлено|не удалось доставить (?:ваше )?(?:письмо|сообщение)|"
    r"письмо не (?:может быть )?доставлено|это сообщение создано автоматически|"
    r"your message to \S{1,200} (?:couldn't|could not|wasn't|was not|can't|cannot) be delivered|"
    r"(?:contained|contains) a virus and (?:was|has been) (?:not delivered|removed|blocked|quarantined)",
    re.I | re.M)

# Generic failure words: evidence only when the sender is already a delivery agent or a no-reply robot.
_BOUNCE_WORDS_RE = re.compile(
    r"unable to deliver|(?:had|we had) trouble delivering|permanent (?:fatal )?errors?|undeliverable|"
    r"delivery status notification|could not be delivered to|mail delivery failed|returned mail|"
    r"failed to deliver|message delivery failed|error sending your mail|invalid (?:user|recipient) address|"
    r"rejected recipient|recipient address rejected|user unknown|no such user|mailbox (?:is )?(?:full|unavailable)|"
    # the mail itself not delivered yet or held (a gateway's hold or delay notice), not a parcel or an order
    r"\b(?:message|e-?mail|mail)\b[^.\n]{0,80}?\b(?:(?:has|have|was) not (?:yet )?been delivered|"
    r"(?:is being|has been|was) held)\b|"
    r"\brcpt to\s*:|\b5\d\d[ -]5\.\d{1,3}\.\d{1,3}\b|"
    r"транзакция завершилась неудачей|не может быть доставлено|недоставленное сообщение|адрес получателя не найден|"
    r"(?:mailbox|recipient|address|user) (?:was )?not found|收件人不存在|退信|宛先不明",
    re.I)

_SPLIT_TOKENS_RE = re.compile(r"[\s,;]+")

_LIST_HEADERS = ("List-Id", "List-Post", "List-Help", "List-Subscribe", "List-Owner", "List-Archive",
                 "Mailing-List", "X-Mailing-List", "X-ML-Name", "X-MLServer")

# Every header steps 5-8 of _classify read: a mail with none of them skips those steps.
_AUTO_HEADER_NAMES = frozenset(name.lower() for name in (
    "Auto-Submitted", "X-Autoreply", "X-Autorespond", "X-AutoReply-From", "X-Mail-Autoreply", "X-Autoresponder",
    "X-POST-MessageClass", "Delivered-To", "X-Autogenerated", "X-FC-MachineGenerated", "X-Apple-Action",
    "X-Apple-Criteria", "X-Auto-Response-Suppress", "Precedence", *_LIST_HEADERS, "List-Unsubscribe"))

_SES_TYPE_RE = re.compile(r'\\?"notificationType\\?"\s*:\s*\\?"(\w+)')

_SES_KINDS = {"bounce": "bounce", "complaint": "complaint", "delivery": "receipt"}

# Not X-Auto-Response-Suppress: Exchange puts a subset of it on ordinary mail to distribution groups.
_WEAK_AUTO_HEADERS = ("X-MS-Exchange-Inbox-Rules-Loop", "X-MS-Exchange-Generated-Message-Source")

# What an out-of-office template says and a person asking for something does not: that mail is not being read.
# Confirms an out-of-office subject when no header does (an Outlook rule "reply using a template" sends none;
# ru_replies_authored 090).
_OOF_BODY_RE = re.compile(
    r"без доступа к (?:электронной )?почте|доступ к (?:электронной )?почте (?:будет )?ограничен|"
    r"не (?:смогу|буду) (?:читать|проверять) (?:электронную )?почту|"
    r"(?:with |have )?(?:limited|no) access to (?:my )?e-?mails?|without access to (?:my )?e-?mails?|"
    r"will (?:respond|reply|get back to you)(?: to your (?:e-?mail|message))? (?:upon|on|after) my return|"
    r"keinen zugriff auf (?:meine )?e-?mails|sans accès (?:à|a) (?:mes|ma) (?:e-?mails?|messagerie)|"
    r"без доступу до (?:електронної )?пошти|e-?postalar\w* erişim\w* (?:yok|olmayacak|sınırlı)|"
    r"поштаға қолжетімділік жоқ|почтага кириш имконим йўқ|无法(?:查看|回复)邮件|無法(?:查看|回覆)郵件",
    re.I)

# A notification that says of itself that a program wrote it (1C, portals): automatic though no header says so.
_GENERATED_BODY_RE = re.compile(
    r"(?:письмо|сообщение|уведомление) (?:было )?(?:сформировано|создано|отправлено|сгенерировано) автоматически|"
    r"this (?:e-?mail|message|notification) (?:was|is|has been) "
    r"(?:automatically (?:generated|sent)|(?:generated|sent) automatically)|"
    r"this is an automatically generated (?:e-?mail|message|notification)",
    re.I)

# A notice that the delivery failed for good, though it also says "you do not need to resend" (MDaemon's
# "PERMANENT fatal delivery errors … YOU DO NOT NEED TO RESEND THIS MESSAGE"): no mere delay warning. A delay
# warning speaks of the future ("will give up", "if the delivery fails permanently").
_PERMANENT_TEXT_RE = re.compile(
    r"\bpermanent(?:ly)?\b[^.\n]{0,30}\b(?:errors?|failures?)\b|failed permanently|"
    r"(?:have|has|i've) given up|\bgave up\b|giving up|retry timeout exceeded|"
    r"(?:could not|cannot|can't) (?:be delivered|send message) for \d+ days|"
    r"(?:will be|has been|was) (?:deleted|removed) from (?:the )?(?:mail )?queue|"
    r"постоянн\w* ошибк|окончательн\w* (?:ошибк|отказ)",
    re.I)

# Delay warnings' own words (bounces.py: nothing has failed yet).
_DELAY_TEXT_RE = re.compile(
    r"this is (?:a|only a) warning|warning message only|only a temporary failure|temporary failure report|"
    r"still (?:being retried|undelivered)|will (?:keep trying|continue to try|retry)|has been delayed|"
    r"not yet been delivered|not (?:been )?delivered yet|(?:is being|has been) held\b|"
    r"do not need to re-?send|delivery incomplete|временн(?:ая|ый) (?:ошибка|сбой)|задержка доставки|"
    r"доставка (?:письма |сообщения )?задерж|задерживается|пока не (?:удалось )?доставить|пока не доставлен|"
    r"продолж\w* попытки|попытки доставки (?:будут )?продолж|"
    # the same notions in de, fr, es, it, pl, pt (Exchange's delay notice: "delayed", "not delivered yet")
    # de: "not yet delivered" ("konnte bisher nicht an folgende Empfänger zugestellt werden"), "keeps trying"
    # ("Wir versuchen es weiterhin", "wird weiterhin versucht"), "need not resend" ("nicht erneut senden")
    r"verzögert sich|(?:noch|bisher) nicht\b[^.\n]{0,60}?zugestellt|weiter(?:hin)? versucht|versuchen es weiter|"
    r"nicht erneut (?:zu )?(?:senden|versenden|schicken)|"
    r"est différée|pas encore\b[^.\n]{0,30}?(?:remis|distribu|livr)|se ha retrasado|aún no se ha entregado|"
    r"è stato ritardato|non è (?:stato )?ancora (?:stato )?recapitato|jest opóźnion|nie została jeszcze dostarczon|"
    r"está atrasad|ainda não foi entregue",
    re.I)
# A piece of every _DELAY_TEXT_RE phrase, lower-cased: the substring test that spares most reports the regex
# (sre tries each branch at each of 5000 positions). Without the letters re.I folds beyond str.lower()
# (FOLDED_LETTERS), so a text the regex matches always holds one of them.
_DELAY_WORDS = ("warn", "temporary", "undel", "ll be", "keep", "to try", "retry", "delayed", "need to re",
                "ncomplete", "yet", "held", "ременн", "ерж", "ка не", "лж", "verzöger", "noch n", "her n", "uch",
                "erneut", "ffér", "encore", "retra", "aún no", "tardat", "ancora", "opóźn", "zcze", "atra", "não f")
FOLDED_LETTERS = "isвдостъ"  # re.I also matches ı İ ſ and the old Cyrillic letters ᲀ–ᲆ to these


def says_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether the lower-cased text holds one of `words` (a regex's cheap pre-test; see _DELAY_WORDS)."""
    lowered = text.lower()
    return any(word in lowered for word in words)

# A line naming the returned mail's Message-ID in any notation a relay writes: a header ("Message-ID:"), a
# key ("smtp-id:", "X-Message-ID ="), a label in words ("Message ID:", "Original message ID:", "Nachrichten-ID:",
# «Идентификатор письма:», "Kennung der Nachricht:"), a table's label cell beside its value (a tab,
# autoread._html_to_text), or JSON ("messageId":"<…>", also inside an escaped JSON string). After a label the value
# may stand without angle brackets when it is all the line holds and ends the way a domain does ("Message-Id:
# 1234.abc@host", SmarterMail, Zimbra); not an opened bracket never closed (a raw quoted-printable line's "…P=").
_MSGID_LINE_RE = re.compile(
    r"(?:^[ \t]*(?:>[ \t]*)?(?:[^\W\d_]+[ \t]+)?(?:[\w-]*-)?(?:message[- ]?id|smtp-id|msg-?id|nachrichten-?id|"
    r"(?:идентификатор|kennung|identifiant|identificador|identificativo)(?:[ \t]+\w+){0,2})"
    r"(?:[ \t]*[:=][ \t]*|[ \t]*\t[ \t]*)(?:<(?=[^<>\s\\\"]+>)|(?=[^<>\s\\\"&]*@[^<>\s\\\"]*[^\W_][ \t\r]*$))|"
    r"\\?\"(?:messageId|message-id|Message-ID|smtp-id)\\?\"[ \t]*:[ \t]*\\?\"<)([^<>\s\\\"]+)",
    re.I | re.M)

# An ID in angle brackets right after the word for the mail, in a sentence ("accepted the message <id> from …",
# "Router: Message <id> was not transferred", «письмо <id>»): the mail's name, never a mailbox.
_NAMED_MESSAGE_RE = re.compile(r"\b(?:message|nachricht|письмо|сообщение)\s+<([^<>\s@]+@[^<>\s@]+)>", re.I)

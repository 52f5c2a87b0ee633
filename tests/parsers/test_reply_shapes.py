"""The reply cut's general shapes (issue 15), line by line: what each mechanism cuts, and what it must leave.

The whole mails of each shape are in tests/mail (`*_sd201` … `*_sd263`, checked by test_mail_files.py);
these are the edges of the mechanisms in parsers/linekinds.py, attribution.py and signatures.py, above
all the writer's own lines that look like a shape but are not one.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from postdesk.parsers.quotes import explain_reply
from postdesk.parsers.signoffs import persons_name

_ONE_LINE_NOTICE = (
    "This message and any attachments are confidential and intended solely for the use of the individual or entity "
    "to whom they are addressed. They may contain legally privileged information. Any review, retransmission, "
    "dissemination or other use of, or taking of any action in reliance upon, this information by persons or entities "
    "other than the intended recipient is prohibited. If you received this message in error, please contact the "
    "sender and delete the material from any computer.\n")
_ONE_LINE_NOTICE_RU = (
    "Настоящее сообщение и все приложения к нему являются конфиденциальными и предназначены исключительно для "
    "использования лицом или организацией, которым они адресованы. Сообщение может содержать сведения, составляющие "
    "коммерческую тайну АО «Нордтранс». Любое распространение, копирование или иное использование этих сведений "
    "лицами, не являющимися адресатами, запрещено. Если вы получили это сообщение по ошибке, сообщите отправителю "
    "и удалите его.\n")

_ON = "On Mon, 9 Feb 2026 at 10:15, Desk <d@x.example> wrote:\n"  # an attribution
# (mail text, what the writer wrote, the rule that cut -- None: nothing was cut)
CUT = [
    # issue 15 round 5: a separator under a closing, a dated one, a rule over a lower-case footer that asks nothing
    ("Thanks\n\n-----Original Message-----\nFrom: Desk <desk@x.example>\nSent: Monday, 9 February 2026 10:15\n"
     "Subject: VPN\n\nplease restart.\n", "Thanks", "forward-separator"),
    ("Best Regards\n\n---- On Tue, 22 Dec 2015 14:17:36 +0530 Sam <sam@x.example> wrote ----\n\nsam wrote this\n",
     "Best Regards", "forward-separator"),
    ("Thanks\n\n____________________\ndiscuss mailing list\nhttps://lists.x.example/discuss\n", "Thanks",
     "footer-rule"),
    # a reply's trailing quote under the writer's finished sentence, or under an attribution, is history
    ("Thanks, works now.\n\n> Please restart the laptop.\n", "Thanks, works now.", "trailing-quote"),
    ("The log says:\n\nOn Mon, 9 Feb 2026 at 10:15, Desk <d@x.example> wrote:\n> restart it\n", "The log says:",
     "trailing-quote"),
    # Outlook header blocks with display names only (an Exchange mailbox), labels in more languages (round 5 probes)
    ("Tamam.\n\nKimden: Desk\nGönderildi: 9 Şubat 2026 Pazartesi 10:15\nKime: Bob\nKonu: VPN\n\nMerhaba Bob,\n",
     "Tamam.", "header-block"),
    ("Ok.\n\nDe la: Desk\nTrimis: luni, 9 februarie 2026 10:15\nCătre: Bob\nSubiect: VPN\n\nSalut Bob,\n", "Ok.",
     "header-block"),
    ("Εντάξει.\n\nΑπό: Desk\nΣτάλθηκε: Δευτέρα, 9 Φεβρουαρίου 2026 10:15 πμ\nΠρος: Bob\nΘέμα: VPN\n\nΓεια,\n",
     "Εντάξει.", "header-block"),
    ("Готово.\n\nОт: Desk\nИзпратено: понеделник, 9 февруари 2026 г. 10:15\nДо: Bob\nТема: VPN\n\nЗдравей,\n",
     "Готово.", "header-block"),
    ("Ok.\n\nTừ: Desk\nĐã gửi: Thứ Hai, ngày 9 tháng 2 năm 2026 10:15\nĐến: Bob\nChủ đề: VPN\n\nChào Bob,\n",
     "Ok.", "header-block"),
    # Apple Mail's head inside the quote goes from an inline answer; the quoted questions stay as context
    ("Answers below.\n\n> On 9 Feb 2026, at 10:15, Desk <d@x.example> wrote:\n> Which model?\n\nDell.\n\n"
     "> Since when?\n\nMonday.\n", "Answers below.\n\n> Which model?\n\nDell.\n\n> Since when?\n\nMonday.", None),
    ("Done.\n\n> On 9 Feb 2026, at 10:15, Desk <d@x.example> wrote:\n> Which model?\n> Desk\n", "Done.", "attribution"),
    # "wrote" in more languages, a short head over the quote (round 5 probes)
    ("Ok.\n\nDesk έγραψε:\n> Hi\n", "Ok.", "attribution"),
    ("Ok.\n\nDesk je napisal:\n> Hi\n", "Ok.", "attribution"),
    ("Ok.\n\nDesk rakstīja:\n> Hi\n", "Ok.", "attribution"),
    ("Ok.\n\nDesk kirjutas:\n> Hi\n", "Ok.", "attribution"),
    ("Ok.\n\nDesk כתב:\n> Hi\n", "Ok.", "attribution"),
    ("Ok.\n\nDesk đã viết:\n> Hi\n", "Ok.", "attribution"),
    # mobile footers (round 5 probes): a trademark sign, Windows Mail in German, an app's link in parentheses
    ("Yes.\n\nSent from my Sony Xperia™\n", "Yes.", "mobile-footer"),
    ("Ja.\n\nVon Mail für Windows gesendet\n", "Ja.", "mobile-footer"),
    ("Yes.\n\nSent from Edison (https://www.edison.tech/)\n", "Yes.", "mobile-footer"),
    # closings the list lacked (round 5 probes), over the name: en, de, nl, pl, cs, hu (with a colon), it, es, pt, hr
    ("Done.\n\nCheers,\nBob\n", "Done.", "closing-formula"),
    ("Done.\n\nBest,\nBob Smith\n", "Done.", "closing-formula"),
    ("Erledigt.\n\nMit besten Grüßen\nJens Koch\n", "Erledigt.", "closing-formula"),
    ("Erledigt.\n\nBeste Grüße\nJens\n", "Erledigt.", "closing-formula"),  # not "Best" + a name "e Grüße"
    ("Klaar.\n\nGroeten,\nSanne\n", "Klaar.", "closing-formula"),
    ("Gotowe.\n\nPozdrowienia\nMarek\n", "Gotowe.", "closing-formula"),
    ("Hotovo.\n\nSrdečně\nPetr\n", "Hotovo.", "closing-formula"),
    ("Kész.\n\nÜdvözlettel:\nKovács Péter\n", "Kész.", "closing-formula"),
    ("Fatto.\n\nUn saluto,\nLuca\n", "Fatto.", "closing-formula"),
    ("Listo.\n\nUn cordial saludo,\nPablo\n", "Listo.", "closing-formula"),
    ("Pronto.\n\nAbraços,\nJoão\n", "Pronto.", "closing-formula"),
    ("Gotovo.\n\nLijep pozdrav,\nIvan\n", "Gotovo.", "closing-formula"),
    # a quote's head left last with nothing under it (the client collapsed the quote): address, or date + time
    ("It works now.\n\nZitat von Desk <desk@x.example>:\n", "It works now.", "attribution"),
    ("Готово.\n\nDesk <desk@x.example> ezt írta (időpont: 2026. febr. 9., H, 10:15):", "Готово.", "attribution"),
    # a notice written as one long line (HTML to text), its "received in error" past the 400th character
    ("Office closes at 18:00 on Fridays.\n\n" + _ONE_LINE_NOTICE, "Office closes at 18:00 on Fridays.", "disclaimer"),
    ("Пропуск готов.\n\n" + _ONE_LINE_NOTICE_RU, "Пропуск готов.", "disclaimer"),
    # a last paragraph under the writer's name block that speaks of confidentiality and the addressee: a footer
    ("Shipped today.\n\nJane Roe\nSales\n\nACME Ltd, registered in England, company no. 0123. This e-mail is "
     "confidential and intended solely for the addressee.\n", "Shipped today.\n\nJane Roe\nSales", "disclaimer"),
    # a colon line above a quote, any language, no verb list: an address, or a date + time + a name
    ("Ok.\n\nΣτις Δευ 9 Φεβ 2026 στις 10:15, ο/η Desk <desk@x.example>\nέγραψε:\n\n> Hi\n", "Ok.", "attribution"),
    ("Ok.\n\nDne 09. 02. 2026 ob 10:15 je IT Service Desk napisal:\n> Pozdravljeni\n", "Ok.", "attribution"),
    ("Ok.\n\n2026年2月9日 10:15 山田:\n> こんにちは\n", "Ok.", "attribution"),
    ('Ok.\n\n09.02.2026 10:15, "Служба поддержки":\n> Добрый день\n', "Ok.", "attribution"),
    # the original pasted below unquoted: an address, a date, a time and a name before the colon, any verb
    ("Ok.\n\nÎn lun., 9 feb. 2026 la 10:15, IT Desk <desk@x.example> a scris:\n\nHello Bob,\nplease restart.\n",
     "Ok.", "attribution"),
    ("Ok.\n\nIT Desk <desk@x.example> ezt írta (időpont: 2026. febr. 9., H, 10:15):\n\nHello Bob,\nplease restart.\n",
     "Ok.", "attribution"),
    # a short line ending in a known verb needs neither, the quote below is the evidence
    ("Thanks\n\nBob wrote:\n> hi\n", "Thanks", "attribution"),
    ("Bob Smith wrote:\n> hi\n> there\n\nmy answer below\n", "my answer below", "attribution"),
    # '|' quotes under an attribution
    ("Service wrote:\n| Which version?\n| 2023 or 2024\n\n2024 please.\n", "2024 please.", "attribution"),
    # mobile footers by shape: 'sent' first or last, a device named
    ("Yes.\n\nTrimis de pe iPhone-ul meu\n", "Yes.", "mobile-footer"),
    ("Yes.\n\niPhone'umdan gönderildi\n", "Yes.", "mobile-footer"),
    ("Yes.\n\nSendt fra Outlook for Android\n", "Yes.", "mobile-footer"),
    # a label header block in a language the field lists lack
    ("Ok.\n\nВід: Desk <desk@x.example>\nНадіслано: 9 лютого 2026 р. 10:15\nКому: Bob\nТема: test\n\nold text\n",
     "Ok.", "header-block"),
    # the line that introduces a header block, in any language: a dash-framed title or a short colon line
    ("See below.\n\n-------- Αρχικό μήνυμα --------\nΑπό: Desk <desk@x.example>\nΗμερομηνία: 9/2/2026 10:15\n"
     "Προς: Bob <bob@x.example>\nΘέμα: test\n\nold text\n", "See below.", "forward-separator"),
    ("Inizio messaggio inoltrato:\n\nDa: Desk <desk@x.example>\nData: 9 febbraio 2026 10:15:00 CET\n"
     "A: Bob <bob@x.example>\nOggetto: test\n\nforwarded body\n", "forwarded body", "forward-separator"),
    # Lotus Notes: the verb inside with a date and a time; a name-and-address line over a date line
    ("Hello\n\nBob Smith/ACME wrote on 09.02.2026 10:15:\n\nold unquoted text\n", "Hello", "attribution"),
    ("Hello\n\nDesk <desk@x.example>\n02/09/2026 10:15 AM\n\nTo\nBob <bob@x.example>\n\nold text\n", "Hello",
     "attribution"),
    # GroupWise: the head framed by '>>>' over the original, which is not quoted
    ("Fixed now.\n\n>>> Desk <desk@x.example> 2/9/2026 10:15 AM >>>\nHello Bob,\nplease restart.\n", "Fixed now.",
     "attribution"),
    # a signature under '--' that asks nothing; a mobile footer in a paragraph of its own
    ("Fixed.\n\n--\nBob Smith\nAccounts\n", "Fixed.", "signature-separator"),
    ("Yes.\nSent from my iPhone\n\nOn Mon, 9 Feb 2026, Desk <d@x.example> wrote:\nold\n", "Yes.", "mobile-footer"),
    # an Outlook block in a paragraph of its own, though the writer's sentence ends right above it
    ("Done.\n\nFrom: Desk <desk@x.example>\nSent: Monday, 9 February 2026 10:15\nSubject: test\n\nold text\n",
     "Done.", "header-block"),
    # an original pasted unquoted under a head that says whose and when
    ("Ok.\n\nOn Mon, 9 Feb 2026 10:15, Desk wrote:\n\nHello Bob,\nplease restart.\n", "Ok.", "attribution"),
    # a closing of the everyday kind, alone as the last paragraph with the name; a P.S. under a signature stays
    ("Geht wieder, danke.\n\nGruß\nJürgen\n", "Geht wieder, danke.", "closing-formula"),
    ("Works now.\n\nBest regards,\nAnna Smith\n\nP.S. The scanner needs paper too.",
     "Works now.\n\nP.S. The scanner needs paper too.", "closing-formula"),
    # a gateway's external-sender banner above the writer's text
    ("CAUTION: This email originated from outside of the organization. Do not click links or open attachments "
     "unless you recognize the sender.\n\nPlease reset my token.", "Please reset my token.", "banner"),
    # GroupWise's newer head: one quoted attribution line right over the original, unquoted
    ("Fixed now.\n\n>>> On 2/9/2026 at 10:15 AM, Desk<desk@x.example> wrote:\nHello Bob,\nplease restart.\n",
     "Fixed now.", "attribution"),
    # a banner without a warning about links (where the mail came from), Exchange Online's first-contact tip
    ("[External] This message came from outside your organization.\n\nHello, the VPN is down.",
     "Hello, the VPN is down.", "banner"),
    ("Вы нечасто получаете письма от ivan@x.example. Узнайте, почему это важно<https://aka.ms/"
     "LearnAboutSenderIdentification>\n\nДобрый день, VPN не работает.", "Добрый день, VPN не работает.",
     "banner"),
    # a contact block whose first line is the name with the title after a bar; the Chinese iPhone footer
    ("It works now.\n\nBob Smith | Engineer | ACME Corp\n+1 555 123 4567 | www.acme.example", "It works now.",
     "contact-block"),
    ("好的。\n\n发自我的iPhone\n\n原始邮件\n", "好的。", "mobile-footer"),
    # Notes' collapsed head; a sensitivity label above the text
    ("Thanks.\n\nDesk ---09.02.2026 10:15:26---Hello Bob, please restart.\n\nFrom:\tDesk <d@x.example>\n", "Thanks.",
     "attribution"),
    ("Classification: Internal\n\nThe VPN works again.", "The VPN works again.", "banner"),
    # The Bat!'s "greeting, name, full stop" above the attribution announces an answer below the quote
    ("Здравствуйте, Служба.\n\nВы писали 9 февраля 2026 г., 10:15:03:\n\nСП> Какой картридж?\n\nHP 59A.\n\n-- \n"
     "Борис\n", "Здравствуйте, Служба.\n\n\nСП> Какой картридж?\n\nHP 59A.", "signature-separator"),
    # ... a greeting with more than a name is a top-posted message: the short tail under the quote goes
    ("Hi team, the VPN is down.\n\nOn Mon, 9 Feb 2026 at 10:15, Desk <d@x.example> wrote:\n> ok\n\nBob",
     "Hi team, the VPN is down.", "attribution"),
    # a thread pasted whole with the question under it: not a short tail (a signature asks nothing)
    ("Hi,\n\nsee these mails:\n\nOn Fri, 6 Feb 2026 at 16:40, Mark <m@v.example> wrote:\n> Key on Monday.\n\n"
     "On Fri, 6 Feb 2026 at 14:02, Nina <n@c.example> wrote:\n> When is the key coming?\n\nCould IT chase the vendor "
     "for us?\n\nNina", "Hi,\n\nsee these mails:\n\n> Key on Monday.\n\n> When is the key coming?\n\nCould IT chase "
     "the vendor for us?\n\nNina", None),
    # ... and a tail that is a footer with a link is still one
    ("Thanks!\n\nOn Fri, 6 Feb 2026 at 16:40, Desk <d@x.example> wrote:\n> Done.\n\nACME Support\nNeed help? Visit us "
     "at https://help.example\n", "Thanks!", "attribution"),
    # a confidentiality notice without a separator
    ("Please fix it.\n\nThis e-mail is confidential. If you are not the intended recipient, please notify the "
     "sender and delete it.\n", "Please fix it.", "disclaimer"),
    # issue 15 round 4 (variants of tests/mail *_sd401-*_sd445): a bare closing in its own paragraph above a
    # contact block goes with it; a logo line over a long corporate block; Outlook's footer in other languages
    ("Готово.\n\nС уважением,\n\nИванов Иван\nИнженер ИТ\nтел. +7 495 123-45-67\n", "Готово.", "contact-block"),
    ("Merci.\n\nCordialement,\n\nMarie Dupont\nComptabilité\nTél. +33 1 23 45 67 89\n", "Merci.", "contact-block"),
    ("Спасибо!\n\n[cid:image001.png@01DC9A11.2B3C4D50]\nПетров Пётр Петрович\nНачальник отдела\nДепартамент ИТ\n"
     "АО «Нордтранс»\nТел.: +7 (495) 111-22-33, доб. 1234\nМоб.: +7 (916) 111-22-33\nг. Москва, ул. Лесная, 5\n"
     "www.nordtrans.example\n", "Спасибо!", "contact-block"),
    ("Ok.\n\nObtenir Outlook pour iOS<https://aka.ms/o0ukef>\n", "Ok.", "mobile-footer"),
    ("Ok.\n\nScarica Outlook per Android<https://aka.ms/AAb9ysg>\n", "Ok.", "mobile-footer"),
    # ... and what stays a client's: a verbless attribution going from the time to the name, a dated block
    ("Ok.\n\nпн, 9 февр. 2026 г. в 10:15, Служба поддержки <desk@x.example>:\n\nold text\n", "Ok.", "attribution"),
    ("Ok.\n\nПонедельник, 9 февраля 2026, 10:15 +03:00 от Служба поддержки <desk@x.example>:\n\nold text\n", "Ok.",
     "attribution"),
    ("Ok.\n\nFrom: Desk <desk@x.example>\nDate: 9 Feb 2026 10:15\nTo: Bob\nSubject: test\n\nold\n", "Ok.",
     "header-block"),
    # abbreviated closings, a closing with the name, title and phone on one line, a footer with a long glued link
    ("Готово.\n\nС ув.,\nИван Петров\nдоб. 1234\n", "Готово.", "closing-formula"),
    ("Done.\n\nBr,\nJohn\n", "Done.", "closing-formula"),
    ("Ok.\n\nС уважением, Иванов Иван Иванович, ведущий специалист отдела ИТ, тел. 1234\n", "Ok.", "closing-formula"),
    ("Ok.\n\nSent from Yahoo Mail on Android<https://go.onelink.me/107872968?pid=InProduct&c=Global_Internal_YGrowth_"
     "AndroidEmailSig__AndroidUsers&af_wl=ym&af_sub1=Internal&af_sub2=Global_YGrowth&af_sub3=EmailSignature>\n\n"
     "  On Mon, Feb 9, 2026 at 10:15, IT Service Desk<service@corp.example> wrote:   Hello\n", "Ok.", "mobile-footer"),
    # Lotus Notes' forward separator in any language: dash-framed, a date, a time and the forwarder's Notes name
    ("Ok.\n\n----- Forwarded by John Smith/Sales/CORP on 02/09/2026 10:15 AM -----\n\nold text\n", "Ok.",
     "forward-separator"),
    ("Ok.\n\n----- Переадресовано Иван Петров/Sales/CORP дата 09.02.2026 10:15 -----\n\nold text\n", "Ok.",
     "forward-separator"),
    # issue 15 round 6: a signature framed by two rule lines (box rules, full-width or ASCII `=`) around company,
    # name and a phone, a mail address or a link, with no `-- ` and no closing (tests/mail `*_sd643`)
    ("確認しました。\n\n＝＝＝＝＝＝＝＝＝＝\n鈴木 花子\nMail: h.suzuki@corp.example\n"
     "＝＝＝＝＝＝＝＝＝＝\n", "確認しました。", "framed-signature"),
    ("收到，谢谢。\n\n──────────────\n王伟 | 财务部\n电话: +86 10 8888 6666\n──────────────\n", "收到，谢谢。",
     "framed-signature"),
    ("了解です。\n━━━━━━━━━━\n株式会社コープ 経理部\n山田 太郎\nTEL: 03-1234-5678\n━━━━━━━━━━\n\n"
     "On 2026/02/09 10:15, Desk wrote:\n> 山田様\n", "了解です。", "framed-signature"),
    ("Received, thanks.\n\n=====================\nnordtrans logistics\nwww.nordtrans.example\n=====================\n",
     "Received, thanks.", "framed-signature"),
    # contact blocks as reply-parser fixtures write them (round 6 probes): pronouns after the name, social links
    # without a scheme, Gmail's `[image: …]` logo placeholder above the name
    ("Fixed, thanks.\n\nMaria (she/her)\nlinkedin.com/in/maria | twitter.com/maria\n", "Fixed, thanks.",
     "contact-block"),
    ("Fixed, thanks.\n\n[image: ACME]\nMaria Lopez | Senior Accountant\n+34 91 123 45 67\n", "Fixed, thanks.",
     "contact-block"),
    ("Fixed, thanks.\n\nMaria Lopez (she/her) | Senior Accountant\ngithub.com/mlopez\n", "Fixed, thanks.",
     "contact-block"),
    # an app's store promo with its link, whatever the app (round 6 probes)
    ("Fixed, thanks.\n\nDownload Spark for iOS: https://sparkmailapp.com\n\nOn Mon, Feb 9, 2026 at 10:15 AM Desk "
     "<d@x.example> wrote:\n> hi\n", "Fixed, thanks.", "mobile-footer"),
    ("Fixed.\n\nGet Newton for iPhone<https://newtonhq.com/r/abc>\n", "Fixed.", "mobile-footer"),
    # an open frame: one rule under an empty line over two lines or more that end the writer's text
    ("了解しました。\n\n━━━━━━━━━━━━━━━━\n株式会社コープ 経理部\n山田 太郎\nTEL: 03-1234-5678\n\n"
     "On 2026/02/09 10:15, Desk wrote:\n> 山田様\n", "了解しました。", "framed-signature"),
    # ... but a framed number under the writer's line ending in a colon is what the writer points to
    ("Please call the vendor hotline:\n\n━━━━━━━━\nHotline: +49 30 1234 5678\n━━━━━━━━\n",
     "Please call the vendor hotline:\n\n━━━━━━━━\nHotline: +49 30 1234 5678", None),
    # issue 15 round 7 (tests/mail *_sd7xx): a quoted letter that opens the mail is what the writer answers under it
    ("> Hello Tom,\n> which floor are you on?\n\n4th floor.\n", "4th floor.", "quoted-letter"),
    ("> Добрый день!\n> Можно закрывать?\n\nДа, закрывайте.\n", "Да, закрывайте.", "quoted-letter"),
    ("> Which model?\n> IT Service Desk\n\nDell.\n\n> Since when?\n\nMonday.\n", "Dell.\n\n> Since when?\n\nMonday.",
     "quoted-letter"),
    ("> Hello Kate,\n> which model?\nDell\n> Since when?\nMonday\n", "Dell\n> Since when?\nMonday", "quoted-letter"),
    # a header field is no piece of a wrapped attribution; a real one wrapped before its address still is
    ("Hi,\n\nthe report has:\n\nFrom: agent@nas.example\nStatus: FAILED\n\nand then the agent wrote:\nretrying\n\n"
     "Can you check?\n", "Hi,\n\nthe report has:\n\nFrom: agent@nas.example\nStatus: FAILED\n\nand then the agent "
     "wrote:\nretrying\n\nCan you check?", None),
    ("Report:\nFrom: cron@srv.example\nResult: error\n\nthe job wrote:\nexit 1\n",
     "Report:\nFrom: cron@srv.example\nResult: error\n\nthe job wrote:\nexit 1", None),
    ("Ok.\n\nVào Th 2, 9 thg 2, 2026 vào lúc 10:15 Desk <\nd@x.example> đã viết:\n> hi\n", "Ok.", "attribution"),
    ("Ok.\n\nLe lun. 9 févr. 2026 à 10:15, Desk (\nd@x.example) a écrit :\n> hi\n", "Ok.", "attribution"),
    # "said" heads a quote when a name stands before it, not a sentence ("… the log says:")
    ("On 9 Feb 2026 at 10:15 the backup failed again, the log says:\n\nERROR 5\n\nCan you check?\n",
     "On 9 Feb 2026 at 10:15 the backup failed again, the log says:\n\nERROR 5\n\nCan you check?", None),
    ("On Monday at 9:00 the monitoring system in the server room says:\ndisk full\n\nPlease clean up.\n",
     "On Monday at 9:00 the monitoring system in the server room says:\ndisk full\n\nPlease clean up.", None),
    ("Ok.\n\nOn Mon, 9 Feb 2026 at 10:15, Bob Smith <b@x.example> said:\n> hi\n", "Ok.", "attribution"),
    # "sent" in Arabic (with or without its vowel marks) and Hebrew over a device
    ("شكرا.\n\nأُرسلت من الـ iPhone\n", "شكرا.", "mobile-footer"),
    ("تم.\n\nمرسل من هاتفي Samsung Galaxy\n", "تم.", "mobile-footer"),
    ("תודה.\n\nנשלח מה-iPhone שלי\n", "תודה.", "mobile-footer"),
    # a rule between item N and item N+1 of the writer's list divides the list; a list footer is still cut
    ("Two things:\n\n1. The scanner jams.\n__________\n\n2. The monitor is dark.\n",
     "Two things:\n\n1. The scanner jams.\n__________\n\n2. The monitor is dark.", None),
    ("Two things:\n1) VPN drops\n_____\n2) Teams freezes\n\nThanks\n",
     "Two things:\n1) VPN drops\n_____\n2) Teams freezes\n\nThanks", None),
    ("Done.\n\n1. Reset the password.\n__________\ndiscuss mailing list\nhttps://lists.x.example/discuss\n",
     "Done.\n\n1. Reset the password.", "footer-rule"),
    ("Done.\n\n2. Reset the password.\n__________\n1. Unsubscribe: https://lists.x.example/u\n",
     "Done.\n\n2. Reset the password.", "footer-rule"),
    # answers typed into the unprefixed original, marked with the initials the writer names above (Outlook)
    ("Ответы ниже, отмечены [Б.Ш.]\n\nОт: Desk <d@x.example>\nОтправлено: 9 февраля 2026 г. 10:15\nТема: Вопросы\n\n"
     "1. Дата? [Б.Ш.] 2 марта\n2. Отдел?\n", "Ответы ниже, отмечены [Б.Ш.]\n\n1. Дата? [Б.Ш.] 2 марта",
     "header-block"),
    ("See my answers [JD].\n\nFrom: Desk <d@x.example>\nSent: Monday, 9 February 2026 10:15\nSubject: x\n\n"
     "Model? [JD] Dell\nSince when? [JD] Monday\n", "See my answers [JD].\n\nModel? [JD] Dell\nSince when? [JD] Monday",
     "header-block"),
    # ... but no other bracketed word brings history back: a lower-case one, a ticket number, a long tag, a quote
    ("Fixed [sic].\n\nFrom: Desk <d@x.example>\nSent: Monday\nSubject: x\n\nsee [sic] here\n", "Fixed [sic].",
     "header-block"),
    ("Done, see [SD-12].\n\nFrom: Desk <d@x.example>\nSent: Monday, 9 February 2026 10:15\nSubject: [SD-12] x\n\n"
     "ticket [SD-12] opened\n", "Done, see [SD-12].", "header-block"),
    ("[URGENT] Printer down.\n\nFrom: Desk <d@x.example>\nSent: Monday, 9 February 2026 10:15\nSubject: x\n\n"
     "[URGENT] tickets go first\n", "[URGENT] Printer down.", "header-block"),
    ("See the [PDF] attached.\n\nOn Mon, 9 Feb 2026 at 10:15, Desk <d@x.example> wrote:\n> the [PDF] is old\n",
     "See the [PDF] attached.", "attribution"),
    # BlackBerry's separator: "Original Message" alone on its line, no dashes, no colon
    ("Thanks\n\nOriginal Message\nFrom: Bob\nSent: Tuesday, March 3, 2015 10:00 AM\nTo: Alice\nSubject: x\n\nhello\n",
     "Thanks", "forward-separator"),
    ("Ok.\n\n  Original Message  \nFrom: Bob <b@x.example>\nSent: Tuesday, 3 March 2015 10:00\nSubject: x\n\nhi\n",
     "Ok.", "forward-separator"),
    # review O (o_a8): a quote ending on a short capitalised line (a program's dialog and its buttons) that the
    # writer asks about below is what they cite; a quoted letter that greets is still what they answer
    ("> Данные в базе не соответствуют сохраненной конфигурации.\n> Да Нет\n\nЧто нажать, Да или Нет?\n",
     "> Данные в базе не соответствуют сохраненной конфигурации.\n> Да Нет\n\nЧто нажать, Да или Нет?", None),
    ("> Hello Kate,\n> the new laptop is ready.\n> IT Service Desk\n\nGreat, can I pick it up at 3 pm?\n",
     "Great, can I pick it up at 3 pm?", "quoted-letter"),
    # round 9 (tests/mail `*_sd911`): the writer says the answer is below the quote: the short tail is that answer;
    # a tail that is only a name, or a server's confidentiality notice, goes with the history as before
    ("Hi,\n\nboth answers below.\n\n" + _ON + "> Which tag?\n\nAsset tag MN-20931, it started last week.\n\nGrace\n",
     "Hi,\n\nboth answers below.\n\n> Which tag?\n\nAsset tag MN-20931, it started last week.\n\nGrace", None),
    ("Ответы ниже.\n\n10.02.2026 09:14, Служба <service@corp.example> пишет:\n> Какой кабинет?\n\n"
     "Кабинет 305, третий этаж, у окна.\n",
     "Ответы ниже.\n\n> Какой кабинет?\n\nКабинет 305, третий этаж, у окна.", None),
    ("Please see below.\n\n" + _ON + "> old text\n> more\n\nJohn Smith\n", "Please see below.", "attribution"),
    ("Please see the log below.\n\n" + _ON + "> old\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are "
     "confidential and intended solely for the addressee. If you received it in error, please delete it.\n",
     "Please see the log below.", "attribution"),
    ("See my notes below, and call me if the printer is still down after lunch today please.\n\n" + _ON + "> old\n\n"
     "Thanks for the fast help with this one.\n",
     "See my notes below, and call me if the printer is still down after lunch today please.", "attribution"),
    # issue 15 round 8: a quoted question alone on top is what the writer answers below it (tests/mail `*_sd846`)
    ("> Which floor is your desk on?\n\n4th floor, desk 4.12.\n", "4th floor, desk 4.12.", "quoted-letter"),
    ("> Добрый день! Подскажите, пожалуйста, номер кабинета?\nКабинет 305.\n", "Кабинет 305.", "quoted-letter"),
    ("> Can we swap your laptop on Monday morning?\n\nMonday is fine.\n\n-- \nGreg\n", "Monday is fine.",
     "signature-separator"),
    # the writer's signature on top ("signature above the quote"), the answer below the quote (`*_sd840`)
    ("-- \nOliver Grant | Logistics\n+44 20 7946 0555\n\nOn 10/02/2026 09:14, Desk wrote:\n> Which model?\n\n"
     "Fujitsu fi-7160.\n", "Fujitsu fi-7160.", "signature-on-top"),
    ("-- \nС уважением, Сергей Волков\nтел. 2210\n\n10.02.2026 09:14, Desk пишет:\n> Какой у вас кабинет?\n\n"
     "Кабинет 305.\n", "Кабинет 305.", "signature-on-top"),
    ("--\nAnna\n\n" + _ON + "> Which laptop?\n\nDell Latitude 5440.\n\n> Since when?\n\nMonday.\n",
     "Dell Latitude 5440.\n\n> Since when?\n\nMonday.", "signature-on-top"),
    # ... KEPT: a sentence or a question under the `--` on top is the writer's letter, and a block over a quote
    # with nothing below it is all the writer wrote
    ("--\nI still cannot print, the queue is stuck, could you look again today?\n\n" + _ON
     + "> Restarted the spooler.\n\nPS: the printer is in room 2.10.\n",
     "I still cannot print, the queue is stuck, could you look again today?", "attribution"),
    ("-- \nThe scanner on floor 2 has not worked since the firmware update last Friday.\n\n" + _ON
     + "> Which scanner?\n\nThanks\n", "The scanner on floor 2 has not worked since the firmware update last Friday.",
     "attribution"),
    ("-- \nJohn Smith\n\n" + _ON + "> Which scanner?\n", "John Smith", "attribution"),
    # a closing, an empty line, then a name block of name and title/department (`*_sd809`); particles in names
    ("Works now.\n\nMet vriendelijke groet,\n\nPieter de Vries\nAfdeling Inkoop\n", "Works now.", "closing-formula"),
    ("Done.\n\nKind regards,\n\nLudwig van der Berg\nFacilities\n", "Done.", "closing-formula"),
    ("Готово.\n\nС уважением,\n\nИван Петров\nбухгалтерия\n", "Готово.", "closing-formula"),
    # a dated head over an original pasted unquoted stays a client's when a name follows the time, even with
    # lower-case words (`lookalikes._told_by_the_writer`; the writer's own such lines are KEPT below)
    ("Ok.\n\nLe 19/03/2014 11:34, Georges du chemin a écrit :\nBonjour\n", "Ok.", "attribution"),
    ("Ok.\n\n10.02.2026 09:05, Служба поддержки пишет:\nДобрый день!\nПерезагрузите.\n", "Ok.", "attribution"),
    ("Ok.\n\nOn 9 Feb 2026 at 10:15, Bob Smith wrote:\nHello Anna,\nplease restart.\n", "Ok.", "attribution"),
    # a rule under a numbered list over a contact line, a list's footer or its address is still a footer
    ("Hello,\n\nplease order:\n1. A laptop.\n2. A modem.\n______\nTel.: +7 495 123-45-67\nwww.corp.example\n",
     "Hello,\n\nplease order:\n1. A laptop.\n2. A modem.", "footer-rule"),
    ("Hello,\n\nplease order:\n1. A laptop.\n2. A modem.\n______\ndiscuss mailing list\nhttps://lists.x.example/d\n",
     "Hello,\n\nplease order:\n1. A laptop.\n2. A modem.", "footer-rule"),
    ("Hello,\n\nplease order:\n1. A laptop.\n2. A modem.\n______\nMailing list: it-news@x.example\n",
     "Hello,\n\nplease order:\n1. A laptop.\n2. A modem.", "footer-rule"),
    # "said"/"says" heads a quote, or with an address an original pasted below (`lookalikes.unattested`)
    ("Ok.\n\nOn Mon, 9 Feb 2026 at 10:15, jdoe said:\n> restart it\n", "Ok.", "attribution"),
    ("Ok.\n\nOn Mon, 9 Feb 2026 at 10:15, Bob Smith <b@x.example> said:\nHello Anna,\nplease restart.\n", "Ok.",
     "attribution"),
    ("Ok.\n\nOn 9 Feb 2026 at 10:15, Bob Smith wrote:\nHello Anna,\nplease restart.\n", "Ok.", "attribution"),
]

KEPT = [
    # the review of round 5/6 (issue 15): the writer's own words that the new rules took for a sign-off, a head or
    # a footer. "Best"/"Cheers" are a closing only alone on their line
    "Hi Mike,\n\nCheers Mike, the new laptop works fine.\nCould you point the scanner at the new share?\n\nTom",
    "Hello,\n\nThe items are:\nTaxi 45 EUR\nBest Western invoice 2 nights\nDinner 80 EUR\nWhat is missing?\n\nAnna",
    # a colon line right under the writer's sentence introduces their screenshot or file, it heads no quote
    "Добрый день!\n\nНе могу провести авансовый отчёт за ноябрь.\nПри проведении 1С пишет:",
    "Hello,\n\nsince the update Outlook refuses to send to our auditor.\n"
    "The error I get when I send to j.doe@audit.co.uk:",
    # under a name block, the writer's own restriction (no company footer: no registration named) stays
    "Добрый день!\n\nПрошу выдать Марине Козловой доступ к папке «Зарплата».\n\nОльга Петрова\nбухгалтерия\n\n"
    "Важно: данные в папке конфиденциальные, доступ нужен только ей как получателю расчётных листков, "
    "остальным сотрудникам отдела его не давать.",
    # a paragraph that speaks of confidential data sent by mistake under a greeting alone is the request itself
    "Добрый день!\n\nВчера по ошибке отправили конфиденциальный акт не тому получателю через ЭДО, "
    "получатель пишет, что документ ему не адресован и он его удалил. Что нам теперь делать с повторной отправкой?",
    # a date and a time above a quoted log, but nobody named: the writer's own line
    "Hi,\n\nError at 10:15 on 09.02.2026:",
    # the writer's own "I wrote on <date> at <time>:" names nobody
    "Hi,\n\nI wrote on 09.02.2026 at 10:15:\nthe server is down.",
    # a bounce's SMTP error line: an address and an IP address before a colon, no date, no name
    "A message that you sent could not be delivered. The following address(es) failed:\n\n  kijitora@example.jp\n"
    "    SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>:\n"
    "    host mx.example.jp [198.51.100.18]: 550 5.1.1 user unknown",
    # a sentence that mentions sending from a phone; a sentence about an iPhone
    "Hi,\n\nI sent the photo from my phone",
    "Hi,\n\nMy iPhone was sent for repair",
    # a table, not a '|' quote
    "See:\n\n| a | b |\n| c | d |",
    # a request about confidential things is not a notice: nothing says what to do on getting it by mistake
    "Hi,\n\nI need access to the confidential HR folder; the recipient list for the payroll report must include "
    "me from Monday.",
    # "To:" and "Subject:" of a mail the writer wants sent: no From with an address, so no forward
    "Hi,\n\nPlease send this mail:\n\nTo: all@corp.example\nSubject: Maintenance\n\nThe VPN is down on Sunday.",
    # 'Label: value' lines of a request form without an address and a date + time are no header block
    "Please create an account.\n\nName: John Smith\nStart: Monday\nDepartment: Finance\nManager: Laura Chen",
    # ... nor with them, when the block goes on a field above ("ФИО:") or follows the writer's sentence
    "Добрый день! Прошу завести учётную запись новому сотруднику:\n\nФИО: Петров Пётр Петрович\n"
    "Почта: petrov@corp.example\nДата выхода: 14.12.2026 09:00\nДолжность: бухгалтер\n\nСпасибо!",
    "Коллеги, поставщик пишет, что счёт не пришёл. Данные:\nОтправитель: billing@supplier.example\n"
    "Отправлено: 05.12.2026 14:30\nСумма: 120 000 руб.\nНомер счёта: 4512\n\nПроверьте, пожалуйста, почему не дошло.",
    # a colon line with an address, a date and a time above a quoted log, but two sentences: the writer's
    # a date and a time above a quoted error, and a capital only on the weekday before the date: nobody named
    "Dear IT,\n\nOn Monday 07.12.2026 at 10:15 the printer on floor 3 stopped working:\n\n> Error 50.4 Fuser\n\n"
    "Please send a technician.",
    "Hi, VPN fails since this morning. The client log at 07.12.2026 09:14 for ivan@corp.example says:\n\n"
    "> connect to gw.corp.example:443 failed\n> TLS handshake timeout\n\nCan you check the gateway?",
    # issue 15 round 3 (tests/mail *_sd336-*_sd340): a mail cited inside the writer's paragraph, '--' framing
    # command output with a question below, "… wrote:" with no quote, address or date, a footer inside a sentence
    "Hi,\nI got a strange mail.\nFrom: Bank <noreply@bank.example>\nSubject: Card blocked\nIt asks for my PIN.",
    "Hi,\n\nThe job says:\n--\nERROR: lock held by build-17\n--\n\nCan someone release the lock please?",
    "Hi,\n\nOn Monday the copier wrote:\nTONER LOW\nbut the toner is new. Can you look at it?",
    "Hi,\n\nmy mails end with\nSent from my iPhone\nthough I write on the laptop.",
    # "Gruß" that is not the last paragraph with a name only; a tagged first line about the writer's own matter
    "Hallo,\n\nGruß\nan alle im Team, der Drucker geht wieder.\n\nJürgen",
    "[Urgent] Our external website is down since 9:00.\n\nCan you check the web server?",
    "NOTE: external partners cannot open the links in our mails since Monday.\n\nCan you check the gateway?",
    # a tagged first paragraph that asks is the writer's; a quoted head that names no address or time
    "[Question] This email from an external sender has a link, is it safe?\n\nThanks",
    "> On Monday you wrote:\nYes, and the printer too.",
    # a label line inside the text
    "Hi,\n\nthe document has\nClassification: Internal\nbut I need to send it to a partner. Is that allowed?",
    # a last paragraph of things and a link is no contact block, though its first line has a comma
    "Please order these.\n\nLaptop, monitor and dock\nhttps://portal.example/order/123",
    # issue 15 round 4: Outlook named with no store link glued on; a memo whose Date: gives no time; two From:
    # lines of a list; a closing the writer cites under a colon; a notice told in the writer's words
    "Outlook on iOS does not sync since the update, can you check?",
    "Hi,\n\nOutlook on iOS<https://support.example/x> does not sync my calendar at all since Monday.",
    "Please file this letter:\n\nFrom: ACME Ltd\nTo: CEO\nDate: 05.02.2026\nSubject: New bank details\n\n"
    "Who keeps the original?",
    "Добавьте в белый список:\nОт: a@x.example\nОт: b@x.example\n\nПисьма уходят в спам.",
    "Прошу поменять подпись на:\n\nС уважением,\nИванов Иван\nбухгалтер\n\nи добавить телефон. Это можно сделать "
    "централизованно?",
    "Hi,\n\nOn 9 Feb 2026 at 10:15 we received a message from Billing Dept <billing@vendor.example>:\n"
    "Your invoice is overdue.\n\nIs this real?",
    # a closing line that goes on to ask or exclaim is a sentence, not name + title + phone
    "Ok.\n\nС уважением, Иван, жду ответа до пятницы!",
    # a dashed log line with a date and a time names no forwarder
    "Build log:\n\n----- 09.02.2026 10:15 build started -----\nstep 1 ok\n\nWhy does it hang?",
    # issue 15 round 5: a separator or a rule inside the writer's sentence (a line that does not end a sentence
    # above it, a lower-case continuation below it; below a rule the writer asks)
    "Outlook now inserts only the line\n\n-----Original Message-----\n\ninstead of the full header. Why?",
    "В ответе вместо шапки стоит\n-----Исходное сообщение-----\nи больше ничего. Это настройка Outlook?",
    "Please fix the form:\n\nName: __________\n\n______________________________\n\nthe line runs off the "
    "page when printed. Can the template be changed?",
    # a new request that ends citing a log or an error with ">" under its own colon line
    "Mail to the bank bounces since today. Postfix logs:\n\n> status=bounced (550 5.7.23 SPF fail)\n"
    "> host mx.bank.example",
    "Выгрузка падает, в логе:\n> ERROR 42: нет доступа к папке обмена",
    # a postscript under the name that speaks of a confidential report and its addressees is the writer's
    "Please give access to the folder.\n\nIvan Petrov\nAccounting\n\nP.S. The folder is confidential, only the "
    "addressee list of the report may open it.",
    # Russian "До:" ("until") in a leave request is no Bulgarian "To:" field
    "Прошу оформить отпуск.\n\nОт: Петров И.И.\nС: 02.03.2026 09:00\nДо: 15.03.2026 18:00\n\nЗаявление подписано.",
    # Polish "Za:" / "Tema:" lines with no From line above them
    "Prośba o salę:\nZa: 5 osób\nTema: szkolenie BHP\nData: 12.03.2026 10:00\n\nCzy sala 2.14 jest wolna?",
    # "Best" and "Cheers" that start a sentence
    "Hi,\nBest, I think, is the Dell P2425H. Can you order it?",
    "Hi,\n\nCheers to the team for the quick fix yesterday, everything works.",
    # a bounce's SMTP line as the writer's last line names no one's quote
    "Mail to the partner fails since today with\n\nSMTP error from remote mail server after RCPT TO:<a@x.example>:",
    # ... a paragraph about a confidential report under a team's name that asks, or under the writer's sentence
    "Please share the folder.\n\nFinance team\n\nThe report is confidential: can only the addressee of each "
    "report open it, and nobody else in the department?",
    "Please share the folder.\n\nThe report is confidential and intended only for the addressee of each report, "
    "nobody else in the department may open it.",
    # framed lines with no phone, address or link (a status table), or with the writer's text below the frame
    "Status today:\n\n=====\nweb01 down\nweb02 up\n=====\nPlease restart web01.",
    "Hi,\n\n***************\nNew number: +44 20 7946 0321\n***************\n\nPlease update the phone list.",
    # a rule right under a line underlines a heading; lines under a rule that ask are the writer's; one line is not
    # enough for an open frame
    "Hi,\n\nNew desk phone list\n=====\nReception +44 20 7946 0000\nIT +44 20 7946 0001",
    "Hi,\n\nthe log is attached.\n\n----------\nCan you call me at +1 555 123 4567?\nJohn",
    "Thanks.\n\n-----\n+1 555 010 2030",
    # a bare link under a line that is no name
    "Please check:\n\nLaptop, monitor and dock\ncorp.example/wiki/setup",
    "Hi,\n\nPlease open Settings\nexample.com/admin is down",
    # the same words without a link are the writer's instructions
    "Hi,\n\nDownload Chrome for Windows\nand install it on PC-17 please.",
    "Hi,\n\nGet Zoom for Windows\n1. open zoom.us\n2. install",
    # issue 15 round 7 probes: a quote at the top that is no letter (a command, figures, a cited policy) stays
    "> ping 10.0.0.15\n\nRequest timed out.\nWhat does that mean?",
    "> 50 GB: sales@\n> 20 GB: support@\n\nCan we archive these?",
    "> Personal devices may use the guest Wi-Fi only.\n> Internal systems need an approved MDM profile.\n\n"
    "Does this apply to my own phone?",
    "> Personal devices may use the guest Wi-Fi only.\n> Internal systems need an approved MDM profile.\n"
    "Does this apply to my own phone?",
    "> 50 GB: sales@\n> 20 GB: support@\nCan we archive these?",
    # the Arabic/Hebrew "sent" in the writer's sentence, over eight words or asking
    "مرحبا،\n\nأرسلت الملف من iPhone الخاص بي أمس، هل وصل؟",
    "שלום,\n\nנשלח מה-iPhone שלי קובץ גדול מדי, מה לעשות?",
    "مرحبا،\n\nمرسل البريد على iPhone لا يعمل منذ أمس",
    # an address broken after "<" in the writer's sentence that no verb or colon ends as an attribution
    "Hi,\n\nthe form field Name <\nbob@x.example> shows an error:\nInvalid address",
    "Hi,\n\nplease add Bob Smith <\nbob@x.example> to the list.",
    # "Original Message" inside the writer's sentence, or between two halves of it
    "Hi,\n\nthe subject line says\nOriginal Message\nbut the body is empty. Why?",
    "Hi,\n\nI get a mail titled\n\nOriginal Message\n\nevery morning from an unknown sender. Is it spam?",
    "Hi,\n\nForwarded message\nfrom the bank below, is it real?",
    # issue 15 round 8: a quoted prompt answered in the pasted session itself, a short quoted command, a chat log
    "> Are you sure you want to continue connecting (yes/no)?\n> yes\n> Host key verification failed.\n\n"
    "What does this mean?",
    "> ping 10.0.0.15?\n\nno reply",
    "> Is the VPN down for everyone today?\n> Anna: yes, since 9:00\n\nThat was our team chat this morning.",
    # a closing over a bare name after an empty line (Discourse keeps it), over names the writer introduces, as the
    # whole mail, or over a sentence
    "Hi,\n\nall good.\n\nBest regards\n\nSome One",
    "Hi,\n\nplease add these two to the group:\n\nKind regards,\n\nJohn Smith\nMary Jones",
    "Regards,\n\nJohn Smith\nFinance",
    "Hi,\n\nsee you then.\n\nBest regards,\n\nAnna Berg\nThe meeting is at 10:00.",
    # the writer tells when a program said what (a date or a time, then a sentence's words before the verb)
    "Добрый день!\n\nСегодня, 10.02.2026 в 09:05, 1С при запуске пишет:\nКонфигурация изменена.\n\nЧто делать?",
    "Hi,\n\nthis morning at 09:05 the backup job wrote:\nERROR 0x80070035\n\nWhat does it mean?",
    "Добрый день!\n\nВчера в 18:20 программа при выгрузке пишет:\nОшибка формата\n\nЧто делать?",
    # a numbered list, a rule, then the form's fields the writer fills in under it
    "Добрый день!\n\nПрошу выдать новому сотруднику:\n1. Ноутбук.\n2. Модем 4G.\n__________________\n"
    "Подпись руководителя: Иванов И.И.\nДата: 10.02.2026",
    "Hello,\n\nplease order for the new hire:\n1. A laptop.\n2. A 4G modem.\n__________\nApproved by: J. Doe",
    "Hello,\n\nplease order for the new hire:\n1. A laptop.\n2. A 4G modem.\n\n__________\nCost centre: 4410\n"
    "Approved by: J. Doe",
    # a program "says" its message in the writer's text: no client pastes an original under "says"/"said"
    "Hi,\n\nOn 9 Feb 2026 at 10:15 Veeam says:\nJob CRM-Daily failed: the network path was not found\n\n"
    "Could you check?",
    "Hi,\n\nYesterday at 18:20 the scanner said:\nPaper jam in tray 2\n\nAny idea?",
    "Hi,\n\nOn 9 Feb 2026 at 10:15 Windows Update says:\nError 0x80070005\n\nWhat should I do?",
]


@pytest.mark.parametrize(("text", "own", "rule"), CUT, ids=range(len(CUT)))
def test_shape_is_cut(text: str, own: str, rule: str | None) -> None:
    got, why = explain_reply(text)
    assert got == own
    assert (why.rule if why else None) == rule


@pytest.mark.parametrize("text", KEPT, ids=range(len(KEPT)))
def test_own_lines_that_only_look_like_a_shape_stay(text: str) -> None:
    assert explain_reply(text)[0] == text


def test_smtp_transcript_keeps_its_recipient_line() -> None:
    """'>>> RCPT TO:' is a transcript, not a quote; a bare '<user@host>:' names nobody: nothing is cut there."""
    text = ("Your message to the following recipients cannot be delivered:\n\n<kijitora@example.co.jp>:\n"
            "    mx.example.co.jp [74.207.247.95]:\n>>> RCPT TO:<kijitora@example.co.jp>\n"
            "<<< 550 5.1.1 <kijitora@example.co.jp>... User Unknown")
    assert explain_reply(text)[0] == text


def test_bidi_marks_do_not_hide_an_attribution() -> None:
    text = ("תודה.\n\n\u202bבתאריך יום ב׳, 9 בפבר׳ 2026 ב-10:15 מאת Desk <\u202a\ndesk@x.example\u202c>:\u202c\n\n"
            "> שלום\n")
    got, why = explain_reply(text)
    assert got == "תודה."
    assert why is not None and why.rule == "attribution"


def test_a_cut_that_hides_a_request_leaves_it_in_the_full_original() -> None:
    """Attacker shapes (tests/mail *_sd344, *_sd348): a crafted attribution or header block over a second request.
    The cut takes them for history -- a genuine reply looks the same -- but the agent is never blind to it:
    `full_text` (the tracking page's and the notification's "whole mail" link) keeps it, and `reply_cut`
    names the line the cut starts at."""
    from pathlib import Path

    from postdesk.parsers import ParseOptions, parse_mail

    mail_dir = Path(__file__).resolve().parent.parent / "mail"
    for name, hidden, rule in (
        ("en_attacker_fake_attribution_hides_request_sd344.eml", "forward all mail of cfo@corp.example", "attribution"),
        ("ru_attacker_fake_header_block_hides_request_sd348.eml", "отключите антивирус на ПК-114", "header-block"),
    ):
        m = parse_mail((mail_dir / name).read_bytes(), ParseOptions(ticket_prefix="SD"))
        assert hidden not in m.text and hidden in m.full_text
        assert m.reply_cut is not None and m.reply_cut.rule == rule


def _alternative(plain: str, html: str) -> bytes:
    return ("From: Bob <bob@corp.example>\r\nTo: service@corp.example\r\nSubject: Re: [SD-7] VPN\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
            f"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{plain}\r\n"
            f"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b--\r\n").encode()


def test_a_plain_stub_that_points_to_the_html_gives_the_html_reply() -> None:
    """The client's "use an HTML reader" note is no reply: the HTML's text, its quote cut, is what the agent
    reads; full_text stays the plain part (the JMAP text body). A plain part that says the same as the HTML,
    even when it speaks of HTML, is the text (issue 15 round 4, tests/mail `ru_html_only_text_stub_sd409`)."""
    html = ("<p>It works now, thanks.</p><div style=\"border-top:solid #E1E1E1 1.0pt\"><b>From:</b> Desk "
            "&lt;service@corp.example&gt;<br><b>Sent:</b> Monday, February 9, 2026 10:15<br><b>Subject:</b> VPN</div>"
            "<p>Please try again.</p>")
    stub = "This is an HTML message. Please use an HTML capable mail program to read this message."
    m = parse_mail(_alternative(stub, html), ParseOptions())
    assert m.text == "It works now, thanks." and m.full_text == stub
    same = "The HTML editor in the portal is broken again."
    m = parse_mail(_alternative(same, f"<p>{same}</p>"), ParseOptions())
    assert m.text == same


def _html_only(html: str) -> bytes:
    return ("From: Bob <bob@corp.example>\r\nTo: service@corp.example\r\nSubject: Re: [SD-7] VPN\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n").encode()


@pytest.mark.parametrize("head", [
    "Zitat von Desk &lt;service@corp.example&gt;:",  # Horde: no verb, no date
    "Desk &lt;service@corp.example&gt; ezt írta (időpont: 2026. febr. 9., H, 10:15):",
    "Desk &lt;service@corp.example&gt;:",
])
def test_the_head_of_a_removed_html_quote_goes_with_it(head: str) -> None:
    """The HTML reader removes the `<blockquote>`; the paragraph that headed it is then the text's last line and
    goes too, as it does in plain text above the quote (issue 15 round 5)."""
    html = f'<p>It works now.</p><p>{head}</p><blockquote type="cite">Please restart the laptop.</blockquote>'
    assert parse_mail(_html_only(html), ParseOptions()).text == "It works now."


def test_a_head_no_list_knows_does_not_make_its_quote_the_writers() -> None:
    """A trailing `>` block is kept as the writer's citation only under the writer's running sentence; a short
    head of its own paragraph in a language the verb lists lack ("Desk idatzi zuen:") still loses its quote."""
    assert "Kaixo" not in explain_reply("Ok.\n\nDesk idatzi zuen:\n> Kaixo Bob,\n> berrabiarazi.\n")[0]
    assert "status=bounced" in explain_reply("Hi,\nmail to the bank fails, the log says:\n> status=bounced\n")[0]


def test_outlook_word_paragraphs_are_lines() -> None:
    """Outlook's HTML writes each line as a margin-less `<p class=MsoNormal>` and an empty line as one holding
    `&nbsp;`: read as lines, "Regards," and the name block under it are one signature (issue 15 round 6, tests/mail
    `*_sd612`, `*_sd634`); a plain `<p>` and a MsoNormal paragraph given space below stay paragraphs."""
    p = '<p class="MsoNormal">{}<o:p></o:p></p>'
    html = "".join(p.format(x) for x in ("Hi team,", "&nbsp;", "the projector is dark again.", "&nbsp;", "Regards,",
                                          "<b>Helen Shaw</b>", "Executive Assistant | +44 20 7946 0321"))
    assert parse_mail(_html_only(html), ParseOptions()).text == "Hi team,\n\nthe projector is dark again."
    spaced = ('<p class=MsoNormal style="margin-bottom:12.0pt">Regards,</p>'
              '<p class=MsoNormal>Helen Shaw</p><p class=MsoNormal>Executive Assistant</p>')
    assert parse_mail(_html_only(p.format("Thanks.") + spaced), ParseOptions()).text == \
        "Thanks.\nRegards,\n\nHelen Shaw\nExecutive Assistant"
    assert parse_mail(_html_only("<p>Thanks.</p><p>Regards,</p><p>Helen Shaw</p>"), ParseOptions()).text == \
        "Thanks.\n\nRegards,\n\nHelen Shaw"


# issue 15 round 7: sign-offs known by the sender's own name (parsers/signoffs.py): (mail text, the From name,
# what the writer wrote, the rule that cut)
CUT_BY_NAME = [
    ("Ok, works.\n\nΜε εκτίμηση,\nΝίκος Γεωργίου\n", "Νίκος Γεωργίου", "Ok, works.", "closing-formula"),
    ("Рақмет.\n\nҚұрметпен,\nДәурен Омаров\nбухгалтерия\n", "Дәурен Омаров", "Рақмет.", "closing-formula"),
    ("Cảm ơn.\n\nTrân trọng,\nNguyễn Văn An\n", "Nguyễn Văn An", "Cảm ơn.", "closing-formula"),
    ("Принтер печатает полосами.\n\n--Павел Орлов\nотдел логистики, доб. 315\n", "Павел Орлов",
     "Принтер печатает полосами.", "signature-separator"),
    ("Fixed.\n\n—Anna Berg\n", "Anna Berg", "Fixed.", "signature-separator"),
    # round 7b: "-- Name, title" on one line; a closing with no comma in a script without letter case
    ("Done.\n\n-- John Carter, Facilities, ext. 2210\n", "John Carter", "Done.", "signature-separator"),
    ("สวัสดีครับ\n\nใช้งานได้แล้ว\n\nด้วยความเคารพ\nสมชาย ใจดี\n", "สมชาย ใจดี", "สวัสดีครับ\n\nใช้งานได้แล้ว",
     "closing-formula"),
    ("好了，谢谢。\n\n此致\n王 芳\n", "王 芳", "好了，谢谢。", "closing-formula"),
    # round 8: one capitalised word of a closing over the sender's first name alone (tests/mail `*_sd830`)
    ("Ok, works.\n\nQurmetpen,\nAsel\n", "Asel Nurlanqyzy", "Ok, works.", "closing-formula"),
    ("Printer ishlayapti.\n\nHurmat,\nDilshod\n", "Dilshod Karimov", "Printer ishlayapti.", "closing-formula"),
    ("Đã xong.\n\nThân,\nAn\n", "Nguyễn Văn An", "Đã xong.", "closing-formula"),
]
# the writer's own lines that look like such a sign-off: a colon line, more names than the sender's, not the
# last paragraph, more words after the dashes, a first name only
KEPT_BY_NAME = [
    ("Hi,\n\nthe room is booked.\n\nBooked by:\nJohn Smith", "John Smith"),
    ("Hi,\n\nplease add to the group,\nJohn Smith and Mary Jones", "John Smith"),
    ("Hi,\n\nthe parcel label says\n\nAttention,\nJohn Smith\n\nWhere should it go?", "John Smith"),
    ("Hi,\n\nrun it as\n\n--John Smith's account has no rights", "John Smith"),
    ("Hi,\n\nall good.\n\nThanks,\nJohn", "John Smith"),
    # thanks over the full name stays, as signatures.py decides for "Thanks,\nName"
    ("Hi,\n\nall good.\n\nThanks,\nJohn Smith", "John Smith"),
    ("Готово.\n\nЗаранее благодарю,\nМарина Новикова", "Марина Новикова"),
    # a bullet list that names the sender; a caseless line that is a sentence or asks; a Latin line without a comma
    ("Attendees:\n\n- John Smith\n- Mary Jones", "John Smith"),
    ("สวัสดีครับ\n\nกรุณาอนุมัติคำขอนี้ด้วยครับ ขอบคุณ?\nสมชาย ใจดี", "สมชาย ใจดี"),
    ("Hi,\n\nthe budget is fine.\n\nApproved\nJohn Smith", "John Smith"),
    # round 8: a lower-case word, more names than the sender's, a Russian word the lists would know, a figure
    ("Hi,\n\nthe laptop is ready.\n\nplease,\nJohn", "John Smith"),
    ("Hi,\n\nthe laptop is ready.\n\nCongrats,\nJohn and Mary", "John Smith"),
    ("Готово.\n\nПока,\nАсель", "Асель Нурланова"),
    ("Hi,\n\nthe laptop is ready.\n\nCall,\nJohn 2210", "John Smith"),
]


@pytest.mark.parametrize(("text", "writer", "own", "rule"), CUT_BY_NAME, ids=range(len(CUT_BY_NAME)))
def test_sign_off_over_the_senders_name_is_cut(text: str, writer: str, own: str, rule: str) -> None:
    got, why = explain_reply(text, writer)
    assert (got, why.rule if why else None) == (own, rule)


@pytest.mark.parametrize(("text", "writer"), KEPT_BY_NAME, ids=range(len(KEPT_BY_NAME)))
def test_own_lines_shaped_like_a_named_sign_off_stay(text: str, writer: str) -> None:
    assert explain_reply(text, writer)[0] == text


@pytest.mark.parametrize(("name", "person"), [
    ("Νίκος Γεωργίου", True), ("Nguyễn Văn An", True), ("יעל לוי", True), ("Дәурен Омаров", True),
    ("สมชาย ใจดี", True), ("IT", False), ("Νίκος", False), ("ops-team 2", False), ("john smith", False),
])
def test_a_persons_name_in_any_script(name: str, person: bool) -> None:
    assert persons_name(name) is person


def test_answers_marked_inside_an_html_only_original_reach_the_text() -> None:
    """Outlook's HTML-only reply: the original goes with its markup, the answers marked with the initials the
    writer names above stay (tests/mail `ru_outlook_html_only_answers_marked_initials_sd757`)."""
    html = ("<p>Answers below [JD].</p><div style='border:none;border-top:solid #E1E1E1 1.0pt'><p><b>From:</b> Desk "
            "&lt;d@x.example&gt;<br><b>Sent:</b> Monday, 9 February 2026 10:15<br><b>Subject:</b> x</p></div>"
            "<p>Model? [JD] Dell</p><p>Since when? [JD] Monday</p><p>See [sic] the manual.</p>")
    raw = ("From: Jo Doe <jo@x.example>\nTo: d@x.example\nSubject: RE: x\nMIME-Version: 1.0\n"
           "Content-Type: text/html; charset=utf-8\n\n" + html + "\n").encode()
    text = parse_mail(raw, ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"d@x.example"}))).text
    assert text == "Answers below [JD].\n\nModel? [JD] Dell\nSince when? [JD] Monday"

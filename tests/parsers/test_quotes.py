"""Reply trimming: what the agent sees as the new text of a mail, in the shapes real clients produce."""

from __future__ import annotations

import pytest

from postdesk.parsers.html_quotes import strip_html_quotes
from postdesk.parsers.quotes import strip_reply

OUTLOOK_RU = """\
Добрый день!

Принтер на 3 этаже снова не печатает, на экране ошибка 49.4C02.

С уважением,
Иван Петров
Отдел закупок, доб. 1234

От: Служба поддержки <desk@corp.example>
Отправлено: 12 марта 2024 г. 10:15
Кому: Петров Иван <ivan.petrov@corp.example>
Тема: RE: [SD-1042] Принтер не печатает

Здравствуйте! Попробуйте перезагрузить принтер.
"""

OUTLOOK_RU_ORIGINAL = """\
Ошибка повторилась сегодня в 14:20.

-----Исходное сообщение-----
От: Служба поддержки [mailto:desk@corp.example]
Отправлено: 3 февраля 2026 г. 17:45
Кому: Васильева Елена
Тема: [SD-3] Не работает 1С

Сервер 1С перезапущен, проверьте, пожалуйста.
"""

OUTLOOK_EN = """\
Still broken after the reboot.

Thomas
________________________________
From: Service Desk <desk@corp.example>
Sent: Tuesday, February 3, 2026 9:12 AM
To: Thomas Wagner <thomas@corp.example>
Subject: RE: [SD-7] printer

Please reboot the printer and tell us whether it helps.
"""

OUTLOOK_BOLD_EN = """\
Yes, room 312.


 ------------------------------

*From:* Service Desk <desk@corp.example>
*Sent:* Thursday, February 09, 2026 1:36 PM
*To:* thomas@corp.example
*Subject:* [SD-7] printer

Which room is the printer in?
"""

OUTLOOK_FR = """\
Merci, c'est réglé.

De : Service Desk <desk@corp.example>
Envoyé : mardi 3 février 2026 09:12
À : Marie Durand <marie@corp.example>
Objet : [SD-9] VPN

Pouvez-vous réessayer ?
"""

GMAIL_EN = """\
Thanks, that worked. You can close the ticket.

On Mon, Mar 11, 2024 at 10:15 AM IT Service Desk <desk@corp.example>
wrote:

> Please restart the laptop and try again.
>
> IT Service Desk
"""

GMAIL_RU = """\
Спасибо, заработало.

пн, 11 мар. 2024 г. в 10:15, Служба поддержки <desk@corp.example>:

> Перезагрузите ноутбук и попробуйте снова.
"""

THUNDERBIRD_RU = """\
Всё ещё не работает: Outlook просит пароль каждые 10 минут.

--\x20
Ольга Смирнова
Отдел закупок, каб. 214

03.02.2026 10:15, Алексей Волков пишет:
> Временный пароль отправлен вам по SMS.
"""

THUNDERBIRD_RU_BOTTOM = """\
03.02.2026 10:15, Алексей Волков пишет:
> Временный пароль отправлен вам по SMS.
> При первом входе система попросит его сменить.

Пароль сбросили, спасибо! Вошла, но Outlook всё равно просит пароль
каждые 10 минут. Это нормально?
"""

YANDEX = """\
Да, можно закрывать.

--\x20
С уважением,
Сергей Кузнецов



12.03.2024, 15:30, "Служба поддержки" <desk@corp.example>:

Сергей, проблема решена?
"""

MAILRU = """\
Гость приедет на машине, нужна парковка.


Среда, 13 марта 2024, 10:15 +03:00 от Служба поддержки <desk@corp.example>:

>Пропуск для гостя оформлен на 14 марта.
>
>--
>Служба поддержки

--
Отправлено из мобильной Почты Mail.ru
"""

IPHONE_RU = """\
Да, даты верные.

Отправлено с iPhone

> 3 февр. 2026 г., в 12:40, Отдел кадров <hr@corp.example> написал(а):
>
> Подтвердите, пожалуйста, даты отпуска.
"""

IPHONE_EN = """\
On my way to the office, will check the badge reader there.

Sent from my iPhone

> On 4 Feb 2026, at 08:12, Facilities <facilities@corp.example> wrote:
>
> Is the badge reader at entrance B working again?
"""

OUTLOOK_MOBILE = """\
Approved.

Get Outlook for Android<https://aka.ms/ghei36>

________________________________
From: Finance <finance@corp.example>
Sent: Wednesday, March 13, 2024 9:00:00 AM
To: Laura Chen <laura@corp.example>
Subject: [SD-29] Access request

Please approve the access request.
"""

SIGNATURE = """\
Прошу выдать доступ к папке \\\\fs01\\finance для Алины Соколовой.

--\x20
Иван Петров
Финансовый отдел
"""

INLINE_EN = """\
On Mon, Mar 11, 2024 at 10:15 AM IT Service Desk <desk@corp.example> wrote:
> Hello James,
>
> Which laptop model do you have?

Dell Latitude 5440.

> Is it still under warranty?

Yes, until 2027.

James
"""

FORWARD_WHOLE_RU = """\
---------- Пересылаемое сообщение ---------
От: Бухгалтерия <buh@corp.example>
Date: пн, 11 мар. 2024 г. в 10:15
Subject: Счёт на оплату
To: <ivan@corp.example>


Просим оплатить счёт №15 до пятницы.

С уважением,
Бухгалтерия
"""

FORWARD_WITH_NOTE = """\
Посмотрите, пожалуйста, письмо ниже: ссылка из него не открывается.

-------- Пересылаемое сообщение --------
11.03.2024, 10:15, "Бухгалтерия" <buh@corp.example>:

Просим заполнить форму по ссылке https://forms.corp.example/f/15
-------- Конец пересылаемого сообщения --------
"""

GERMAN_OUTLOOK = """\
Drucker geht wieder, danke!

-----Ursprüngliche Nachricht-----
Von: Service Desk <desk@corp.example>
Gesendet: Montag, 2. Februar 2026 16:40
An: Klaus Becker <klaus@corp.example>
Betreff: [SD-7] Drucker

Bitte prüfen Sie, ob der Drucker wieder geht.
"""

CASES = {
    "outlook_ru": (OUTLOOK_RU, "Добрый день!\n\nПринтер на 3 этаже снова не печатает, на экране ошибка 49.4C02."),
    "outlook_ru_original_message": (OUTLOOK_RU_ORIGINAL, "Ошибка повторилась сегодня в 14:20."),
    "outlook_en_underscores": (OUTLOOK_EN, "Still broken after the reboot.\n\nThomas"),
    "outlook_en_bold_headers": (OUTLOOK_BOLD_EN, "Yes, room 312."),
    "outlook_fr": (OUTLOOK_FR, "Merci, c'est réglé."),
    "outlook_de": (GERMAN_OUTLOOK, "Drucker geht wieder, danke!"),
    "gmail_en_wrapped_attribution": (GMAIL_EN, "Thanks, that worked. You can close the ticket."),
    "gmail_ru": (GMAIL_RU, "Спасибо, заработало."),
    "thunderbird_ru_signature": (THUNDERBIRD_RU, "Всё ещё не работает: Outlook просит пароль каждые 10 минут."),
    "thunderbird_ru_bottom_post": (THUNDERBIRD_RU_BOTTOM, "Пароль сбросили, спасибо! Вошла, но Outlook всё равно "
                                                          "просит пароль\nкаждые 10 минут. Это нормально?"),
    "yandex_unquoted_history": (YANDEX, "Да, можно закрывать."),
    "mailru_mobile_footer": (MAILRU, "Гость приедет на машине, нужна парковка."),
    "iphone_ru": (IPHONE_RU, "Да, даты верные."),
    "iphone_en": (IPHONE_EN, "On my way to the office, will check the badge reader there."),
    "outlook_mobile_footer": (OUTLOOK_MOBILE, "Approved."),
    "dash_dash_signature": (SIGNATURE, "Прошу выдать доступ к папке \\\\fs01\\finance для Алины Соколовой."),
    "inline_reply": (INLINE_EN, "Dell Latitude 5440.\n\n> Is it still under warranty?\n\nYes, until 2027.\n\nJames"),
    "forward_whole_mail_is_content": (FORWARD_WHOLE_RU, "Просим оплатить счёт №15 до пятницы."),
    "forward_below_note_is_history": (FORWARD_WITH_NOTE,
                                      "Посмотрите, пожалуйста, письмо ниже: ссылка из него не открывается."),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_strip_reply(name: str) -> None:
    body, expected = CASES[name]
    assert strip_reply(body) == expected
    assert strip_reply(body.replace("\n", "\r\n")) == expected  # CRLF in, LF out


def test_plain_text_is_untouched() -> None:
    body = ("On Monday the VPN stopped working.\nTo: all staff of the 3rd floor -- please read.\n\n"
            "Тема: пропуск\nИван")
    assert strip_reply(body) == body


def test_bare_closings_and_thanks_stay() -> None:
    assert strip_reply("Thanks,\nAnna\n\nOn Mon, 2 Feb 2026 at 10:15, Bob <b@x.example> wrote:\n> hi") == \
        "Thanks,\nAnna"
    assert strip_reply("Done, see the attached log.\n\nBest regards") == "Done, see the attached log.\n\nBest regards"
    assert strip_reply("Done.\n\nBest regards,\n\n//Jef") == "Done.\n\nBest regards,\n\n//Jef"
    assert strip_reply("С уважением, Иван") == "С уважением, Иван"  # nothing else: never empty


@pytest.mark.parametrize("closing", [
    "С уважением,\nИван Петров\nОтдел закупок, доб. 1234",
    "С уважением, Тарасова И.В.",
    "С наилучшими пожеланиями,\nКсения Александрова\nUX-дизайнер",
    "Regards, Viktoria Kim",
    "Pozdrawiam,\nJan",
    "Med venlig hilsen\nAnders Andersen",
    "Mit freundlichen Grüßen\nKlaus Becker\nIT-Abteilung\nTel. +49 30 1234",
    "С уважением,\nСорокина Жанна\nведущий юрисконсульт\n\nЭто сообщение и любые приложения к нему являются "
    "конфиденциальными.",
])
def test_closing_formula_with_a_name_starts_the_signature(closing: str) -> None:
    assert strip_reply("Спасибо, пропуск получил.\n\n" + closing) == "Спасибо, пропуск получил."


def test_a_sentence_that_starts_like_a_closing_is_text() -> None:
    body = "Готово.\n\nRegards to the whole team, we finished the move on Friday."
    assert strip_reply(body) == body


def test_slash_signoff_goes() -> None:
    assert strip_reply("Hello Anna,\n\nI will be available in June.\n\n/John") == \
        "Hello Anna,\n\nI will be available in June."


def test_mobile_footer_lookalike_is_content() -> None:
    body = "Here is the report.\n\nSent from my desk, which is easier than from my phone."
    assert strip_reply(body) == body


def test_only_a_quote_is_kept() -> None:
    assert strip_reply("> Please check the printer.\n") == "> Please check the printer."
    assert strip_reply("> On Mon, 2 Feb 2026 at 10:15, Bob <b@x.example> wrote:\n>\n") == ""


def test_empty() -> None:
    assert strip_reply("") == ""
    assert strip_reply(" \n\n ") == ""


def test_never_empty_when_there_is_text() -> None:
    assert strip_reply("--\nИван Петров\nдоб. 1234") != ""


def test_code_fence_keeps_delimiter_lines() -> None:
    body = "Config:\n\n```\n# comment\n####\n--\n```\n\nEnd."
    assert strip_reply(body) == body


def test_large_and_hostile_input_completes() -> None:
    """Inputs shaped to make a careless regex backtrack for hours; speed itself is measured in bench/."""
    hostile = [
        "a" * 1_000_000,
        ">" * 1_000_000,
        ("On " + "1 " * 300 + ":\n") * 1500,
        ("2024 " + "a@b.c " * 60 + ":\n") * 2000,
        ("Sent from my " + "x " * 100 + "\n") * 5000,
        ("On Mon, Jan 1, 2024 at 10:00 AM John <j@x.example> wrote:\n> hi\ntext\n") * 10000,
    ]
    for text in hostile:
        assert isinstance(strip_reply(text), str)


# ---------------------------------------------------------------------------------------------- HTML
GMAIL_HTML = (
    '<div dir="ltr"><div>Thanks, it works.</div><div class="gmail_signature" data-smartmail="gmail_signature">'
    "Anna</div></div><br>"
    '<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, 2 Feb 2026 at 10:15,'
    ' Desk &lt;desk@corp.example&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0 0 0 .8ex;'
    'border-left:1px solid #ccc;padding-left:1ex"><div>Please restart.</div></blockquote></div>'
)
OUTLOOK_HTML = (
    '<html><body><div class="WordSection1"><p class="MsoNormal">Готово, спасибо.<o:p></o:p></p>'
    '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
    '<p class="MsoNormal"><b>От:</b> Служба поддержки &lt;desk@corp.example&gt;<br><b>Отправлено:</b> 2 февраля'
    "<br><b>Тема:</b> [SD-15]</p></div><p>Здравствуйте, Павел!</p></div></body></html>"
)
OWA_HTML = (
    '<div dir="ltr">Approved.</div><hr style="display:inline-block;width:98%" tabindex="-1">'
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Finance &lt;f@corp.example&gt;<br>'
    "<b>Sent:</b> Monday</font></div><div>Please approve.</div>"
)
APPLE_HTML = (
    "<html><body><div>Yes, that is fine.</div><div><br><blockquote type=\"cite\"><div>On 4 Feb 2026, at 08:12,"
    " Facilities &lt;f@corp.example&gt; wrote:</div><div>Is it fine?</div></blockquote></div></body></html>"
)
THUNDERBIRD_HTML = (
    "<p>Works now.</p><div class=\"moz-cite-prefix\">03.02.2026 10:15, Алексей пишет:<br></div>"
    "<blockquote type=\"cite\" cite=\"mid:x@y\"><p>Try again.</p></blockquote>"
)
YANDEX_HTML = (
    "<div>Добрый день!</div><div>Билеты на 10 февраля.</div><div> </div>"
    "<div>02.02.2026, 11:20, \"Служба поддержки\" &lt;desk@corp.example&gt;:</div>"
    "<blockquote><div>Уточните даты поездки.</div></blockquote>"
)
MAILRU_HTML = (
    "<HTML><BODY><div>Нужна парковка.</div><blockquote style=\"border-left:1px solid #0857A6; margin:10px;"
    " padding:0 0 0 10px;\">Понедельник, 2 февраля 2026, 15:02 +03:00 от Служба поддержки:<br>"
    "<div>Пропуск оформлен.</div></blockquote></BODY></HTML>"
)


def test_html_gmail() -> None:
    assert strip_html_quotes(GMAIL_HTML) == '<div dir="ltr"><div>Thanks, it works.</div></div><br>'


def test_html_outlook_border_top_cuts_to_end() -> None:
    assert strip_html_quotes(OUTLOOK_HTML) == (
        '<html><body><div class="WordSection1"><p class="MsoNormal">Готово, спасибо.<o:p></o:p></p>')


def test_html_owa_hr_cuts_to_end() -> None:
    assert strip_html_quotes(OWA_HTML) == '<div dir="ltr">Approved.</div>'


def test_html_apple_cite() -> None:
    assert strip_html_quotes(APPLE_HTML) == "<html><body><div>Yes, that is fine.</div><div><br></div></body></html>"


def test_html_thunderbird() -> None:
    assert strip_html_quotes(THUNDERBIRD_HTML) == "<p>Works now.</p>"


def test_html_yandex_trailing_blockquote() -> None:
    out = strip_html_quotes(YANDEX_HTML)
    assert "Уточните" not in out
    assert strip_reply(out.replace("</div>", "\n").replace("<div>", "").replace("&lt;", "<").replace("&gt;", ">")) \
        == "Добрый день!\nБилеты на 10 февраля."


def test_html_mailru() -> None:
    assert strip_html_quotes(MAILRU_HTML) == "<HTML><BODY><div>Нужна парковка.</div></BODY></HTML>"


def test_html_keeps_a_blockquote_in_the_middle() -> None:
    html = "<p>The error says:</p><blockquote>Access denied</blockquote><p>What should I do?</p>"
    assert strip_html_quotes(html) == html


@pytest.mark.parametrize("html", [
    "", "plain text", "<", "<<<>>>", "<div", "<!-- never closed <div class='gmail_quote'>x", "</div></div>",
    "<blockquote type=cite>never closed", "<div class=\"gmail_quote\"><b>unclosed", "<hr><b>From:</b>",
    "<" * 100_000, "<a " * 100_000, "<div>" * 50_000 + "</blockquote>" * 50_000,
])
def test_html_broken_never_raises(html: str) -> None:
    assert isinstance(strip_html_quotes(html), str)


@pytest.mark.parametrize("body", [
    "Программа пишет:\nОшибка 0x80070005\n\nЧто делать?",
    "После обновления 1С в 2024, при запуске пишет:\n\n\"Не удалось подключиться к серверу\"\n\nИван",
    "Прошу создать учётку на период:\nFrom: 01.03.2024\nTo: 31.03.2024\n\nСпасибо",
    "Hi,\n\nOn Monday I will be out of office.\nAt 10:00 the meeting starts.",
    "Part one.\n\n__________\n" + "\n".join(f"Line {i} of the second part." for i in range(20)),
])
def test_lookalikes_in_own_text_stay(body: str) -> None:
    assert strip_reply(body) == body


def test_end_of_forward_marker_goes() -> None:
    body = ("-------- Пересылаемое сообщение --------\nОт кого: Петров <p@corp.example>\nКому: me\n"
            "Дата: Среда, 13 марта 2024, 10:15 +03:00\nТема: Счёт\n\nОплатите счёт.\n\n"
            "-------- Конец пересылаемого сообщения --------\n")
    assert strip_reply(body) == "Оплатите счёт."


def test_bottom_post_under_a_greeting_is_kept() -> None:
    body = "Hi,\nOn Mon, 2 Feb 2026 at 10:15, Desk <d@corp.example> wrote:\n> Which model?\n\nThe 14\" one."
    assert strip_reply(body) == "Hi,\n> Which model?\n\nThe 14\" one."


@pytest.mark.parametrize("attribution", [
    "张三 <zhang@example.com> 于2024年3月11日周一 10:15写道：",
    "2024년 3월 11일 (월) 오전 10:15, 홍길동 <hong@example.com>님이 작성:",
    "Dne 11. 3. 2024 10:15 napsal(a) Jan Novák <jan@example.cz>:",
    "pon., 11 mar 2024 o 10:15 Jan Kowalski <jan@example.pl> napisał(a):",
    "2024年3月11日(月) 10:15 山田太郎 <yamada@example.jp>:",
    "Den mån 11 mars 2024 kl 10:15 skrev Anna <anna@example.se>:",
    "Le lun. 11 mars 2024 à 10:15, Jean Dupont <jean@example.fr> a écrit :",
    "Am Mo., 11. März 2024 um 10:15 Uhr schrieb Hans <hans@example.de>:",
    "El lun, 11 mar 2024 a las 10:15, Juan (<juan@example.es>) escribió:",
    "Il giorno lun 11 mar 2024 alle ore 10:15 Mario <mario@example.it> ha scritto:",
    "Op ma 11 mrt 2024 om 10:15 schreef Piet <piet@example.nl>:",
    "11 марта 2024 г., в 10:15, Иван Петров <ivan@example.com> написал(а):",
    "Понедельник, 11 марта 2024, 10:15 +03:00 от Иван Петров <ivan@example.com>:",
])
def test_attributions_in_many_languages(attribution: str) -> None:
    assert strip_reply(f"OK.\n\n{attribution}\n> old text\n") == "OK."


def test_inline_image_placeholder_goes() -> None:
    body = "Ошибка на скриншоте:\n\n[cid:image001.png@01DC95A1.3A7B5C40]\n\nЕлена"
    assert strip_reply(body) == "Ошибка на скриншоте:\n\nЕлена"


def test_apple_mail_forward_quoted_whole() -> None:
    body = ("Begin forwarded message:\n\n> From: HR <hr@corp.example>\n> Subject: Vacation\n"
            "> Date: 4 February 2026 at 08:12:00 CET\n> To: Anna <anna@corp.example>\n>\n"
            "> Please confirm your vacation dates.\n")
    assert strip_reply(body) == "Please confirm your vacation dates."


def test_reply_that_adds_nothing_is_empty() -> None:
    assert strip_reply("On Mon, 2 Feb 2026 at 10:15, Desk <d@corp.example> wrote:\n> Which model?\n") == ""


def test_html_forward_without_comment_is_kept() -> None:
    gmail_fwd = ('<div dir="ltr"><br><div class="gmail_quote"><div class="gmail_attr">---------- Forwarded message'
                 ' ---------<br>From: HR &lt;hr@corp.example&gt;<br>Date: Mon, 2 Feb 2026<br>Subject: Vacation<br>'
                 "</div><div>Please confirm.</div></div></div>")
    outlook_fwd = ('<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> HR<br><b>Sent:</b> Monday'
                   "</p></div><p>Please confirm.</p>")
    apple_fwd = ("<div>Begin forwarded message:</div><blockquote type=\"cite\"><div><b>From: </b>HR</div>"
                 "<div>Please confirm.</div></blockquote>")
    for html in (gmail_fwd, outlook_fwd, apple_fwd):
        assert strip_html_quotes(html) == html


def test_trip_request_fields_are_not_a_header_block() -> None:
    body = "Please book a flight for me.\n\nFrom: Moscow\nTo: Novosibirsk\nDate: 10.02.2026\n\nThanks,\nAnna"
    assert strip_reply(body) == body


def test_mailru_attribution_with_spaced_address() -> None:
    body = ("Спасибо!\n\nПонедельник, 2 февраля 2026, 15:02 +03:00 от Служба поддержки < desk@corp.example >:\n"
            "Пропуск оформлен.\n")
    assert strip_reply(body) == "Спасибо!"


def test_thunderbird_ru_forward_below_note() -> None:
    body = ("Коллеги, это к заявке SD-12.\n\n-------- Перенаправленное сообщение --------\n"
            "Тема: \tVPN\nДата: \tMon, 2 Feb 2026 09:41:00 +0300\nОт: \tИван <ivan@corp.example>\n"
            "Кому: \tdesk@corp.example\n\nVPN не подключается.\n")
    assert strip_reply(body) == "Коллеги, это к заявке SD-12."
    whole = body.split("\n\n", 1)[1]
    assert strip_reply(whole) == "VPN не подключается."


def test_short_thanks_above_quote_and_signature_below() -> None:
    body = "Thanks!\n\nOn Mon, 2 Feb 2026 at 10:15, Desk <d@corp.example> wrote:\n> Done.\n\nJohn\n"
    assert strip_reply(body) == "Thanks!"
    greeting = "Добрый день!\n02.02.2026 09:41, Служба поддержки пишет:\n> Какой у вас ноутбук?\n\nDell 5440."
    assert strip_reply(greeting) == "Добрый день!\n> Какой у вас ноутбук?\n\nDell 5440."


def test_html_unclosed_quote_runs_to_the_end() -> None:
    html = '<p>Fixed, thanks.</p><blockquote type="cite"><p>Old text<div>more old text'
    assert strip_html_quotes(html) == "<p>Fixed, thanks.</p>"


# ------------------------------------------------------------------ attributions and quotes in other shapes
@pytest.mark.parametrize("attribution", [
    "El 19/03/2014 11:34, Jordi Puig <jordi@corp.example> ha escrit:",  # Catalan
    "W dniu 2015-01-07 14:23, jan.nowak@corp.example pisze:",  # Polish, weak verb with an address
    "Il giovedì 8 dicembre 2016, Servizio Clienti <servizio@corp.example>\nha scritto:",  # Italian, two lines
    "Op 12 december 2016 19:05 schreef Helpdesk <\nhelpdesk@corp.example>:",  # Dutch, the address wrapped
    "On Nov 21, 2014,\nat 10:18,\nJohn Doe <john@corp.example> wrote:",  # one attribution over three lines
    "2026-02-02 10:15 GMT+03:00 Иван Петров <ivan@corp.example>:",
    "2 февр. 2026 г., в 10:15, Иван Петров <ivan@corp.example> написал(а):",
])
def test_attribution_shapes(attribution: str) -> None:
    body = f"Thank you very much.\n\n{attribution}\n\n> the old question\n> and more of it\n"
    assert strip_reply(body) == "Thank you very much."


def test_a_wrapped_line_that_lost_its_quote_mark_stays_in_the_quote() -> None:
    body = ("Done, the printer is back.\n\nOn Mon, 2 Feb 2026 at 10:15, Anna <anna@corp.example> wrote:\n"
            "> The printer on the third floor prints blank pages since this morning, could\n"
            "you have a look?\n>\n> Anna\n")
    assert strip_reply(body) == "Done, the printer is back."


def test_an_inline_answer_between_quotes_is_not_taken_for_a_lost_quote_mark() -> None:
    body = ("On Mon, 2 Feb 2026 at 10:15, Anna <anna@corp.example> wrote:\n"
            "> Which laptop model do you have, and is it still under warranty as far as you know?\n"
            "Dell Latitude 5440, yes.\n> Since when does it happen?\nSince Monday.\n")
    out = strip_reply(body)
    assert "Dell Latitude 5440, yes." in out and "Since Monday." in out


def test_a_quoted_forward_is_history() -> None:
    body = ("Hello\n\n> Begin forwarded message:\n>\n> From: \"Some One\" <some.one@corp.example>\n"
            "> Date: 1. August 2011 23:28:15 GMT-07:00\n> Subject: AW: invoice\n>\n> Original text\n\nText bottom\n")
    assert strip_reply(body) == "Hello"


@pytest.mark.parametrize("block", [
    "Forwarded message:\n\n*From:* Some One <some@corp.example>\n*To:* Other <other@corp.example>\n\nThe old text.",
    "From: Helpdesk <desk@corp.example>\nDate: Monday, 2 February 2026 10:15\n\nThe old text.",
])
def test_short_and_bold_header_blocks_start_history(block: str) -> None:
    assert strip_reply("Hello\n\n" + block) == "Hello"


def test_from_to_without_an_address_is_a_date_range_not_a_header_block() -> None:
    body = "I will be on leave.\n\nFrom: 12 March\nTo: 20 March\n\nPlease approve."
    assert strip_reply(body) == body


def test_a_lone_from_line_at_the_top_is_a_header() -> None:
    assert strip_reply("From: foo@corp.example <foo@corp.example>\n\nMy email is <foo@corp.example>") == \
        "My email is <foo@corp.example>"


def test_sent_from_my_phone_ends_the_reply_even_without_a_quote_below() -> None:
    body = ("OK, approved.\n\nSent from my Wiko RIDGE FAB 4G\n\nHello, could you approve the purchase of two "
            "monitors for the finance team?")
    assert strip_reply(body) == "OK, approved."
    assert strip_reply("Да, согласовано.\n\nОтправлено с iPhone\n\nДобрый день! Прошу согласовать.") == \
        "Да, согласовано."


def test_the_bat_attribution_and_quotes_with_cyrillic_initials() -> None:
    body = ("Здравствуйте, ИТ-поддержка.\n\nИБП APC на 1500 ВА, стоит в гараже.\n\n"
            "Вы писали 11 ноября 2024 г., 16:20:05:\n\nИП> Уточните модель ИБП.\n\n--\nС уважением,\n Леонид\n")
    assert strip_reply(body) == "Здравствуйте, ИТ-поддержка.\n\nИБП APC на 1500 ВА, стоит в гараже."


@pytest.mark.parametrize("footer", [
    "John via mobile",
    "Envoyé à partir de Outlook pour Android",
    "Gesendet von Outlook für Android",
    "Gesendet mit der Telekom Mail App",
    "Sent from Mail<https://go.microsoft.com/fwlink/?LinkId=550986> for Windows 10",
    "Отправлено из мобильной Почты Mail.ru",
])
def test_mobile_footers_in_several_shapes_and_languages(footer: str) -> None:
    assert strip_reply(f"Ok, approved.\n\n{footer}") == "Ok, approved."


def test_a_sentence_with_via_phone_is_text() -> None:
    assert strip_reply("We talked via phone") == "We talked via phone"
    assert strip_reply("Ok.\n\nWe can reach him via phone") == "Ok.\n\nWe can reach him via phone"


@pytest.mark.parametrize("block", [
    "Роман Егоров\nруководитель отдела продаж\n+7 (495) 123-45-67",
    "Laura Chen\nFinance Team Lead | ACME Corp\nwww.acme.example",
    "Jan Kowalski\ntel. 22 123 45 67\njan.kowalski@partner.example",
])
def test_a_trailing_contact_block_is_a_signature(block: str) -> None:
    assert strip_reply("Please reset my VPN token.\n\n" + block) == "Please reset my VPN token."


def test_a_last_paragraph_with_a_number_is_not_a_contact_block() -> None:
    body = "Please order two monitors.\n\nDell P2723D\nquantity 2, budget 600 EUR, cost centre 4410-220-17"
    assert strip_reply(body) == body


@pytest.mark.parametrize(("body", "reply"), [
    ("Sounds good, thanks! On Mon, Jan 5, 2026 at 10:00 AM John Smith <john@corp.example> wrote:\n\n> Meet at 3?",
     "Sounds good, thanks!"),
    ("Готово. 5 янв. 2026 г., в 10:00, Иван Петров <ivan@corp.example> написал(а):\n> Когда?", "Готово."),
])
def test_the_reply_and_the_attribution_on_one_line(body: str, reply: str) -> None:
    assert strip_reply(body) == reply


def test_an_attribution_with_abbreviations_is_not_split() -> None:
    body = "Thank you very much.\n\ntir. 18. apr. 2017 kl. 13:09 skrev Test user <test@corp.example>:\n\n> old\n"
    assert strip_reply(body) == "Thank you very much."


@pytest.mark.parametrize("attribution", [
    "On Mon, Jan 5, 2026 at 10:00 AM, John Smith replied:",
    "5 января 2026 г., в 10:00, Иван Петров ответил:",
])
def test_other_verbs_than_wrote_with_a_date_and_a_time(attribution: str) -> None:
    assert strip_reply(f"Sure.\n\n{attribution}\n> Can we meet at 3?\n") == "Sure."


def test_a_sentence_ending_in_a_colon_is_not_split() -> None:
    assert strip_reply("The meeting is at 10:00. Please bring:\n- laptop\n- badge") == \
        "The meeting is at 10:00. Please bring:\n- laptop\n- badge"

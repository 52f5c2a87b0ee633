"""What a user must see after `parse_mail` reads each of the project's own test mails in tests/mail/.

One row per file. The expectations say what a person reading the ticket needs (decoded subject and
sender, the new text without quoted history or signatures, attachment names, whether the mail is
automatic, the ticket it refers to); they are never adjusted to what the parser happens to return.
`ANY` means "not checked for this mail". Texts are compared after collapsing whitespace (line
breaks, non-breaking spaces), so wrapping and HTML-to-text layout do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from postdesk.parsers import InboundMail, ParseOptions, parse_mail

MAIL_DIR = Path(__file__).resolve().parent.parent / "mail"
OPTIONS = ParseOptions(
    ticket_prefix="SD",
    our_addresses=frozenset({"service@corp.example", "it@corp.example", "hr@corp.example", "buh@corp.example"}),
)


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


@dataclass(frozen=True)
class Expect:
    file: str
    subject: str
    from_email: str
    from_name: str
    language: str
    has: tuple[str, ...] = ()  # must be in `text`
    lacks: tuple[str, ...] = ()  # must NOT be in `text` (quoted history, signature, markup, mojibake)
    attachments: tuple[str, ...] | _Any = ()  # file names, any order
    auto: str | _Any | None = None  # AutoVerdict.kind
    bounced: tuple[str, ...] = ()
    ticket_ref: str | _Any | None = None
    commands: tuple[tuple[str, str], ...] = ()  # (name without '#', args)
    broken: bool = False  # a real format defect: `defects` must say so
    empty_text: bool = False
    # the whole reply text, whitespace collapsed: any one of these (a bare trailing name or 'Thanks,' + name is
    # accepted both ways, see ../shared/corpus/ru_replies_authored/README.md rules 4-5)
    text_is: tuple[str, ...] = ()
    text_xfail: str = ""  # a known miss of the blind set (issue 15 round 3): what goes wrong


SD = "service@corp.example"
# sd539: one 4,000-character line of asset tags (written the same way in the mail)
_SD539_TAGS = ", ".join(f"NB-{4000 + 7 * i:05d}" for i in range(420))

CASES: tuple[Expect, ...] = (
    # ------------------------------------------------------------------ charsets, new requests
    Expect(
        "ru_plain_utf8_vpn.eml", "Не работает VPN", "ivan.petrov@corp.example", "Иван Петров", "ru",
        has=("С утра не подключается VPN из дома", '"Login failed" после ввода кода из SMS'),
        lacks=("доб. 1234", "+7 916 123-45-67"),
    ),
    Expect(
        "ru_plain_koi8r_password_reset.eml", "Сброс пароля в домене", "o.smirnova@corp.example", "Ольга Смирнова", "ru",
        has=("срок действия пароля истёк", "Нарушены требования к паролю", "Учётная запись o.smirnova"),
        lacks=("mailto:o.smirnova@corp.example",),
    ),
    Expect(
        "ru_plain_cp1251_printer_3rd_floor.eml", "Не печатает принтер на 3 этаже", "d.sokolov@corp.example",
        "Дмитрий Соколов", "ru",
        has=("«Замятие бумаги в лотке 2»", "Очередь печати на сервере PRN01"),
    ),
    Expect(
        "ru_plain_iso8859-5_guest_pass.eml", "Гостевой пропуск на 5 февраля", "n.orlova@corp.example",
        "Наталья Орлова", "ru",
        has=("гостевой пропуск на 5 февраля 2026 г.", "Ковалёв Андрей Викторович", 'ООО "Альфа-Консалт"'),
        lacks=("доб. 4410",),
    ),
    Expect(
        "ru_mislabeled_cp1251_as_koi8r_1c.eml", "Не работает 1С", "e.vasilieva@corp.example", "Елена Васильева", "ru",
        has=("Не запускается 1С:Бухгалтерия", "провести платёжки до 15:00"),
        lacks=("дНАПШИ ДЕМЭ", "\ufffd"),  # cp1251 bytes read as koi8-r
    ),
    Expect(
        "ru_unlabeled_cp1251_no_mime_headers.eml", "Справка 2-НДФЛ", "t.lebedeva@corp.example", "Татьяна Лебедева",
        "ru",
        has=("справку о доходах (2-НДФЛ) за 2025 год", "Заберу лично в четверг"),
        lacks=("\ufffd",),
    ),
    Expect(
        "ru_raw_8bit_headers_utf8.eml", "Новый сотрудник с 9 февраля: нужен ноутбук и доступы",
        "p.novikov@corp.example", "Павел Новиков", "ru",
        has=("Алина Захарова", "учётная запись в AD"),
    ),
    Expect(
        "ru_raw_8bit_headers_cp1251.eml", "Заявка на командировку в Новосибирск", "v.egorov@corp.example",
        "Виктор Егоров", "ru",
        has=("командировку в Новосибирск с 16 по 18 февраля 2026 г.",),
    ),
    # ------------------------------------------------------------------ replies from the usual clients
    Expect(
        "ru_outlook_reply_laptop_cp1251_html.eml", "RE: [SD-15] Новый ноутбук для сотрудника",
        "p.novikov@corp.example", "Новиков Павел", "ru",
        has=('нужен второй монитор 27"', "в понедельник в 9:30"),
        lacks=("Ваше обращение SD-15 зарегистрировано", "Отправлено: понедельник", "нестандартная конфигурация"),
        ticket_ref="SD-15",
    ),
    Expect(
        "en_outlook_reply_re_aw_printer_sd7.eml", "RE: AW: [SD-7] printer", "thomas.wagner@corp.example",
        "Thomas Wagner", "en",
        has=('"49.4C02 Service error"', "Could someone come by room 312 today?"),
        lacks=("-----Original Message-----", "can you answer this", "We replaced the toner cartridge", "Ursprüngliche"),
        ticket_ref="SD-7",
    ),
    Expect(
        "ru_thunderbird_reply_password_sd21.eml", "Re: [SD-21] Сброс пароля в домене", "o.smirnova@corp.example",
        "Ольга Смирнова", "ru",
        has=("Пароль сбросили, спасибо!", "Outlook всё равно просит пароль каждые 10 минут"),
        lacks=("Временный пароль отправлен", "Алексей Волков пишет:", "Отдел закупок, каб. 214"),
        ticket_ref="SD-21",
    ),
    Expect(
        "en_gmail_reply_laptop_sd30.eml", "Re: [SD-30] New laptop request", "michael.brown@corp.example",
        "Michael Brown", "en",
        has=('The 14" model is fine', "USB-C docking station"),
        lacks=("two standard models in stock", "Anna Smith <anna@corp.example> wrote:"),
        ticket_ref="SD-30",
    ),
    Expect(
        "ru_yandex_web_reply_business_trip_sd44.eml", "Re: [SD-44] Командировка в Казань 10–12 февраля",
        "s.kuznetsov@yandex.ru", "Сергей Кузнецов", "ru",
        has=("ул. Баумана", "утренний рейс 10 февраля"),
        lacks=("Уточните, пожалуйста, даты поездки", "С уважением", "11:20"),
        ticket_ref="SD-44",
    ),
    Expect(
        "ru_mailru_web_reply_guest_pass_sd50.eml", "Re[2]: [SD-50] Пропуск для гостя", "m.ivanova@mail.ru",
        "Мария Иванова", "ru",
        has=("госномер А123ВС 777", "Можно заказать парковку?"),
        lacks=("Пропуск для гостя оформлен", "паспорт"),
        ticket_ref="SD-50",
    ),
    Expect(
        "ru_iphone_reply_otpusk_sd61.eml", "Re: [SD-61] Заявление на отпуск с 16 по 27 февраля",
        "e.popova@corp.example", "Екатерина Попова", "ru",
        has=("даты верные, заявление подпишу завтра утром",),
        lacks=("Отправлено с iPhone", "Подтвердите, пожалуйста, даты отпуска", "написал(а)"),
        ticket_ref="SD-61",
    ),
    Expect(
        "en_inline_reply_vpn_sd27.eml", "Re: [SD-27] VPN disconnects every 10 minutes", "james.wilson@corp.example",
        "James Wilson", "en",
        # answers written between the quoted questions are the new content
        has=("Cisco Secure Client 5.1.3.62", "Only at home", "new router from my provider on Friday"),
        ticket_ref="SD-27",
    ),
    Expect(
        "ru_outlook_signature_disclaimer_sd140.eml", "RE: [SD-140] Акт сверки за январь", "n.kovaleva@corp.example",
        "Ковалёва Наталья", "ru",
        has=("Акт сверки за январь подписали", "оригинал передам курьером в четверг"),
        lacks=("С уважением", "ведущий бухгалтер", "доб. 2210", "являются конфиденциальными", "Исходное сообщение",
               "Пришлите, пожалуйста, подписанный акт"),
        ticket_ref="SD-140",
    ),
    Expect(
        "ru_gmail_reply_date_attribution_sd141.eml", "Re: [SD-141] Пропуск для гостя", "d.orlov.msk@gmail.com",
        "Дмитрий Орлов", "ru",
        has=("пропуск нужен на всю неделю, с 16 по 20 февраля",),
        lacks=("пн, 9 февр. 2026 г. в 10:15", "Уточните, пожалуйста"),
        ticket_ref="SD-141",
    ),
    Expect(
        "ru_iphone_reply_lost_quote_mark_sd142.eml", "Re: [SD-142] Ноутбук для нового сотрудника",
        "a.sokolova@corp.example", "Алина Соколова", "ru",
        has=("Ноутбук забрала, всё работает. Спасибо!",),
        lacks=("Отправлено с iPhone", "написал(а)", "18:00, при себе иметь пропуск", "кабинете 214"),
        ticket_ref="SD-142",
    ),
    Expect(
        "ru_the_bat_vy_pisali_sd143.eml", "Re: [SD-143] Полосы при печати", "b.fedorov@corp.example",
        "Борис Фёдоров", "ru",
        has=("Картридж заменили, но принтер всё равно печатает полосы.",),
        lacks=("Вы писали", "СП>", "Замените, пожалуйста", "mailto:"),
        ticket_ref="SD-143",
    ),
    Expect(
        "ru_mailru_mobile_footer_unquoted_sd144.eml", "Re[2]: [SD-144] Замена монитора", "o.lebedeva@mail.ru",
        "Оксана Лебедева", "ru",
        has=("Да, можно в пятницу после 15:00.",),
        lacks=("Отправлено из мобильной Почты Mail.ru", "Когда удобно заменить монитор"),
        ticket_ref="SD-144",
    ),
    # ------------------------------------------------------------------ reply shapes no corpus has (issue 15)
    Expect(
        "es_gmail_reply_escribio_sd201.eml", "Re: [SD-201] La impresora no imprime",
        "ana.garcia@corp.example", "Ana García", "en",
        has=("el técnico cambió el tóner esta mañana", "Podéis cerrar la incidencia"),
        lacks=("escribió", "¿Puede confirmar si la impresora", "a las 10:15"),
        ticket_ref="SD-201",
    ),
    Expect(
        "pt_gmail_reply_escreveu_sd202.eml", "Re: [SD-202] Acesso à VPN",
        "joao.pereira@corp.example", "João Pereira", "en",
        has=("A VPN voltou a funcionar depois de reinstalar o cliente",),
        lacks=("escreveu", "Pode reinstalar o cliente da VPN"),
        ticket_ref="SD-202",
    ),
    Expect(
        "sv_outlook_header_block_sd203.eml", "SV: [SD-203] Ny skärm",
        "erik.lindqvist@corp.example", "Erik Lindqvist", "en",
        has=("Skärmen har kommit och fungerar",),
        lacks=("Från:", "Din nya skärm levereras på torsdag"),
        ticket_ref="SD-203",
    ),
    Expect(
        "nb_gmail_reply_skrev_sd204.eml", "Re: [SD-204] Passord utløpt",
        "kari.nordmann@corp.example", "Kari Nordmann", "en",
        has=("Jeg har byttet passord nå, og alt virker igjen.",),
        lacks=("skrev", "Passordet ditt er utløpt"),
        ticket_ref="SD-204",
    ),
    Expect(
        "fi_gmail_reply_kirjoitti_sd205.eml", "Re: [SD-205] Tulostin jumissa",
        "matti.virtanen@corp.example", "Matti Virtanen", "en",
        has=("Tulostin toimii taas, kiitos nopeasta avusta.",),
        lacks=("kirjoitti", "Voitko kokeilla tulostinta"),
        ticket_ref="SD-205",
    ),
    Expect(
        "cs_thunderbird_reply_napsal_sd206.eml", "Re: [SD-206] Nefunguje Wi-Fi",
        "petr.novak@corp.example", "Petr Novák", "en",
        has=("Zkusil jsem to, ale pořád se nepřipojím.",),
        lacks=("napsal", "zkuste se prosím znovu připojit"),
        ticket_ref="SD-206",
    ),
    Expect(
        "tr_gmail_reply_yazdi_sd207.eml", "Re: [SD-207] E-posta kotası dolu",
        "ayse.yilmaz@corp.example", "Ayşe Yılmaz", "en",
        has=("Eski e-postaları arşivledim, artık yer var.",),
        lacks=("yazdı", "Posta kutunuzun kotası dolmuş"),
        ticket_ref="SD-207",
    ),
    Expect(
        "uk_gmail_reply_pyshe_sd208.eml", "Re: [SD-208] Не працює сканер",
        "olena.shevchenko@corp.example", "Олена Шевченко", "ru",
        has=("Сканер запрацював після перезавантаження.",),
        lacks=("пише:", "перезавантажте сканер і спробуйте"),
        ticket_ref="SD-208",
    ),
    Expect(
        "hu_gmail_reply_ezt_irta_sd209.eml", "Re: [SD-209] Jelszó visszaállítás",
        "peter.kovacs@corp.example", "Kovács Péter", "en",
        has=("Az új jelszóval sikerült belépnem, köszönöm.",),
        lacks=("ezt írta", "Az ideiglenes jelszót SMS-ben"),
        ticket_ref="SD-209",
    ),
    Expect(
        "ro_gmail_reply_a_scris_sd210.eml", "Re: [SD-210] Laptop nou",
        "andrei.popescu@corp.example", "Andrei Popescu", "en",
        has=("Am primit laptopul, totul este în regulă.",),
        lacks=("a scris", "Laptopul poate fi ridicat"),
        ticket_ref="SD-210",
    ),
    Expect(
        "el_gmail_reply_egrapse_sd211.eml", "Re: [SD-211] Πρόσβαση στον φάκελο",
        "giorgos.papadopoulos@corp.example", "Γιώργος Παπαδόπουλος", "en",
        has=("Τώρα βλέπω τον φάκελο, ευχαριστώ πολύ.",),
        lacks=("έγραψε", "Σας δώσαμε δικαιώματα"),
        ticket_ref="SD-211",
    ),
    Expect(
        "ja_gmail_reply_date_colon_sd212.eml", "Re: [SD-212] 会議室のプロジェクター",
        "ken.sato@corp.example", "佐藤 健", "en",
        has=("プロジェクターは直りました。",),
        lacks=("2026年2月9日(月) 10:15", "ケーブルを交換しました"),
        ticket_ref="SD-212",
    ),
    Expect(
        "ja_outlook_header_block_fullwidth_sd213.eml", "RE: [SD-213] 経費精算システムにログインできません",
        "hanako.suzuki@corp.example", "鈴木 花子", "en",
        has=("パスワードを再設定したらログインできました。",),
        lacks=("差出人", "パスワードの再設定をお願いします"),
        ticket_ref="SD-213",
    ),
    Expect(
        "zh_gmail_reply_xiedao_sd214.eml", "Re: [SD-214] 邮箱无法收信",
        "wei.wang@corp.example", "王伟", "en",
        has=("现在可以正常收信了，谢谢。",),
        lacks=("写道", "请清理一下收件箱"),
        ticket_ref="SD-214",
    ),
    Expect(
        "zh_foxmail_original_header_block_sd215.eml", "回复：[SD-215] 打印机卡纸",
        "na.li@corp.example", "李娜", "en",
        has=("打印机已经修好了。",),
        lacks=("原始邮件", "请问打印机还卡纸吗"),
        ticket_ref="SD-215",
    ),
    Expect(
        "ko_gmail_reply_jakseong_sd216.eml", "Re: [SD-216] 모니터 교체 요청",
        "minsu.kim@corp.example", "김민수", "en",
        has=("새 모니터 잘 받았습니다.",),
        lacks=("작성:", "새 모니터는 목요일에 설치됩니다"),
        ticket_ref="SD-216",
    ),
    Expect(
        "he_gmail_reply_rtl_marks_sd217.eml", "Re: [SD-217] אין גישה לתיקייה",
        "noa.cohen@corp.example", "נועה כהן", "en",
        has=("עכשיו יש לי גישה לתיקייה, תודה רבה.",),
        lacks=("בתאריך", "הוספנו לך הרשאות"),
        ticket_ref="SD-217",
    ),
    Expect(
        "ar_gmail_reply_rtl_marks_sd218.eml", "Re: [SD-218] مشكلة في البريد",
        "ahmed.hassan@corp.example", "أحمد حسن", "en",
        has=("تم حل المشكلة، شكرا لكم.",),
        lacks=("تمت كتابة ما يلي", "يرجى إعادة تشغيل"),
        ticket_ref="SD-218",
    ),
    Expect(
        "es_reply_no_date_attribution_sd219.eml", "Re: [SD-219] Cambio de contraseña",
        "ana.torres@corp.example", "Ana Torres", "en",
        has=("ya he cambiado la contraseña",),
        lacks=("escribió", "su contraseña caduca mañana"),
        ticket_ref="SD-219",
    ),
    Expect(
        "en_iso_date_attribution_wrapped_sd220.eml", "Re: [SD-220] Docking station",
        "tom.baker@corp.example", "Tom Baker", "en",
        has=("The new docking station works with both monitors now",),
        lacks=("wrote:", "we replaced the docking station"),
        ticket_ref="SD-220",
    ),
    Expect(
        "de_gmail_attribution_three_lines_sd221.eml", "Re: [SD-221] Zugang zum Laufwerk",
        "juergen.mueller@corp.example", "Jürgen Müller", "en",
        has=("das Laufwerk S: ist jetzt verbunden.",),
        lacks=("schrieb", "bitte melden Sie sich einmal ab"),
        ticket_ref="SD-221",
    ),
    Expect(
        "fr_outlook_header_block_de_envoye_sd222.eml", "RE: [SD-222] Badge d'accès",
        "claire.martin@corp.example", "Claire Martin", "en",
        has=("Le nouveau badge fonctionne, merci.",),
        lacks=("Envoyé :", "Votre nouveau badge est disponible"),
        ticket_ref="SD-222",
    ),
    Expect(
        "de_outlook_header_block_von_gesendet_sd223.eml", "AW: [SD-223] Outlook startet nicht",
        "sabine.schmidt@corp.example", "Sabine Schmidt", "en",
        has=("nach dem Update startet Outlook wieder.",),
        lacks=("Gesendet:", "bitte installieren Sie das Office-Update"),
        ticket_ref="SD-223",
    ),
    Expect(
        "pl_outlook_header_block_od_wyslano_sd224.eml", "RE: [SD-224] Brak dostępu do SAP",
        "anna.kowalska@corp.example", "Anna Kowalska", "en",
        has=("Dostęp do SAP już działa.",),
        lacks=("Wysłano:", "proszę sprawdzić dostęp"),
        ticket_ref="SD-224",
    ),
    Expect(
        "fi_outlook_header_block_lahettaja_sd225.eml", "VS: [SD-225] Uusi puhelin",
        "liisa.korhonen@corp.example", "Liisa Korhonen", "en",
        has=("Puhelin on otettu käyttöön.",),
        lacks=("Lähetetty:", "uusi puhelimesi on noudettavissa"),
        ticket_ref="SD-225",
    ),
    Expect(
        "uk_outlook_header_block_vid_sd226.eml", "RE: [SD-226] Доступ до 1С",
        "igor.bondarenko@corp.example", "Ігор Бондаренко", "ru",
        has=("Доступ до 1С отримав, все працює.",),
        lacks=("Надіслано:", "перевірте, будь ласка, доступ"),
        ticket_ref="SD-226",
    ),
    Expect(
        "en_nested_spaced_quotes_sd227.eml", "Re: [SD-227] Shared mailbox",
        "laura.chen@corp.example", "Laura Chen", "en",
        has=("I can see the shared mailbox now, but I cannot send as it.",),
        lacks=("we added you to the shared mailbox", "Please add me to finance@"),
        ticket_ref="SD-227",
    ),
    Expect(
        "en_pipe_quoting_sd228.eml", "Re: [SD-228] Software request",
        "henry.adams@corp.example", "Henry Adams", "en",
        has=("Version 2024 is fine",),
        lacks=("which version of the CAD software",),
        ticket_ref="SD-228",
    ),
    Expect(
        "en_quote_interrupted_wrapped_line_sd229.eml", "Re: [SD-229] Laptop pickup",
        "olivia.grant@corp.example", "Olivia Grant", "en",
        has=("Thursday works, I will come at 16:00.",),
        lacks=("18:00 on Thursday and bring your badge", "your laptop is ready"),
        ticket_ref="SD-229",
    ),
    Expect(
        "en_bottom_post_below_quote_sd230.eml", "Re: [SD-230] Email on phone",
        "richard.hall@corp.example", "Richard Hall", "en",
        has=("Android, a Samsung Galaxy S23.", "The Outlook app asks for a password every day."),
        lacks=("which phone do you use",),
        ticket_ref="SD-230",
    ),
    Expect(
        "en_top_post_with_inline_answers_sd231.eml", "Re: [SD-231] New hire accounts",
        "sophie.turner@corp.example", "Sophie Turner", "en",
        has=("Answers below.", "Monday, 16 February.", "Finance, reporting to Laura Chen.", "Yes, a 14\" one."),
        lacks=("IT Service Desk wrote",),
        ticket_ref="SD-231",
    ),
    Expect(
        "en_ipad_footer_link_glued_sd232.eml", "Re: [SD-232] Wi-Fi in room 5",
        "george.evans@corp.example", "George Evans", "en",
        has=("The Wi-Fi in meeting room 5 dropped again during the call.",),
        lacks=("Sent from my iPad", "we restarted the access point"),
        ticket_ref="SD-232",
    ),
    Expect(
        "es_iphone_enviado_desde_sd233.eml", "Re: [SD-233] Correo en el móvil",
        "lucia.fernandez@corp.example", "Lucía Fernández", "en",
        has=("Ya me llega el correo al móvil.",),
        lacks=("Enviado desde mi iPhone", "volver a añadir la cuenta"),
        ticket_ref="SD-233",
    ),
    Expect(
        "de_iphone_von_meinem_gesendet_sd234.eml", "Re: [SD-234] Termin Laptop-Tausch",
        "klaus.weber@corp.example", "Klaus Weber", "en",
        has=("Donnerstag um 14 Uhr passt.",),
        lacks=("Von meinem iPhone gesendet", "wann passt Ihnen der Laptop-Tausch"),
        ticket_ref="SD-234",
    ),
    Expect(
        "sv_iphone_skickat_fran_sd235.eml", "Sv: [SD-235] Ny telefon",
        "anna.berg@corp.example", "Anna Berg", "en",
        has=("Tack, jag hämtar den i morgon.",),
        lacks=("Skickat från min iPhone", "din nya telefon är klar"),
        ticket_ref="SD-235",
    ),
    Expect(
        "ru_yandex_mobile_footer_link_sd236.eml", "Re: [SD-236] Удалённый доступ",
        "r.egorov@yandex.ru", "Роман Егоров", "ru",
        has=("Подключился, всё работает, спасибо.",),
        lacks=("Яндекс.Почты", "попробуйте подключиться ещё раз"),
        ticket_ref="SD-236",
    ),
    Expect(
        "en_outlook_android_get_outlook_sd237.eml", "Re: [SD-237] Teams camera",
        "daniel.scott@corp.example", "Daniel Scott", "en",
        has=("The camera works in Teams now.",),
        lacks=("Get Outlook for Android", "please update the camera driver"),
        ticket_ref="SD-237",
    ),
    Expect(
        "en_google_groups_footer_sd238.eml", "Re: [SD-238] Printer list",
        "emma.clarke@corp.example", "Emma Clarke", "en",
        has=("The printer in the lobby is missing from the list.",),
        lacks=("You received this message", "unsubscribe"),
        ticket_ref="SD-238",
    ),
    Expect(
        "en_mailman_footer_sd239.eml", "Re: [SD-239] VPN maintenance",
        "peter.wood@corp.example", "Peter Wood", "en",
        has=("Will the maintenance also affect the office Wi-Fi?",),
        lacks=("mailing list", "it-users-leave"),
        ticket_ref="SD-239",
    ),
    Expect(
        "es_disclaimer_without_separator_sd240.eml", "RE: [SD-240] Alta de usuario",
        "carlos.ruiz@corp.example", "Carlos Ruiz", "en",
        has=("Necesito el alta de usuario para la nueva compañera",),
        lacks=("AVISO DE CONFIDENCIALIDAD", "elimínelo"),
        ticket_ref="SD-240",
    ),
    Expect(
        "fr_disclaimer_without_separator_sd241.eml", "[SD-241] Écran noir au démarrage",
        "julie.bernard@corp.example", "Julie Bernard", "en",
        has=("Mon ordinateur affiche un écran noir au démarrage depuis ce matin.",),
        lacks=("sont confidentiels", "avertir immédiatement"),
        ticket_ref="SD-241",
    ),
    Expect(
        "en_attribution_weekday_only_sd242.eml", "Re: [SD-242] Headset",
        "mark.taylor@corp.example", "Mark Taylor", "en",
        has=("The headset arrived, thank you.",),
        lacks=("your headset was shipped today", "On Monday"),
        ticket_ref="SD-242",
    ),
    Expect(
        "pt_outlook_header_block_de_enviado_sd243.eml", "RE: [SD-243] Licença do Office",
        "mariana.costa@corp.example", "Mariana Costa", "en",
        has=("A licença foi ativada, obrigada.",),
        lacks=("Enviada em:", "entre novamente na sua conta"),
        ticket_ref="SD-243",
    ),
    Expect(
        "ru_outlook_ot_otpravleno_no_separator_sd244.eml", "RE: [SD-244] Не открывается общий диск",
        "k.zaitsev@corp.example", "Кирилл Зайцев", "ru",
        has=("Диск открылся после перезагрузки.",),
        lacks=("Sent: Monday", "перезагрузите, пожалуйста, компьютер"),
        ticket_ref="SD-244",
    ),
    Expect(
        "ko_iphone_reply_dotted_date_sd245.eml", "Re: [SD-245] VPN 인증서 만료",
        "jieun.lee@corp.example", "이지은", "en",
        has=("인증서 갱신 후 VPN 접속됩니다.",),
        lacks=("작성:", "VPN 인증서를 갱신해 주세요"),
        ticket_ref="SD-245",
    ),
    Expect(
        "ja_iphone_reply_no_message_sd246.eml", "Re: [SD-246] 新しいスマートフォン",
        "misaki.tanaka@corp.example", "田中 美咲", "en",
        has=("受け取りました。ありがとうございます。",),
        lacks=("iPhoneから送信", "のメッセージ", "準備ができました"),
        ticket_ref="SD-246",
    ),
    Expect(
        "it_gmail_reply_il_giorno_ha_scritto_sd247.eml", "Re: [SD-247] Stampante di rete",
        "marco.rossi@corp.example", "Marco Rossi", "en",
        has=("la stampante adesso funziona.",),
        lacks=("ha scritto", "abbiamo reinstallato il driver"),
        ticket_ref="SD-247",
    ),
    Expect(
        "nl_apple_mail_het_volgende_geschreven_sd248.eml", "Re: [SD-248] Toegang tot SharePoint",
        "sanne.devries@corp.example", "Sanne de Vries", "en",
        has=("Het werkt nu, bedankt!",),
        lacks=("het volgende geschreven", "je hebt nu toegang"),
        ticket_ref="SD-248",
    ),
    Expect(
        "hr_gmail_reply_je_napisao_sd249.eml", "Re: [SD-249] Novi miš",
        "ivan.horvat@corp.example", "Ivan Horvat", "en",
        has=("miš je stigao, hvala.",),
        lacks=("je napisao", "novi miš je poslan"),
        ticket_ref="SD-249",
    ),
    Expect(
        "en_outlook_mailto_header_block_sd250.eml", "RE: [SD-250] Calendar sharing",
        "brian.lewis@corp.example", "Brian Lewis", "en",
        has=("I can see Laura's calendar now.",),
        lacks=("[mailto:service@corp.example]", "Laura shared her calendar"),
        ticket_ref="SD-250",
    ),
    Expect(
        "en_windows_mail_sent_from_mail_sd251.eml", "RE: [SD-251] Keyboard",
        "nancy.young@corp.example", "Nancy Young", "en",
        has=("The keyboard works again after changing the batteries.",),
        lacks=("Sent from Mail", "please try new batteries"),
        ticket_ref="SD-251",
    ),
    Expect(
        "en_yahoo_reply_attribution_gmt_sd252.eml", "Re: [SD-252] Home office VPN",
        "paulking1970@yahoo.com", "Paul King", "en",
        has=("It connects now.",),
        lacks=("Sent from Yahoo Mail", "please install the new VPN profile"),
        ticket_ref="SD-252",
    ),
    Expect(
        "en_aol_reply_in_a_message_dated_sd253.eml", "Re: [SD-253] Printer driver",
        "bettymoore@aol.com", "Betty Moore", "en",
        has=("the driver installed fine",),
        lacks=("In a message dated", "here is the link"),
        ticket_ref="SD-253",
    ),
    Expect(
        "da_outlook_header_block_fra_sendt_sd254.eml", "SV: [SD-254] Adgangskort",
        "mette.hansen@corp.example", "Mette Hansen", "en",
        has=("Kortet virker nu.",),
        lacks=("Med venlig hilsen", "Økonomi", "dit adgangskort er klar"),
        ticket_ref="SD-254",
    ),
    Expect(
        "en_pine_pipe_quote_bottom_post_sd255.eml", "Re: [SD-255] CAD licence server",
        "henry.adams@corp.example", "Henry Adams", "en",
        has=("the client says \"license server not responding\" since this morning",),
        lacks=("IT Service Desk wrote", "is the licence server reachable"),
        ticket_ref="SD-255",
    ),
    Expect(
        "es_short_name_escribio_sd256.eml", "Re: [SD-256] Cuenta bloqueada",
        "pablo.sanchez@corp.example", "Pablo Sánchez", "en",
        has=("Ya puedo entrar, gracias.",),
        lacks=("escribió", "Hemos desbloqueado su cuenta"),
        ticket_ref="SD-256",
    ),
    Expect(
        "de_disclaimer_under_reply_sd257.eml", "AW: [SD-257] Drucker im 2. OG",
        "stefan.becker@corp.example", "Stefan Becker", "en",
        has=("der Drucker druckt wieder, danke.",),
        lacks=("vertrauliche", "vernichten Sie diese Mail", "bitte testen Sie den Drucker"),
        ticket_ref="SD-257",
    ),
    Expect(
        "ru_disclaimer_without_closing_sd258.eml", "Нужен доступ к папке «Договоры»",
        "a.morozova@corp.example", "Анна Морозова", "ru",
        has=("Прошу предоставить доступ на чтение к папке",),
        lacks=("конфиденциальной", "удалите его"),
        ticket_ref=None,
    ),
    Expect(
        "en_disclaimer_with_confidential_request_sd259.eml", "[SD-259] Access to the confidential HR folder",
        "rachel.green@corp.example", "Rachel Green", "en",
        has=("I need read access to the confidential HR folder;", "the recipient list for the payroll report"),
        lacks=("CONFIDENTIALITY NOTICE", "delete this e-mail"),
        ticket_ref="SD-259",
    ),
    Expect(
        "ja_gmail_reply_english_wrote_sd260.eml", "Re: [SD-260] Wi-Fiが遅い",
        "daisuke.yamamoto@corp.example", "山本 大輔", "en",
        has=("了解しました。明日もう一度試します。",),
        lacks=("wrote:", "アクセスポイントを再起動しました"),
        ticket_ref="SD-260",
    ),
    Expect(
        "it_iphone_inviato_dal_mio_sd261.eml", "Re: [SD-261] Posta sul telefono",
        "giulia.bianchi@corp.example", "Giulia Bianchi", "en",
        has=("Adesso la posta arriva anche sul telefono, grazie.",),
        lacks=("Inviato dal mio iPhone", "aggiungere di nuovo l'account"),
        ticket_ref="SD-261",
    ),
    Expect(
        "ro_outlook_android_trimis_sd262.eml", "Re: [SD-262] Parola expirată",
        "elena.ionescu@corp.example", "Elena Ionescu", "en",
        has=("Am schimbat parola, merge acum.",),
        lacks=("Trimis de pe iPhone", "parola dumneavoastră a expirat"),
        ticket_ref="SD-262",
    ),
    Expect(
        "ko_iphone_footer_last_word_sd263.eml", "Re: [SD-263] 프린터 드라이버",
        "seojun.park@corp.example", "박서준", "en",
        has=("드라이버 설치 완료했습니다.",),
        lacks=("iPhone에서 보냄", "설치 링크를 보내드립니다"),
        ticket_ref="SD-263",
    ),
    Expect(
        "it_apple_mail_forward_inizio_messaggio_sd264.eml", "I: [SD-264] Fattura fornitore",
        "luca.ferrari@corp.example", "Luca Ferrari", "en",
        has=("vi inoltro la mail del fornitore: la fattura non arriva in contabilità.",),
        lacks=("Inizio messaggio inoltrato", "in allegato la fattura 2026/118"),
        ticket_ref="SD-264",
    ),
    Expect(
        "tr_outlook_forward_without_comment_sd265.eml", "İLT: [SD-265] Sunucu bakımı",
        "mehmet.demir@corp.example", "Mehmet Demir", "en",
        has=("Cumartesi 02:00-04:00 arası sunucu bakımı yapılacaktır.",),
        lacks=("Orijinal mesaj", "Kimden:", "Tarih:"),
        ticket_ref="SD-265",
    ),
    Expect(
        "hu_thunderbird_forward_eredeti_uzenet_sd266.eml", "Fwd: [SD-266] Jogosultság",
        "eszter.nagy@corp.example", "Nagy Eszter", "en",
        has=("ez a levél a jogosultságról szól, kérem nézzétek meg.",),
        lacks=("Eredeti üzenet", "Dátum:", "a jogosultságot jóváhagytuk"),
        ticket_ref="SD-266",
    ),
    Expect(
        "en_lotus_notes_name_date_head_sd267.eml", "Re: [SD-267] SAP printer mapping",
        "harold.price@corp.example", "Harold Price", "en",
        has=("the mapping works now for the Finance printers.",),
        lacks=("09.02.2026 10:15", "please test the SAP printer mapping"),
        ticket_ref="SD-267",
    ),
    Expect(
        "en_lotus_notes_wrote_on_sd268.eml", "Re: [SD-268] Notes database access",
        "harold.price@corp.example", "Harold Price", "en",
        has=("I still cannot open the database.",),
        lacks=("wrote on", "please try to open the database again"),
        ticket_ref="SD-268",
    ),
    # ------------------------------------------------------------------ HTML and attachments
    Expect(
        "en_html_only_owa_access_table.eml", "Access request for new finance team members",
        "laura.chen@corp.example", "Laura Chen", "en",
        has=("Two new members join the finance team", "Oliver Grant", "Sophie Turner", "SAP FI, Concur",
             "Approver", "finance role matrix"),
        lacks=("<td", "<a ", "&nbsp;", "font-family", "P {margin-top"),
        ticket_ref=None,  # SD-29 is only mentioned in the body
    ),
    Expect(
        "ru_outlook_html_inline_image_and_pdf.eml", "Ошибка 1С при проведении акта сверки",
        "e.vasilieva@corp.example", "Васильева Елена", "ru",
        has=("1С выдаёт ошибку (скриншот ниже)",),
        lacks=("[cid:",),  # a raw cid: placeholder means nothing to a reader
        attachments=("image001.png", "Акт сверки январь 2026.pdf"),
    ),
    Expect(
        "ru_attachment_pdf_rfc2231_buh_payslip.eml", "Расчётный листок за январь", "a.kuzmina@corp.example",
        "Анна Кузьмина", "ru",
        has=("Прошу выслать расчётный листок за январь 2026 г.",),
        attachments=("Заявление.pdf",),
    ),
    Expect(
        "ru_attachment_docx_octet_rfc2047_name.eml", "Служебная записка о переводе", "r.grigoriev@corp.example",
        "Роман Григорьев", "ru",
        has=("служебную записку о переводе сотрудника Жуковой",),
        lacks=("начальник отдела логистики",),
        attachments=("Служебная записка о переводе.docx",),
    ),
    Expect(
        "ru_attachment_jpeg_rfc2231_continuation.eml", "Принтер на 3 этаже — фото ошибки [SD-9]",
        "a.morozov@corp.example", "Андрей Морозов", "ru",
        has=("Прикладываю фото экрана принтера",),
        attachments=("Фото_принтера_3_этаж_ошибка_замятие_бумаги.jpg",),
        ticket_ref="SD-9",
    ),
    Expect(
        "ru_forward_as_attachment_rfc822.eml", "Fwd: Доступ к общей папке бухгалтерии", "r.grigoriev@corp.example",
        "Роман Григорьев", "ru",
        has=("пересылаю письмо от главбуха",),
        attachments=("Доступ к общей папке бухгалтерии.eml",),
    ),
    # ------------------------------------------------------------------ follow-ups
    Expect(
        "ru_followup_re_vpn_sd12.eml", "Re: Не работает VPN [SD-12]", "ivan.petrov@corp.example", "Иван Петров", "ru",
        has=("VPN подключился", "Заявку можно закрывать"),
        lacks=("обращение зарегистрировано", "доб. 1234", "sd.corp.example/kb/17"),
        ticket_ref="SD-12",
    ),
    Expect(
        "ru_followup_otv_peresl_1c_sd3.eml", "Отв: Пересл: [SD-3] Не работает 1С", "r.grigoriev@corp.example",
        "Григорьев Роман", "ru",
        has=("Проблема повторилась сегодня в 14:20",),
        lacks=("Исходное сообщение", "у тебя тоже так", "Сервер 1С перезапущен"),
        ticket_ref="SD-3",
    ),
    Expect(
        "en_followup_fwd_inline_wifi_sd88.eml", "Fwd: [SD-88] Guest Wi-Fi password", "peter.hall@corp.example",
        "Peter Hall", "en",
        has=("does not work for our visitors in room 5.12",),
        ticket_ref="SD-88",
    ),
    # ------------------------------------------------------------------ automatic mail
    Expect(
        "auto_postfix_dsn_bounce_old_employee.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx1.corp.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("old.employee@corp.example",), ticket_ref=ANY, attachments=ANY,
    ),
    Expect(
        "auto_exchange_ndr_ru.eml", "Не доставлено: RE: [SD-19] Доступ к папке",
        "microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@corp.example", "Microsoft Outlook", "ru",
        auto="bounce", bounced=("a.sidorov@corp.example",), ticket_ref=ANY, attachments=ANY,
    ),
    Expect(
        "auto_yandex_vacation_ru.eml", "Re: [SD-44] Командировка в Казань 10–12 февраля", "s.kuznetsov@yandex.ru",
        "Сергей Кузнецов", "ru",
        has=("Я в отпуске до 16 февраля",),
        auto="auto-reply", ticket_ref="SD-44",
    ),
    Expect(
        "auto_outlook_automatic_reply_en.eml", "Automatic reply: [SD-7] printer", "thomas.wagner@corp.example",
        "Thomas Wagner", "en",
        has=("out of the office until Monday, February 9",),
        auto="auto-reply", ticket_ref="SD-7",
    ),
    Expect(
        "auto_mailing_list_it_announce.eml", "[it-announce] Плановые работы на почтовом сервере 7 февраля",
        "it-ops@corp.example", "Группа эксплуатации ИТ", "ru",
        has=("пройдут плановые работы",),
        auto="list",
    ),
    Expect(
        "auto_bulk_newsletter.eml", "February product update: new admin console",
        "news@mailer.contosocloud.example", "ContosoCloud News", "en",
        auto="bulk",
    ),
    Expect(
        "auto_mdn_read_receipt_ru.eml", "Прочитано: [SD-33] Расчётный листок за январь", "a.kuzmina@corp.example",
        "Кузьмина Анна", "ru",
        auto="receipt", ticket_ref="SD-33", attachments=ANY,
    ),
    Expect(
        "auto_bounce_freetext_bilingual_gateway.eml",
        "Сообщение не доставлено / Undeliverable: [SD-150] Счёт на оплату", "mailgw@partner.example",
        "Почтовый шлюз Партнёр", "en",
        # the recipient is named only in prose; helpdesk@ in the help text is not a recipient
        auto="bounce", bounced=("a.zaitsev@partner.example",), ticket_ref="SD-150",
    ),
    Expect(
        "auto_delay_warning_postfix.eml", "Delayed Mail (still being retried)", "mailer-daemon@mx.partner.example",
        "Mail Delivery System", "en",
        auto="bounce", bounced=(), attachments=ANY,  # a warning: nothing has failed yet
    ),
    Expect(
        "auto_dsn_original_vs_final_recipient.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx.partner.example", "Mail Delivery System", "en",
        # the address we wrote to, not where the alias led
        auto="bounce", bounced=("buh@partner.example",), attachments=ANY,
    ),
    Expect(
        "auto_oof_outlook_rule_template_ru.eml", "Я в отпуске до 24.02", "i.vinogradov@partner.example",
        "Виноградов Игорь", "ru",
        has=("Я в отпуске до 24 февраля",),
        auto="auto-reply",
    ),
    Expect(
        "auto_1c_docflow_notification.eml", "Задача: Согласовать договор № 118/26", "docflow@corp.example",
        "1С:Документооборот", "ru",
        has=("Вам назначена задача",),
        auto="bulk",
    ),
    # ---------------------------------------- automatic mail no corpus has, and people who only look automatic
    Expect(
        # an inbox rule forwards the bounce as its only content: the nested DSN is read
        "auto_bounce_in_rfc822_of_automatic_forward.eml", "FW: Undelivered Mail Returned to Sender",
        "helpdesk-archive@corp.example", "Helpdesk archive", "en",
        auto="bounce", bounced=("u.pavlov@partner.example",), attachments=ANY,
    ),
    Expect(
        # list headers on a bounce do not make it list mail
        "auto_bounce_with_list_headers_precedence_bulk.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@lists.club-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("chairman@club-partner.example",),
    ),
    Expect(
        "auto_communigate_failed_to_deliver.eml", "Undeliverable mail: [SD-215] Lab access",
        "mailer-daemon@univ-partner.example", "Automatic Notification System", "en",
        auto="bounce", bounced=("i.sorokin@univ-partner.example",), ticket_ref="SD-215", attachments=ANY,
    ),
    Expect(
        # a warning: nothing has failed yet
        "auto_delay_warning_exim.eml", "Warning: message 1vQz9a-0004Kk-0B delayed 24 hours",
        "mailer-daemon@mx.hosting-partner.example", "Mail Delivery System", "en",
        auto="bounce", attachments=ANY,
    ),
    Expect(
        # a warning: nothing has failed yet
        "auto_delay_warning_plain_no_dsn.eml", "Warning: could not send message for past 4 hours",
        "mailer-daemon@gw.oldfactory.example", "Mail Delivery Subsystem", "en",
        auto="bounce",
    ),
    Expect(
        "auto_domino_not_delivered_to.eml",
        "DELIVERY FAILURE: User o.makarova (o.makarova@bank-partner.example) not listed in Domino Directory",
        "postmaster@bank-partner.example", "", "en",
        auto="bounce", bounced=("o.makarova@bank-partner.example",),
    ),
    Expect(
        # Original-Recipient (what we wrote to), not the Final-Recipient behind the alias
        "auto_dsn_exchange_original_recipient_alias.eml", "Undeliverable: [SD-224] Cash register",
        "microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@retail-partner.example", "Microsoft Outlook", "en",
        auto="bounce", bounced=("store12@retail-partner.example",), ticket_ref="SD-224", attachments=ANY,
    ),
    Expect(
        # postmaster@ and abuse@ in the text are whom to ask, not recipients
        "auto_dsn_text_lists_help_addresses.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx.gov-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("reception@gov-partner.example",), attachments=ANY,
    ),
    Expect(
        "auto_eset_virus_found_en.eml", 'Virus found in message "[SD-222] Price list"',
        "mailsecurity@pharma-partner.example", "ESMTP Mail Security", "en",
        auto="bounce", bounced=("c.becker@pharma-partner.example",), ticket_ref="SD-222",
    ),
    Expect(
        "auto_exchange_ndr_en_html_mailto.eml", "Undeliverable: [SD-217] Conference room booking",
        "postmaster@contoso-partner.example", "", "en",
        auto="bounce", bounced=("j.hughes@contoso-partner.example",), ticket_ref="SD-217",
    ),
    Expect(
        # the recipient only as <a href="mailto:…">Display Name</a>
        "auto_exchange_ndr_ru_html_mailto_only.eml", "Не доставлено: [SD-218] Доступ к 1С",
        "msk-ex01@rosagro-partner.example", "Администратор почтовой системы", "ru",
        auto="bounce", bounced=("m.stepanova@rosagro-partner.example",), ticket_ref="SD-218",
    ),
    Expect(
        "auto_exim_old_no_x_failed_recipients.eml", "Mail delivery failed: returning message to sender",
        "mailer-daemon@relay.school-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("t.frolova@school-partner.example",),
    ),
    Expect(
        "auto_exim_x_failed_recipients.eml", "Mail delivery failed: returning message to sender",
        "mailer-daemon@mx.hosting-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("r.gusev@hosting-partner.example",), attachments=ANY,
    ),
    Expect(
        # no daemon sender, no bounce subject: a failure heading over an address alone
        "auto_gateway_bilingual_ordinary_address.eml", "Уведомление почтового шлюза / Mail gateway notice",
        "it@teplo-partner.example", "ИТ-отдел Теплосети", "ru",
        auto="bounce", bounced=("d.orlov@teplo-partner.example",),
    ),
    Expect(
        "auto_gmail_address_not_found.eml", "Delivery Status Notification (Failure)",
        "mailer-daemon@googlemail.com", "Mail Delivery Subsystem", "en",
        auto="bounce", bounced=("d.romanov@gmail.com",),
    ),
    Expect(
        # the notice names a bare user id: the returned original's one recipient
        "auto_groupwise_undeliverable.eml", "Message status - undeliverable",
        "postmaster@gwia.city-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("p.zhukov@city-partner.example",),
    ),
    Expect(
        # out-of-office words, back at work: a request
        "auto_human_back_from_vacation_request_en.eml", "Out of office is over - need my VPN token re-enabled",
        "t.baker@corp.example", "Tom Baker", "en",
        has=("I am back from vacation, here is my request",),
        auto=None, bounced=(),
    ),
    Expect(
        # «Отпуск…» subject and «была без доступа к почте» (past tense): a request
        "auto_human_back_from_vacation_request_ru.eml", "Отпуск закончился — не могу войти в почту на телефоне",
        "a.sokolova@corp.example", "Алина Соколова", "ru",
        has=("Вернулась из отпуска", "почта на служебном телефоне не подключается"),
        auto=None, bounced=(),
    ),
    Expect(
        # a person forwarding a bounce with their question: a request
        "auto_human_forwards_bounce_with_question.eml", "Пересл.: Undelivered Mail Returned to Sender",
        "r.petrenko@corp.example", "Петренко Роман", "ru",
        has=("Можно ли как-то отправить через нашу почту",),
        auto=None, attachments=ANY,
    ),
    Expect(
        # a person asking about a bounce, with an excerpt pasted: a request
        "auto_human_my_mail_bounced_pasted_excerpt.eml", "My mail to a supplier bounced, can you help?",
        "k.morris@corp.example", "Kate Morris", "en",
        has=("Is our server blocked? Can you help?",),
        auto=None, bounced=(),
    ),
    Expect(
        # a notice's sentence cited in «», noreply@ named: a request
        "auto_human_noreply_words_in_body_ru.eml", "Письма от портала не приходят",
        "g.losev@corp.example", "Григорий Лосев", "ru",
        has=("Проверьте, пожалуйста, не заблокирован ли этот адрес.",),
        auto=None, bounced=(),
    ),
    Expect(
        # a bounce subject and a quoted NDR phrase, from a person: a request
        "auto_human_undeliverable_subject_from_person_en.eml", "Undeliverable mail to our Berlin office",
        "p.green@corp.example", "Paul Green", "en",
        has=("Could you check our side?",),
        auto=None, bounced=(),
    ),
    Expect(
        "auto_kaspersky_virus_blocked_ru.eml", "Обнаружен вирус: [SD-221] Акт выполненных работ",
        "kse-notify@metall-partner.example", "Kaspersky Security для почтовых серверов", "ru",
        auto="bounce", bounced=("a.tarasov@metall-partner.example",), ticket_ref="SD-221",
    ),
    Expect(
        "auto_kerio_could_not_be_reached.eml", "Undelivered mail: [SD-213] Logo files",
        "postmaster@design-partner.example", "", "en",
        auto="bounce", bounced=("a.morozov@design-partner.example",), ticket_ref="SD-213",
    ),
    Expect(
        "auto_mailru_not_delivered_ru.eml", "Сообщение не доставлено",
        "mailer-daemon@corp.mail.ru", "Почтовая служба Mail", "ru",
        auto="bounce", bounced=("gromova.a@mail.ru",),
    ),
    Expect(
        "auto_mdaemon_permanent_failure.eml", "Permanent Delivery Failure",
        "mdaemon@mail.logistic-partner.example", "", "en",
        auto="bounce", bounced=("e.fedorov@logistic-partner.example",), attachments=ANY,
    ),
    Expect(
        "auto_mimecast_rejected_en.eml", "Mimecast: your message could not be delivered",
        "postmaster@insurance-partner.example", "Mimecast Delivery Notification", "en",
        auto="bounce", bounced=("g.walsh@insurance-partner.example",),
    ),
    Expect(
        "auto_postfix_plain_no_dsn.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mail.old-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("v.lebedev@old-partner.example",),
    ),
    Expect(
        "auto_postfix_ru_translated.eml", "Недоставленное сообщение возвращено отправителю",
        "mailer-daemon@mx.ooo-partner.example", "Почтовая система", "ru",
        auto="bounce", bounced=("n.egorova@ooo-partner.example",), attachments=ANY,
    ),
    Expect(
        "auto_proofpoint_quarantine_notice.eml", "Message Blocked: [SD-220] Meter readings",
        "pps-noreply@energy-partner.example", "Proofpoint Protection Server", "en",
        auto="bounce", bounced=("h.klein@energy-partner.example",), ticket_ref="SD-220",
    ),
    Expect(
        "auto_prose_only_recipient_encoded_subject.eml", "Недоставленное сообщение",
        "relay@stroy-partner.example", "Почтовый сервер", "en",
        auto="bounce", bounced=("prorab.ivanov@stroy-partner.example",),
    ),
    Expect(
        "auto_qmail_send_failure_notice.eml", "failure notice",
        "mailer-daemon@mail.zavod-partner.example", "", "en",
        auto="bounce", bounced=("k.belov@zavod-partner.example",),
    ),
    Expect(
        "auto_sendmail_old_transcript.eml", "Returned mail: see transcript for details",
        "mailer-daemon@gw.oldfactory.example", "Mail Delivery Subsystem", "en",
        auto="bounce", bounced=("s.nikitin@oldfactory.example",),
    ),
    Expect(
        "auto_yahoo_failure_notice.eml", "Failure Notice",
        "mailer-daemon@yahoo.com", "", "en",
        auto="bounce", bounced=("irina_k1987@yahoo.com",),
    ),
    Expect(
        "auto_yandex_not_delivered_ru.eml", "Недоставленное сообщение",
        "mailer-daemon@yandex.ru", "", "ru",
        auto="bounce", bounced=("pavel.titov@yandex.ru",), attachments=ANY,
    ),
    Expect(
        # 452 for days, then 552: failed
        "auto_zimbra_mailbox_full_4xx_then_5xx.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@zimbra.clinic-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("dr.kovalenko@clinic-partner.example",), attachments=ANY,
    ),
    Expect(
        "auto_courier_undeliverable_mail.eml", "NOTICE: mail delivery status.",
        "@", "Courier mail server at mail.courier-partner.example", "en",
        auto="bounce", bounced=("oleg.danilov@courier-partner.example",),
    ),
    Expect(
        # a display name only; the original's To: in the Outlook header block below the underscores
        "auto_exchange2003_display_name_only_outlook_headers.eml",
        "Undeliverable: [SD-229] Phone for the new hire",
        "postmaster@old-holding.example", "System Administrator", "en",
        auto="bounce", bounced=("p.nesterova@old-holding.example",), ticket_ref="SD-229",
    ),
    Expect(
        # 'x@y' on <date>: the quotes are not part of the address
        "auto_exchange2003_quoted_recipient_on_date.eml", "Undeliverable: [SD-228] Monitor replacement",
        "postmaster@old-holding.example", "System Administrator", "en",
        auto="bounce", bounced=("k.ivanova@old-holding.example",), ticket_ref="SD-228",
    ),
    Expect(
        # an RFC 6531 address in Cyrillic
        "auto_postfix_eai_cyrillic_address.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx.xn--80a1acny.xn--p1ai", "Почтовая система", "en",
        auto="bounce", bounced=("иван.сидоров@почта.рф",),
    ),
    Expect(
        # the address we wrote to, not where the alias led (as Original-Recipient)
        "auto_postfix_expanded_from_alias_plain.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx.trade-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("sales@trade-partner.example",),
    ),
    Expect(
        # «Письмо не доставлено» from an ordinary robot@ address; a display name before the address
        "auto_ru_robot_pismo_ne_dostavleno.eml", "Письмо не доставлено",
        "robot@zavod-ural.example", "Почтовый робот", "ru",
        auto="bounce", bounced=("a.kotov@zavod-ural.example",),
    ),
    Expect(
        # the text names no one; the subject does
        "auto_subject_names_recipient_only.eml", "Delivery failure: l.petrova@sklad-partner.example",
        "mailer-daemon@gw.sklad-partner.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("l.petrova@sklad-partner.example",),
    ),
    Expect(
        # AOL's sendmail lists the user name alone: the report's own domain completes it
        "auto_sendmail_user_name_only.eml", "Returned mail: User unknown",
        "mailer-daemon@aol.com", "Mail Delivery Subsystem", "en",
        auto="bounce", bounced=("zerobanana@aol.com",),
    ),
    Expect(
        # one recipient failed, one is only delayed: the delayed one is not failed
        "auto_failed_and_delayed_in_one_notice.eml", "Delivery Status Notification (Failure)",
        "mailer-daemon@partner-hub.example", "Mail Delivery Subsystem", "en",
        auto="bounce", bounced=("f.gromov@partner-hub.example",),
    ),
    Expect(
        # a bounce subject and an NDR pasted unquoted, after "I tried … and got this back:": a request
        "auto_human_bounce_subject_pasted_unquoted_en.eml", "Undeliverable: order to supplier",
        "k.morris@corp.example", "Kate Morris", "en",
        has=("Can you help? They need it today.",),
    ),
    Expect(
        # the DSN's subject kept, a Postfix notice pasted under «мне пришло вот это»: a request
        "auto_human_dsn_subject_pasted_ru.eml", "Delivery Status Notification (Failure)",
        "i.petrov@corp.example", "Петров Иван", "ru",
        has=("можно ли проверить наш почтовый сервер?",),
    ),
    Expect(
        # an auto-reply prefix on a question about auto-replies: a request
        "auto_human_asks_how_to_turn_off_auto_reply.eml", "Auto-reply: how do I turn it off?",
        "o.ivanov@corp.example", "Oleg Ivanov", "en",
        has=("is there a way to switch my auto-reply off from the phone?",),
    ),
    Expect(
        # out-of-office words and "I will have no access to email" in a question: a request
        "auto_human_asks_how_to_set_out_of_office.eml", "Out of office message setup",
        "o.kim@corp.example", "Olga Kim", "en",
        has=("How do I set an automatic reply in Outlook on the web",),
    ),
    Expect(
        # a gateway's heading and address pasted first, «Это я вчера отправляла …» below: a request
        "auto_human_pastes_gateway_notice_ru.eml", "Не доходят письма до Иванова",
        "a.smirnova@corp.example", "Анна Смирнова", "ru",
        has=("Помогите, пожалуйста.",),
    ),
    Expect(
        # a gateway's German heading wrapped over two lines, an ordinary sender and subject
        "auto_gateway_notice_de_ordinary_address.eml", "Benachrichtigung des Mail-Gateways",
        "it-service@maschinenbau-partner.example", "IT-Service Maschinenbau", "en",
        auto="bounce", bounced=("m.mueller@maschinenbau-partner.example",),
    ),
    Expect(
        "auto_gateway_notice_fr_ordinary_address.eml", "Avis de la passerelle de messagerie",
        "informatique@batiment-partner.example", "Service informatique", "en",
        auto="bounce", bounced=("j.dupont@batiment-partner.example",),
    ),
    Expect(
        # the same German heading pasted by a person («Das bekomme ich …»): a request
        "auto_human_pastes_notice_de.eml", "Mail an Lieferanten kommt zurück",
        "j.weber@corp.example", "Jonas Weber", "en",
        has=("Könnt ihr das prüfen?",),
    ),
    Expect(
        # a gateway passes on the DSN it received, with a line of its own: the nested DSN is read
        "auto_gateway_passes_on_dsn_with_text.eml", "Delivery report for your message",
        "postmaster@smg.corp-relay.example", "Secure Mail Gateway", "en",
        auto="bounce", bounced=("s.belova@agro-partner.example",), attachments=("delivery-report.eml",),
    ),
    # ------------------------------------------------------------------ agents' replies with #commands
    Expect(
        "agent_commands_resolve_assign_ru.eml", "Re: [SD-12] Не работает VPN", "a.volkov@corp.example",
        "Алексей Волков", "ru",
        has=("переустановил клиент VPN", "Если проблема повторится"),
        lacks=("#resolve", "#assign", "Новое обращение SD-12", "доб. 1000"),
        commands=(("resolve", ""), ("assign", "me")),
        ticket_ref="SD-12",
    ),
    Expect(
        "agent_commands_priority_queue_outlook_en.eml", "RE: [SD-30] New laptop request", "anna@corp.example",
        "Anna Smith", "en",
        has=("a T14 and a docking station are reserved for you", "room 118"),
        lacks=("#приоритет", "#queue", "New reply in SD-30", "Sent: Tuesday"),
        commands=(("приоритет", "высокий"), ("queue", "hardware")),
        ticket_ref="SD-30",
    ),
    # ------------------------------------------------------------------ broken mail
    Expect(
        "broken_truncated_multipart.eml", "Скан паспорта для командировки", "v.egorov@corp.example",
        "Виктор Егоров", "ru",
        has=("скан паспорта для оформления командировки в Новосибирск",),
        attachments=ANY, broken=True,
    ),
    Expect(
        "broken_base64_garbage.eml", "Сканер на 2 этаже", "i.belov@corp.example", "Игорь Белов", "ru",
        has=("Не работает сканер на 2 этаже", "E-051"),
        lacks=("0JfQtNGA",),  # raw base64 must not be shown as text
        broken=True,
    ),
    Expect(
        "broken_header_line_without_colon.eml", "Пропуск на парковку", "i.belov@corp.example", "Игорь Белов", "ru",
        has=("пропуск на парковку для автомобиля Шкода Октавия",),
        lacks=("Dr.Web", "MIME-Version", "Content-Type"),
        broken=True,
    ),
    Expect(
        "broken_no_charset_8bit_cyrillic.eml", "Не работает телефон", "m.kozlova@corp.example", "Марина Козлова", "ru",
        has=("Не работает телефон на рабочем месте, каб. 407",),
        lacks=("\ufffd",),
        broken=True,
    ),
    Expect(
        "broken_header_name_with_space_x_mailer.eml", "Доступ к порталу поставщиков", "p.sidorov@partner.example",
        "Петр Сидоров", "ru",
        # "X Mailer:" and a name with a tab end the header block for the stdlib: Content-Type (base64) must still count
        has=("Не могу войти на портал поставщиков",),
        lacks=("0JTQ", "Content-Type"),
        broken=True,
    ),
    Expect(
        "pl_multipart_signed_charset_on_parent.eml", "Drukarka nie działa", "jan.kowalski@partner.example",
        "Jan Kowalski", "en",
        # the charset is declared only on the enclosing multipart/signed
        has=("Dzień dobry", "na ekranie błąd 49.4C02. Proszę o pomoc."),
        lacks=("Dzie\u00f1", "b\u00b3\u00b9d"),
        attachments=("smime.p7s",),
    ),
    Expect(
        "de_latin1_umlaut_attachment_names.eml", "Größenänderung Bürostühle", "j.mueller@partner.example",
        "Jürgen Müller", "en",
        has=("anbei die Größenänderung für die Bürostühle im Erdgeschoß",),
        lacks=("Г", "ь"),  # umlauts read as Cyrillic would show up as these
        attachments=("Größenänderung Bürostühle.pdf", "Preisübersicht März.xls"),
    ),
    Expect(
        "en_mixed_text_html_siblings_empty_attachment.eml", "VPN profile for the new office",
        "laura.chen@corp.example", "Laura Chen", "en",
        # text/plain and text/html side by side in multipart/mixed say different things: both are the content
        has=("Please create a VPN profile for the new office in Kazan.", "Keenetic Giga, address 10.44.0.1"),
        lacks=("<b>",),
        attachments=("vpn-export.ovpn",),  # empty, still listed
    ),
    Expect(
        "jp_rfc2231_iso2022jp_filename.eml", "見積書 quotation", "t.yamada@partner.example", "Taro Yamada", "en",
        has=("見積書を添付します。",),
        attachments=("見積書_2026年2月.pdf",),
    ),
    Expect(
        "broken_empty_body.eml", "Пароль от гостевого Wi-Fi", "m.kozlova@corp.example", "Марина Козлова", "ru",
        empty_text=True,  # valid, just empty: no defect required
    ),
    Expect(
        "broken_headers_only_multipart.eml", "Договор аренды склада — на согласование", "legal@corp.example",
        "Юридический отдел", "ru",
        empty_text=True, broken=True,
    ),
    # ------------------------------------------------------------------ blind set (issue 15, round 3): exact text
    Expect(
        "en_zimbra_original_message_spaced_sd301.eml", "Re: [SD-301] Network drive access",
        "olga.kim@corp.example", "Olga Kim", "en",
        text_is=(
            "Thanks, the share is mapped now and I can open the budget folder.\n\nOlga",
            "Thanks, the share is mapped now and I can open the budget folder.",
        ),
        ticket_ref="SD-301",
    ),
    Expect(
        "ru_roundcube_pisal_date_sd302.eml", "Re: [SD-302] Не открывается 1С после обновления",
        "a.lebedeva@corp.example", "Анна Лебедева", "ru",
        text_is=(
            "Добрый день!\n\nПереустановила клиент, как вы советовали, 1С открывается. Спасибо!",
        ),
        ticket_ref="SD-302",
    ),
    Expect(
        "en_squirrelmail_bottom_post_sd303.eml", "Re: [SD-303] Scanner sends to the wrong folder",
        "brian.hall@corp.example", "Brian Hall", "en",
        text_is=(
            "It shows \\\\fs02\\scans\\old. Our team folder is \\\\fs02\\scans\\sales.\n\nBrian",
            "It shows \\\\fs02\\scans\\old. Our team folder is \\\\fs02\\scans\\sales.",
        ),
        ticket_ref="SD-303",
    ),
    Expect(
        "de_horde_zitat_von_sd304.eml", "Re: [SD-304] Drucker im 4. Stock",
        "j.weber@corp.example", "Jürgen Weber", "en",
        text_is=(
            "Hallo,\n\nder Drucker druckt wieder, aber das Display zeigt immer noch \"Toner niedrig\".\n"
            "Soll ich den Toner trotzdem tauschen?",
        ),
        ticket_ref="SD-304",
    ),
    Expect(
        "en_hcl_notes_tabbed_header_block_sd305.eml", "Re: [SD-305] Expense report template",
        "martin.hughes@corp.example", "Martin Hughes", "en",
        text_is=(
            "Found it, thank you. The new template works.",
        ),
        ticket_ref="SD-305",
    ),
    Expect(
        "en_groupwise_triple_angle_sd306.eml", "Re: [SD-306] Calendar not syncing",
        "ruth.baker@corp.example", "Ruth Baker", "en",
        text_is=(
            "The calendar syncs on the phone now, but the shared calendar of the sales team is still "
            "missing.",
        ),
        ticket_ref="SD-306",
    ),
    Expect(
        "en_evolution_at_time_zone_sd307.eml", "Re: [SD-307] Laptop docking station",
        "daniel.price@corp.example", "Daniel Price", "en",
        text_is=(
            "Hi,\n\nthe docking station is on desk 4.12, you can pick it up any time after 2 pm.",
        ),
        ticket_ref="SD-307",
    ),
    Expect(
        "de_kmail_am_schrieb_bottom_sd308.eml", "Re: [SD-308] VPN trennt sich",
        "s.krueger@corp.example", "Sabine Krüger", "en",
        text_is=(
            "Nur zu Hause. Im Büro bleibt die Verbindung den ganzen Tag stabil.",
        ),
        ticket_ref="SD-308",
    ),
    Expect(
        "en_alpine_date_only_attribution_sd309.eml", "Re: [SD-309] Mail quota",
        "tom.becker@corp.example", "Tom Becker", "en",
        text_is=(
            "I deleted the old newsletters, the mailbox is at 60% now. Thanks.\n\nTom",
            "I deleted the old newsletters, the mailbox is at 60% now. Thanks.",
        ),
        ticket_ref="SD-309",
    ),
    Expect(
        "en_outlook_mac_date_at_header_block_sd310.eml", "Re: [SD-310] Badge for new contractor",
        "sophie.turner@corp.example", "Sophie Turner", "en",
        text_is=(
            "Hi,\n\nthe contractor starts on Wednesday, so Tuesday afternoon is fine for the badge.\n\n"
            "Sophie",
            "Hi,\n\nthe contractor starts on Wednesday, so Tuesday afternoon is fine for the badge.",
        ),
        ticket_ref="SD-310",
    ),
    Expect(
        "ru_outlook_ios_poluchit_outlook_sd311.eml", "RE: [SD-311] Не приходит почта на телефон",
        "i.savin@corp.example", "Игорь Савин", "ru",
        text_is=(
            "Переподключил учётную запись — письма пошли. Заявку можно закрывать.",
        ),
        ticket_ref="SD-311",
    ),
    Expect(
        "en_spark_address_comma_wrote_sd312.eml", "Re: [SD-312] Teams meeting room display",
        "nathan.cole@corp.example", "Nathan Cole", "en",
        text_is=(
            "The display in room 2.08 joins the meeting now. Thanks for the quick fix!\n\nNathan",
            "The display in room 2.08 joins the meeting now. Thanks for the quick fix!",
        ),
        ticket_ref="SD-312",
    ),
    Expect(
        "en_airmail_parenthesised_address_sd313.eml", "Re: [SD-313] Adobe licence",
        "emma.lewis@corp.example", "Emma Lewis", "en",
        text_is=(
            "Yes, Acrobat Pro is activated now.",
        ),
        ticket_ref="SD-313",
    ),
    Expect(
        "en_bluemail_sent_from_sd314.eml", "Re: [SD-314] Phone for new hire",
        "victor.hughes@corp.example", "Victor Hughes", "en",
        text_is=(
            "Please order the Samsung, the iPhone is too expensive for our budget.",
        ),
        ticket_ref="SD-314",
    ),
    Expect(
        "en_protonmail_ordinal_date_sd315.eml", "Re: [SD-315] Access to the partner portal",
        "grace.miller@proton.me", "Grace Miller", "en",
        text_is=(
            "Confirmed, the hardware token works and I can log in to the partner portal.\n\nBest,\nGrace",
            "Confirmed, the hardware token works and I can log in to the partner portal.",
        ),
        ticket_ref="SD-315",
    ),
    Expect(
        "en_tutanota_html_only_by_address_sd316.eml", "Re: [SD-316] Laptop delivery",
        "lena.fischer@tutanota.com", "Lena Fischer", "en",
        text_is=(
            "The new laptop arrived, but the docking station is missing from the box.\n\nLena",
            "The new laptop arrived, but the docking station is missing from the box.",
        ),
        ticket_ref="SD-316",
    ),
    Expect(
        "en_fastmail_at_time_no_address_sd317.eml", "Re: [SD-317] Shared mailbox permissions",
        "kevin.moore@fastmail.com", "Kevin Moore", "en",
        text_is=(
            "Hi,\n\nI can see the shared mailbox now, but I can't send as it. Could you add Send As as "
            "well?\n\nThanks\nKevin",
            "Hi,\n\nI can see the shared mailbox now, but I can't send as it. Could you add Send As as "
            "well?",
        ),
        ticket_ref="SD-317",
    ),
    Expect(
        "en_yahoo_indented_original_sd318.eml", "Re: [SD-318] Invoice portal login",
        "linda.wu@yahoo.com", "Linda Wu", "en",
        text_is=(
            "Thank you, the password reset link worked and I can see the invoices again.\nLinda",
            "Thank you, the password reset link worked and I can see the invoices again.",
        ),
        ticket_ref="SD-318",
    ),
    Expect(
        "en_zoho_dashed_attribution_sd319.eml", "Re: [SD-319] Wi-Fi in the meeting room",
        "arjun.mehta@zohomail.com", "Arjun Mehta", "en",
        text_is=(
            "Hi,\n\nthe guest Wi-Fi works now in meeting room 3.",
        ),
        ticket_ref="SD-319",
    ),
    Expect(
        "de_gmx_gesendet_first_header_block_sd320.eml", "Aw: [SD-320] Zugang zum Lieferantenportal",
        "j.hoffmann@gmx.de", "Jürgen Hoffmann", "en",
        text_is=(
            "Hallo,\n\nvielen Dank, die Anmeldung funktioniert jetzt.",
        ),
        ticket_ref="SD-320",
    ),
    Expect(
        "cs_seznam_puvodni_email_sd321.eml", "Re: [SD-321] Přístup do docházkového systému",
        "jana.dvorakova@seznam.cz", "Jana Dvořáková", "en",
        text_is=(
            "Dobrý den,\n\nděkuji, přihlášení do docházky už funguje.\n\nJana Dvořáková",
            "Dobrý den,\n\nděkuji, přihlášení do docházky už funguje.",
        ),
        ticket_ref="SD-321",
    ),
    Expect(
        "en_mailru_app_english_from_sd322.eml", "Re: [SD-322] VPN certificate",
        "s.orlov@mail.ru", "Sergey Orlov", "en",
        text_is=(
            "Hello,\nthe new certificate is installed, VPN connects.\n\nSergey",
            "Hello,\nthe new certificate is installed, VPN connects.",
        ),
        ticket_ref="SD-322",
    ),
    Expect(
        "en_yandex_web_english_unquoted_sd323.eml", "Re: [SD-323] Printer driver",
        "p.ivanov@yandex.ru", "Pavel Ivanov", "en",
        text_is=(
            "Thanks, the driver from the link works, the printer prints duplex again.",
        ),
        ticket_ref="SD-323",
    ),
    Expect(
        "ru_bitrix24_footer_then_quote_sd324.eml", "Re: [SD-324] Нет доступа к CRM",
        "l.zaitseva@corp.example", "Людмила Зайцева", "ru",
        text_is=(
            "Здравствуйте!\n\nДоступ к CRM появился, сделки вижу. Спасибо за помощь.\n\nЛюдмила Зайцева",
            "Здравствуйте!\n\nДоступ к CRM появился, сделки вижу. Спасибо за помощь.",
        ),
        ticket_ref="SD-324",
    ),
    Expect(
        "ru_1c_vzaimodeistviya_dashes_header_block_sd325.eml", "RE: [SD-325] Не формируется счёт-фактура",
        "o.melnikova@corp.example", "Ольга Мельникова", "ru",
        text_is=(
            "Добрый день!\nОбновление установили, счёт-фактура формируется.\nМельникова О.В.",
            "Добрый день!\nОбновление установили, счёт-фактура формируется.",
        ),
        ticket_ref="SD-325",
    ),
    Expect(
        "en_exchange_external_banner_top_sd326.eml", "RE: [SD-326] License key for the scanner software",
        "mark.lee@vendor.example", "Mark Lee", "en",
        text_is=(
            "Hello,\n\nthe license key was sent to licensing@corp.example this morning. Please check "
            "that mailbox.",
        ),
        ticket_ref="SD-326",
    ),
    Expect(
        "ru_exchange_vnimanie_banner_top_sd327.eml", "RE: [SD-327] Доступ к порталу поставщиков",
        "d.krylov@partner.example", "Денис Крылов", "ru",
        text_is=(
            "Добрый день!\n\nУчётную запись активировали, вход работает.",
        ),
        ticket_ref="SD-327",
    ),
    Expect(
        "en_thunderbird_html_only_moz_cite_sd328.eml", "Re: [SD-328] Monitor flickers",
        "chris.young@corp.example", "Chris Young", "en",
        text_is=(
            "Hello,\n\nthe monitor still flickers after the cable was replaced. Could someone bring "
            "another monitor?\n\nChris",
            "Hello,\n\nthe monitor still flickers after the cable was replaced. Could someone bring "
            "another monitor?",
        ),
        ticket_ref="SD-328",
    ),
    Expect(
        "ru_owa_html_only_divrplyfwdmsg_sd329.eml", "RE: [SD-329] Пропуск на парковку",
        "r.titov@corp.example", "Роман Титов", "ru",
        text_is=(
            "Добрый день!\n\nПропуск получил, спасибо. Но на парковку он не работает — шлагбаум не "
            "открывается.\n\nРоман",
            "Добрый день!\n\nПропуск получил, спасибо. Но на парковку он не работает — шлагбаум не "
            "открывается.",
        ),
        ticket_ref="SD-329",
    ),
    Expect(
        "fr_apple_mail_a_ecrit_nbsp_sd330.eml", "Re: [SD-330] Imprimante du 2e étage",
        "claire.martin@corp.example", "Claire Martin", "en",
        text_is=(
            "Bonjour,\n\nl’imprimante fonctionne de nouveau, merci beaucoup.\n\nClaire",
            "Bonjour,\n\nl’imprimante fonctionne de nouveau, merci beaucoup.",
        ),
        ticket_ref="SD-330",
    ),
    Expect(
        "kk_gmail_zhazdy_mixed_ru_sd331.eml", "Re: [SD-331] Принтер істемейді",
        "aigerim.n@corp.example", "Айгерім Нұрланқызы", "ru",
        text_is=(
            "Сәлеметсіз бе!\n\nПринтер қайта іске қосылды, рақмет. Но сканер всё ещё не отправляет на "
            "почту.\n\nАйгерім",
            "Сәлеметсіз бе!\n\nПринтер қайта іске қосылды, рақмет. Но сканер всё ещё не отправляет на "
            "почту.",
        ),
        ticket_ref="SD-331",
    ),
    Expect(
        "be_thunderbird_pisha_mixed_sd332.eml", "Re: [SD-332] Доступ да тэчкі",
        "a.kavalenka@corp.example", "Алесь Каваленка", "ru",
        text_is=(
            "Дзякуй, доступ да тэчкі ёсць. Только файлы открываются на чтение, а нужна запись.",
        ),
        ticket_ref="SD-332",
    ),
    Expect(
        "en_reply_with_forward_nested_sd333.eml", "Re: [SD-333] Scanner software licence",
        "nina.ross@corp.example", "Nina Ross", "en",
        text_is=(
            "Hi,\n\nthe vendor answered me directly, see below. Is this enough for you to install it?\n\n"
            "Nina",
            "Hi,\n\nthe vendor answered me directly, see below. Is this enough for you to install it?",
        ),
        ticket_ref="SD-333",
    ),
    Expect(
        "en_new_request_shell_prompt_lines_sd334.eml", "File server not reachable",
        "paul.adams@corp.example", "Paul Adams", "en",
        text_is=(
            "Hello,\n\nsince this morning I can't reach the file server from my laptop:\n\n> ping "
            "10.0.0.15\nRequest timed out.\nRequest timed out.\n\n> nslookup fs01.corp.example\nServer:  "
            "dc01.corp.example\nAddress:  10.0.0.2\n\n*** dc01.corp.example can't find "
            "fs01.corp.example: Non-existent domain\n\nOther servers answer fine. Could you check the "
            "DNS record?\n\nThanks,\nPaul",
            "Hello,\n\nsince this morning I can't reach the file server from my laptop:\n\n> ping "
            "10.0.0.15\nRequest timed out.\nRequest timed out.\n\n> nslookup fs01.corp.example\nServer:  "
            "dc01.corp.example\nAddress:  10.0.0.2\n\n*** dc01.corp.example can't find "
            "fs01.corp.example: Non-existent domain\n\nOther servers answer fine. Could you check the "
            "DNS record?",
        ),
    ),
    Expect(
        "en_phishing_report_pasted_header_block_sd335.eml", "Is this phishing?",
        "kate.evans@corp.example", "Kate Evans", "en",
        text_is=(
            "Hi,\n\nI got this mail this morning:\n\nFrom: Microsoft 365 Support "
            "<support@micros0ft-security.example>\nSent: Monday, February 9, 2026 09:02\nTo: Kate "
            "Evans\nSubject: Your password expires today\n\nDear user, your password expires today. "
            "Click here to keep your current password: http://micros0ft-security.example/keep\n\nIs "
            "this phishing? I did not click the link. Should I just delete it?\n\nKate",
            "Hi,\n\nI got this mail this morning:\n\nFrom: Microsoft 365 Support "
            "<support@micros0ft-security.example>\nSent: Monday, February 9, 2026 09:02\nTo: Kate "
            "Evans\nSubject: Your password expires today\n\nDear user, your password expires today. "
            "Click here to keep your current password: http://micros0ft-security.example/keep\n\nIs "
            "this phishing? I did not click the link. Should I just delete it?",
        ),
        text_xfail=(
            "too early: a pasted header block with the question below it is cut as quoted history"
        ),
    ),
    Expect(
        "ru_phishing_ot_line_inside_request_sd336.eml", "Подозрительное письмо",
        "v.lapteva@corp.example", "Вера Лаптева", "ru",
        text_is=(
            "Добрый день!\n\nСегодня пришло письмо, похожее на фишинг.\nОт: «Сбербанк Онлайн» "
            "<noreply@sberbank-online.example>\nТема: Ваша карта заблокирована\nВ письме просят пройти "
            "по ссылке и ввести данные карты. По ссылке я не переходила.\nПисьмо удалять или "
            "переслать вам?\n\nСпасибо,\nВера Лаптева",
            "Добрый день!\n\nСегодня пришло письмо, похожее на фишинг.\nОт: «Сбербанк Онлайн» "
            "<noreply@sberbank-online.example>\nТема: Ваша карта заблокирована\nВ письме просят пройти "
            "по ссылке и ввести данные карты. По ссылке я не переходила.\nПисьмо удалять или "
            "переслать вам?",
        ),
    ),
    Expect(
        "en_printer_wrote_own_words_sd337.eml", "Printer 3rd floor paper jam",
        "olivia.scott@corp.example", "Olivia Scott", "en",
        text_is=(
            "Hello,\n\non Monday the printer on the 3rd floor wrote:\nPAPER JAM IN TRAY 2 - OPEN DOOR B\n"
            "We opened door B and there is no paper inside, but it still shows the same message "
            "today.\n\nCan someone come and look at it?\n\nThanks,\nOlivia",
            "Hello,\n\non Monday the printer on the 3rd floor wrote:\nPAPER JAM IN TRAY 2 - OPEN DOOR B\n"
            "We opened door B and there is no paper inside, but it still shows the same message "
            "today.\n\nCan someone come and look at it?",
        ),
    ),
    Expect(
        "en_pasted_thread_question_below_sd338.eml", "Scanner licence key still missing",
        "nina.ross@corp.example", "Nina Ross", "en",
        text_is=(
            "Hi,\n\nthe vendor and I exchanged these mails last week:\n\nOn Fri, 6 Feb 2026 at 16:40, "
            "Mark Lee <mark.lee@vendor.example> wrote:\n> The license key will be sent on Monday.\n\nOn "
            "Fri, 6 Feb 2026 at 14:02, Nina Ross <nina.ross@corp.example> wrote:\n> When do we get "
            "the license key for the scanner software?\n\nIt is Tuesday and we still have nothing. "
            "Could IT chase the vendor? We can't scan invoices without it.\n\nNina",
            "Hi,\n\nthe vendor and I exchanged these mails last week:\n\nOn Fri, 6 Feb 2026 at 16:40, "
            "Mark Lee <mark.lee@vendor.example> wrote:\n> The license key will be sent on Monday.\n\nOn "
            "Fri, 6 Feb 2026 at 14:02, Nina Ross <nina.ross@corp.example> wrote:\n> When do we get "
            "the license key for the scanner software?\n\nIt is Tuesday and we still have nothing. "
            "Could IT chase the vendor? We can't scan invoices without it.",
        ),
        text_xfail=(
            "the pasted thread's attribution lines go, as in an inline answer (its quotes and the question stay)"
        ),
    ),
    Expect(
        "en_double_dash_lines_in_command_output_sd339.eml", "Deploy job fails: lock held",
        "omar.haddad@corp.example", "Omar Haddad", "en",
        text_is=(
            "Hi,\n\nthe deploy job fails since yesterday. I run:\n\n  deploy.sh --env prod --force\n\nand "
            "get:\n\n--\nERROR: lock held by build-17\n--\n\nVersions:\n\nComponent | Old | New\n"
            "----------|-----|----\nagent     | 4.1 | 4.2\n--        | --  | --\n\nCan someone release "
            "the lock on build-17?\n\nThanks\nOmar",
            "Hi,\n\nthe deploy job fails since yesterday. I run:\n\n  deploy.sh --env prod --force\n\nand "
            "get:\n\n--\nERROR: lock held by build-17\n--\n\nVersions:\n\nComponent | Old | New\n"
            "----------|-----|----\nagent     | 4.1 | 4.2\n--        | --  | --\n\nCan someone release "
            "the lock on build-17?",
        ),
    ),
    Expect(
        "en_sent_from_my_iphone_quoted_in_question_sd340.eml", "Wrong signature in my mails",
        "grace.hill@corp.example", "Grace Hill", "en",
        text_is=(
            "Hello,\n\nsince Friday every mail I send from my laptop ends with the line\nSent from my "
            "iPhone\nalthough I write them in Outlook on the laptop. It started after I set up mail "
            "on my new phone. How do I remove it?\n\nThanks,\nGrace",
            "Hello,\n\nsince Friday every mail I send from my laptop ends with the line\nSent from my "
            "iPhone\nalthough I write them in Outlook on the laptop. It started after I set up mail "
            "on my new phone. How do I remove it?",
        ),
    ),
    Expect(
        "en_forward_note_at_the_bottom_sd341.eml", "FW: Your payslip for January",
        "henry.clark@corp.example", "Henry Clark", "en",
        text_is=(
            "Your payslip for January is attached as a password-protected PDF. The password is your "
            "date of birth (DDMMYYYY).\n\nPayroll\n\nI can't open the PDF: it says the password is "
            "wrong. I entered 14031988. Can you help?\nHenry",
            "Your payslip for January is attached as a password-protected PDF. The password is your "
            "date of birth (DDMMYYYY).\n\nPayroll\n\nI can't open the PDF: it says the password is "
            "wrong. I entered 14031988. Can you help?",
        ),
    ),
    Expect(
        "ru_trip_form_otkuda_kuda_data_sd342.eml", "Командировка в Новосибирск",
        "i.petrov@corp.example", "Иван Петров", "ru",
        text_is=(
            "Добрый день!\n\nПрошу оформить командировку.\n\nФИО: Петров Иван Сергеевич\nОткуда: Москва\n"
            "Куда: Новосибирск\nДата: 16.02.2026 – 18.02.2026\nТема: аудит склада\nКому согласовать: "
            "Соколов А.В.\n\nБилеты нужны на утренний рейс, гостиница рядом со складом.\n\nСпасибо,\nИван "
            "Петров",
            "Добрый день!\n\nПрошу оформить командировку.\n\nФИО: Петров Иван Сергеевич\nОткуда: Москва\n"
            "Куда: Новосибирск\nДата: 16.02.2026 – 18.02.2026\nТема: аудит склада\nКому согласовать: "
            "Соколов А.В.\n\nБилеты нужны на утренний рейс, гостиница рядом со складом.",
        ),
    ),
    Expect(
        "en_policy_cited_with_gt_question_after_sd343.eml", "Work mail on my own phone",
        "laura.chen@corp.example", "Laura Chen", "en",
        text_is=(
            "Hi,\n\nthe IT policy says:\n\n> Personal devices may connect to the guest Wi-Fi only.\n> "
            "Access to internal systems from personal devices requires an approved MDM profile.\n\n"
            "Does that mean I can't read my work mail on my own phone at all, or only after "
            "installing the MDM profile? Where do I get it?\n\nThanks,\nLaura",
            "Hi,\n\nthe IT policy says:\n\n> Personal devices may connect to the guest Wi-Fi only.\n> "
            "Access to internal systems from personal devices requires an approved MDM profile.\n\n"
            "Does that mean I can't read my work mail on my own phone at all, or only after "
            "installing the MDM profile? Where do I get it?",
        ),
    ),
    Expect(
        "en_attacker_fake_attribution_hides_request_sd344.eml", "Account locked",
        "j.doe@corp.example", "John Doe", "en",
        text_is=(
            "Hi, please unlock my account j.doe, I typed the password wrong too often.",
        ),
    ),
    Expect(
        "en_zero_width_spaces_in_attribution_sd345.eml", "Re: [SD-345] VPN after Windows update",
        "max.turner@corp.example", "Max Turner", "en",
        text_is=(
            "Thanks, the VPN works again after the reinstall.\n\nMax",
            "Thanks, the VPN works again after the reinstall.",
        ),
        ticket_ref="SD-345",
    ),
    Expect(
        "ru_bidi_isolates_in_attribution_sd346.eml", "Re: [SD-346] Ремонт ноутбука",
        "m.belova@corp.example", "Марина Белова", "ru",
        text_is=(
            "Добрый день!\n\nНоутбук забрала, всё работает.\n\nМарина",
            "Добрый день!\n\nНоутбук забрала, всё работает.",
        ),
        ticket_ref="SD-346",
    ),
    Expect(
        "en_qp_encoded_line_break_in_attribution_sd347.eml", "Re: [SD-347] Parking badge",
        "anton.weiss@corp.example", "Anton Weiss", "en",
        text_is=(
            "Yes, the new badge opens the parking gate. Thanks!\n\nAnton",
            "Yes, the new badge opens the parking gate. Thanks!",
        ),
        ticket_ref="SD-347",
    ),
    Expect(
        "ru_attacker_fake_header_block_hides_request_sd348.eml", "Права администратора",
        "o.grachev@corp.example", "Олег Грачёв", "ru",
        text_is=(
            "Прошу выдать права локального администратора на ПК-114, нужно поставить программу для "
            "работы.",
        ),
    ),
    Expect(
        "ru_ps_after_closing_formula_sd349.eml", "Re: [SD-349] Новый ноутбук",
        "m.kotova@corp.example", "Марина Котова", "ru",
        text_is=(
            "Добрый день!\n\nНоутбук получила, всё работает. Спасибо!\n\nС уважением,\nМарина Котова\n\n"
            "P.S. И ещё: на новом ноутбуке нет принтера 3-го этажа, можно его добавить?",
            "Добрый день!\n\nНоутбук получила, всё работает. Спасибо!\n\nP.S. И ещё: на новом ноутбуке "
            "нет принтера 3-го этажа, можно его добавить?",
        ),
        ticket_ref="SD-349",
    ),
    # ------------------------------------------------------------------ round 3b: written after the fixes, run once
    Expect(
        "en_samsung_email_original_message_sd350.eml", "RE: [SD-350] Conference room booking",
        "hannah.price@corp.example", "Hannah Price", "en",
        text_is=(
            "The booking works now, I can see room 4.02 in my calendar.",
        ),
        ticket_ref="SD-350",
    ),
    Expect(
        "en_notes85_dashed_date_head_sd351.eml", "Re: [SD-351] Printer driver",
        "peter.wood@corp.example", "Peter Wood", "en",
        text_is=(
            "Installed, the printer works. Thank you.\n\nPeter Wood",
            "Installed, the printer works. Thank you.",
        ),
        ticket_ref="SD-351",
    ),
    Expect(
        "en_notes_inline_history_dashes_sd352.eml", "Re: [SD-352] Scanner",
        "peter.wood@corp.example", "Peter Wood", "en",
        text_is=(
            "The scanner sends to my mail again, thanks.",
        ),
        ticket_ref="SD-352",
    ),
    Expect(
        "kk_outlook_kimnen_header_block_sd353.eml", "RE: [SD-353] VPN қосылмайды",
        "a.zhumabayeva@corp.example", "Асель Жұмабаева", "ru",
        text_is=(
            "Рахмет, VPN қосылды.",
        ),
        ticket_ref="SD-353",
    ),
    Expect(
        "be_outlook_ad_adpraulena_sd354.eml", "RE: [SD-354] Новы манітор",
        "a.kavalenka@corp.example", "Алесь Каваленка", "ru",
        text_is=(
            "Манітор атрымаў, дзякуй!",
        ),
        ticket_ref="SD-354",
    ),
    Expect(
        "en_outlook_prefixed_original_message_sd355.eml", "RE: [SD-355] Password expiry",
        "karen.hill@corp.example", "Karen Hill", "en",
        text_is=(
            "Done, I changed it from the portal.\n\nKaren",
            "Done, I changed it from the portal.",
        ),
        ticket_ref="SD-355",
    ),
    Expect(
        "ru_outlook_sensitivity_label_top_sd356.eml", "RE: [SD-356] Доступ к папке Бюджет",
        "i.sokolova@corp.example", "Ирина Соколова", "ru",
        text_is=(
            "Доступ есть, спасибо!\n\nИрина",
            "Доступ есть, спасибо!",
        ),
        ticket_ref="SD-356",
    ),
    Expect(
        "en_gmail_forward_no_comment_sd357.eml", "Fwd: Your Adobe invoice",
        "tom.becker@corp.example", "Tom Becker", "en",
        text_is=(
            "Your invoice for February is ready. Amount due: 59.99 EUR.",
        ),
    ),
    Expect(
        "de_gmail_am_um_uhr_schrieb_sd358.eml", "Re: [SD-358] Teams Kamera",
        "stefan.braun@corp.example", "Stefan Braun", "en",
        text_is=(
            "Die Kamera geht wieder, danke!",
        ),
        ticket_ref="SD-358",
    ),
    Expect(
        "en_apple_mail_forward_inside_reply_sd359.eml", "Re: [SD-359] Vendor access",
        "lucy.ward@corp.example", "Lucy Ward", "en",
        text_is=(
            "Here is what the vendor sent me.\n\nLucy",
            "Here is what the vendor sent me.",
        ),
        ticket_ref="SD-359",
    ),
    Expect(
        "ru_thebat_reply_with_greeting_sd360.eml", "Re: [SD-360] Картридж",
        "b.fedorov@corp.example", "Борис Фёдоров", "ru",
        text_is=(
            "Здравствуйте, Служба.\n\nHP 59A, две штуки.",
            "Здравствуйте, Служба.\n\nСП> Какой модели картридж нужен?\n\nHP 59A, две штуки.",
        ),
        ticket_ref="SD-360",
    ),
    Expect(
        "en_outlook_ios_sent_from_then_block_sd361.eml", "Re: [SD-361] Phone setup",
        "ryan.clark@corp.example", "Ryan Clark", "en",
        text_is=(
            "Got it working, thanks!",
        ),
        ticket_ref="SD-361",
    ),
    Expect(
        "en_reply_below_quoted_signature_sd362.eml", "Re: [SD-362] Disk space",
        "alan.ross@corp.example", "Alan Ross", "en",
        text_is=(
            "I deleted 20 GB of old videos. Is that enough?\n\nAlan",
            "I deleted 20 GB of old videos. Is that enough?",
        ),
        ticket_ref="SD-362",
    ),
    Expect(
        "ru_mailru_web_otvet_ot_sd363.eml", "Re: [SD-363] Пропуск",
        "o.lebedeva@mail.ru", "Ольга Лебедева", "ru",
        text_is=(
            "Пропуск получила, спасибо.\n\nОльга",
            "Пропуск получила, спасибо.",
        ),
        ticket_ref="SD-363",
    ),
    # ------------------------------------------------------------------ blind set, round 4 (issue 15)
    Expect(
        "ru_outlook_html2text_kopiya_vazhnost_sd401.eml", "RE: [SD-401] Акт сверки с ООО «Вектор»",
        "e.pavlova@corp.example", "Елена Павлова", "ru",
        text_is=(
            "Добрый день!\n\nАкт сверки подписали, скан во вложении не нужен — он уже в 1С.\n\n*Важно:* ори"
            "гинал отправим курьером в пятницу, 13.02.",
            "Добрый день!\n\nАкт сверки подписали, скан во вложении не нужен — он уже в 1С.\n\nВажно: ориги"
            "нал отправим курьером в пятницу, 13.02.",
        ),
        ticket_ref="SD-401",
    ),
    Expect(
        "ru_outlook_signature_image_long_corporate_sd402.eml", "RE: [SD-402] Не приходит расчётный листок",
        "m.ivanova@corp.example", "Мария Иванова", "ru",
        text_is=(
            "Спасибо, листок пришёл.",
        ),
        ticket_ref="SD-402",
    ),
    Expect(
        "ru_thunderbird_reply_between_quote_levels_sd403.eml", "Re: [SD-403] Не заряжается ноутбук",
        "a.kotova@corp.example", "Анна Котова", "ru",
        text_is=(
            "Инвентарный номер 00-004512, наклейка снизу на корпусе.",
        ),
        ticket_ref="SD-403",
    ),
    Expect(
        "ru_outlook_excel_table_tabs_sd404.eml", "RE: [SD-404] Расхождение по авансовым отчётам",
        "o.smirnova@corp.example", "Ольга Смирнова", "ru",
        text_is=(
            "Добрый день!\n\nВот расхождения за январь:\n\nСотрудник\tДата\tСумма по АО\tСумма в 1С\nОрлов И.П."
            "\t12.01.2026\t15 400,00\t14 400,00\nКиселёва Т.А.\t19.01.2026\t8 250,00\t8 520,00\nЯмщиков Д.В.\t27"
            ".01.2026\t3 100,00\t\n\nПо Ямщикову отчёт в 1С вообще не проведён.\n\nОльга",
            "Добрый день!\n\nВот расхождения за январь:\n\nСотрудник\tДата\tСумма по АО\tСумма в 1С\nОрлов И.П."
            "\t12.01.2026\t15 400,00\t14 400,00\nКиселёва Т.А.\t19.01.2026\t8 250,00\t8 520,00\nЯмщиков Д.В.\t27"
            ".01.2026\t3 100,00\t\n\nПо Ямщикову отчёт в 1С вообще не проведён.",
        ),
        ticket_ref="SD-404",
    ),
    Expect(
        "en_gmail_pipe_table_sd405.eml", "Re: [SD-405] Monitor order",
        "laura.king@corp.example", "Laura King", "en",
        text_is=(
            "Here are the desks that still need a second monitor:\n\n| Desk | Name        | Model       |"
            "\n|------|-------------|-------------|\n| 4.12 | Tom Baker   | Dell P2425H |\n| 4.15 | Sara L"
            'opez  | Dell P2425H |\n| 4.21 | Ken Ito     | any 27"     |\n\nKen is fine with any 27" model'
            ".",
        ),
        ticket_ref="SD-405",
    ),
    Expect(
        "ru_yandex_numbered_answers_sd406.eml", "Re: [SD-406] Оформление нового сотрудника",
        "i.belov@yandex.ru", "Игорь Белов", "ru",
        text_is=(
            "Отвечаю по пунктам:\n\n1. Выход 16 февраля.\n2. Должность — кладовщик, склад №2.\n3. Ноутбук н"
            "е нужен, только учётка в 1С и пропуск.",
        ),
        ticket_ref="SD-406",
    ),
    Expect(
        "ru_ios_pochta_prilozhenie_collapsed_sd407.eml", "Re: [SD-407] Согласование закупки",
        "s.morozov@corp.example", "Сергей Морозов", "ru",
        text_is=(
            "Согласовано.",
        ),
        ticket_ref="SD-407",
    ),
    Expect(
        "ru_android_mobilnoe_ustroistvo_original_sd408.eml", "Re: [SD-408] Пропуск на парковку",
        "t.lisina@corp.example", "Татьяна Лисина", "ru",
        text_is=(
            "Номер машины А123ВС 777, Киа Рио белая.",
        ),
        ticket_ref="SD-408",
    ),
    Expect(
        "ru_html_only_text_stub_sd409.eml", "RE: [SD-409] Доступ к сетевой папке Закупки",
        "v.orlov@corp.example", "Виктор Орлов", "ru",
        text_is=(
            "Добрый день!\n\nДоступ есть, папка открывается. Заявку можно закрывать.",
        ),
        ticket_ref="SD-409",
    ),
    Expect(
        "en_outlook_html2text_mailto_cid_bold_sd410.eml", "RE: [SD-410] Expense report stuck in approval",
        "peter.brown@corp.example", "Peter Brown", "en",
        text_is=(
            "Hi,\n\nit is still stuck. The status says *Pending manager* but my manager *Alan Ross* appro"
            "ved it on Friday.\n\nReport number: ER-2026-0117",
            "Hi,\n\nit is still stuck. The status says Pending manager but my manager Alan Ross approved "
            "it on Friday.\n\nReport number: ER-2026-0117",
        ),
        ticket_ref="SD-410",
    ),
    Expect(
        "ru_notes_name_date_komu_kopiya_tema_sd411.eml", "Re: [SD-411] Командировка в Казань",
        "n.zuev@corp.example", "Николай Зуев", "ru",
        text_is=(
            "Билеты получил, спасибо. Гостиница тоже подтверждена.",
        ),
        ticket_ref="SD-411",
    ),
    Expect(
        "ru_gmail_forward_question_on_top_sd412.eml", "Fwd: Неоплаченный счёт № 118",
        "d.fomina@corp.example", "Дарья Фомина", "ru",
        text_is=(
            "Пересылаю, посмотрите, пожалуйста. Поставщик пишет, что счёт не оплачен, а у нас в банк-кл"
            "иенте оплата прошла 5 февраля.",
        ),
    ),
    Expect(
        "ru_yandex_forward_peresylaemoe_with_end_sd413.eml", "Fwd: Изменение реквизитов",
        "p.gromov@corp.example", "Павел Громов", "ru",
        text_is=(
            "Коллеги, поставщик сменил банк. Нужно ли что-то делать с нашей стороны перед оплатой?",
        ),
    ),
    Expect(
        "ru_outlook_quotes_our_ack_unprefixed_sd414.eml", "RE: [SD-414] Не работает сканер",
        "i.sokolova@corp.example", "Ирина Соколова", "ru",
        text_is=(
            "Статья не помогла, сканер по-прежнему не виден в списке устройств.",
        ),
        ticket_ref="SD-414",
    ),
    Expect(
        "en_quotes_our_ack_no_attribution_sd415.eml", "Re: [SD-415] Wi-Fi drops in room 5.02",
        "tom.harris@corp.example", "Tom Harris", "en",
        text_is=(
            "It happens every day around 14:00, in room 5.02 only.\n\nTom",
            "It happens every day around 14:00, in room 5.02 only.",
        ),
        ticket_ref="SD-415",
    ),
    Expect(
        "en_inline_answer_under_kb_suggestion_sd416.eml", "Re: [SD-416] VPN token expired",
        "chris.young@corp.example", "Chris Young", "en",
        text_is=(
            "I tried this, the portal says my account is not eligible for renewal.",
        ),
        ticket_ref="SD-416",
    ),
    Expect(
        "ru_windows_mail_prilozhenie_pochta_link_sd417.eml", "RE: [SD-417] Учётная запись в 1С",
        "a.kim@corp.example", "Алексей Ким", "ru",
        text_is=(
            "Зашёл, всё работает.",
        ),
        ticket_ref="SD-417",
    ),
    Expect(
        "en_yahoo_iphone_link_glued_sd418.eml", "Re: [SD-418] Invoice copy",
        "mia.wong@yahoo.example", "Mia Wong", "en",
        text_is=(
            "Received, thank you!",
        ),
        ticket_ref="SD-418",
    ),
    Expect(
        "de_outlook_ios_fuer_ios_beziehen_sd419.eml", "AW: [SD-419] Laptop-Rückgabe",
        "jonas.weber@corp.example", "Jonas Weber", "en",
        text_is=(
            "Ich bringe den Laptop morgen um 9 Uhr vorbei.",
        ),
        ticket_ref="SD-419",
    ),
    Expect(
        "en_notes_dashed_wrote_header_sd420.eml", "Re: [SD-420] Shared mailbox",
        "rachel.green@corp.example", "Rachel Green", "en",
        text_is=(
            "Yes, please add Mark as well, same rights as me.\n\nRachel",
            "Yes, please add Mark as well, same rights as me.",
        ),
        ticket_ref="SD-420",
    ),
    Expect(
        "de_outlook_mfg_signature_von_block_sd421.eml", "AW: [SD-421] Zugang zu SAP",
        "katrin.schulz@corp.example", "Katrin Schulz", "en",
        text_is=(
            "Hallo,\n\nder Zugang funktioniert jetzt, vielen Dank für die schnelle Hilfe.",
        ),
        ticket_ref="SD-421",
    ),
    Expect(
        "es_outlook_enviado_el_saludos_sd422.eml", "RE: [SD-422] Nómina de enero",
        "lucia.martin@corp.example", "Lucía Martín", "en",
        text_is=(
            "Hola:\n\nYa la he recibido, pero falta el complemento de transporte.",
        ),
        ticket_ref="SD-422",
    ),
    Expect(
        "ru_mailru_app_link_glued_footer_sd423.eml", "Re: [SD-423] Справка 2-НДФЛ",
        "o.nikitin@mail.ru", "Олег Никитин", "ru",
        text_is=(
            "Справку получил, спасибо!",
        ),
        ticket_ref="SD-423",
    ),
    Expect(
        "ru_html_empty_text_part_owa_reply_sd424.eml", "RE: [SD-424] Заказ канцтоваров",
        "g.zhukova@corp.example", "Галина Жукова", "ru",
        text_is=(
            "Добрый день!\n\nНужны ещё 5 пачек бумаги А4 и 2 коробки скрепок, кабинет 312.\n\nГалина",
            "Добрый день!\n\nНужны ещё 5 пачек бумаги А4 и 2 коробки скрепок, кабинет 312.",
        ),
        ticket_ref="SD-424",
    ),
    Expect(
        "ru_apple_mail_long_thread_two_levels_sd425.eml", "Re: [SD-425] Отпуск в марте",
        "y.vetrova@icloud.com", "Юлия Ветрова", "ru",
        text_is=(
            "Да, переносим на 16–29 марта. Заявление подпишу завтра.",
        ),
        ticket_ref="SD-425",
    ),
    Expect(
        "ru_kadry_reply_disclaimer_then_block_sd426.eml", "RE: [SD-426] Справка с места работы",
        "s.egorova@corp.example", "Светлана Егорова", "ru",
        text_is=(
            "Справка готова, можно забрать в кабинете 214 с 14:00.",
            "Справка готова, можно забрать в кабинете 214 с 14:00.\n\nЕгорова Светлана\nОтдел кадров, доб."
            " 1120",
        ),
        ticket_ref="SD-426",
    ),
    Expect(
        "ru_python_prompts_triple_angle_sd431.eml", "Не работает выгрузка реестра",
        "r.egorov@corp.example", "Роман Егоров", "ru",
        text_is=(
            "Добрый день!\n\nСкрипт выгрузки реестра платежей падает:\n\n>>> import pandas as pd\n>>> pd.rea"
            'd_excel("реестр.xlsx")\nImportError: Missing optional dependency \'openpyxl\'.\n\nМожно установ'
            "ить openpyxl на терминальный сервер TS02?\n\nРоман",
            "Добрый день!\n\nСкрипт выгрузки реестра платежей падает:\n\n>>> import pandas as pd\n>>> pd.rea"
            'd_excel("реестр.xlsx")\nImportError: Missing optional dependency \'openpyxl\'.\n\nМожно установ'
            "ить openpyxl на терминальный сервер TS02?",
        ),
    ),
    Expect(
        "ru_ishodnoe_soobshchenie_typed_heading_sd432.eml", "Претензия клиента по заказу 4471",
        "m.lebedeva@corp.example", "Мария Лебедева", "ru",
        text_is=(
            "Добрый день!\n\nКлиент прислал претензию в чат, переношу сюда.\n\nИсходное сообщение:\n«Заказ №"
            " 4471 пришёл неполным, нет двух коробок. Прошу вернуть деньги за них.»\n\nКак оформить возвр"
            "ат по такой претензии и кто подписывает акт?",
        ),
    ),
    Expect(
        "ru_double_dash_at_line_start_in_sentence_sd433.eml", "Перенос отпуска",
        "a.belov@corp.example", "Антон Белов", "ru",
        text_is=(
            "Добрый день!\n\nМы обсудили с руководителем перенос отпуска\n-- можно ли перенести его на май"
            " без новой графиковой записи? --\nи решили уточнить у вас.\n\nОтпуск по графику: 02.03–15.03.",
        ),
    ),
    Expect(
        "ru_s_uvazheniem_k_vremeni_first_line_sd434.eml", "Срочно: не открывается 1С",
        "p.volkov@corp.example", "Пётр Волков", "ru",
        text_is=(
            "С уважением к вашему времени, прошу рассмотреть побыстрее: завтра сдаём отчёт в налоговую,"
            " а 1С:Бухгалтерия не открывается.\n\nОшибка: «Нарушена целостность информационной базы».\n\nСп"
            "асибо!\nПётр",
            "С уважением к вашему времени, прошу рассмотреть побыстрее: завтра сдаём отчёт в налоговую,"
            " а 1С:Бухгалтерия не открывается.\n\nОшибка: «Нарушена целостность информационной базы».",
        ),
    ),
    Expect(
        "ru_memo_ot_komu_tema_data_register_sd435.eml", "Регистрация входящего письма",
        "l.karpova@corp.example", "Людмила Карпова", "ru",
        text_is=(
            "Добрый день!\n\nПрошу зарегистрировать входящее письмо:\n\nОт: ООО «Ромашка»\nКому: Генеральном"
            "у директору АО «Нордтранс»\nДата: 05.02.2026\nТема: Изменение банковских реквизитов\n\nСкан пр"
            "икладываю. Кому передать оригинал?",
        ),
    ),
    Expect(
        "ru_policy_ot_date_napisano_sd436.eml", "Суточные в командировке",
        "e.krylova@corp.example", "Елена Крылова", "ru",
        text_is=(
            "Здравствуйте!\n\nВ положении о командировках от 01.02.2026 написано:\n«Суточные выплачиваются"
            " за каждый день нахождения в командировке, включая дни в пути».\n\nЕсли я выезжаю в 23:30 во"
            "скресенья, воскресенье считается днём в пути?",
        ),
    ),
    Expect(
        "ru_contact_block_first_then_request_sd437.eml", "Доступ к банк-клиенту",
        "a.petrova@corp.example", "Анна Петрова", "ru",
        text_is=(
            "Петрова Анна Викторовна\nБухгалтерия, участок расчётов с поставщиками\nтел. доб. 4410\n\nПрошу"
            " восстановить доступ к банк-клиенту: после замены ноутбука не виден токен.\nПлатежи нужно о"
            "тправить сегодня до 16:00.",
        ),
    ),
    Expect(
        "en_attacker_text_after_fake_iphone_footer_sd438.eml", "MFA reset",
        "sam.fisher@corp.example", "Sam Fisher", "en",
        text_is=(
            "Please reset my MFA, I have a new phone.",
        ),
    ),
    Expect(
        "en_attacker_html_fake_reply_block_sd439.eml", "Printer access",
        "eve.marsh@corp.example", "Eve Marsh", "en",
        text_is=(
            "Please give me access to the printer on floor 3.",
        ),
    ),
    Expect(
        "ru_gmail_shaped_own_words_bank_notice_sd440.eml", "Письмо от банка — фишинг?",
        "k.markova@corp.example", "Ксения Маркова", "ru",
        text_is=(
            "Добрый день!\n\nпн, 9 февр. 2026 г. в 10:15 пришло письмо от «Банк Открытие» <noreply@open-b"
            "ank-secure.example>:\n«Ваш доступ к интернет-банку ограничен, подтвердите данные по ссылке»"
            ".\n\nПо ссылке не переходила. Это фишинг? Куда переслать письмо?",
        ),
    ),
    Expect(
        "ru_kladovshchik_pishet_own_words_sd441.eml", "Сканер штрихкодов на складе",
        "d.orekhov@corp.example", "Денис Орехов", "ru",
        text_is=(
            "Добрый день!\n\nКладовщик второго склада пишет:\nСканер пищит, но в 1С ничего не появляется, "
            "с утра так.\n\nСканер Honeywell, подключён по USB. Можете посмотреть удалённо?\n\nДенис",
            "Добрый день!\n\nКладовщик второго склада пишет:\nСканер пищит, но в 1С ничего не появляется, "
            "с утра так.\n\nСканер Honeywell, подключён по USB. Можете посмотреть удалённо?",
        ),
    ),
    Expect(
        "ru_mailing_request_komu_tema_tekst_sd442.eml", "Рассылка об отключении света",
        "o.frolova@corp.example", "Ольга Фролова", "ru",
        text_is=(
            "Прошу сделать рассылку:\n\nКому: все сотрудники офиса на Лесной\nТема: Отключение электроэнер"
            "гии 14.02\nТекст: 14 февраля с 10:00 до 14:00 в здании не будет электричества. Сохраните ра"
            "боту заранее.\n\nОтправить нужно сегодня, до 18:00.",
        ),
    ),
    Expect(
        "en_new_signature_request_best_regards_inside_sd443.eml", "Change my e-mail signature",
        "john.smith@corp.example", "John Smith", "en",
        text_is=(
            "Hi,\n\nplease change my signature in Outlook to:\n\nBest regards,\nJohn Smith\nSenior Accountant"
            "\n\nand add the new office phone +44 20 7946 0999 below the title. Can it be set centrally?",
        ),
    ),
    Expect(
        "en_whitelist_from_lines_sd444.eml", "Supplier mails land in junk",
        "nora.bell@corp.example", "Nora Bell", "en",
        text_is=(
            "Hello,\n\nplease whitelist these senders:\n\nFrom: invoices@supplier.example\nFrom: billing@sup"
            'plier.example\nSubject: always starts with "Invoice"\n\nSince Monday all their mails go to ju'
            "nk and we miss payment deadlines.",
        ),
    ),
    Expect(
        "en_you_wrote_reference_new_request_sd445.eml", "Laptop still freezes",
        "ben.carter@corp.example", "Ben Carter", "en",
        text_is=(
            'Hi,\n\nin my last ticket you wrote:\n"Please update the BIOS and restart the laptop."\nI did b'
            "oth and it still freezes twice a day.\n\nWhat should I try next?\n\nBen",
            'Hi,\n\nin my last ticket you wrote:\n"Please update the BIOS and restart the laptop."\nI did b'
            "oth and it still freezes twice a day.\n\nWhat should I try next?",
        ),
    ),
    # ------------------------------------------------------------------ blind set, round 5 (issue 15)
    Expect(
        "ru_sogo_v_ponedelnik_napisal_sd501.eml", "Re: [SD-501] Акт сверки с ООО «Вектор»",
        "t.lebedeva@corp.example", "Татьяна Лебедева", "ru",
        text_is=(
            "Добрый день!\n\nАкт сверки за 4 квартал подписан с нашей стороны, оригинал передала курьеру."
            "\nРасхождение 1 240,00 руб. закрыли корректировкой от 05.02.",
        ),
        lacks=("Служба поддержки АО", "доб. 4412",),
        ticket_ref="SD-501",
    ),
    Expect(
        "ru_em_client_ishodnoe_six_dashes_sd502.eml", "Re: [SD-502] Справка с места работы",
        "i.sokolova@corp.example", "Ирина Соколова", "ru",
        text_is=(
            "Здравствуйте,\nсправка нужна в двух экземплярах, для визового центра. Заберу в четверг посл"
            "е 14:00.",
        ),
        lacks=("Исходное сообщение", "Отдел кадров",),
        ticket_ref="SD-502",
    ),
    Expect(
        "en_mailbird_html_only_pbconv_sd503.eml", "Re: [SD-503] Docking station",
        "kevin.brooks@corp.example", "Kevin Brooks", "en",
        text_is=(
            "Hi,\n\nthe dock in room 2.14 still shows no picture on the second monitor. I tried another U"
            "SB-C cable.\n\nKevin",
            "Hi,\n\nthe dock in room 2.14 still shows no picture on the second monitor. I tried another U"
            "SB-C cable.",
        ),
        lacks=("did the new cable help",),
        ticket_ref="SD-503",
    ),
    Expect(
        "fr_yahoo_le_lundi_a_ecrit_sd504.eml", "Re: [SD-504] Accès au portail fournisseurs",
        "julie.martin@yahoo.fr", "Julie Martin", "en",
        text_is=(
            "Bonjour,\n\nle mot de passe temporaire ne fonctionne pas, le portail affiche « compte verrou"
            "illé ».\nPouvez-vous le débloquer ?",
        ),
        lacks=("temporary password", "SARL Martin",),
        ticket_ref="SD-504",
    ),
    Expect(
        "es_yahoo_el_lunes_escribio_sd505.eml", "Re: [SD-505] Factura 2026-118",
        "pablo.ruiz@yahoo.es", "Pablo Ruiz", "en",
        text_is=(
            "Hola,\n\nla factura 2026-118 ya está corregida, el IVA ahora es del 21 %. Se la envío de nue"
            "vo adjunta.",
            "Hola,\n\nla factura 2026-118 ya está corregida, el IVA ahora es del 21 %. Se la envío de nue"
            "vo adjunta.\n\nUn saludo,\nPablo",
        ),
        lacks=("wrong VAT rate",),
        ticket_ref="SD-505",
    ),
    Expect(
        "de_yahoo_hat_folgendes_geschrieben_sd506.eml", "Re: [SD-506] Lieferschein fehlt",
        "jens.koch@yahoo.de", "Jens Koch", "en",
        text_is=(
            "Hallo,\n\nder Lieferschein liegt dem Paket jetzt bei, Sendungsnummer 00340434161094042557.",
        ),
        lacks=("delivery note is missing", "Viele Grüße",),
        ticket_ref="SD-506",
    ),
    Expect(
        "ru_rambler_mobile_footer_ot_sd507.eml", "Re: [SD-507] Пропуск для водителя",
        "o.zuev@rambler.ru", "Олег Зуев", "ru",
        text_is=(
            "Водитель будет в среду с 8 до 9 утра, машина ГАЗель, номер А123ВС777.",
        ),
        lacks=("Рамблер", "номер машины для пропуска",),
        ticket_ref="SD-507",
    ),
    Expect(
        "ru_yandex_ios_app_footer_numbered_sd508.eml", "Re: [SD-508] Оформление командировки",
        "m.guseva@yandex.ru", "Марина Гусева", "ru",
        text_is=(
            "1. Даты: 16–18 февраля.\n2. Город: Екатеринбург.\n3. Гостиница не нужна, жильё сама.",
        ),
        lacks=("Яндекс Почты для iOS", "Для оформления командировки",),
        ticket_ref="SD-508",
    ),
    Expect(
        "ru_moyofis_html_only_polzovatel_napisal_sd509.eml", "Re: [SD-509] Доступ к папке «Договоры»",
        "a.zakharova@corp.example", "Алина Захарова", "ru",
        text_is=(
            "Доступ появился, папку вижу. Спасибо!",
        ),
        lacks=("МойОфис", "проверьте, пожалуйста",),
        ticket_ref="SD-509",
    ),
    Expect(
        "ru_r7_underscore_signature_pishet_sd510.eml", "Re: [SD-510] Закупка картриджей",
        "d.kuznetsova@corp.example", "Дарья Кузнецова", "ru",
        text_is=(
            "Добрый день!\n\nСогласовано, можно заказывать у «Офисмаг» по счёту № 518 от 06.02.2026.",
            "Добрый день!\n\nСогласовано, можно заказывать у «Офисмаг» по счёту № 518 от 06.02.2026.\n\n__\n"
            "Кузнецова Дарья\nОтдел закупок\nдоб. 3305",
        ),
        lacks=("20 картриджей",),
        ticket_ref="SD-510",
    ),
    Expect(
        "ru_outlook_mac_data_v_url_list_sd511.eml", "Re: [SD-511] Какие сайты открыть для склада",
        "i.smirnov@corp.example", "Игорь Смирнов", "ru",
        text_is=(
            "Добрый день!\n\nНужен доступ к трём сайтам с терминалов склада:\n\nhttps://lk.cdek.ru/\nhttps:/"
            "/www.pecom.ru/cabinet/\nhttps://edo.kontur.ru/\n\nИгорь",
            "Добрый день!\n\nНужен доступ к трём сайтам с терминалов склада:\n\nhttps://lk.cdek.ru/\nhttps:/"
            "/www.pecom.ru/cabinet/\nhttps://edo.kontur.ru/",
        ),
        lacks=("Дата: понедельник", "список адресов",),
        ticket_ref="SD-511",
    ),
    Expect(
        "ru_new_outlook_html_table_reference_container_sd512.eml", "RE: [SD-512] Остатки по подотчётным суммам",
        "o.smirnova@corp.example", "Ольга Смирнова", "ru",
        text_is=(
            "Добрый день!\nОстатки на 01.02:\nСотрудник Остаток\nОрлов И.П. 4 500,00\nКиселёва Т.А. 0,00\nОр"
            "лов отчитается до 15.02.",
        ),
        lacks=("Отправлено:", "Пришлите остатки",),
        ticket_ref="SD-512",
    ),
    Expect(
        "en_blackberry_hub_original_message_reply_to_sd513.eml", "Re: [SD-513] Conference room display",
        "kevin.brooks@corp.example", "Kevin Brooks", "en",
        text_is=(
            "The display in room 5.01 works again after the restart, thanks.",
        ),
        lacks=("Original Message", "restarted the display controller",),
        ticket_ref="SD-513",
    ),
    Expect(
        "ru_apple_mail_inline_answers_napisal_sd514.eml", "Re: [SD-514] Гостевой Wi-Fi для семинара",
        "n.orlova@corp.example", "Наталья Орлова", "ru",
        text_is=(
            "Ответила ниже.\n\nОколо 40 человек.\n\nТолько 12 февраля, с 9:00 до 18:00.",
            "Ответила ниже.\n\n1. Сколько гостей будет на семинаре?\n\nОколо 40 человек.\n\n2. На какие даты "
            "нужен доступ?\n\nТолько 12 февраля, с 9:00 до 18:00.",
            "Ответила ниже.\n\n> 1. Сколько гостей будет на семинаре?\n\nОколо 40 человек.\n\n> 2. На какие д"
            "аты нужен доступ?\n\nТолько 12 февраля, с 9:00 до 18:00.",
        ),
        lacks=("написал(а):", "Служба поддержки АО",),
        ticket_ref="SD-514",
        text_xfail=(
            "inline answers with Apple Mail's attribution inside the quote: the quoted attribution and "
            "greeting stay as context (the project's inline convention keeps the quotes between answers); "
            "this row wants the answers, with or without the two questions"
        ),
    ),
    Expect(
        "pl_onet_dnia_napisal_sd515.eml", "Re: [SD-515] Dostawa krzeseł",
        "marek.nowak@onet.pl", "Marek Nowak", "en",
        text_is=(
            "Dzień dobry,\n\nkrzesła dowieziemy w piątek 13.02 między 8:00 a 12:00, proszę o wolny wjazd "
            "od rampy.",
            "Dzień dobry,\n\nkrzesła dowieziemy w piątek 13.02 między 8:00 a 12:00, proszę o wolny wjazd "
            "od rampy.\n\nPozdrawiam\nMarek Nowak",
        ),
        lacks=("30 office chairs",),
        ticket_ref="SD-515",
    ),
    Expect(
        "pl_wp_oryginalna_wiadomosc_z_powazaniem_sd516.eml", "Re: [SD-516] Korekta faktury",
        "k.wisniewska@wp.pl", "Katarzyna Wiśniewska", "en",
        text_is=(
            "Dzień dobry,\n\nfaktura korygująca FK/02/2026 została wysłana pocztą dziś rano.",
        ),
        lacks=("Oryginalna wiadomość", "Biuro Rachunkowe", "We still wait",),
        ticket_ref="SD-516",
    ),
    Expect(
        "cs_outlook_od_odeslano_s_pozdravem_sd517.eml", "RE: [SD-517] Servisní zásah",
        "petr.svoboda@partner.example", "Petr Svoboda", "en",
        text_is=(
            "Dobrý den,\n\ntechnik přijede ve čtvrtek 12. 2. v 9:00, zásah potrvá asi dvě hodiny.",
        ),
        lacks=("Odesláno:", "Servisní oddělení", "fix the plotter",),
        ticket_ref="SD-517",
    ),
    Expect(
        "de_webde_app_gesendet_mit_am_um_schrieb_sd518.eml", "Aw: [SD-518] Zugang zum Lieferantenportal",
        "jens.becker@web.de", "Jens Becker", "en",
        text_is=(
            "Hallo,\n\nder Zugang klappt jetzt, danke!",
        ),
        lacks=("WEB.DE Mail App", "Please try again",),
        ticket_ref="SD-518",
    ),
    Expect(
        "ru_zimbra_otpravlennye_ishodnoe_sd519.eml", "Re: [SD-519] Не работает сканер в 305",
        "s.morozov@corp.example", "Сергей Морозов", "ru",
        text_is=(
            "Сканер заработал после перезагрузки, спасибо. Заявку можно закрывать.",
        ),
        lacks=("Отправленные:", "Перезагрузите, пожалуйста",),
        ticket_ref="SD-519",
    ),
    Expect(
        "ru_horde_citata_sd520.eml", "Re: [SD-520] Авансовый отчёт по командировке",
        "v.egorov@corp.example", "Виктор Егоров", "ru",
        text_is=(
            "Чеки за гостиницу приложил к отчёту в 1С, оригиналы занесу в бухгалтерию завтра.",
        ),
        lacks=("Цитата", "не хватает чеков",),
        ticket_ref="SD-520",
    ),
    Expect(
        "ru_kmail_v_pisme_ot_polzovatel_bottom_sd521.eml", "Re: [SD-521] Учётка для нового сотрудника",
        "p.novikov@corp.example", "Павел Новиков", "ru",
        text_is=(
            "С 16 февраля, она выходит в понедельник.",
        ),
        lacks=("пользователь Служба поддержки", "руководитель группы",),
        ticket_ref="SD-521",
    ),
    Expect(
        "ru_evolution_v_pn_pishet_sd522.eml", "Re: [SD-522] Доступ к серверу отчётов",
        "a.volkov@corp.example", "Алексей Волков", "ru",
        text_is=(
            "Да, доступ нужен только на чтение, к папке /reports/finance.",
        ),
        lacks=("Служба поддержки пишет", "чтение или запись",),
        ticket_ref="SD-522",
    ),
    Expect(
        "en_gmail_html_only_ordered_list_sd523.eml", "Re: [SD-523] Onboarding checklist",
        "laura.king@corp.example", "Laura King", "en",
        text_is=(
            "Hi,\n\nfor the new hire on Monday we need:\n1. a laptop with the standard image\n2. access to "
            "the HR shared mailbox\n3. a badge for floors 4 and 5\n\nThanks,\nLaura",
            "Hi,\n\nfor the new hire on Monday we need:\n1. a laptop with the standard image\n2. access to "
            "the HR shared mailbox\n3. a badge for floors 4 and 5",
            "Hi,\n\nfor the new hire on Monday we need:\n- a laptop with the standard image\n- access to th"
            "e HR shared mailbox\n- a badge for floors 4 and 5\n\nThanks,\nLaura",
            "Hi,\n\nfor the new hire on Monday we need:\n- a laptop with the standard image\n- access to th"
            "e HR shared mailbox\n- a badge for floors 4 and 5",
            "Hi,\n\nfor the new hire on Monday we need:\na laptop with the standard image\naccess to the HR"
            " shared mailbox\na badge for floors 4 and 5\n\nThanks,\nLaura",
            "Hi,\n\nfor the new hire on Monday we need:\na laptop with the standard image\naccess to the HR"
            " shared mailbox\na badge for floors 4 and 5",
        ),
        lacks=("day one",),
        ticket_ref="SD-523",
    ),
    Expect(
        "en_outlook_log_excerpt_original_message_sd524.eml", "RE: [SD-524] Scan to mail fails",
        "thomas.wagner@corp.example", "Thomas Wagner", "en",
        text_is=(
            "Here is the log from the scanner after today's attempt:\n\n2026-02-10 09:14:03 SMTP connect "
            "mail.corp.example:587 OK\n2026-02-10 09:14:04 AUTH LOGIN scanner3@corp.example\n2026-02-10 0"
            "9:14:04 535 5.7.8 Authentication credentials invalid\n2026-02-10 09:14:04 Send failed, job "
            "4471 deleted\n\nThe password on the device was changed last week.\n\nThomas",
            "Here is the log from the scanner after today's attempt:\n\n2026-02-10 09:14:03 SMTP connect "
            "mail.corp.example:587 OK\n2026-02-10 09:14:04 AUTH LOGIN scanner3@corp.example\n2026-02-10 0"
            "9:14:04 535 5.7.8 Authentication credentials invalid\n2026-02-10 09:14:04 Send failed, job "
            "4471 deleted\n\nThe password on the device was changed last week.",
        ),
        lacks=("Original Message", "SMTP log?",),
        ticket_ref="SD-524",
    ),
    Expect(
        "ru_thunderbird_em_dash_signature_sd525.eml", "Re: [SD-525] Ремонт кондиционера в переговорной",
        "a.gusev@corp.example", "Алексей Гусев", "ru",
        text_is=(
            "Добрый день,\n\nмастер может прийти в среду после 15:00, переговорную 3.10 освободим.",
            "Добрый день,\n\nмастер может прийти в среду после 15:00, переговорную 3.10 освободим.\n\n—\nАле"
            "ксей Гусев\nАХО, доб. 1180",
        ),
        lacks=("Служба поддержки пишет", "удобно прийти",),
        ticket_ref="SD-525",
    ),
    Expect(
        "en_double_underscore_vcard_like_signature_sd526.eml", "RE: [SD-526] Purchase order for toner",
        "tom.hill@corp.example", "Tom Hill", "en",
        text_is=(
            "PO 4500012877 is approved, you can place the order.",
            "PO 4500012877 is approved, you can place the order.\n\n__\nTom Hill\nProcurement\nTel: +44 20 7"
            "946 0123\nMob: +44 7700 900123\nEmail: tom.hill@corp.example\nWeb: www.corp.example",
        ),
        lacks=("Sent: Monday", "Please approve",),
        ticket_ref="SD-526",
    ),
    Expect(
        "en_uk_company_registration_footer_sd527.eml", "RE: [SD-527] Delivery of monitors",
        "emma.clarke@supplier.example", "Emma Clarke", "en",
        text_is=(
            "Hi,\n\nthe 12 monitors were dispatched today, tracking number GB4471220093.",
            "Hi,\n\nthe 12 monitors were dispatched today, tracking number GB4471220093.\n\nEmma Clarke\nAcc"
            "ount Manager",
            "Hi,\n\nthe 12 monitors were dispatched today, tracking number GB4471220093.\n\nEmma Clarke",
        ),
        lacks=("Registered office", "confidential", "be dispatched?",),
        ticket_ref="SD-527",
    ),
    Expect(
        "it_thunderbird_il_ha_scritto_cordiali_saluti_sd528.eml", "Re: [SD-528] Contratto di manutenzione",
        "luca.bianchi@libero.it", "Luca Bianchi", "en",
        text_is=(
            "Buongiorno,\n\nil contratto firmato è in allegato, l'originale arriverà per corriere.",
        ),
        lacks=("ha scritto", "Please send us",),
        ticket_ref="SD-528",
    ),
    Expect(
        "nl_outlook_van_verzonden_met_vriendelijke_groet_sd529.eml", "RE: [SD-529] Offerte laptops",
        "sanne.devries@partner.example", "Sanne de Vries", "en",
        text_is=(
            "Goedemiddag,\n\nde offerte is aangepast: 25 laptops, levering binnen twee weken.",
        ),
        lacks=("Verzonden:", "Sanne de Vries", "update the quote",),
        ticket_ref="SD-529",
    ),
    Expect(
        "ru_gmail_english_ui_russian_text_best_sd530.eml", "Re: [SD-530] VPN на ноутбуке",
        "d.sokolov@corp.example", "Дмитрий Соколов", "en",  # letters mostly Latin: language.py's rule says en
        text_is=(
            "Привет,\n\nпосле переустановки FortiClient VPN подключается, но DNS не резолвит intranet.cor"
            "p.example.\nCan you check the split tunnel settings?",
            "Привет,\n\nпосле переустановки FortiClient VPN подключается, но DNS не резолвит intranet.cor"
            "p.example.\nCan you check the split tunnel settings?\n\nBest,\nДмитрий",
        ),
        lacks=("wrote:", "Переустановите",),
        ticket_ref="SD-530",
    ),
    Expect(
        "ru_thresholds_gt_lines_own_words_sd531.eml", "RE: [SD-531] Маршрут согласования заявок",
        "i.belova@corp.example", "Ирина Белова", "ru",
        text_is=(
            "Добрый день!\n\nПорог согласования для закупок такой:\n\n> 500 000 руб. — финансовый директор\n"
            "> 100 000 руб. — руководитель направления\n< 100 000 руб. — руководитель отдела\n\nНастройте,"
            " пожалуйста, маршрут в 1С:Документооборот так же.",
        ),
        lacks=("Пришлите пороги",),
        ticket_ref="SD-531",
    ),
    Expect(
        "en_postfix_log_cited_with_gt_at_the_end_sd532.eml", "Mail to the bank is rejected",
        "nick.baker@corp.example", "Nick Baker", "en",
        text_is=(
            "Hi,\n\nsince this morning every mail to our bank is rejected. Could you whitelist us with th"
            "em or check our SPF? The log says:\n\n> Feb 10 09:14:03 mx1 postfix/smtp[2231]: 4Zr5A1Qm7x: "
            "to=<payments@bank.example>,\n>   relay=mx.bank.example[192.0.2.25]:25, status=bounced\n>   ("
            "host mx.bank.example said: 550 5.7.23 SPF validation failed)",
        ),
    ),
    Expect(
        "ru_1c_pishet_with_date_own_words_sd533.eml", "Ошибка 1С при запуске",
        "e.vasilieva@corp.example", "Елена Васильева", "ru",
        text_is=(
            "Добрый день!\n\nСегодня, 10.02.2026 в 09:05, 1С при запуске пишет:\nКонфигурация базы данных "
            "не соответствует сохранённой конфигурации.\nПродолжить? (Да/Нет)\n\nМожно нажимать «Да» или л"
            "учше дождаться администратора?\n\nЕлена",
            "Добрый день!\n\nСегодня, 10.02.2026 в 09:05, 1С при запуске пишет:\nКонфигурация базы данных "
            "не соответствует сохранённой конфигурации.\nПродолжить? (Да/Нет)\n\nМожно нажимать «Да» или л"
            "учше дождаться администратора?",
        ),
    ),
    Expect(
        "en_on_friday_vendor_parenthesised_wrote_own_words_sd534.eml", "Printer lease renewal",
        "grace.lee@corp.example", "Grace Lee", "en",
        text_is=(
            "Hello,\n\nOn Friday, 6 Feb 2026 at 16:40, the vendor (support@printhub.example) wrote:\nYour "
            "lease for the 14 printers ends on 28 February 2026 and renews automatically for 3 years.\n\n"
            "Do we renew it or not? Procurement needs an answer by Wednesday.\n\nGrace",
            "Hello,\n\nOn Friday, 6 Feb 2026 at 16:40, the vendor (support@printhub.example) wrote:\nYour "
            "lease for the 14 printers ends on 28 February 2026 and renews automatically for 3 years.\n\n"
            "Do we renew it or not? Procurement needs an answer by Wednesday.",
        ),
        text_xfail=(
            "own words `On Friday, … the vendor (support@…) wrote:` in a new request taken as an "
            "attribution: all below is cut"
        ),
    ),
    Expect(
        "ru_question_about_original_message_line_sd535.eml", "Outlook не вставляет шапку при ответе",
        "m.lebedeva@corp.example", "Мария Лебедева", "ru",
        text_is=(
            "Добрый день!\n\nПосле обновления Outlook при ответе вместо шапки письма вставляется только с"
            "трока\n\n-----Original Message-----\n\nбез полей «От», «Отправлено» и «Тема». Клиенты не поним"
            "ают, на что мы отвечаем. Как вернуть полную шапку?\n\nМария Лебедева, отдел продаж",
            "Добрый день!\n\nПосле обновления Outlook при ответе вместо шапки письма вставляется только с"
            "трока\n\n-----Original Message-----\n\nбез полей «От», «Отправлено» и «Тема». Клиенты не поним"
            "ают, на что мы отвечаем. Как вернуть полную шапку?",
        ),
    ),
    Expect(
        "ru_em_dash_framed_ishodnoe_real_history_sd536.eml", "RE: [SD-536] Установка openpyxl",
        "r.egorov@corp.example", "Роман Егоров", "ru",
        text_is=(
            "Проверил, выгрузка реестра работает. Спасибо!",
        ),
        lacks=("Исходное сообщение", "установлен на TS02",),
        ticket_ref="SD-536",
    ),
    Expect(
        "en_zero_width_before_quote_marks_sd537.eml", "Re: [SD-537] Shared calendar",
        "mia.turner@corp.example", "Mia Turner", "en",
        text_is=(
            "Thanks, I can see the Finance calendar now.",
        ),
        lacks=("read access to the Finance",),
        ticket_ref="SD-537",
    ),
    Expect(
        "ru_nbsp_signature_separator_html2text_sd538.eml", "RE: [SD-538] Замена мыши",
        "a.belov@corp.example", "Антон Белов", "ru",
        text_is=(
            "Мышь получил, работает.",
        ),
        lacks=("доб. 2210", "оставлена на вашем столе",),
        ticket_ref="SD-538",
    ),
    Expect(
        "en_extremely_long_line_asset_tags_sd539.eml", "Re: [SD-539] Laptops to be wiped",
        "oscar.reed@corp.example", "Oscar Reed", "en",
        text_is=(
            "These are the laptops to wipe before the auction: " + _SD539_TAGS + ".",
        ),
        lacks=("Please send the asset tags",),
        ticket_ref="SD-539",
    ),
    Expect(
        "ru_gmail_only_quote_nothing_new_sd540.eml", "Re: [SD-540] Пароль от Wi-Fi для гостей",
        "k.markova@corp.example", "Ксения Маркова", "ru",
        text_is=(
            "",
        ),
        lacks=("Nord-2026-fev",),
        empty_text=True,
        ticket_ref="SD-540",
    ),
    Expect(
        "ru_thunderbird_answers_between_two_quotes_sd541.eml", "Re: [SD-541] Перенос рабочего места",
        "a.kotova@corp.example", "Анна Котова", "ru",
        text_is=(
            "В 4.12, стол у окна.\n\nДа, номер 2231 должен остаться за мной.",
            "> В какой кабинет переносим рабочее место?\n\nВ 4.12, стол у окна.\n\n> Нужен ли перенос телеф"
            "она?\n\nДа, номер 2231 должен остаться за мной.",
            "В какой кабинет переносим рабочее место?\n\nВ 4.12, стол у окна.\n\nНужен ли перенос телефона?"
            "\n\nДа, номер 2231 должен остаться за мной.",
        ),
        lacks=("Служба поддержки пишет", "Служба поддержки АО",),
        ticket_ref="SD-541",
        text_xfail=(
            "answers between two quotes: the first quoted question (under the attribution) is dropped, the "
            "second kept with its `>` -- the project's inline convention (tests/parsers/test_quotes.py "
            "INLINE_EN keeps exactly this); this row wants both questions or none (ru_replies_authored rule "
            "2)"
        ),
    ),
    Expect(
        "en_greeting_above_attribution_answer_below_sd542.eml", "Re: [SD-542] Conference phone",
        "mia.turner@corp.example", "Mia Turner", "en",
        text_is=(
            "Hi team,\n\nRoom 6.03, the Polycom on the table. It has no dial tone since Friday.\n\nThanks,\n"
            "Mia",
            "Hi team,\n\nRoom 6.03, the Polycom on the table. It has no dial tone since Friday.",
            "Room 6.03, the Polycom on the table. It has no dial tone since Friday.\n\nThanks,\nMia",
            "Room 6.03, the Polycom on the table. It has no dial tone since Friday.",
        ),
        lacks=("IT Service Desk wrote",),
        ticket_ref="SD-542",
        text_xfail=(
            "greeting, attribution, quote, answer below: the quoted question is kept (with `>`) between "
            "greeting and answer -- the project's convention for an answer under a greeting "
            "(tests/parsers/test_quotes.py, sd360); this row wants only the writer's lines"
        ),
    ),
    Expect(
        "ru_menu_path_gt_lines_own_words_sd543.eml", "RE: [SD-543] Не сохраняется пароль в Outlook",
        "p.volkov@corp.example", "Пётр Волков", "ru",
        text_is=(
            "Сделал, как вы написали:\n\nПуск\n> Панель управления\n> Диспетчер учётных данных\n> Учётные да"
            "нные Windows\n\nНо записи для Outlook там нет, пароль всё равно спрашивает.\n\nПётр",
            "Сделал, как вы написали:\n\nПуск\n> Панель управления\n> Диспетчер учётных данных\n> Учётные да"
            "нные Windows\n\nНо записи для Outlook там нет, пароль всё равно спрашивает.",
        ),
        lacks=("Удалите запись",),
        ticket_ref="SD-543",
    ),
    Expect(
        "ru_form_underscore_blanks_and_rule_sd544.eml", "Бланк заявки на пропуск",
        "l.karpova@corp.example", "Людмила Карпова", "ru",
        text_is=(
            "Добрый день!\n\nВ бланке заявки на пропуск на сайте пустые поля выглядят так:\n\nФИО: ________"
            "______________\nДата визита: ____________\n\n________________________________\n\nи при печати л"
            "инии уходят за край листа. Можно исправить шаблон?\n\nЛюдмила",
            "Добрый день!\n\nВ бланке заявки на пропуск на сайте пустые поля выглядят так:\n\nФИО: ________"
            "______________\nДата визита: ____________\n\n________________________________\n\nи при печати л"
            "инии уходят за край листа. Можно исправить шаблон?",
        ),
    ),
    Expect(
        "en_attacker_forged_original_message_approval_sd545.eml", "RE: [SD-545] Software install",
        "mark.ross@corp.example", "Mark Ross", "en",
        text_is=(
            "Thanks, it works now.",
        ),
        lacks=("Approved by IT security",),
        ticket_ref="SD-545",
    ),
    # ------------------------------------------------------------------ blind set, round 6 (issue 15)
    Expect(
        'en_superhuman_pronouns_double_dash_sent_via_sd601.eml',
        'Re: [SD-601] Monitor arm installation',
        'alex.kim@corp.example', 'Alex Kim', 'en',
        text_is=(
            'Sounds good, go ahead with Tuesday 9:00.\n\nAlex',
            'Sounds good, go ahead with Tuesday 9:00.',
        ),
        lacks=('Product Designer', 'Superhuman', 'Wednesday at 14:00', ),
        ticket_ref="SD-601",
    ),
    Expect(
        'en_hey_ok_one_word_month_day_attribution_sd602.eml',
        'Re: [SD-602] Guest Wi-Fi for the workshop',
        'ben@carter-design.example', 'Ben Carter', 'en',
        text_is=(
            'OK',
        ),
        lacks=('vouchers', ),
        ticket_ref="SD-602",
    ),
    Expect(
        'en_front_quoted_name_signature_block_no_delimiter_sd603.eml',
        'Re: [SD-603] Remittance advice format',
        'dana.lee@northwind.example', 'Dana Lee', 'en',
        text_is=(
            'Hi,\n\nwe can send the remittance advice as CSV instead of PDF from next week. Please confir'
            'm the column order in the attached template is fine.',
            'Hi,\n\nwe can send the remittance advice as CSV instead of PDF from next week. Please confir'
            'm the column order in the attached template is fine.\n\nDana Lee\nAccounts Payable | Northwin'
            'd Traders\n+1 (312) 555-0147',
        ),
        lacks=('machine-readable', ),
        ticket_ref="SD-603",
    ),
    Expect(
        'en_missive_comma_in_quoted_name_gmt_offset_sd604.eml',
        'Re: [SD-604] Badge access floor 4',
        'omar.haddad@corp.example', 'Omar Haddad', 'en',
        text_is=(
            'Hi,\n\nthe new badge works on floors 1-3 but not on 4. Could you check the access group?',
            'Hi,\n\nthe new badge works on floors 1-3 but not on 4. Could you check the access group?\n\nTh'
            'anks,\nOmar',
        ),
        lacks=('ready at reception', ),
        ticket_ref="SD-604",
    ),
    Expect(
        'en_hubspot_image_logo_meetings_link_sd605.eml',
        'Re: [SD-605] Shared calendar for sales',
        'grace.liu@brightline.example', 'Grace Liu', 'en',
        text_is=(
            'Hi team,\n\nthanks for the quick fix. The shared calendar shows up for the whole sales team now.',
        ),
        lacks=('[image:', 'meetings.hubspot.com', 'Does everyone see it', ),
        ticket_ref="SD-605",
    ),
    Expect(
        'en_salesforce_fifteen_dashes_square_bracket_ref_sd606.eml',
        'RE: [SD-606] Credit note for order 55120',
        'priya.nair@acme-supplies.example', 'Priya Nair', 'en',
        text_is=(
            'Hello,\n\nthe credit note CN-2026-0311 is attached to the case now, amount EUR 418.20.',
        ),
        lacks=('Original Message', 'damaged toners', 'ref:_00D', ),
        ticket_ref="SD-606",
    ),
    Expect(
        'en_owa_light_square_brackets_surname_comma_sd607.eml',
        'RE: [SD-607] Broken laptop hinge',
        'tim.brown@corp.example', 'Tim Brown', 'en',
        text_is=(
            'Yes, please replace it. I can drop it off at the IT room at 11.\n\nTim',
            'Yes, please replace it. I can drop it off at the IT room at 11.',
        ),
        lacks=('cannot be repaired', 'Brown, Tim', ),
        ticket_ref="SD-607",
    ),
    Expect(
        'en_gmail_thanks_pronouns_attribution_parens_wrapped_sd608.eml',
        'Re: [SD-608] Expense report stuck in approval',
        'lisa.park@corp.example', 'Lisa Park', 'en',
        text_is=(
            'Thanks!',
        ),
        lacks=('Finance Analyst', 'Global IT', 'back to your manager', ),
        ticket_ref="SD-608",
    ),
    Expect(
        'en_wrote_colon_inside_sentence_sd609.eml',
        'Re: [SD-609] Scan to folder fails',
        'nora.quinn@corp.example', 'Nora Quinn', 'en',
        text_is=(
            'Hi,\n\nthe vendor\'s technician wrote: "firmware 4.2 fixes the scan-to-folder bug". Can you s'
            'chedule the update for Thursday evening?',
            'Hi,\n\nthe vendor\'s technician wrote: "firmware 4.2 fixes the scan-to-folder bug". Can you s'
            'chedule the update for Thursday evening?\n\nThanks,\nNora',
        ),
        lacks=('Which printer model', ),
        ticket_ref="SD-609",
    ),
    Expect(
        'en_emclient_bottom_post_nested_no_space_sd610.eml',
        'Re: [SD-610] Monitor flickers',
        'sam.reed@corp.example', 'Sam Reed', 'en',
        text_is=(
            'It flickers only on the HDMI port, DisplayPort is fine.\n\nSam',
            'It flickers only on the HDMI port, DisplayPort is fine.',
        ),
        lacks=('every port of the dock', 'every few seconds', ),
        ticket_ref="SD-610",
    ),
    Expect(
        'en_thunderbird_us_short_date_am_sd611.eml',
        'Re: [SD-611] Windows update error',
        'jorge.alvarez@corp.example', 'Jorge Alvarez', 'en',
        text_is=(
            'Restarted twice, same error 0x80070005. I attached a screenshot.\n\nJorge',
            'Restarted twice, same error 0x80070005. I attached a screenshot.',
        ),
        lacks=('run Windows Update again', 'fails with an error', ),
        ticket_ref="SD-611",
    ),
    Expect(
        'en_outlook_desktop_html_only_border_top_sd612.eml',
        'RE: [SD-612] Boardroom A projector',
        'helen.shaw@corp.example', 'Helen Shaw', 'en',
        text_is=(
            'Hi team,\n\nthe projector in Boardroom A shows “No signal” again since this morning.',
        ),
        lacks=('replaced the HDMI cable', 'Executive Assistant', 'From:', ),
        ticket_ref="SD-612",
    ),
    Expect(
        'en_yahoo_html_only_yahoo_quoted_div_sd613.eml',
        'Re: [SD-613] Branch office offline',
        'paul.becker@yahoo.com', 'Paul Becker', 'en',
        text_is=(
            'Done, I restarted the router and the office is back online.',
        ),
        lacks=('restart the router in', 'GMT+3', ),
        ticket_ref="SD-613",
    ),
    Expect(
        'en_protonmail_html_only_signature_block_sd614.eml',
        'Re: [SD-614] VPN token',
        'mark.davies@proton.me', 'Mark Davies', 'en',
        text_is=(
            'Please close the ticket, the VPN works now.',
            'Please close the ticket, the VPN works now.\n\nMark',
        ),
        lacks=('Proton Mail', 'reset your VPN token', ),
        ticket_ref="SD-614",
    ),
    Expect(
        'en_fastmail_html_only_blockquote_qt_sd615.eml',
        'Re: [SD-615] Access to the projects share',
        'ruth.adler@fastmail.com', 'Ruth Adler', 'en',
        text_is=(
            'Hi,\n\ntwo more people need access to the \\\\fs01\\projects share: Ruth Adler and Ken Ito.\n\nRuth',
            'Hi,\n\ntwo more people need access to the \\\\fs01\\projects share: Ruth Adler and Ken Ito.',
        ),
        lacks=('Who else needs access', ),
        ticket_ref="SD-615",
    ),
    Expect(
        'en_thunderbird_forwarded_message_tabbed_table_sd616.eml',
        'Fwd: [SD-616] Vendor invoice overdue',
        'ines.romero@corp.example', 'Ines Romero', 'en',
        text_is=(
            'Here is the reminder the vendor sent this morning; the invoice was paid on 2 February, see'
            ' the bank reference below.',
        ),
        lacks=('14 days overdue', 'Forwarded Message', ),
        ticket_ref="SD-616",
    ),
    Expect(
        'en_outlook_mac_quoted_name_indented_original_sd617.eml',
        'Re: [SD-617] Teams camera not detected',
        'chloe.martin@corp.example', 'Chloe Martin', 'en',
        text_is=(
            "The camera works in the Camera app but Teams still says no camera found. I'm on macOS 15.3.\n\nChloe",
            "The camera works in the Camera app but Teams still says no camera found. I'm on macOS 15.3.",
        ),
        lacks=('System Settings', ),
        ticket_ref="SD-617",
    ),
    Expect(
        'en_outlook_kind_regards_legal_and_print_footer_sd618.eml',
        'RE: [SD-618] Payroll approvers group',
        'tom.walsh@corp.example', 'Tom Walsh', 'en',
        text_is=(
            'Hi,\n\nplease add Chris Evans to the payroll-approvers group as well.',
        ),
        lacks=('confidential', 'environment', 'We added you', ),
        ticket_ref="SD-618",
    ),
    Expect(
        'en_apple_mail_cheers_attachment_placeholder_logo_sd619.eml',
        'Re: [SD-619] Shared mailbox missing',
        'jenny.ortiz@corp.example', 'Jenny Ortiz', 'en',
        text_is=(
            'All good now, the shared mailbox shows up in Outlook.',
            'All good now, the shared mailbox shows up in Outlook.\n\nCheers,\nJenny Ortiz',
        ),
        lacks=('<logo.png>', 'Full Access', ),
        ticket_ref="SD-619",
    ),
    Expect(
        'en_newton_sent_with_newton_sd620.eml',
        'Re: [SD-620] Phone handover',
        'kevin.osei@corp.example', 'Kevin Osei', 'en',
        text_is=(
            'Yes, Thursday 14:00 works for me.',
        ),
        lacks=('Newton', 'new phone is ready', ),
        ticket_ref="SD-620",
    ),
    Expect(
        'en_mutt_star_attribution_inline_answers_sd621.eml',
        'Re: [SD-621] Printer on 4th floor',
        'rita.gomez@corp.example', 'Rita Gomez', 'en',
        text_is=(
            '4th floor, next to the kitchen.\n\n> Does it show an error code?\n\nYes, E-302 on the display.'
            '\n\n> When did it start?\n\nThis morning around 8.\n\nRita',
            '4th floor, next to the kitchen.\n\n> Does it show an error code?\n\nYes, E-302 on the display.'
            '\n\n> When did it start?\n\nThis morning around 8.',
        ),
        lacks=('Which floor', 'IT Service Desk', ),
        ticket_ref="SD-621",
    ),
    Expect(
        'en_gmail_via_exchange_mailto_in_angle_attribution_sd622.eml',
        'RE: [SD-622] Conference call dial-in',
        'ahmed.saleh@corp.example', 'Ahmed Saleh', 'en',
        text_is=(
            'Hi,\n\nthe dial-in number works, but the PIN is rejected. Can you send a new one?\n\nAhmed',
            'Hi,\n\nthe dial-in number works, but the PIN is rejected. Can you send a new one?',
        ),
        lacks=('PIN 4471', ),
        ticket_ref="SD-622",
    ),
    Expect(
        'en_from_line_inside_the_answer_sd623.eml',
        'Re: [SD-623] Display name in outgoing mail',
        'jon.smith@corp.example', 'Jon Smith', 'en',
        text_is=(
            'Hi,\n\nyes, exactly: mail from me now shows\nFrom: "Smith, Jon (Sales)" <jon.smith@corp.examp'
            'le>\nbut it should be just Jon Smith. The comma breaks the CRM import.\n\nJon',
            'Hi,\n\nyes, exactly: mail from me now shows\nFrom: "Smith, Jon (Sales)" <jon.smith@corp.examp'
            'le>\nbut it should be just Jon Smith. The comma breaks the CRM import.',
        ),
        lacks=('Do you mean', ),
        ticket_ref="SD-623",
    ),
    Expect(
        'en_zoho_forwarded_message_equals_frame_sd624.eml',
        'Fwd: [SD-624] Certificate expiry warning',
        'victor.lange@zohomail.eu', 'Victor Lange', 'en',
        text_is=(
            'Hi,\n\nthis warning came to our shared inbox. Is it about our VPN gateway? Please check.\n\nVictor',
            'Hi,\n\nthis warning came to our shared inbox. Is it about our VPN gateway? Please check.',
        ),
        lacks=('Renew it', 'Forwarded message', ),
        ticket_ref="SD-624",
    ),
    Expect(
        'en_airmail_sent_from_my_ipad_custom_footer_and_disclaimer_sd625.eml',
        'Re: [SD-625] Laptop for new hire',
        'hannah.cole@corp.example', 'Hannah Cole', 'en',
        text_is=(
            'Monday is fine, she starts at 9.',
        ),
        lacks=('excuse typos', 'will be ready', ),
        ticket_ref="SD-625",
    ),
    Expect(
        'ru_outlook365_da_one_word_new_date_format_sd626.eml',
        'RE: [SD-626] Перенос отпуска',
        'm.ivanova@corp.example', 'Мария Иванова', 'ru',
        text_is=(
            'Да',
        ),
        lacks=('16–27 марта', ),
        ticket_ref="SD-626",
    ),
    Expect(
        'ru_mailru_html_only_blockquote_signature_widget_sd627.eml',
        'Re: [SD-627] Оплата счёта № 58',
        'o.belova@mail.ru', 'Ольга Белова', 'ru',
        text_is=(
            'Добрый день!\n\nСчёт оплачен сегодня, номер платёжного поручения 1184.',
        ),
        lacks=('когда будет оплачен', 'бухгалтерия', ),
        ticket_ref="SD-627",
    ),
    Expect(
        'ru_gmail_bottom_post_two_levels_signature_sd628.eml',
        'Re: [SD-628] Не открывается 1С на складе',
        'p.zaitsev@corp.example', 'Пётр Зайцев', 'ru',
        text_is=(
            'Ошибка «Не найден файл лицензии», снимок экрана во вложении.',
        ),
        lacks=('Какая ошибка', 'склад № 2', ),
        ticket_ref="SD-628",
    ),
    Expect(
        'ru_yandex_napisal_inside_sentence_sd629.eml',
        'Re: [SD-629] Сканер штрихкодов',
        'a.krylov@corp.example', 'Андрей Крылов', 'ru',
        text_is=(
            'Добрый день!\n\nКладовщик мне вчера написал: «сканер не читает коды с новых этикеток», сегод'
            'ня то же самое на втором складе. Посмотрите, пожалуйста, до обеда.',
        ),
        lacks=('перенастроили', ),
        ticket_ref="SD-629",
    ),
    Expect(
        'ru_thunderbird_forward_peresylaemoe_tema_first_sd630.eml',
        'Fwd: [SD-630] Счёт на оплату № 118',
        's.egorova@corp.example', 'Светлана Егорова', 'ru',
        text_is=(
            'Коллеги, пересылаю счёт от «Вектора» — он уже оплачен 05.02, прошу закрыть напоминание.',
        ),
        lacks=('Напоминаем об оплате', 'Пересылаемое сообщение', ),
        ticket_ref="SD-630",
    ),
    Expect(
        'ru_double_dash_vcard_block_telegram_sd631.eml',
        'Re: [SD-631] Не печатает принтер в логистике',
        'e.kozlova@corp.example', 'Елена Козлова', 'ru',
        text_is=(
            'Принтер заработал, спасибо!',
        ),
        lacks=('Telegram', 'доб. 2231', 'картридж', ),
        ticket_ref="SD-631",
    ),
    Expect(
        'ru_outlook_name_disclaimer_ecology_line_sd632.eml',
        'RE: [SD-632] Доступ к папке «Договоры 2026»',
        'i.novikov@corp.example', 'Игорь Новиков', 'ru',
        text_is=(
            'Добрый день,\n\nдоступ нужен только на чтение, до конца квартала.',
            'Добрый день,\n\nдоступ нужен только на чтение, до конца квартала.\n\nИгорь Новиков',
        ),
        lacks=('конфиденциальной', 'окружающей среде', 'Какой доступ', ),
        ticket_ref="SD-632",
    ),
    Expect(
        'ru_gmail_quoted_name_with_comma_wrapped_sd633.eml',
        'Re: [SD-633] Пропуск для курьера',
        'a.solovyova@corp.example', 'Анна Соловьёва', 'ru',
        text_is=(
            'Курьер будет в 15:30, фамилия Смирнов. Пропуск на первый подъезд.',
            'Курьер будет в 15:30, фамилия Смирнов. Пропуск на первый подъезд.\n\nСпасибо,\nАнна',
        ),
        lacks=('Во сколько', 'Нордтранс', ),
        ticket_ref="SD-633",
    ),
    Expect(
        'ru_outlook_desktop_html_only_border_top_sd634.eml',
        'RE: [SD-634] Справка 2-НДФЛ',
        'n.orlova@corp.example', 'Наталья Орлова', 'ru',
        text_is=(
            'Добрый день!\n\nСправку 2-НДФЛ за 2025 год получила, всё верно.',
        ),
        lacks=('Ведущий экономист', 'Проверьте, пожалуйста', ),
        ticket_ref="SD-634",
    ),
    Expect(
        'de_zimbra_urspruengliche_mail_gruss_sd635.eml',
        'Re: [SD-635] Drucker im 2. OG',
        'jens.vogel@corp.example', 'Jens Vogel', 'en',
        text_is=(
            'Hallo,\n\nder Drucker im 2. OG druckt wieder, danke!',
            'Hallo,\n\nder Drucker im 2. OG druckt wieder, danke!\n\nGruß\nJens',
        ),
        lacks=('Druckerspooler', 'Ursprüngliche Mail', ),
        ticket_ref="SD-635",
    ),
    Expect(
        'fr_outlook_android_obtenir_de_envoye_sd636.eml',
        'RE: [SD-636] Accès Wi-Fi invité',
        'claire.dubois@corp.example', 'Claire Dubois', 'en',
        text_is=(
            "Merci, c'est réglé.",
        ),
        lacks=('Obtenir Outlook', 'TULIPE', ),
        ticket_ref="SD-636",
    ),
    Expect(
        'es_outlook_ios_obtener_de_enviado_sd637.eml',
        'RE: [SD-637] Portátil nuevo',
        'lucia.fernandez@corp.example', 'Lucía Fernández', 'en',
        text_is=(
            'Perfecto, lo recojo mañana por la mañana.',
        ),
        lacks=('Obtener Outlook', 'está listo', ),
        ticket_ref="SD-637",
    ),
    Expect(
        'it_outlook_da_inviato_cordiali_saluti_sd638.eml',
        'R: [SD-638] Ritiro portatile',
        'marco.bianchi@corp.example', 'Marco Bianchi', 'en',
        text_is=(
            'Buongiorno,\n\nconfermo, il portatile può essere ritirato venerdì dopo le 10.',
        ),
        lacks=('Ufficio Acquisti', 'vecchio portatile', ),
        ticket_ref="SD-638",
    ),
    Expect(
        'nl_gmail_op_om_schreef_groetjes_sd639.eml',
        'Re: [SD-639] Teams-vergadering zonder geluid',
        'sanne.devries@corp.example', 'Sanne de Vries', 'en',
        text_is=(
            'Hoi,\n\nna de herstart werkt het geluid weer, dank jullie wel!',
            'Hoi,\n\nna de herstart werkt het geluid weer, dank jullie wel!\n\nGroetjes,\nSanne',
        ),
        lacks=('opnieuw starten', ),
        ticket_ref="SD-639",
    ),
    Expect(
        'pl_gmail_pon_o_napisal_sd640.eml',
        'Re: [SD-640] Dostęp do systemu kadrowego',
        'katarzyna.nowak@corp.example', 'Katarzyna Nowak', 'en',
        text_is=(
            'Dzień dobry,\n\ndostęp działa, dziękuję za szybką pomoc.',
            'Dzień dobry,\n\ndostęp działa, dziękuję za szybką pomoc.\n\nPozdrawiam,\nKasia',
        ),
        lacks=('nadaliśmy', ),
        ticket_ref="SD-640",
    ),
    Expect(
        'pt_iphone_enviado_do_meu_no_dia_escreveu_sd641.eml',
        'Re: [SD-641] Palavra-passe expirada',
        'joao.pereira@corp.example', 'João Pereira', 'en',
        text_is=(
            'Obrigado, já consigo entrar.',
        ),
        lacks=('Enviado do meu', 'repusemos', ),
        ticket_ref="SD-641",
    ),
    Expect(
        'sv_gmail_den_kl_skrev_mvh_sd642.eml',
        'Re: [SD-642] Skrivaren på plan 3',
        'erik.lindqvist@corp.example', 'Erik Lindqvist', 'en',
        text_is=(
            'Hej!\n\nTack, nu fungerar skrivaren igen.',
            'Hej!\n\nTack, nu fungerar skrivaren igen.\n\nMvh\nErik',
        ),
        lacks=('bytt tonern', ),
        ticket_ref="SD-642",
    ),
    Expect(
        'ja_thunderbird_heavy_rule_framed_signature_sd643.eml',
        'Re: [SD-643] VPN接続について',
        't.yamada@corp.example', '山田 太郎', 'en',
        text_is=(
            'サービスデスク 御中\n\nお世話になっております。\nVPNの件、本日から接続できる'
            'ようになりました。\nありがとうございました。',
        ),
        lacks=('TEL: 03-1234-5678', '証明書を更新', ),
        ticket_ref="SD-643",
    ),
    Expect(
        'zh_outlook_fajianren_halfwidth_colons_sd644.eml',
        '答复: [SD-644] 会议室投影仪',
        'wang.fang@corp.example', '王芳', 'en',
        text_is=(
            '好的，谢谢！',
        ),
        lacks=('已经修好了', ),
        ticket_ref="SD-644",
    ),
    Expect(
        'zh_iphone_fazi_wode_iphone_zai_xiedao_sd645.eml',
        'Re: [SD-645] 邮箱密码',
        'li.ming@corp.example', '李明', 'en',
        text_is=(
            '已经可以登录了。',
        ),
        lacks=('发自我的iPhone', '临时密码', ),
        ticket_ref="SD-645",
    ),
    # ------------------------------------------------------------------ blind set, round 7 (issue 15)
    Expect(
        'en_outlook365_html_only_appendonsend_sd701.eml',
        'RE: [SD-701] VPN drops every hour',
        'mark.evans@corp.example', 'Mark Evans', 'en',
        text_is=(
            "Hi,\n\nthe VPN has been stable since the client update this morning, no drops so far. I'll l"
            'et you know if it happens again.',
        ),
        lacks=('pushed VPN client', 'Kind regards', 'From:'),
        ticket_ref='SD-701',
    ),
    Expect(
        'ru_1c_plain_question_marks_html_real_sd702.eml',
        'Re: [SD-702] Оплата счёта №118',
        'i.vlasova@corp.example', 'Ирина Власова', 'ru',
        text_is=(
            'Добрый день!\n\nСчёт №118 оплачен сегодня, банк прислал подтверждение.',
        ),
        lacks=('?????', 'Подтвердите, пожалуйста', 'С уважением'),
        ticket_ref='SD-702',
    ),
    Expect(
        'en_gmail_html_only_signature_prefix_gmail_attr_sd703.eml',
        'Re: [SD-703] Wireless keyboard',
        'laura.chen@corp.example', 'Laura Chen', 'en',
        text_is=(
            'Hi,\n\nthe new keyboard arrived, but the Fn key row does not work. Could someone bring a wir'
            'ed one for now?\n\nThanks!',
            'Hi,\n\nthe new keyboard arrived, but the Fn key row does not work. Could someone bring a wir'
            'ed one for now?',
        ),
        lacks=('Laura Chen', 'Marketing', 'internal mail', 'wrote:'),
        ticket_ref='SD-703',
    ),
    Expect(
        'en_iphone_html_only_blockquote_cite_sd704.eml',
        'Re: [SD-704] Laptop swap',
        'tom.harris@corp.example', 'Tom Harris', 'en',
        text_is=(
            'Yes, Thursday 14:00 works for the handover. I’ll bring the old laptop and the charger.',
        ),
        lacks=('Sent from my iPhone', 'can we swap', 'wrote:'),
        ticket_ref='SD-704',
    ),
    Expect(
        'en_yahoo_android_signature_div_attribution_split_sd705.eml',
        'Re: [SD-705] Shared mailbox sales@',
        'rita.gomez@yahoo.com', 'Rita Gomez', 'en',
        text_is=(
            'Thanks, the shared mailbox shows up now on my phone as well.',
        ),
        lacks=('Sent from Yahoo Mail', 'up to an hour', 'wrote:'),
        ticket_ref='SD-705',
    ),
    Expect(
        'en_thunderbird_html_only_moz_signature_above_cite_sd706.eml',
        'Re: [SD-706] Air conditioning room 2.14',
        'nick.adams@corp.example', 'Nick Adams', 'en',
        text_is=(
            'Hello,\n\nthe air conditioning in room 2.14 is still blowing warm air, even at 18 °C.',
        ),
        lacks=('ext. 2140', 'reset the thermostat', 'wrote:'),
        ticket_ref='SD-706',
    ),
    Expect(
        'en_zimbra_html_only_data_marker_headers_sd707.eml',
        'Re: [SD-707] Access to the Projects folder',
        'greg.holt@corp.example', 'Greg Holt', 'en',
        text_is=(
            'Please also add Maria Lopez to the group, same rights as me.',
            'Please also add Maria Lopez to the group, same rights as me.\n\nGreg',
        ),
        lacks=('write access', 'From:'),
        ticket_ref='SD-707',
    ),
    Expect(
        'en_zoho_html_only_zmail_extra_three_dash_wrote_sd708.eml',
        'Re: [SD-708] Label printer',
        'kevin.walsh@brightline.example', 'Kevin Walsh', 'en',
        text_is=(
            'Hi,\n\nthe label printer in the warehouse prints blank labels since the roll change.',
        ),
        lacks=('Warehouse Lead', 'did the printer work', 'wrote'),
        ticket_ref='SD-708',
    ),
    Expect(
        'en_protonmail_markdown_link_footer_sd709.eml',
        'Re: [SD-709] Hardware token',
        'elena.rossi@proton.me', 'Elena Rossi', 'en',
        text_is=(
            'I can come to the IT room at 16:00 today to pick up the token.',
        ),
        lacks=('Proton Mail', 'proton.me', 'hardware token is ready'),
        ticket_ref='SD-709',
    ),
    Expect(
        'en_qp_soft_breaks_inside_attribution_nnbsp_sd710.eml',
        'Re: [SD-710] Room display calendar',
        'ben.walker@corp.example', 'Ben Walker', 'en',
        text_is=(
            'Hi,\n\nthe meeting room display shows the right calendar now, thank you.',
            'Hi,\n\nthe meeting room display shows the right calendar now, thank you.\n\nBen',
        ),
        lacks=('re-linked', 'wrote:', '=E2'),
        ticket_ref='SD-710',
    ),
    Expect(
        'en_format_flowed_space_stuffed_own_gt_lines_sd711.eml',
        'Re: [SD-711] File server is almost full',
        'anna.schulz@corp.example', 'Anna Schulz', 'en',
        text_is=(
            'Disk usage on the file server this morning:\n\n>90% on D: (projects)\n>75% on E: (archive)\n\nC'
            'an you add space to D: before Friday? The project team uploads the renderings on Friday ev'
            'ening.',
            'Disk usage on the file server this morning:\n\n>90% on D: (projects)\n>75% on E: (archive)\n\nC'
            'an you add space to D: before Friday? The project team uploads the renderings on Friday ev'
            'ening.\n\nAnna',
        ),
        lacks=('which drives are filling up',),
        ticket_ref='SD-711',
    ),
    Expect(
        'ru_claws_koi8r_qp_english_two_line_attribution_sd712.eml',
        'Re: [SD-712] Клавиатура',
        'p.lavrov@corp.example', 'Пётр Лавров', 'ru',
        text_is=(
            'Добрый день!\n\nКлавиатуру получил, но на клавишах нет русских букв. Можно заменить?',
        ),
        lacks=('доб. 412', 'внутренней почтой', 'wrote:'),
        ticket_ref='SD-712',
    ),
    Expect(
        'en_outlook_plain_base64_original_message_sd713.eml',
        'RE: [SD-713] Scan to folder',
        'jana.novak@corp.example', 'Jana Novak', 'en',
        text_is=(
            'Hi,\n\nconfirmed, the scanned invoices are in the Accounts folder now.',
            'Hi,\n\nconfirmed, the scanned invoices are in the Accounts folder now.\n\nBest,\nJana',
        ),
        lacks=('Original Message', 'Can you confirm'),
        ticket_ref='SD-713',
    ),
    Expect(
        'en_outlook_original_attached_as_rfc822_sd714.eml',
        'RE: [SD-714] Laptop does not charge',
        'oscar.lind@corp.example', 'Oscar Lind', 'en',
        text_is=(
            'Hi,\n\nanswering your questions:\n- serial number: 5CG1234XYZ\n- the charger is the 65 W USB-C'
            ' one',
        ),
        lacks=('which charger you use', 'Regards'),
        attachments=('[SD-714] Laptop does not charge.eml',),
        ticket_ref='SD-714',
    ),
    Expect(
        'en_outlook_ios_html_only_mobile_signature_reference_sd715.eml',
        'Re: [SD-715] Licences for the design team',
        'rachel.moss@corp.example', 'Rachel Moss', 'en',
        text_is=(
            'Approved for the whole team, 12 licences.',
        ),
        lacks=('Outlook for iOS', 'please approve', 'From:'),
        ticket_ref='SD-715',
    ),
    Expect(
        'ru_yandex360_mobile_footer_dash_then_quote_sd716.eml',
        'Re: [SD-716] Пропуск на парковку',
        'r.ershov@yandex.ru', 'Роман Ершов', 'ru',
        text_is=(
            'Да, пропуск на 12 февраля, машина Škoda Octavia, номер А123ВС 77.',
        ),
        lacks=('Отправлено из', 'Подтвердите дату'),
        ticket_ref='SD-716',
    ),
    Expect(
        'ru_mailru_mobile_pochta_mail_footer_sd717.eml',
        'Re: [SD-717] Расчётный листок за январь',
        's.zhukova@mail.ru', 'Светлана Жукова', 'ru',
        text_is=(
            'Спасибо, всё пришло, листок открывается.',
        ),
        lacks=('Почты Mail', 'отправили вам на почту'),
        ticket_ref='SD-717',
    ),
    Expect(
        'ru_myoffice_napisal_a_blockquote_sd718.eml',
        'Re: [SD-718] Замена системного блока',
        'g.titova@corp.example', 'Галина Титова', 'ru',
        text_is=(
            'Добрый день!\n\nДа, удобно в четверг после обеда, кабинет 305.',
        ),
        lacks=('С уважением', 'Когда удобно', 'написал(а)'),
        ticket_ref='SD-718',
    ),
    Expect(
        'ru_thebat_inline_answers_cp1251_sd719.eml',
        'Re: [SD-719] Рабочее место для нового сотрудника',
        'a.kovaleva@corp.example', 'Анна Ковалёва', 'ru',
        text_is=(
            'Здравствуйте, Служба.\n\n412, третий этаж.\n\nСП> 2. Нужен ли второй монитор?\n\nДа, такой же 24'
            '".',
            'Здравствуйте, Служба.\n\nСП> 1. Какой у вас номер кабинета?\n\n412, третий этаж.\n\nСП> 2. Нужен'
            ' ли второй монитор?\n\nДа, такой же 24".',
        ),
        lacks=('Вы писали', 'mailto:', 'СП> Служба поддержки'),
        ticket_ref='SD-719',
    ),
    Expect(
        'ru_thunderbird_signature_below_quote_sd720.eml',
        'Re: [SD-720] Сканер не отправляет на почту',
        'e.markova@corp.example', 'Елена Маркова', 'ru',
        text_is=(
            'Сканер опять не отправляет на почту, на экране ошибка «SMTP 535».',
        ),
        lacks=('доб. 101', 'перенастроили', 'пишет:'),
        ticket_ref='SD-720',
    ),
    Expect(
        'ru_bitrix24_html_only_dash_footer_blockquote_sd721.eml',
        'Re: [SD-721] Доступ в CRM',
        'i.melnikov@corp.example', 'Игорь Мельников', 'ru',
        text_is=(
            'Добрый день!\n\nДоступ в CRM получил, спасибо. Можно закрывать заявку.',
        ),
        lacks=('Битрикс24', 'проверьте, пожалуйста'),
        ticket_ref='SD-721',
    ),
    Expect(
        'ru_outlook2016_cp1251_english_block_mailto_sd722.eml',
        'RE: [SD-722] Ноутбук из ремонта',
        'a.gusev@corp.example', 'Гусев Алексей Николаевич', 'ru',
        text_is=(
            'Добрый день.\n\nНоутбук забрал, всё работает. Зарядку верну завтра.',
        ),
        lacks=('доб. 2231', 'кабинете 104', 'mailto:'),
        ticket_ref='SD-722',
    ),
    Expect(
        'uk_apple_mail_napysav_la_z_povagoyu_sd723.eml',
        'Re: [SD-723] Драйвер принтера',
        'oksana.bondar@corp.example', 'Оксана Бондар', 'ru',
        text_is=(
            'Дякую, все працює.',
        ),
        lacks=('З повагою', 'оновили драйвер'),
        ticket_ref='SD-723',
    ),
    Expect(
        'kk_yandex_web_kurmetpen_sd724.eml',
        'Re: [SD-724] Телефондағы пошта',
        'dauren.omarov@corp.example', 'Дәурен Омаров', 'ru',
        text_is=(
            'Сәлеметсіз бе!\n\nПошта телефонда жұмыс істейді, рақмет.',
        ),
        lacks=('Құрметпен', 'тексеріңізші'),
        ticket_ref='SD-724',
    ),
    Expect(
        'cs_gmail_odesilatel_napsal_sd725.eml',
        'Re: [SD-725] Tiskárna netiskne',
        'jana.novakova@corp.example', 'Jana Nováková', 'en',
        text_is=(
            'Dobrý den,\n\ntiskárna už tiskne, děkuji.',
        ),
        lacks=('S pozdravem', 'vyměnili', 'napsal'),
        ticket_ref='SD-725',
    ),
    Expect(
        'hu_outlook_felado_elkuldve_udvozlettel_sd726.eml',
        'VS: [SD-726] Új jelszó',
        'peter.kovacs@corp.example', 'Kovács Péter', 'en',
        text_is=(
            'Köszönöm, megkaptam az új jelszót, be tudok lépni.',
        ),
        lacks=('Üdvözlettel', 'SMS-ben', 'Feladó'),
        ticket_ref='SD-726',
    ),
    Expect(
        'fi_iphone_lahetetty_kello_kirjoitti_sd727.eml',
        'Re: [SD-727] VPN ei toimi',
        'mikko.virtanen@corp.example', 'Mikko Virtanen', 'en',
        text_is=(
            'Kiitos, toimii taas!',
        ),
        lacks=('Lähetetty', 'päivitetty'),
        ticket_ref='SD-727',
    ),
    Expect(
        'el_outlook_apo_estali_me_ektimisi_sd728.eml',
        'ΑΠ: [SD-728] Πρόσβαση στο ERP',
        'nikos.georgiou@corp.example', 'Νίκος Γεωργίου', 'en',
        text_is=(
            'Ευχαριστώ, λειτουργεί κανονικά.',
        ),
        lacks=('Με εκτίμηση', 'ενεργοποιήθηκε', 'Από:'),
        ticket_ref='SD-728',
    ),
    Expect(
        'he_outlook_html_only_rtl_divrplyfwdmsg_sd729.eml',
        'RE: [SD-729] המדפסת לא מדפיסה',
        'yael.levi@corp.example', 'יעל לוי', 'en',
        text_is=(
            'תודה, המדפסת עובדת עכשיו.',
        ),
        lacks=('מאת:', 'החלפנו'),
        ticket_ref='SD-729',
    ),
    Expect(
        'ar_iphone_orsilat_min_katab_sd730.eml',
        'Re: [SD-730] كلمة المرور',
        'sara.ali@corp.example', 'سارة علي', 'en',
        text_is=(
            'شكرا، تم إصلاح المشكلة.',
        ),
        lacks=('iPhone', 'إعادة ضبط'),
        ticket_ref='SD-730',
    ),
    Expect(
        'vi_gmail_vao_luc_da_viet_sd731.eml',
        'Re: [SD-731] Máy in không in được',
        'an.nguyen@corp.example', 'Nguyễn Văn An', 'en',
        text_is=(
            'Cảm ơn anh, máy in đã hoạt động lại.',
        ),
        lacks=('Trân trọng', 'thay hộp mực', 'đã viết'),
        ticket_ref='SD-731',
    ),
    Expect(
        'tr_outlook_kimden_gonderildi_saygilarimla_sd732.eml',
        'YNT: [SD-732] Outlook açılmıyor',
        'ayse.yilmaz@corp.example', 'Ayşe Yılmaz', 'en',
        text_is=(
            'Teşekkürler, sorun çözüldü.',
        ),
        lacks=('Saygılarımla', 'yeniden oluşturduk', 'Kimden'),
        ticket_ref='SD-732',
    ),
    Expect(
        'en_pasted_report_from_line_and_agent_wrote_sd733.eml',
        'Re: [SD-733] Nightly backup fails',
        'igor.petrov@corp.example', 'Igor Petrov', 'en',
        text_is=(
            'Hi,\n\nthe backup still fails. The nightly report has these lines:\n\nFrom: backup-agent@nas01'
            '.corp.example\nStatus: FAILED (share \\\\nas01\\finance not reachable)\n\nand at the end the age'
            'nt wrote:\nretrying in 3600 s\n\nCould you look at the NAS today?',
            'Hi,\n\nthe backup still fails. The nightly report has these lines:\n\nFrom: backup-agent@nas01'
            '.corp.example\nStatus: FAILED (share \\\\nas01\\finance not reachable)\n\nand at the end the age'
            'nt wrote:\nretrying in 3600 s\n\nCould you look at the NAS today?\n\nThanks,\nIgor',
        ),
        lacks=("did last night's backup run",),
        ticket_ref='SD-733',
    ),
    Expect(
        'en_one_quoted_line_answer_below_sd734.eml',
        'Re: [SD-734] New docking station',
        'fiona.grant@corp.example', 'Fiona Grant', 'en',
        text_is=(
            '4th floor, desk 4.12, next to the window.',
        ),
        lacks=('Which floor', 'Regards'),
        ticket_ref='SD-734',
    ),
    Expect(
        'en_three_inline_answers_quoted_tail_sd735.eml',
        'Re: [SD-735] New hire next week',
        'victor.hale@corp.example', 'Victor Hale', 'en',
        text_is=(
            'Monday, 16 February.\n\n> 2. Laptop or desktop?\n\nLaptop, 14".\n\n> 3. Which shared folders?\n\nS'
            'ales and Marketing, read and write.',
        ),
        lacks=('a few questions', 'Start date', 'Thanks,'),
        ticket_ref='SD-735',
    ),
    Expect(
        'en_own_gt_more_than_lines_top_post_sd736.eml',
        'Re: [SD-736] Mailbox quotas',
        'olga.berg@corp.example', 'Olga Berg', 'en',
        text_is=(
            'Hi,\n\nthese mailboxes are over the limit:\n\n> 50 GB: sales@, support@\n> 20 GB: 14 personal m'
            'ailboxes (list attached)\n\nCan we move them to the archive tier?',
        ),
        lacks=('which mailboxes are affected', 'Best regards'),
        ticket_ref='SD-736',
    ),
    Expect(
        'ru_double_dash_glued_to_name_sd737.eml',
        'Re: [SD-737] Принтер в переговорной',
        'p.orlov@corp.example', 'Павел Орлов', 'ru',
        text_is=(
            'Добрый день!\n\nПринтер в переговорной всё ещё печатает полосами, картридж меняли вчера.',
        ),
        lacks=('доб. 315', 'Павел Орлов', 'Картридж заменили'),
        ticket_ref='SD-737',
    ),
    Expect(
        'en_bottom_post_no_attribution_regards_block_sd738.eml',
        'RE: [SD-738] Headset model',
        'kate.moore@corp.example', 'Kate Moore', 'en',
        text_is=(
            'It is a Jabra Evolve2 65, the USB-A version.',
        ),
        lacks=('model of the headset', 'Customer Care'),
        ticket_ref='SD-738',
    ),
    Expect(
        'en_note_between_forward_header_and_quote_sd739.eml',
        'FW: [SD-739] Licence renewal',
        'pavel.sokol@corp.example', 'Pavel Sokol', 'en',
        text_is=(
            "Desk, this is the vendor's answer. Please go ahead and renew the 25 seats, the quote is va"
            'lid until Friday.',
        ),
        lacks=('EUR 3,400', 'Original Message'),
        ticket_ref='SD-739',
    ),
    Expect(
        'ru_name_then_disclaimer_ru_and_en_sd740.eml',
        'RE: [SD-740] Справка 2-НДФЛ',
        'm.belova@corp.example', 'Белова Марина', 'ru',
        text_is=(
            'Спасибо, получила.',
            'Спасибо, получила.\n\nМарина Белова',
        ),
        lacks=('Конфиденциальность', 'Confidentiality', 'Справка готова'),
        ticket_ref='SD-740',
    ),
    Expect(
        'en_long_two_screen_reply_short_quote_sd741.eml',
        'Re: [SD-741] Riga office offline',
        'liga.ozola@corp.example', 'Liga Ozola', 'en',
        text_is=(
            "Hi team,\n\nhere is the full picture of yesterday's outage in the Riga office, as you asked."
            '\n\nTimeline (all times local):\n08:55 - first users report that Outlook shows "Disconnected"'
            '.\n09:02 - the reception phone loses its line as well.\n09:10 - I restart the small switch u'
            'nder the reception desk, no change.\n09:25 - the ISP hotline says there is no outage on the'
            "ir side.\n09:40 - we notice that the router's status LED is orange instead of green.\n10:05 "
            '- after unplugging the router for a minute everything comes back.\n10:30 - it drops again, '
            'same symptoms.\n11:15 - the router comes back on its own and stays up for the rest of the d'
            'ay.\n\nWhat we checked ourselves:\n- all patch cables between the router and the switch (rese'
            'ated, no change);\n- the power strip (the router is on the same strip as the coffee machine'
            ");\n- the ISP's modem (its lights were green the whole time).\n\nWho was affected:\n- all 14 p"
            'eople in the office lost mail, Teams and the file share;\n- the two card terminals in the s'
            'howroom worked, they use their own SIM cards;\n- the VPN users at home were not affected.\n\n'
            "What we need from you:\n1. Can someone look at the router's logs remotely? We do not have t"
            'he password.\n2. If the router is failing, can you send a replacement this week? We can swa'
            'p it on site if you send\n   instructions.\n3. Should we move the router to a different powe'
            'r strip in the meantime?\n\nIt is the third time this month, so I would really like to find '
            'the cause. The first two times were on\nMonday mornings as well, around 9:00, which may or '
            'may not be a coincidence: the cleaning staff come in on\nSunday evenings and might unplug t'
            'hings.\n\nI am in the office all week from 8:30 to 17:00 and can be on the phone whenever yo'
            'u need me. My mobile is\n+371 2000 1234 if the office line is down again.\n\nThank you for lo'
            'oking into it.',
            "Hi team,\n\nhere is the full picture of yesterday's outage in the Riga office, as you asked."
            '\n\nTimeline (all times local):\n08:55 - first users report that Outlook shows "Disconnected"'
            '.\n09:02 - the reception phone loses its line as well.\n09:10 - I restart the small switch u'
            'nder the reception desk, no change.\n09:25 - the ISP hotline says there is no outage on the'
            "ir side.\n09:40 - we notice that the router's status LED is orange instead of green.\n10:05 "
            '- after unplugging the router for a minute everything comes back.\n10:30 - it drops again, '
            'same symptoms.\n11:15 - the router comes back on its own and stays up for the rest of the d'
            'ay.\n\nWhat we checked ourselves:\n- all patch cables between the router and the switch (rese'
            'ated, no change);\n- the power strip (the router is on the same strip as the coffee machine'
            ");\n- the ISP's modem (its lights were green the whole time).\n\nWho was affected:\n- all 14 p"
            'eople in the office lost mail, Teams and the file share;\n- the two card terminals in the s'
            'howroom worked, they use their own SIM cards;\n- the VPN users at home were not affected.\n\n'
            "What we need from you:\n1. Can someone look at the router's logs remotely? We do not have t"
            'he password.\n2. If the router is failing, can you send a replacement this week? We can swa'
            'p it on site if you send\n   instructions.\n3. Should we move the router to a different powe'
            'r strip in the meantime?\n\nIt is the third time this month, so I would really like to find '
            'the cause. The first two times were on\nMonday mornings as well, around 9:00, which may or '
            'may not be a coincidence: the cleaning staff come in on\nSunday evenings and might unplug t'
            'hings.\n\nI am in the office all week from 8:30 to 17:00 and can be on the phone whenever yo'
            'u need me. My mobile is\n+371 2000 1234 if the office line is down again.\n\nThank you for lo'
            'oking into it.\n\nLiga',
        ),
        lacks=('please describe what happened',),
        ticket_ref='SD-741',
    ),
    Expect(
        'en_attribution_left_without_quote_sd742.eml',
        'Re: [SD-742] Laptop for Tom Reyes',
        'hanna.berg@corp.example', 'Hanna Berg', 'en',
        text_is=(
            'Please cancel the request, the user has left the company.',
            'Please cancel the request, the user has left the company.\n\nThanks,\nHanna',
        ),
        lacks=('wrote:',),
        ticket_ref='SD-742',
    ),
    Expect(
        'ru_pasted_chat_with_timestamps_sd743.eml',
        'Re: [SD-743] Перезагрузка сервера',
        'v.lisina@corp.example', 'Вера Лисина', 'ru',
        text_is=(
            'Добрый день!\n\nПереписка с подрядчиком в Telegram, чтобы было понятно:\n\n[09.02.2026 10:15] '
            'Олег Смирнов: Сервер перезагрузим в 22:00.\n[09.02.2026 10:17] Вера Лисина: А почта в это в'
            'ремя будет работать?\n[09.02.2026 10:20] Олег Смирнов: Нет, около 15 минут.\n\nПредупредите, '
            'пожалуйста, всех в офисе.',
        ),
        lacks=('С уважением', 'Когда подрядчик'),
        ticket_ref='SD-743',
    ),
    Expect(
        'en_answers_marked_inside_unprefixed_quote_sd744.eml',
        'RE: [SD-744] New starter',
        'mark.king@corp.example', 'Mark King', 'en',
        text_is=(
            'Answers below in [MK].\n\n- the start date [MK] 2 March\n- the cost centre [MK] 4410',
            'Answers below in [MK].\n\nMark\n\n- the start date [MK] 2 March\n- the cost centre [MK] 4410',
        ),
        lacks=('please tell us', 'Sent:'),
        ticket_ref='SD-744',
    ),
    Expect(
        'en_cites_vendor_line_in_new_text_sd745.eml',
        'Re: [SD-745] Scanner firmware',
        'leo.martin@corp.example', 'Leo Martin', 'en',
        text_is=(
            'Hi,\n\nthe vendor answered this morning:\n\n> The firmware 3.1 fixes the scanning issue on all'
            ' MX-300 devices.\n\nCan we roll it out to the 3rd floor printers this week?',
            'Hi,\n\nthe vendor answered this morning:\n\n> The firmware 3.1 fixes the scanning issue on all'
            ' MX-300 devices.\n\nCan we roll it out to the 3rd floor printers this week?\n\nThanks,\nLeo',
        ),
        lacks=('waiting for the vendor',),
        ticket_ref='SD-745',
    ),
    Expect(
        'en_own_short_underscore_rule_between_items_sd746.eml',
        'RE: [SD-746] Office equipment',
        'ruth.green@corp.example', 'Ruth Green', 'en',
        text_is=(
            'Hi,\n\ntwo things from today:\n\n1. The scanner on floor 2 jams on every page.\n__________\n\n2. '
            'The monitor in meeting room Vega shows no picture.',
            'Hi,\n\ntwo things from today:\n\n1. The scanner on floor 2 jams on every page.\n__________\n\n2. '
            'The monitor in meeting room Vega shows no picture.\n\nThanks,\nRuth',
        ),
        lacks=('anything else broken',),
        ticket_ref='SD-746',
    ),
    Expect(
        'en_own_sentence_starts_like_attribution_sd747.eml',
        'Re: [SD-747] CRM backup',
        'nina.frost@corp.example', 'Nina Frost', 'en',
        text_is=(
            'On 9 Feb 2026 at 10:15 the backup of the CRM failed again, the log says:\n\n  ERROR 0x800700'
            '35 The network path was not found\n\nCould you check the route to the backup server?',
            'On 9 Feb 2026 at 10:15 the backup of the CRM failed again, the log says:\n\n  ERROR 0x800700'
            '35 The network path was not found\n\nCould you check the route to the backup server?\n\nNina',
        ),
        lacks=('did the CRM backup run',),
        ticket_ref='SD-747',
    ),
    # ------------------------------------------------------------------ round 7b (issue 15): written after the fixes
    Expect(
        'ro_outlook365_html_only_cu_stima_sd751.eml',
        'RE: [SD-751] Acces la folderul Contabilitate',
        'andrei.popescu@corp.example', 'Andrei Popescu', 'en',
        text_is=(
            'Bună ziua,\n\naccesul funcționează acum, mulțumesc.',
        ),
        lacks=('Cu stimă', 'v-am acordat', 'De la:'),
        ticket_ref='SD-751',
    ),
    Expect(
        'id_gmail_pada_tanggal_menulis_salam_sd752.eml',
        'Re: [SD-752] Printer lantai 2',
        'budi.santoso@corp.example', 'Budi Santoso', 'en',
        text_is=(
            'Halo,\n\nprinternya sudah bisa dipakai lagi, terima kasih.',
        ),
        lacks=('Salam,', 'mengganti toner', 'menulis'),
        ticket_ref='SD-752',
    ),
    Expect(
        'th_gmail_khian_wa_khopkhun_sd753.eml',
        'Re: [SD-753] อีเมลบนมือถือ',
        'somchai.jaidee@corp.example', 'สมชาย ใจดี', 'en',
        text_is=(
            'สวัสดีครับ\n\nตอนนี้อีเมลบนมือถือใช้งานได้แล้ว ขอบคุณครับ',
        ),
        lacks=('ด้วยความเคารพ', 'กรุณาลอง'),
        ticket_ref='SD-753',
    ),
    Expect(
        'fa_iphone_ersal_shode_az_sd754.eml',
        'Re: [SD-754] VPN',
        'reza.ahmadi@corp.example', 'Reza Ahmadi', 'en',
        text_is=(
            'ممنون، وی\u200cپی\u200cان وصل شد.',
        ),
        lacks=('iPhone', 'دوباره امتحان'),
        ticket_ref='SD-754',
    ),
    Expect(
        'ru_bottom_post_glued_quote_no_attribution_sd755.eml',
        'Re: [SD-755] Перенос рабочего места',
        'i.sokolova@mail.ru', 'Ирина Соколова', 'ru',
        text_is=(
            'Кабинет 305, третий этаж.',
        ),
        lacks=('Подскажите номер', 'Ирина Соколова'),
        ticket_ref='SD-755',
    ),
    Expect(
        'en_mutt_inline_no_attribution_numbered_sd756.eml',
        'Re: [SD-756] Browser issue',
        'dan.wright@corp.example', 'Dan Wright', 'en',
        text_is=(
            'Windows 11.\n\n> 2. Which browser?\n\nEdge, version 121.',
        ),
        lacks=('Which OS', 'Thanks,'),
        ticket_ref='SD-756',
    ),
    Expect(
        'ru_outlook_html_only_answers_marked_initials_sd757.eml',
        'RE: [SD-757] Новый сотрудник',
        'i.pavlov@corp.example', 'Игорь Павлов', 'ru',
        text_is=(
            'Ответы ниже, отмечены [ИП].\n\n- дату выхода [ИП] 2 марта\n- нужен ли ноутбук [ИП] да, 14"',
        ),
        lacks=('Уточните, пожалуйста', 'Отправлено:'),
        ticket_ref='SD-757',
    ),
    Expect(
        'el_gateway_plain_question_marks_html_real_sd758.eml',
        'Re: [SD-758] Εκτυπωτής',
        'maria.pappa@corp.example', 'Μαρία Παππά', 'en',
        text_is=(
            'Καλημέρα,\n\nο εκτυπωτής λειτουργεί ξανά, ευχαριστώ πολύ.',
        ),
        lacks=('????', 'τόνερ'),
        ticket_ref='SD-758',
    ),
    Expect(
        'en_double_dash_space_name_one_line_sd759.eml',
        'Re: [SD-759] Docking station',
        'john.carter@corp.example', 'John Carter', 'en',
        text_is=(
            'The dock works with the new cable, thanks.',
        ),
        lacks=('ext. 2210', 'new USB-C cable'),
        ticket_ref='SD-759',
    ),
    Expect(
        'en_dash_delimiter_between_items_outlook_block_sd760.eml',
        'RE: [SD-760] Meeting room equipment',
        'paula.reyes@corp.example', 'Paula Reyes', 'en',
        text_is=(
            'Hi,\n\n1. The webcam in room Atlas is blurry.\n-----\n2. The HDMI cable in room Zeus is missin'
            'g.',
            'Hi,\n\n1. The webcam in room Atlas is blurry.\n-----\n2. The HDMI cable in room Zeus is missin'
            'g.\n\nPaula',
        ),
        lacks=('which rooms',),
        ticket_ref='SD-760',
    ),
    Expect(
        'he_gmail_bivracha_full_name_sd761.eml',
        'Re: [SD-761] גישה לתיקייה',
        'yael.levi@corp.example', 'יעל לוי', 'en',
        text_is=(
            'שלום,\n\nעכשיו יש לי גישה, תודה רבה.',
        ),
        lacks=('בברכה', 'הוספנו'),
        ticket_ref='SD-761',
    ),
    Expect(
        'ja_outlook_html_only_sashidashinin_sd762.eml',
        'RE: [SD-762] 会議室のモニター',
        'h.sato@corp.example', '佐藤 花子', 'en',
        text_is=(
            'お疲れさまです。\nモニターが映るようになりました。ありがとうございます。',
            'お疲れさまです。\nモニターが映るようになりました。ありがとうございます。\n\n佐藤',
        ),
        lacks=('ケーブルを交換', '差出人'),
        ticket_ref='SD-762',
    ),
    # ------------------------------------------------- round 8 (issue 15): blind, written before reading parsers/
    Expect(
        'en_gmail_attribution_wrapped_addr_next_line_best_sd801.eml',
        'Re: [SD-801] Door badge',
        'laura.mills@corp.example', 'Laura Mills', 'en',
        text_is=(
            'Hi,\n\nthe new badge works on all doors now. Thanks for sorting it out so fast.',
            'Hi,\n\nthe new badge works on all doors now. Thanks for sorting it out so fast.\n\nBest,\nLaura',
        ),
        lacks=('re-issued', 'wrote:'),
        ticket_ref='SD-801',
    ),
    Expect(
        'en_thunderbird_us_short_date_cheers_sd802.eml',
        'Re: [SD-802] Second monitor',
        'mike.turner@corp.example', 'Mike Turner', 'en',
        text_is=(
            'Got it, the monitor is on my desk and working. Cheers for the quick delivery.',
            'Got it, the monitor is on my desk and working. Cheers for the quick delivery.\n\nCheers,\nMike',
        ),
        lacks=('delivered to your desk',),
        ticket_ref='SD-802',
    ),
    Expect(
        'en_apple_mail_address_own_line_title_phone_links_sd803.eml',
        'Re: [SD-803] Expense tool login',
        'mark.evans@corp.example', 'Mark Evans', 'en',
        text_is=(
            "Hello,\n\nI can log in again, but the tool still shows last month's currency rates"
            '. Could someone\nfrom the finance systems team have a look?',
            "Hello,\n\nI can log in again, but the tool still shows last month's currency rates"
            '. Could someone\nfrom the finance systems team have a look?\n\nMark Evans',
            "Hello,\n\nI can log in again, but the tool still shows last month's currency rates"
            '. Could someone\nfrom the finance systems team have a look?\n\nMark Evans\nSenior Ac'
            'countant | Finance\n+44 20 7946 0321\nwww.corp.example | linkedin.com/in/mark-evan'
            's-fin',
        ),
        lacks=('password has been reset',),
        ticket_ref='SD-803',
    ),
    Expect(
        'en_outlook_android_get_outlook_rule_from_sent_sd804.eml',
        'RE: [SD-804] Teams meeting room',
        'priya.shah@corp.example', 'Priya Shah', 'en',
        text_is=(
            'Yes, please book Orion for Thursday 14:00-15:00, 8 people.',
        ),
        lacks=('Get Outlook', 'shall we book', 'Sent:'),
        ticket_ref='SD-804',
    ),
    Expect(
        'en_windows_mail_footer_header_block_no_rule_sd805.eml',
        'RE: [SD-805] Keyboard',
        'owen.price@corp.example', 'Owen Price', 'en',
        text_is=(
            'The new keyboard arrived, thank you. The old one can be collected from desk 3.14.',
        ),
        lacks=('Sent from Mail', 'on its way'),
        ticket_ref='SD-805',
    ),
    Expect(
        'de_outlook_urspruengliche_nachricht_viele_gruesse_sd806.eml',
        'AW: [SD-806] Zugang SAP',
        'jan.hoffmann@corp.example', 'Jan Hoffmann', 'en',
        text_is=(
            'Hallo,\n\nder Zugang zu SAP funktioniert jetzt. Vielen Dank für die schnelle Hilfe!',
        ),
        lacks=('Viele Grüße', 'melden Sie sich erneut'),
        ticket_ref='SD-806',
    ),
    Expect(
        'fr_outlook_message_d_origine_space_colon_sd807.eml',
        'RE: [SD-807] Imprimante 3e étage',
        'marie.dupont@corp.example', 'Marie Dupont', 'en',
        text_is=(
            "Bonjour,\n\nl'imprimante fonctionne de nouveau, merci beaucoup.",
        ),
        lacks=('Cordialement', 'technicien passera', 'Objet'),
        ticket_ref='SD-807',
    ),
    Expect(
        'es_outlook_mensaje_original_un_saludo_sd808.eml',
        'RE: [SD-808] Portátil lento',
        'carlos.ruiz@corp.example', 'Carlos Ruiz', 'en',
        text_is=(
            'Hola,\n\ndespués de la actualización el portátil va mucho mejor. Podéis cerrar la incidencia.',
        ),
        lacks=('Un saludo', 'actualizaciones pendientes'),
        ticket_ref='SD-808',
    ),
    Expect(
        'nl_outlook_oorspronkelijk_bericht_met_vriendelijke_groet_sd809.eml',
        'RE: [SD-809] Wachtwoord verlopen',
        'pieter.devries@corp.example', 'Pieter de Vries', 'en',
        text_is=(
            'Hoi,\n\nhet nieuwe wachtwoord werkt, ook op mijn telefoon. Bedankt!',
        ),
        lacks=('vriendelijke groet', 'opnieuw ingesteld'),
        ticket_ref='SD-809',
    ),
    Expect(
        'pt_outlook_mensagem_original_atenciosamente_sd810.eml',
        'RE: [SD-810] Acesso à pasta partilhada',
        'joao.pereira@corp.example', 'João Pereira', 'en',
        text_is=(
            'Bom dia,\n\njá consigo abrir a pasta, obrigado. Só falta a permissão de escrita na subpasta Relatórios.',
        ),
        lacks=('Atenciosamente', 'foi concedido'),
        ticket_ref='SD-810',
    ),
    Expect(
        'it_outlook_messaggio_originale_cordiali_saluti_sd811.eml',
        'R: [SD-811] Stampante ufficio acquisti',
        'giulia.romano@corp.example', 'Giulia Romano', 'en',
        text_is=(
            'Buongiorno,\n\nla stampante ora funziona, grazie mille.',
        ),
        lacks=('Cordiali saluti', 'sostituito il toner'),
        ticket_ref='SD-811',
    ),
    Expect(
        'pl_outlook_wiadomosc_oryginalna_pozdrawiam_sd812.eml',
        'Odp: [SD-812] Drukarka',
        'anna.kowalska@corp.example', 'Anna Kowalska', 'en',
        text_is=(
            'Dzień dobry,\n\ndrukarka działa, dziękuję za szybką pomoc.',
        ),
        lacks=('Pozdrawiam', 'proszę sprawdzić'),
        ticket_ref='SD-812',
    ),
    Expect(
        'sv_outlook_ursprungligt_meddelande_halsningar_sd813.eml',
        'SV: [SD-813] VPN hemifrån',
        'erik.lindqvist@corp.example', 'Erik Lindqvist', 'en',
        text_is=(
            'Hej,\n\nVPN fungerar nu hemifrån också. Tack för hjälpen!',
        ),
        lacks=('Hälsningar', 'förnyat ditt certifikat'),
        ticket_ref='SD-813',
    ),
    Expect(
        'nb_outlook_opprinnelig_melding_mvh_sd814.eml',
        'SV: [SD-814] Ny mobiltelefon',
        'ole.hansen@corp.example', 'Ole Hansen', 'en',
        text_is=(
            'Hei,\n\ntelefonen er satt opp og e-posten synkroniserer. Takk!',
        ),
        lacks=('Mvh', 'resepsjonen'),
        ticket_ref='SD-814',
    ),
    Expect(
        'da_outlook_oprindelig_meddelelse_venlig_hilsen_sd815.eml',
        'SV: [SD-815] Adgang til lønsystemet',
        'mette.nielsen@corp.example', 'Mette Nielsen', 'en',
        text_is=(
            'Hej,\n\njeg kan nu logge ind i lønsystemet. Mange tak.',
        ),
        lacks=('Venlig hilsen', 'adgang er oprettet'),
        ticket_ref='SD-815',
    ),
    Expect(
        'en_gmail_greeting_and_signoff_only_sd816.eml',
        'Re: [SD-816] Headset',
        'tom.baker@corp.example', 'Tom Baker', 'en',
        text_is=(
            'Hi Sam,\n\nThank you!',
        ),
        lacks=('Best regards', 'reception desk'),
        ticket_ref='SD-816',
    ),
    Expect(
        'en_iphone_one_word_thanks_sd817.eml',
        'Re: [SD-817] Wi-Fi password',
        'grace.hill@corp.example', 'Grace Hill', 'en',
        text_is=(
            'Thanks!',
        ),
        lacks=('Sent from my iPhone', 'Orion-2026'),
        ticket_ref='SD-817',
    ),
    Expect(
        'en_gmail_plus_one_sd818.eml',
        'Re: [SD-818] Printer in room 2.10',
        'leo.grant@corp.example', 'Leo Grant', 'en',
        text_is=(
            '+1',
        ),
        lacks=('objections',),
        ticket_ref='SD-818',
    ),
    Expect(
        'en_samsung_yes_sent_from_my_galaxy_original_message_sd819.eml',
        'Re: [SD-819] Laptop swap tomorrow',
        'ella.scott@corp.example', 'Ella Scott', 'en',
        text_is=(
            'Yes',
        ),
        lacks=('Galaxy', 'swap your laptop'),
        ticket_ref='SD-819',
    ),
    Expect(
        'fr_gmail_emoji_only_a_ecrit_space_colon_sd820.eml',
        'Re: [SD-820] Écran cassé',
        'luc.martin@corp.example', 'Luc Martin', 'en',
        text_is=(
            '👍',
        ),
        lacks=('remplacé jeudi', 'écrit'),
        ticket_ref='SD-820',
    ),
    Expect(
        'de_gmail_am_um_schrieb_samsung_gesendet_sd821.eml',
        'Re: [SD-821] Headset defekt',
        'klara.braun@corp.example', 'Klara Braun', 'en',
        text_is=(
            'Danke, das neue Headset funktioniert.',
        ),
        lacks=('Samsung', 'liegt am Empfang'),
        ticket_ref='SD-821',
    ),
    Expect(
        'ru_outlook365_ot_otpravleno_rule_signature_title_phone_sd822.eml',
        'RE: [SD-822] Доступ к 1С ЗУП',
        'e.krylova@corp.example', 'Елена Крылова', 'ru',
        text_is=(
            'Добрый день!\n\nДоступ появился, спасибо. Но в отчёте по отпускам не видно февраля'
            ' — проверьте, пожалуйста, права на этот отчёт.',
        ),
        lacks=('С уважением', 'доб. 2210', 'Доступ к 1С ЗУП выдан'),
        ticket_ref='SD-822',
    ),
    Expect(
        'ru_yandex_mobile_date_comma_name_addr_footer_sd823.eml',
        'Re: [SD-823] Пропуск на парковку',
        'a.zaitsev@yandex.ru', 'Андрей Зайцев', 'ru',
        text_is=(
            'Спасибо, пропуск получил.',
        ),
        lacks=('Яндекс', 'забрать у охраны'),
        ticket_ref='SD-823',
    ),
    Expect(
        'ru_mailru_2026_attribution_quote_no_space_dash_signature_sd824.eml',
        'Re[2]: [SD-824] Не приходит почта',
        'n.orlov@mail.ru', 'Николай Орлов', 'ru',
        text_is=(
            'Заработало, письма пошли. Спасибо!',
        ),
        lacks=('очистили ваш ящик', 'Николай Орлов'),
        ticket_ref='SD-824',
    ),
    Expect(
        'ru_gmail_attribution_wrapped_angle_bracket_sd825.eml',
        'Re: [SD-825] Удалённый доступ',
        'olga.mironova@gmail.com', 'Ольга Миронова', 'ru',
        text_is=(
            'Здравствуйте!\n\nПодключилась, всё работает. Можно закрывать заявку.',
            'Здравствуйте!\n\nПодключилась, всё работает. Можно закрывать заявку.\n\nОльга',
        ),
        lacks=('инструкцию по подключению',),
        ticket_ref='SD-825',
    ),
    Expect(
        'ru_forward_peresylaemoe_comment_above_sd826.eml',
        'Fwd: [SD-826] Картриджи',
        'i.belyaev@corp.example', 'Игорь Беляев', 'ru',
        text_is=(
            'Коллеги, посмотрите письмо поставщика ниже: они просят номер заявки для отгрузки картриджей.',
        ),
        lacks=('Для отгрузки укажите', 'Пересылаемое'),
        ticket_ref='SD-826',
    ),
    Expect(
        'ru_bitrix24_html_napisal_blockquote_sd827.eml',
        'Re: [SD-827] Портал Битрикс',
        'm.kuznetsova@corp.example', 'Марина Кузнецова', 'ru',
        text_is=(
            'Добрый день,\n\nзадачи в портале снова открываются. Благодарю!',
        ),
        lacks=('перезапустили службу',),
        ticket_ref='SD-827',
    ),
    Expect(
        'ru_thunderbird_bottom_post_pishet_signature_sd828.eml',
        'Re: [SD-828] Сканер',
        's.volkov@corp.example', 'Сергей Волков', 'ru',
        text_is=(
            'Fujitsu fi-7160, инвентарный номер НБ-0442.',
        ),
        lacks=('какая модель', 'С уважением'),
        ticket_ref='SD-828',
    ),
    Expect(
        'ru_apple_mail_ipad_napisal_a_sd829.eml',
        'Re: [SD-829] Почта на iPad',
        't.belova@icloud.com', 'Татьяна Белова', 'ru',
        text_is=(
            'Всё настроилось, спасибо большое!',
        ),
        lacks=('Отправлено с iPad', 'настройки почты'),
        ticket_ref='SD-829',
    ),
    Expect(
        'kk_latin_gmail_cyrillic_attribution_qurmetpen_sd830.eml',
        'Re: [SD-830] Kompúter',
        'asel.n@corp.example', 'Asel Nurlanqyzy', 'en',
        text_is=(
            'Sálemetsiz be,\n\nkompúter qosyldy, bári jumys istep tur. Raqmet!',
        ),
        lacks=('Qurmetpen', 'қайта қостық'),
        ticket_ref='SD-830',
    ),
    Expect(
        'uz_outlook_kimdan_yuborildi_hurmat_bilan_sd831.eml',
        'RE: [SD-831] Printer',
        'd.karimov@corp.example', 'Dilshod Karimov', 'en',
        text_is=(
            'Assalomu alaykum,\n\nprinter ishlayapti, rahmat.',
        ),
        lacks=('Hurmat bilan', 'kartrij'),
        ticket_ref='SD-831',
    ),
    Expect(
        'en_own_line_ends_in_wrote_colon_commands_sd832.eml',
        'Re: [SD-832] Print spooler',
        'rachel.adams@corp.example', 'Rachel Adams', 'en',
        text_is=(
            'Hi,\n\nI ran exactly what your colleague Ben wrote:\n\n  net stop spooler\n  net star'
            't spooler\n\nNothing changed, the queue is still stuck at 14 jobs.',
        ),
        lacks=('queue clears',),
        ticket_ref='SD-832',
    ),
    Expect(
        'en_own_sentence_date_and_name_on_one_line_sd833.eml',
        'Re: [SD-833] VPN tokens',
        'victor.hughes@corp.example', 'Victor Hughes', 'en',
        text_is=(
            'On Monday, 9 February, Peter Lang from accounting tried the new token and it wor'
            'ked,\nso the problem is only with the old tokens.',
            'On Monday, 9 February, Peter Lang from accounting tried the new token and it wor'
            'ked,\nso the problem is only with the old tokens.\n\nVictor',
        ),
        lacks=('does the new VPN token',),
        ticket_ref='SD-833',
    ),
    Expect(
        'en_quote_unquoted_wrapped_line_middle_top_post_sd834.eml',
        'Re: [SD-834] Shared calendar',
        'nora.bell@corp.example', 'Nora Bell', 'en',
        text_is=(
            'The calendar shows up now, thanks. I can also edit entries.',
            'The calendar shows up now, thanks. I can also edit entries.\n\nNora',
        ),
        lacks=('Board Meetings', 'an hour before'),
        ticket_ref='SD-834',
    ),
    Expect(
        'en_nested_quotes_comments_between_levels_sd835.eml',
        'Re: [SD-835] Slow laptop',
        'ben.carter@corp.example', 'Ben Carter', 'en',
        text_is=(
            'Yes, still 9 minutes this morning.\n\n>> Also Outlook freezes when I open attachme'
            'nts.\n\nOutlook is fine since the update.\n\n>> Can someone look at it this week?\n>\n'
            '> We can come on Thursday.\n\nThursday works, I am in room 4.12 all day.',
        ),
        lacks=('Is the laptop still slow', 'takes 10 minutes'),
        ticket_ref='SD-835',
    ),
    Expect(
        'en_pasted_powershell_lines_start_with_gt_sd836.eml',
        'Re: [SD-836] AD script',
        'joanne.reid@corp.example', 'Joanne Reid', 'en',
        text_is=(
            'Hi,\n\nthe script still fails, here is the output:\n\n> Get-ADUser jdoe\n> Error: Una'
            'ble to contact the server. This may be because this server does not exist.\n\nPS C'
            ':\\> Test-NetConnection dc01 -Port 389\nTcpTestSucceeded : False',
            'Hi,\n\nthe script still fails, here is the output:\n\n> Get-ADUser jdoe\n> Error: Una'
            'ble to contact the server. This may be because this server does not exist.\n\nPS C'
            ':\\> Test-NetConnection dc01 -Port 389\nTcpTestSucceeded : False\n\nThanks,\nJo',
        ),
        lacks=('send us the output',),
        ticket_ref='SD-836',
    ),
    Expect(
        'en_ps_after_signature_block_sd837.eml',
        'Re: [SD-837] Payroll access',
        'helen.ward@corp.example', 'Helen Ward', 'en',
        text_is=(
            'Thanks, it works now.\n\nPS: the printer in room 4.02 also needs a new toner.',
            'Thanks, it works now.\n\nRegards,\nHelen Ward\nHR Coordinator\n\nPS: the printer in ro'
            'om 4.02 also needs a new toner.',
        ),
        lacks=('access to the payroll folder',),
        ticket_ref='SD-837',
    ),
    Expect(
        'en_gmail_forward_with_comment_above_sd838.eml',
        'Fwd: [SD-838] Invoice portal',
        'sophie.clark@corp.example', 'Sophie Clark', 'en',
        text_is=(
            "Hi team,\n\nsee the supplier's message below: the invoice portal link they sent gives me a 404.",
        ),
        lacks=('Dear customer', 'Forwarded message'),
        ticket_ref='SD-838',
    ),
    Expect(
        'en_attribution_deleted_only_gt_lines_sd839.eml',
        'Re: [SD-839] Network drive',
        'adam.fox@corp.example', 'Adam Fox', 'en',
        text_is=(
            'Done, the drive is mapped and I can open the files.',
        ),
        lacks=('Please map',),
        ticket_ref='SD-839',
    ),
    Expect(
        'en_signature_on_top_answer_below_quote_sd840.eml',
        'Re: [SD-840] Scanner model',
        'oliver.grant@corp.example', 'Oliver Grant', 'en',
        text_is=(
            'It is a Fujitsu fi-7160, asset tag NB-1188.',
        ),
        lacks=('which scanner model', 'Logistics'),
        ticket_ref='SD-840',
    ),
    Expect(
        'en_signoff_sentence_is_the_reply_sd841.eml',
        'Re: [SD-841] Projector in Orion',
        'lucy.moore@corp.example', 'Lucy Moore', 'en',
        text_is=(
            'Thanks for the quick fix, it works now.',
            'Thanks for the quick fix, it works now.\n\nLucy',
        ),
        lacks=('HDMI cable',),
        ticket_ref='SD-841',
    ),
    Expect(
        'en_thanks_first_line_then_question_sd842.eml',
        'Re: [SD-842] Sales share',
        'tim.fisher@corp.example', 'Tim Fisher', 'en',
        text_is=(
            'Thanks,\none more thing: could I also get read access to the Sales share?',
            'Thanks,\none more thing: could I also get read access to the Sales share?\n\nTim',
        ),
        lacks=('Finance share access',),
        ticket_ref='SD-842',
    ),
    Expect(
        'ru_own_line_ends_napisal_colon_quote_sd843.eml',
        'Re: [SD-843] Роутер в переговорной',
        'p.nikitin@corp.example', 'Павел Никитин', 'ru',
        text_is=(
            'Добрый день!\n\nСделал, как Сергей написал:\n\n  перезагрузил роутер и подождал 5 ми'
            'нут\n\nНе помогло, Wi-Fi в переговорной по-прежнему пропадает.',
        ),
        lacks=('перезагрузите, пожалуйста',),
        ticket_ref='SD-843',
    ),
    Expect(
        'ru_inline_answers_unquoted_wrapped_line_sd844.eml',
        'Re: [SD-844] Новый сотрудник',
        'g.fomina@corp.example', 'Галина Фомина', 'ru',
        text_is=(
            'Смирнов Олег Петрович, выходит 16 февраля.\n\n> Нужен ли ему ноутбук или хватит ст'
            'ационарного компьютера в\nкабинете 210?\n\nНужен ноутбук, он часто ездит по филиала'
            'м.',
        ),
        lacks=('Подскажите, пожалуйста', 'IT Service Desk'),
        ticket_ref='SD-844',
    ),
    Expect(
        'en_own_from_to_error_lines_above_quote_sd845.eml',
        'Re: [SD-845] File share error',
        'daniel.young@corp.example', 'Daniel Young', 'en',
        text_is=(
            'Hi,\n\nhere is what I see when I copy the report:\n\nFrom: laptop NB-1042\nTo: \\\\fs01'
            '\\finance\\reports\nError: Access is denied.\n\nCould you check my rights on that fol'
            'der?',
        ),
        lacks=('which error do you get',),
        ticket_ref='SD-845',
    ),
    Expect(
        'en_bottom_post_no_attribution_own_on_monday_line_sd846.eml',
        'Re: [SD-846] Laptop swap',
        'greg.lewis@corp.example', 'Greg Lewis', 'en',
        text_is=(
            "On Monday I'm off. On Tuesday 10:00 works, room 2.05.",
            "On Monday I'm off. On Tuesday 10:00 works, room 2.05.\n\nGreg",
        ),
        lacks=('Can we come by',),
        ticket_ref='SD-846',
    ),
    # ------------------------------------------------- round 9 (issue 15): blind, written before reading parsers/
    Expect(
        'en_gmail_on_wrote_no_blank_line_before_sd901.eml',
        'Re: [SD-901] Shared mailbox access',
        'rachel.moore@corp.example', 'Rachel Moore', 'en',
        text_is=(
            'Hi,\n\nthe shared mailbox shows up in Outlook now, thanks.',
        ),
        lacks=('wrote:', 'up to an hour'),
        ticket_ref='SD-901',
    ),
    Expect(
        'en_blackberry_registered_sign_original_message_sd902.eml',
        'Re: [SD-902] RSA token replacement',
        'simon.clarke@corp.example', 'Simon Clarke', 'en',
        text_is=(
            'Confirmed, the token works. I will return the old one on Friday.',
        ),
        lacks=('BlackBerry', 'front desk'),
        ticket_ref='SD-902',
    ),
    Expect(
        'en_yahoo_classic_indented_header_block_sd903.eml',
        'Re: [SD-903] Calendar sync on phone',
        'karen.lee@corp.example', 'Karen Lee', 'en',
        text_is=(
            'Yes, the calendar syncs on my phone again. Thank you!',
            'Yes, the calendar syncs on my phone again. Thank you!\n\nKaren',
        ),
        lacks=('ActiveSync', 'Sent:'),
        ticket_ref='SD-903',
    ),
    Expect(
        'en_aol_indented_on_weekday_seconds_gmt_wrote_sd904.eml',
        'Re: [SD-904] Scan to folder',
        'brian.cole@corp.example', 'Brian Cole', 'en',
        text_is=(
            'The scanner is fine now, it sends to my folder again.',
            'The scanner is fine now, it sends to my folder again.\n\nThanks,\nBrian',
        ),
        lacks=('fixed the path', 'wrote:'),
        ticket_ref='SD-904',
    ),
    Expect(
        'en_groupwise_triple_angle_attribution_sd905.eml',
        'Re: [SD-905] Projector for Thursday',
        'nina.ford@corp.example', 'Nina Ford', 'en',
        text_is=(
            'Hi,\n\nroom 4.12 is fine for Thursday. Please bring two HDMI adapters.',
        ),
        lacks=('which room', '>>>', 'Regards'),
        ticket_ref='SD-905',
    ),
    Expect(
        'en_lotus_notes_wrote_on_date_seconds_sd906.eml',
        'Re: [SD-906] Pending Windows update',
        'paul.reed@corp.example', 'Paul Reed', 'en',
        text_is=(
            'Done - I restarted the laptop and the update went through.',
            'Done - I restarted the laptop and the update went through.\n\nPaul Reed',
            'Done - I restarted the laptop and the update went through.\n\nPaul Reed\nLogistics | Corp Ltd.',
        ),
        lacks=('pending Windows update', 'wrote on'),
        ticket_ref='SD-906',
    ),
    Expect(
        'en_zimbra_original_message_dash_name_signoff_sd907.eml',
        'Re: [SD-907] New VPN profile',
        'olivia.hart@corp.example', 'Olivia Hart', 'en',
        text_is=(
            "Thanks, the VPN profile imported fine and I'm connected.",
            "Thanks, the VPN profile imported fine and I'm connected.\n\n- Olivia",
        ),
        lacks=('import the attached', 'Original Message'),
        ticket_ref='SD-907',
    ),
    Expect(
        'en_mailman_list_footer_no_quote_sd908.eml',
        'Re: [SD-908] Team calendar room',
        'hannah.scott@corp.example', 'Hannah Scott', 'en',
        text_is=(
            'Hi desk,\n\nthe team calendar still shows the old meeting room for the stand-up. Can you\nmove'
            ' it to Orion for all of March?',
            'Hi desk,\n\nthe team calendar still shows the old meeting room for the stand-up. Can you\nmove'
            ' it to Orion for all of March?\n\nThanks,\nHannah',
        ),
        lacks=('mailing list', 'listinfo'),
        ticket_ref='SD-908',
    ),
    Expect(
        'en_url_on_own_line_thanks_name_sd909.eml',
        'Re: [SD-909] Certificate warning on payslips',
        'aaron.price@corp.example', 'Aaron Price', 'en',
        text_is=(
            'Hi,\n\nthe page that gives the certificate error is this one:\n\nhttps://intranet.corp.example'
            '/hr/payslips/2026/01?view=pdf&lang=en\n\nIt only happens in Edge, Chrome opens it fine.',
            'Hi,\n\nthe page that gives the certificate error is this one:\n\nhttps://intranet.corp.example'
            '/hr/payslips/2026/01?view=pdf&lang=en\n\nIt only happens in Edge, Chrome opens it fine.\n\nTha'
            'nks,\nAaron',
        ),
        lacks=('which URL',),
        ticket_ref='SD-909',
    ),
    Expect(
        'en_python_traceback_in_reply_double_dash_sig_sd910.eml',
        'Re: [SD-910] Report script fails',
        'victor.lang@corp.example', 'Victor Lang', 'en',
        text_is=(
            'Here is the full error from the report script:\n\nTraceback (most recent call last):\n  File "'
            'C:\\Tools\\report\\run.py", line 42, in <module>\n    main()\n  File "C:\\Tools\\report\\run.p'
            'y", line 17, in main\n    conn = pyodbc.connect(DSN)\npyodbc.InterfaceError: (\'28000\', "[280'
            "00] [Microsoft][ODBC Driver 18 for SQL Server]Login failed for user 'CORP\\\\svc_report'. (184"
            '56)")\n\nIt started after the password change on Monday.',
        ),
        lacks=('Data & Reporting', 'exact error message'),
        ticket_ref='SD-910',
    ),
    Expect(
        'en_text_above_and_below_quote_sd911.eml',
        'Re: [SD-911] Monitor flickers',
        'grace.hill@corp.example', 'Grace Hill', 'en',
        text_is=(
            'Hi,\n\nboth answers below.\n\nAsset tag MN-20931, it started after the docking station was rep'
            'laced last week.',
            'Hi,\n\nboth answers below.\n\nAsset tag MN-20931, it started after the docking station was rep'
            'laced last week.\n\nGrace',
            'Hi,\n\nboth answers below.\n\n> Hello Grace,\n>\n> could you tell us the asset tag of the moni'
            'tor and when it started flickering?\n>\n> IT Service Desk\n\nAsset tag MN-20931, it started af'
            'ter the docking station was replaced last week.',
            'Hi,\n\nboth answers below.\n\n> Hello Grace,\n>\n> could you tell us the asset tag of the moni'
            'tor and when it started flickering?\n>\n> IT Service Desk\n\nAsset tag MN-20931, it started af'
            'ter the docking station was replaced last week.\n\nGrace',
            'Hi,\n\nboth answers below.\n\nOn Tue, Feb 10, 2026 at 4:50 PM IT Service Desk <service@corp.ex'
            'ample> wrote:\n> Hello Grace,\n>\n> could you tell us the asset tag of the monitor and when it'
            ' started flickering?\n>\n> IT Service Desk\n\nAsset tag MN-20931, it started after the docking'
            ' station was replaced last week.',
            'Hi,\n\nboth answers below.\n\nOn Tue, Feb 10, 2026 at 4:50 PM IT Service Desk <service@corp.ex'
            'ample> wrote:\n> Hello Grace,\n>\n> could you tell us the asset tag of the monitor and when it'
            ' started flickering?\n>\n> IT Service Desk\n\nAsset tag MN-20931, it started after the docking'
            ' station was replaced last week.\n\nGrace',
        ),
        ticket_ref='SD-911',
    ),
    Expect(
        'en_ipad_unquoted_attribution_sent_from_my_ipad_sd912.eml',
        'Re: [SD-912] Old phone recycling',
        'dennis.ward@corp.example', 'Dennis Ward', 'en',
        text_is=(
            'Yes, please go ahead and wipe the old phone.',
        ),
        lacks=('Sent from my iPad', 'may we wipe'),
        ticket_ref='SD-912',
    ),
    Expect(
        'en_outlook_mac_from_date_at_no_rule_sd913.eml',
        'Re: [SD-913] Email signature logo',
        'sophie.turner@corp.example', 'Sophie Turner', 'en',
        text_is=(
            'That fixed it, the signature shows the new logo now.',
            'That fixed it, the signature shows the new logo now.\n\nThanks,\nSophie',
        ),
        lacks=('signature template', 'Date:'),
        ticket_ref='SD-913',
    ),
    Expect(
        'en_yahoo_iphone_footer_unquoted_original_sd914.eml',
        'Re: [SD-914] Printer offline',
        'ian.walsh@corp.example', 'Ian Walsh', 'en',
        text_is=(
            'Still the same problem, the printer says offline.',
        ),
        lacks=('Yahoo Mail', 'print server'),
        ticket_ref='SD-914',
    ),
    Expect(
        'en_evolution_iso_date_tz_wrote_regards_sd915.eml',
        'Re: [SD-915] Project share',
        'tom.fisher@corp.example', 'Tom Fisher', 'en',
        text_is=(
            'Hi,\n\nthe share mounts again after the reboot, thanks.',
        ),
        lacks=('Regards', 'please reboot once'),
        ticket_ref='SD-915',
    ),
    Expect(
        'en_windows_live_mail_quoted_name_original_message_sd916.eml',
        'Re: [SD-916] BIOS update',
        'frank.miller@corp.example', 'Frank Miller', 'en',
        text_is=(
            'OK, I will bring the laptop to room 1.08 at 11:00.',
        ),
        lacks=('tomorrow for the BIOS', 'Original Message'),
        ticket_ref='SD-916',
    ),
    Expect(
        'de_iphone_von_meinem_iphone_gesendet_am_um_schrieb_sd917.eml',
        'AW: [SD-917] Rechnertausch',
        'lukas.becker@corp.example', 'Lukas Becker', 'en',
        text_is=(
            'Passt, ich bin um 14 Uhr im Büro.',
        ),
        lacks=('iPhone', 'tauschen'),
        ticket_ref='SD-917',
    ),
    Expect(
        'fr_iphone_envoye_de_mon_iphone_le_a_ecrit_nbsp_sd918.eml',
        'Re: [SD-918] Imprimante bloquée',
        'camille.leroy@corp.example', 'Camille Leroy', 'en',
        text_is=(
            'Bonjour,\n\nC’est bon, l’imprimante fonctionne de nouveau. Merci beaucoup\xa0!',
        ),
        lacks=('Envoyé de mon iPhone', 'module de fusion'),
        ticket_ref='SD-918',
    ),
    Expect(
        'es_gmail_el_escribio_parenthesised_address_sd919.eml',
        'Re: [SD-919] VPN desde casa',
        'carlos.ruiz@corp.example', 'Carlos Ruiz', 'en',
        text_is=(
            'Hola,\n\nya puedo entrar en la VPN desde casa. Gracias por la ayuda.',
        ),
        lacks=('Saludos', 'renovado', 'escribió'),
        ticket_ref='SD-919',
    ),
    Expect(
        'it_gmail_il_giorno_alle_ore_ha_scritto_wrapped_sd920.eml',
        'Re: [SD-920] Monitor nuovo',
        'giulia.conti@corp.example', 'Giulia Conti', 'en',
        text_is=(
            'Buongiorno,\n\nil monitor nuovo è arrivato ma manca il cavo DisplayPort. Potete mandarlo?',
        ),
        lacks=('Saluti', 'consegnato', 'ha scritto'),
        ticket_ref='SD-920',
    ),
    Expect(
        'nl_iphone_verstuurd_vanaf_het_volgende_geschreven_sd921.eml',
        'Re: [SD-921] Wachtwoord',
        'sanne.devries@corp.example', 'Sanne de Vries', 'en',
        text_is=(
            'Dank je, het werkt weer.',
        ),
        lacks=('Verstuurd', 'gereset'),
        ticket_ref='SD-921',
    ),
    Expect(
        'pl_thunderbird_w_dniu_pisze_iso8859_2_sd922.eml',
        'Re: [SD-922] Drukarka kolorowa',
        'marek.nowak@corp.example', 'Marek Nowak', 'en',
        text_is=(
            'Dzień dobry,\n\ndrukarka nadal nie drukuje w kolorze, tylko czarno-białe strony.',
        ),
        lacks=('Pozdrawiam', 'poprawnie', 'pisze'),
        ticket_ref='SD-922',
    ),
    Expect(
        'pt_gmail_em_ter_de_fev_de_escreveu_wrapped_sd923.eml',
        'Re: [SD-923] Pasta Financeiro',
        'joao.silva@corp.example', 'João Silva', 'en',
        text_is=(
            'Olá,\n\no acesso à pasta Financeiro continua negado. Podem verificar de novo?',
            'Olá,\n\no acesso à pasta Financeiro continua negado. Podem verificar de novo?\n\nObrigado,\nJoão',
        ),
        lacks=('concedemos', 'escreveu'),
        ticket_ref='SD-923',
    ),
    Expect(
        'sv_iphone_skickat_fran_min_iphone_kl_skrev_sd924.eml',
        'SV: [SD-924] Ny dator',
        'erik.lindqvist@corp.example', 'Erik Lindqvist', 'en',
        text_is=(
            'Toppen, tack!',
        ),
        lacks=('Skickat', 'receptionen'),
        ticket_ref='SD-924',
    ),
    Expect(
        'da_gmail_den_tir_kl_skrev_hilsen_sd925.eml',
        'Re: [SD-925] Delt drev',
        'mette.jensen@corp.example', 'Mette Jensen', 'en',
        text_is=(
            'Hej,\n\njeg kan stadig ikke se det delte drev P: efter genstart.',
        ),
        lacks=('Hilsen', 'genstarte computeren'),
        ticket_ref='SD-925',
    ),
    Expect(
        'fi_outlook_lahettaja_lahetetty_ystavallisin_terveisin_sd926.eml',
        'VS: [SD-926] Teams puhelimessa',
        'matti.virtanen@corp.example', 'Matti Virtanen', 'en',
        text_is=(
            'Hei,\n\nkiitos, Teams toimii nyt myös puhelimessa.',
        ),
        lacks=('terveisin', 'asensimme', 'Lähettäjä'),
        ticket_ref='SD-926',
    ),
    Expect(
        'cs_thunderbird_dne_v_napsal_a_short_year_sd927.eml',
        'Re: [SD-927] Baterie notebooku',
        'petr.dvorak@corp.example', 'Petr Dvořák', 'en',
        text_is=(
            'Dobrý den,\n\nnotebook je v pořádku, děkuji za rychlou opravu.',
        ),
        lacks=('S pozdravem', 'vyměnili'),
        ticket_ref='SD-927',
    ),
    Expect(
        'nb_iphone_sendt_fra_min_iphone_den_kl_skrev_sd928.eml',
        'Re: [SD-928] Ny skjerm',
        'ingrid.hansen@corp.example', 'Ingrid Hansen', 'en',
        text_is=(
            'Ja, det passer fint på fredag.',
        ),
        lacks=('Sendt fra', 'bytte skjermen'),
        ticket_ref='SD-928',
    ),
    Expect(
        'ru_outlook_mac_ot_data_v_no_rule_sd929.eml',
        'Re: [SD-929] Почта на телефоне',
        'a.morozov@corp.example', 'Алексей Морозов', 'ru',
        text_is=(
            'Добрый день!\n\nСпасибо, почта на телефоне заработала.',
        ),
        lacks=('С уважением', 'перенастроили', 'Дата:'),
        ticket_ref='SD-929',
    ),
    Expect(
        'ru_yandex_web_html_only_dash_signature_blockquote_sd930.eml',
        'Re: [SD-930] Ноутбук готов',
        'd.kovalev@corp.example', 'Денис Ковалёв', 'ru',
        text_is=(
            'Здравствуйте!\n\nНоутбук забрал, всё работает. Спасибо!',
        ),
        lacks=('отдел логистики', 'кабинете 105'),
        ticket_ref='SD-930',
    ),
    Expect(
        'ru_mailru_android_address_without_brackets_sd931.eml',
        'Re: [SD-931] Пароль 1С',
        's.popova@corp.example', 'Светлана Попова', 'ru',
        text_is=(
            'Пароль поменяла, в 1С захожу. Спасибо!',
        ),
        lacks=('Отправлено из', 'временный пароль'),
        ticket_ref='SD-931',
    ),
    Expect(
        'ru_gmail_numbered_answers_url_spasibo_name_sd932.eml',
        'Re: [SD-932] Ошибка печати из браузера',
        'o.kuznetsova@corp.example', 'Ольга Кузнецова', 'ru',
        text_is=(
            'Добрый день,\n\nпо заявке ответы:\n1. Модель принтера HP LaserJet M428.\n2. Ошибка появляется '
            'при печати из браузера.\n3. Скриншот здесь:\nhttps://disk.corp.example/s/Qw7xP2',
            'Добрый день,\n\nпо заявке ответы:\n1. Модель принтера HP LaserJet M428.\n2. Ошибка появляется '
            'при печати из браузера.\n3. Скриншот здесь:\nhttps://disk.corp.example/s/Qw7xP2\n\nСпасибо!\nО'
            'льга',
        ),
        lacks=('Уточните', 'в 09:05'),
        ticket_ref='SD-932',
    ),
    Expect(
        'ru_thebat_greeting_vy_pisali_answer_below_cp1251_sd933.eml',
        'Re: [SD-933] Сетевая розетка',
        'i.vasiliev@corp.example', 'Игорь Васильев', 'ru',
        text_is=(
            'Здравствуйте, IT.\n\nКабинет 214, розетка у окна, вторая слева.',
            'Здравствуйте, IT.\n\nISD> Добрый день!\nISD> Какой номер кабинета, где не работает сетевая роз'
            'етка?\n\nКабинет 214, розетка у окна, вторая слева.',
        ),
        lacks=('mailto:', 'Вы писали'),
        ticket_ref='SD-933',
    ),
    Expect(
        'ru_outlook_ios_poluchit_outlook_english_date_sd934.eml',
        'RE: [SD-934] Удалённое подключение',
        'r.akhmetov@corp.example', 'Руслан Ахметов', 'ru',
        text_is=(
            'Да, можно подключаться в 15:00.',
        ),
        lacks=('Outlook для iOS', 'Можно ли', 'Отправлено:'),
        ticket_ref='SD-934',
    ),
    Expect(
        'ru_myoffice_ishodnoe_soobshchenie_data_sd935.eml',
        'Re: [SD-935] Доступ к папке',
        'n.belova@corp.example', 'Наталья Белова', 'ru',
        text_is=(
            'Добрый день!\n\nДоступ к папке «Договоры» появился. Спасибо за помощь.',
        ),
        lacks=('юрист', 'предоставлен'),
        ticket_ref='SD-935',
    ),
    Expect(
        'ru_zimbra_ishodnoe_otpravlennye_koi8r_sd936.eml',
        'Re: [SD-936] Принтер в бухгалтерии',
        'v.zuev@corp.example', 'Виктор Зуев', 'ru',
        text_is=(
            'Принтер печатает, спасибо.',
            'Принтер печатает, спасибо.\n\nВиктор',
        ),
        lacks=('картридж', 'Отправленные'),
        ticket_ref='SD-936',
    ),
    Expect(
        'ru_lotus_notes_napisano_name_first_sd937.eml',
        'Re: [SD-937] Сервер 1С',
        'k.smirnov@corp.example', 'Константин Смирнов', 'ru',
        text_is=(
            'Добрый день.\nСервер 1С доступен, проблема решена.',
            'Добрый день.\nСервер 1С доступен, проблема решена.\n\nСмирнов Константин',
            'Добрый день.\nСервер 1С доступен, проблема решена.\n\nСмирнов Константин\nФинансовый отдел',
        ),
        lacks=('Перезапустили', 'написано'),
        ticket_ref='SD-937',
    ),
    Expect(
        'be_gmail_pisha_belarusian_sd938.eml',
        'Re: [SD-938] Доступ да партала',
        'a.shyla@corp.example', 'Андрэй Шыла', 'ru',
        text_is=(
            'Добры дзень,\n\nдзякуй, доступ да партала ёсць.',
        ),
        lacks=('аднавілі', 'піша'),
        ticket_ref='SD-938',
    ),
    Expect(
        'ru_owa_html_only_cp1251_hr_divrplyfwdmsg_sd939.eml',
        'RE: [SD-939] Второй монитор',
        'e.frolova@corp.example', 'Елена Фролова', 'ru',
        text_is=(
            'Коллеги, добрый день.\n\nМонитор так и не привезли, жду с понедельника.',
        ),
        lacks=('С уважением', 'до обеда'),
        ticket_ref='SD-939',
    ),
    Expect(
        'en_one_character_reply_y_sd940.eml',
        'Re: [SD-940] Close ticket?',
        'adam.price@corp.example', 'Adam Price', 'en',
        text_is=(
            'Y',
        ),
        lacks=('close this ticket',),
        ticket_ref='SD-940',
    ),
    Expect(
        'en_table_layout_reply_outlook_no_rule_sd941.eml',
        'RE: [SD-941] New starters March',
        'tom.baker@corp.example', 'Tom Baker', 'en',
        text_is=(
            'Hi,\n\nhere are the three new starters for March:\n\nName | Department | Laptop | Start\n-----'
            '-----------+------------+----------+-----------\nAnna Berg | Sales | 14" Win | 02.03.2026\nLuc'
            'as Moreau | Finance | 14" Win | 09.03.2026\nPriya Nair | Marketing | MacBook | 16.03.2026',
            'Hi,\n\nhere are the three new starters for March:\n\nName | Department | Laptop | Start\n-----'
            '-----------+------------+----------+-----------\nAnna Berg | Sales | 14" Win | 02.03.2026\nLuc'
            'as Moreau | Finance | 14" Win | 09.03.2026\nPriya Nair | Marketing | MacBook | 16.03.2026\n\nT'
            'hanks,\nTom Baker',
        ),
        lacks=('please send us', 'Sent:'),
        ticket_ref='SD-941',
    ),
    Expect(
        'en_fyi_only_apple_begin_forwarded_message_sd942.eml',
        'Re: [SD-942] Laptop motherboard',
        'chris.hall@corp.example', 'Chris Hall', 'en',
        text_is=(
            'FYI',
        ),
        lacks=('Begin forwarded message', 'tracking number'),
        ticket_ref='SD-942',
    ),
    Expect(
        'en_inline_answers_two_places_numbered_questions_sd943.eml',
        'Re: [SD-943] New phone',
        'linda.gray@corp.example', 'Linda Gray', 'en',
        text_is=(
            'Yes, keep +44 20 7946 0412.\n\n> 2. Should we move your contacts from the old phone?\n> 3. Do '
            'you want the company apps installed?\n\nContacts yes, apps too. I mostly need Teams and Outloo'
            'k.',
        ),
        lacks=('Let us know', 'a few questions'),
        ticket_ref='SD-943',
    ),
    Expect(
        'ru_inline_answers_two_places_yandex_dash_items_sd944.eml',
        'Re: [SD-944] МФУ на третьем этаже',
        'i.sokolova@corp.example', 'Ирина Соколова', 'ru',
        text_is=(
            'Третий этаж, у лифта.\n\n> - какая ошибка на экране?\n\n«Замятие бумаги, лоток 2», хотя бумаги там нет.',
        ),
        lacks=('Уточните', '> Спасибо!'),
        ticket_ref='SD-944',
    ),
    Expect(
        'en_reply_only_a_link_sd945.eml',
        'Re: [SD-945] Error screenshot',
        'sam.reid@corp.example', 'Sam Reid', 'en',
        text_is=(
            'https://corp.example/share/screens/err-0211.png',
        ),
        lacks=('screenshot of the error',),
        ticket_ref='SD-945',
    ),
)

BY_FILE = {c.file: c for c in CASES}
EMPTY_ON_PURPOSE = {"vpn-export.ovpn"}  # an empty attachment is still an attachment
IDS = [c.file.removesuffix(".eml") for c in CASES]


def where(pred) -> list:
    """The rows a check applies to, each named after its file."""
    return [pytest.param(c, id=c.file.removesuffix(".eml")) for c in CASES if pred(c)]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


@cache
def _parse(file: str) -> InboundMail | BaseException:
    try:
        return parse_mail((MAIL_DIR / file).read_bytes(), OPTIONS)
    except BaseException as e:  # reported by the tests below
        return e


def parsed(case: Expect) -> InboundMail:
    result = _parse(case.file)
    if isinstance(result, BaseException):
        pytest.fail(f"parse_mail raised {type(result).__name__}: {result}")
    return result


# ----------------------------------------------------------------------------------- the table itself


def test_every_mail_file_has_a_row_and_every_row_a_file() -> None:
    # mime_r3_*, mime_r4_*, mime_r4b_*: the blind MIME/charset/address sets keep their own tables
    # (tests/parsers/test_mime_r3.py, test_mime_r4.py);
    # auto_r3_* .. auto_r9_*: the blind automatic-mail sets too (tests/parsers/test_autoshape_blind*.py)
    # people_r1_*: people's mails with a machine's look and their controls (tests/parsers/test_people_blind_r1.py)
    blind = ("mime_r3_", "mime_r4", "auto_r3_", "auto_r4_", "auto_r5_", "auto_r6_", "auto_r7_", "auto_r8_",
             "auto_r9_", "people_r1_", "people_r2_", "people_r3_")
    on_disk = {p.name for p in MAIL_DIR.glob("*.eml") if not p.name.startswith(blind)}
    assert on_disk == set(BY_FILE), (sorted(on_disk - set(BY_FILE)), sorted(set(BY_FILE) - on_disk))
    assert len(CASES) == len(BY_FILE)


def test_readme_describes_every_mail() -> None:
    readme = (MAIL_DIR / "README.md").read_text(encoding="utf-8")
    missing = [c.file for c in CASES if f"`{c.file}`" not in readme]
    assert not missing


# ----------------------------------------------------------------------------------------- per mail


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_parse_never_raises(case: Expect) -> None:
    parsed(case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_subject(case: Expect) -> None:
    assert parsed(case).subject == case.subject


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_from(case: Expect) -> None:
    m = parsed(case)
    assert m.from_ is not None
    assert (m.from_.email, m.from_.name) == (case.from_email, case.from_name)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_language(case: Expect) -> None:
    assert parsed(case).language == case.language


@pytest.mark.parametrize("case", where(lambda c: c.has))
def test_text_has_the_new_content(case: Expect) -> None:
    text = norm(parsed(case).text)
    missing = [s for s in case.has if norm(s) not in text]
    assert not missing, f"text was: {text!r}"


@pytest.mark.parametrize("case", where(lambda c: c.lacks))
def test_text_lacks_history_signature_and_junk(case: Expect) -> None:
    text = norm(parsed(case).text)
    present = [s for s in case.lacks if norm(s) in text]
    assert not present, f"text was: {text!r}"


def _exact_cases() -> list:
    """The rows with a whole expected text; a known miss is a strict xfail, so a fix shows as XPASS and fails."""
    return [pytest.param(c, id=c.file.removesuffix(".eml"),
                         marks=[pytest.mark.xfail(strict=True, reason=c.text_xfail)] if c.text_xfail else [])
            for c in CASES if c.text_is]


@pytest.mark.parametrize("case", _exact_cases())
def test_text_is_exactly_the_new_words(case: Expect) -> None:
    text = norm(parsed(case).text)
    assert text in {norm(t) for t in case.text_is}, f"text was: {text!r}"


@pytest.mark.parametrize("case", where(lambda c: c.empty_text))
def test_empty_mail_gives_empty_text(case: Expect) -> None:
    assert parsed(case).text.strip() == ""


@pytest.mark.parametrize("case", where(lambda c: c.attachments is not ANY))
def test_attachment_names(case: Expect) -> None:
    m = parsed(case)
    assert sorted(a.filename for a in m.attachments) == sorted(case.attachments)
    for a in m.attachments:
        assert a.size == len(a.data)
        assert a.size > 0 or a.filename in EMPTY_ON_PURPOSE


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_attachment_has_a_name(case: Expect) -> None:
    """Whatever is listed as an attachment gets a file name a person can save it under."""
    nameless = [a.content_type for a in parsed(case).attachments if not (a.filename or "").strip()]
    assert not nameless


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_auto_kind(case: Expect) -> None:
    m = parsed(case)
    assert (m.auto.kind if m.auto else None) == case.auto, m.auto


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bounced_recipients(case: Expect) -> None:
    assert tuple(parsed(case).bounced_recipients) == case.bounced


@pytest.mark.parametrize("case", where(lambda c: c.ticket_ref is not ANY))
def test_ticket_ref(case: Expect) -> None:
    assert parsed(case).ticket_ref == case.ticket_ref


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_commands(case: Expect) -> None:
    assert tuple((c.name, c.args) for c in parsed(case).commands) == case.commands


@pytest.mark.parametrize("case", where(lambda c: c.broken))
def test_broken_mail_reports_defects(case: Expect) -> None:
    assert parsed(case).defects


def test_attachment_bytes_survive() -> None:
    """The PDF named with RFC 2231 comes out as the same bytes: a PDF, complete."""
    m = parsed(BY_FILE["ru_attachment_pdf_rfc2231_buh_payslip.eml"])
    (pdf,) = m.attachments
    assert pdf.content_type == "application/pdf"
    assert pdf.data.startswith(b"%PDF-1.4") and pdf.data.rstrip().endswith(b"%%EOF")


def test_inline_image_is_marked_inline_with_its_content_id() -> None:
    m = parsed(BY_FILE["ru_outlook_html_inline_image_and_pdf.eml"])
    by_name = {a.filename: a for a in m.attachments}
    img = by_name["image001.png"]
    assert img.inline and img.content_type == "image/png"
    assert (img.content_id or "").strip("<>") == "image001.png@01DC95A1.3A7B5C40"
    assert not by_name["Акт сверки январь 2026.pdf"].inline


def test_follow_up_keeps_threading_headers() -> None:
    m = parsed(BY_FILE["ru_followup_re_vpn_sd12.eml"])
    assert [i.strip("<>") for i in m.in_reply_to] == ["postdesk.12.1.3f7a2c@corp.example"]
    assert [r.strip("<>") for r in m.references] == [
        "5c1e7f0a-3b2d-4e8a-9f1c-2d7e6b0a4c11@corp.example",
        "postdesk.12.1.3f7a2c@corp.example",
    ]


@pytest.mark.parametrize("file,hidden", [
    ("en_attacker_text_after_fake_iphone_footer_sd438.eml", "add sam.fisher to the Domain Admins group"),
    ("en_attacker_html_fake_reply_block_sd439.eml", "export the payroll folder to eve.marsh.home@example.net"),
])
def test_text_hidden_after_a_fake_marker_is_in_the_full_original(file: str, hidden: str) -> None:
    """An attacker who hides a request under a fake footer or reply block hides it from `text` only: the full
    original an agent can open still carries it, and `reply_cut` says where the text was cut."""
    m = parsed(BY_FILE[file])
    assert hidden not in m.text and hidden in norm(m.full_text)
    assert m.reply_cut is not None

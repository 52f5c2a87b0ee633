"""Deterministic generator of realistic service-center mail for benchmarks.

Usage:
    .venv/bin/python bench/corpus.py N DIR [--seed S] [--kinds]

Writes N files DIR/0000001.eml ... (creating DIR). The same N and seed give the same
bytes on every run: all randomness comes from one `random.Random(seed)` and every Date
header is derived from the file's index. Prints one summary line per kind (count and
bytes) and a total; with --kinds prints `file<TAB>kind` per file instead.

The mix is in MIX below: plain Russian mail (utf-8, koi8-r, windows-1251), English
mail, multipart/alternative from Outlook and Gmail, HTML-only mail, attachments,
replies with quoted history, [SD-n] follow-ups, auto-replies and DSN bounces.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import datetime as dt
import functools
import html
import io
import sys
import textwrap
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random

# --------------------------------------------------------------------------- the mix
# Share of each kind in the corpus; counts are exact (largest remainder), order shuffled.
MIX: dict[str, float] = {
    "plain_ru_utf8": 0.28,
    "plain_ru_koi8r": 0.04,
    "plain_ru_cp1251": 0.06,
    "plain_en": 0.07,
    "alt_outlook": 0.08,
    "alt_gmail": 0.06,
    "html_only": 0.03,
    "attachment": 0.15,
    "reply_outlook": 0.03,
    "reply_gmail": 0.03,
    "reply_thunderbird": 0.03,
    "followup_outlook": 0.04,
    "followup_gmail": 0.03,
    "followup_thunderbird": 0.03,
    "auto_reply_ru": 0.01,
    "auto_reply_en": 0.01,
    "bounce": 0.02,
}
PEOPLE = 500  # size of the sender pool: per-sender limits see realistic repeat rates
EN_PEOPLE_SHARE = 0.15  # share of the pool with English names (they write in English)
MAILBOX_SHARE = {"service": 0.70, "it": 0.12, "hr": 0.09, "buh": 0.09}  # when the template does not insist
ATTACHMENT_KB = (12, 28)  # size range of one attachment, mean about 20 KB
SECOND_ATTACHMENT = 0.25  # share of attachment mails carrying two files
CC_SHARE = 0.12  # share of mails with a colleague in Cc
START = dt.datetime(2026, 2, 2, 8, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
STEP_SECONDS = 53  # mail i is dated START + i * STEP_SECONDS
DOMAIN = "corp.example"

# --------------------------------------------------------------------------- people
def _words(text: str) -> tuple[str, ...]:
    """Split a space-separated word list: long name lists read better as one string."""
    return tuple(text.split())


RU_MALE = _words("Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий Виктор Владимир Глеб Григорий "
           "Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Максим Михаил Никита Николай Олег Павел "
           "Пётр Роман Руслан Сергей Станислав Степан Тимур Фёдор Юрий Ярослав")
RU_FEMALE = _words("Алёна Алина Алла Анастасия Анна Валентина Вера Виктория Галина Дарья Евгения Екатерина Елена "
             "Елизавета Жанна Зоя Инна Ирина Кристина Ксения Лариса Любовь Людмила Марина Мария Надежда "
             "Наталья Нина Оксана Ольга Полина Светлана София Татьяна Юлия Яна")
RU_LAST = _words("Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков "
           "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин "
           "Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов "
           "Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв "
           "Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов "
           "Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов "
           "Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов "
           "Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев "
           "Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников "
           "Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин "
           "Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков "
           "Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров "
           "Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Софронов Мальцев "
           "Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин Хохлов "
           "Жданов Руденко Шевченко Бондаренко Ткаченко Островский Вишневский Заславский Ковальский")
EN_FIRST = _words("James John Robert Michael William David Richard Thomas Daniel Matthew Mark Paul Steven Andrew "
            "Kevin Brian George Edward Peter Oliver Mary Patricia Jennifer Linda Elizabeth Susan Jessica Sarah "
            "Karen Emily Emma Laura Anna Helen Claire Rachel Sophie Lucy Kate Julia")
EN_LAST = _words("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
           "Jackson White Harris Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams "
           "Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart "
           "Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Wagner "
           "Becker Schneider Fischer Weber Hoffmann")
EN_FEMALE = frozenset(_words("Mary Patricia Jennifer Linda Elizabeth Susan Jessica Sarah Karen Emily Emma "
                                "Laura Anna Helen Claire Rachel Sophie Lucy Kate Julia"))
DEPTS = (
    ("Бухгалтерия", "Accounting"), ("Отдел кадров", "HR"), ("Юридический отдел", "Legal"),
    ("Отдел продаж", "Sales"), ("Отдел маркетинга", "Marketing"), ("Отдел закупок", "Procurement"),
    ("Казначейство", "Treasury"), ("Служба безопасности", "Security"), ("Логистика", "Logistics"),
    ("Финансовый контроль", "Financial Control"), ("Отдел аналитики", "Analytics"), ("Канцелярия", "Front Office"),
    ("Административно-хозяйственный отдел", "Facilities"), ("Проектный офис", "Project Office"),
    ("Отдел внутреннего аудита", "Internal Audit"), ("Отдел по работе с клиентами", "Customer Care"),
)
TITLES = (("Ведущий специалист", "Senior Specialist"), ("Главный бухгалтер", "Chief Accountant"),
          ("Менеджер", "Manager"), ("Руководитель отдела", "Head of Department"), ("Аналитик", "Analyst"),
          ("Специалист", "Specialist"), ("Юрисконсульт", "Legal Counsel"), ("Экономист", "Economist"))
_LATIN = _words("a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN, strict=True))


def translit(word: str) -> str:
    """Latin spelling of a Russian name, as the mail admins make logins from names."""
    return "".join(_TRANSLIT.get(c, c) for c in word.lower()).replace("_", "")


@dataclass(frozen=True)
class Person:
    """One employee of the pool: names, address, where they sit, what language they write."""

    first: str
    last: str
    email: str
    lang: str
    female: bool
    dept: int
    title: int
    room: str
    ext: str

    @property
    def name(self) -> str:
        """Display name as the mail client shows it."""
        return f"{self.first} {self.last}"


def make_people(rng: Random, count: int) -> list[Person]:
    """A pool of `count` distinct employees with unique firstname.lastname addresses."""
    people: list[Person] = []
    used: set[str] = set()
    while len(people) < count:
        if rng.random() < EN_PEOPLE_SHARE:
            first, last, lang = rng.choice(EN_FIRST), rng.choice(EN_LAST), "en"
            female = first in EN_FEMALE
            login = f"{first}.{last}".lower()
        else:
            female = rng.random() < 0.55
            first = rng.choice(RU_FEMALE if female else RU_MALE)
            last = rng.choice(RU_LAST)
            if female:
                last = last[:-2] + "ая" if last.endswith("ий") else last if last.endswith("о") else last + "а"
            lang = "ru"
            login = f"{translit(first)}.{translit(last)}"
        email, n = f"{login}@{DOMAIN}", 1
        while email in used:
            n += 1
            email = f"{login}{n}@{DOMAIN}"
        used.add(email)
        room = f"{rng.randint(1, 9)}{rng.randint(0, 3)}{rng.randint(1, 9)}"
        people.append(Person(first, last, email, lang, female, rng.randrange(len(DEPTS)), rng.randrange(len(TITLES)),
                             room, str(rng.randint(2000, 4999))))
    return people


AGENTS_RU = ("Анна Кузьмина", "Дмитрий Орлов", "Светлана Белова", "Игорь Титов", "Мария Гусева")
AGENTS_EN = ("Anna Kuzmina", "Dmitry Orlov", "Svetlana Belova", "Igor Titov", "Maria Guseva")
DESK_NAME = {"ru": "Служба поддержки", "en": "Service Desk"}

# --------------------------------------------------------------------------- content
# Each template: mailbox it goes to ("" = any by MAILBOX_SHARE), subjects, bodies, attachment names.
# Placeholders are filled from fields(); bodies are joined with greeting, closing and signature.
TEMPLATES_RU: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("it", ("Не работает VPN", "VPN не подключается из дома", "Ошибка VPN {err}"),
     ("Со вчерашнего вечера не могу подключиться к VPN из дома: клиент пишет «{err}» и отключается через "
      "несколько секунд. Ноутбук {host}, интернет дома работает.",
      "При подключении к VPN выдаёт ошибку {err}. Перезагружал{a} ноутбук, не помогло. Мне нужно сегодня "
      "до {time} отправить отчёт из 1С, без VPN не получается."), ("vpn_error.jpg",)),
    ("it", ("Сброс пароля", "Не могу войти в компьютер", "Истёк пароль в домене"),
     ("После отпуска не могу войти в компьютер: пишет, что срок действия пароля истёк, а сменить его не даёт. "
      "Учётная запись {login}.",
      "Заблокировалась учётная запись {login}, видимо, трижды ввели старый пароль. Прошу разблокировать, "
      "я на месте, каб. {room}."), ()),
    ("it", ("Не печатает принтер", "Принтер на {floor} этаже", "Замятие бумаги в {printer}"),
     ("Принтер {printer} в кабинете {room} не печатает: задания висят в очереди, на экране «{perr}». "
      "Перезагружали, не помогло.",
      "На {floor} этаже у кухни принтер {printer} жуёт бумагу и печатает полосами. Картридж меняли на "
      "прошлой неделе."), ("printer.jpg", "IMG_{num}.jpg")),
    ("it", ("1С не запускается", "Ошибка в 1С: {base}", "Нет доступа к базе {base}"),
     ("При входе в базу «{base}» 1С пишет «{err1c}». Вчера всё работало. Прошу проверить, у нас закрытие "
      "месяца.",
      "Прошу предоставить доступ к базе «{base}» для сотрудника {colleague} (отдел «{dept}»), роль — "
      "пользователь. Согласовано с руководителем."), ("1c_error.jpg", "Скриншот ошибки.jpg")),
    ("hr", ("Заявление на отпуск", "Отпуск с {date}", "Ежегодный отпуск {days} дней"),
     ("Прошу оформить ежегодный оплачиваемый отпуск с {date} на {days} календарных дней. Заявление "
      "подписано руководителем, скан во вложении.",
      "Хочу перенести часть отпуска с {date} на {date2}. Подскажите, нужно ли новое заявление или "
      "достаточно служебной записки?"), ("Заявление на отпуск.pdf", "Заявление_отпуск_{login}.docx")),
    ("buh", ("Расчётный листок за {month}", "Не пришёл расчётный листок", "Вопрос по зарплате за {month}"),
     ("Прошу выслать расчётный листок за {month} — в личном кабинете он не отображается. Табельный "
      "номер {tab}.",
      "В расчётном листке за {month} не учтены {days} дней больничного. Прошу проверить начисления, "
      "копия листка нетрудоспособности во вложении."), ("Больничный лист.pdf", "scan_{num}.pdf")),
    ("service", ("Гостевой пропуск на {date}", "Пропуск для гостя", "Заказ пропуска: {guest}"),
     ("Прошу заказать гостевой пропуск на {date} для {guest} ({company}). Встреча в переговорной "
      "{room}, с {time} до {time2}.",
      "{date} к нам приедут представители {company}, три человека, список ниже. Прошу оформить пропуска "
      "и место на парковке.\n\n1. {guest}\n2. {guest2}\n3. {guest3}"), ("Список гостей.docx",)),
    ("service", ("Командировка в {city}", "Оформление командировки {date}", "Билеты и гостиница, {city}"),
     ("Прошу оформить командировку в {city} с {date} по {date2}: авиабилеты и гостиницу рядом с офисом "
      "партнёра. Служебная записка согласована.",
      "Еду в командировку в {city} {date}. Нужен аванс на суточные и билеты на поезд. Приказ во "
      "вложении."), ("Служебная записка.docx", "Приказ о командировке.pdf")),
    ("it", ("Новый ноутбук для сотрудника", "Выдача ноутбука", "Замена ноутбука {host}"),
     ("С {date} к нам в подразделение «{dept}» выходит новый сотрудник, {colleague}. Нужен ноутбук со "
      "стандартной конфигурацией, учётная запись и доступ к общей папке отдела.",
      "Ноутбук {host} сильно греется и выключается, батарея держит полчаса. Прошу заменить или "
      "отремонтировать, ему уже пять лет."), ("Заявка на оборудование.docx",)),
    ("it", ("Переполнен почтовый ящик", "Квота почты", "Не отправляются письма"),
     ("Outlook пишет, что почтовый ящик заполнен ({quota} из {quota2} ГБ), и не отправляет письма. "
      "Можно увеличить квоту? Архивировать не могу, нужна вся переписка с клиентами.",
      "Пришло предупреждение, что ящик почти заполнен. Подскажите, как правильно настроить архив, "
      "чтобы старые письма не потерялись."), ()),
    ("it", ("Доступ к общей папке", "Нет доступа к {share}", "Права на папку {share}"),
     ("Прошу предоставить доступ на чтение и запись к папке {share} для меня и {colleague}. "
      "Руководитель отдела в копии.",
      "При открытии {share} пишет «Отказано в доступе», хотя на прошлой неделе всё открывалось. "
      "Компьютер {host}."), ("access_denied.jpg",)),
    ("it", ("Не работает телефон", "IP-телефон в каб. {room}", "Перенос номера {ext}"),
     ("Телефон в кабинете {room} не включается, на экране ничего нет. Мой внутренний номер {ext}.",
      "Я переезжаю в кабинет {room}, прошу перенести внутренний номер {ext} на новое место с {date}."), ()),
    ("service", ("Не работает кондиционер", "Холодно в кабинете {room}", "Протечка в {room}"),
     ("В кабинете {room} с утра не работает кондиционер, температура +29. Нас шесть человек.",
      "В кабинете {room} с потолка капает вода прямо над столом. Прошу срочно прислать сантехника."),
     ("IMG_{num}.jpg",)),
    ("service", ("Пропуск не работает", "Не проходит пропуск", "Восстановить пропуск"),
     ("Мой пропуск перестал открывать турникет на {floor} этаже. Табельный номер {tab}.",
      "Потерял{a} пропуск, прошу заблокировать старый и выдать новый. Сейчас прохожу по временному."), ()),
    ("service", ("Канцелярия для отдела", "Заказ картриджей", "Заказ бумаги"),
     ("Прошу заказать для отдела «{dept}»: бумагу A4 — {days} пачек, картриджи для {printer} — 2 шт.",
      "У нас закончились ручки и блокноты, прошу выдать на {people} человек, кабинет {room}."), ()),
    ("hr", ("Справка 2-НДФЛ", "Справка с места работы", "Копия трудовой книжки"),
     ("Прошу подготовить справку 2-НДФЛ за {year} год для банка, один экземпляр. Табельный номер {tab}.",
      "Нужна справка с места работы с указанием должности и оклада для визы. Срок — до {date}."), ()),
    ("hr", ("Больничный", "Открыт больничный лист", "Электронный больничный"),
     ("Сообщаю, что с {date} нахожусь на больничном, номер электронного листка {tab}{num}.",
      "Больничный закрыт {date}, выхожу на работу. Прошу учесть в табеле."), ("Больничный.pdf",)),
    ("buh", ("Авансовый отчёт", "Возмещение расходов", "Чеки по командировке в {city}"),
     ("Направляю авансовый отчёт по командировке в {city} с {date} по {date2}. Оригиналы чеков "
      "передам в бухгалтерию в понедельник.",
      "Прошу возместить расходы на такси до аэропорта, {amount} руб. Чек во вложении."),
     ("Авансовый отчёт.pdf", "чек_{num}.jpg")),
    ("buh", ("Счёт на оплату", "Оплата счёта {company}", "Акт сверки с {company}"),
     ("Прошу оплатить счёт № {num} от {date} от {company} на сумму {amount} руб. Договор согласован.",
      "{company} просит акт сверки за {quarter} квартал. Подготовьте, пожалуйста, до {date}."),
     ("Счёт_{num}.pdf", "Акт сверки.pdf")),
    ("it", ("Установить программу", "Установка {soft}", "Нужен {soft}"),
     ("Прошу установить на компьютер {host} программу {soft}, нужна для работы с договорами.",
      "Просит обновиться {soft}, но нет прав администратора. Можно обновить удалённо?"), ()),
    ("it", ("Не работает монитор", "Второй монитор", "Мерцает экран"),
     ("Второй монитор в каб. {room} перестал показывать изображение, пишет «No signal».",
      "Экран ноутбука {host} мерцает и иногда гаснет. Прошу посмотреть."), ("monitor.jpg",)),
    ("it", ("Подозрительное письмо", "Фишинг?", "Пришло странное письмо"),
     ("Пришло письмо якобы от банка с просьбой перейти по ссылке и ввести пароль. Не открывал{a}. "
      "Переслать его вам?",
      "Кажется, я открыл{a} вложение из подозрительного письма. Компьютер {host}. Что делать?"), ()),
    ("service", ("Переговорная на {date}", "Бронирование переговорной", "Видеоконференция {date}"),
     ("Прошу забронировать переговорную {room} на {date} с {time} до {time2} и подключить "
      "видеосвязь с {city}.",
      "{date} в {time} совещание с {company}, нужна помощь с подключением проектора."), ()),
    ("service", ("Рабочее место для нового сотрудника", "Переезд отдела", "Мебель в {room}"),
     ("С {date} выходит новый сотрудник, {colleague}. Нужно рабочее место в кабинете {room}: стол, кресло, "
      "тумба.",
      "Подразделение «{dept}» переезжает в кабинет {room} {date}. Нужны грузчики и перенос компьютеров."), ()),
)
TEMPLATES_EN: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("it", ("VPN not connecting", "VPN error {err}", "Cannot connect to VPN from home"),
     ("Since yesterday evening I cannot connect to the VPN from home: the client says \"{err}\" and "
      "disconnects. Laptop {host}.",
      "VPN keeps dropping every few minutes. I need it today before {time} to submit the report."),
     ("vpn_error.jpg",)),
    ("it", ("Password reset", "Account locked", "Password expired"),
     ("My account {login} is locked after the password change. Could you please unlock it? I am in "
      "room {room}.",
      "My domain password expired while I was travelling and I cannot change it over the VPN."), ()),
    ("it", ("Printer not working", "Printer on floor {floor}", "Paper jam in {printer}"),
     ("The {printer} in room {room} does not print: jobs stay in the queue and the display says \"{perr}\".",
      "The printer on floor {floor} prints blank pages. We replaced the toner last week."), ("printer.jpg",)),
    ("it", ("New laptop", "Laptop for a new hire", "Laptop replacement {host}"),
     ("{colleague} joins our {dept_en} team on {date}. Please prepare a laptop, an account and access "
      "to the team folder.",
      "My laptop {host} overheats and shuts down. Could it be replaced?"), ("Equipment request.docx",)),
    ("it", ("Mailbox full", "Mail quota", "Cannot send email"),
     ("Outlook says my mailbox is full ({quota} of {quota2} GB). Could you increase the quota?",
      "I keep getting \"mailbox almost full\" warnings. How do I set up the archive?"), ()),
    ("it", ("Access to shared folder", "Access to {share}", "Permission denied on {share}"),
     ("Please grant read/write access to {share} for me and {colleague}. My manager is in copy.",
      "Opening {share} says \"Access denied\" since this morning. Computer {host}."), ("access_denied.jpg",)),
    ("hr", ("Leave request", "Annual leave from {date}", "Vacation {days} days"),
     ("I would like to take annual leave from {date} for {days} days. The form signed by my manager is "
      "attached.",
      "Could I move part of my leave from {date} to {date2}? Do I need a new form?"), ("Leave request.pdf",)),
    ("buh", ("Payslip for {month_en}", "Missing payslip", "Question about my salary"),
     ("Could you send me my payslip for {month_en}? It is not shown in the portal. Employee ID {tab}.",
      "My {month_en} payslip does not include {days} days of sick leave. Could you check?"), ("scan_{num}.pdf",)),
    ("service", ("Guest pass for {date}", "Visitor badge", "Guest pass: {guest_en}"),
     ("Please order a guest pass for {guest_en} ({company}) on {date}, meeting room {room}, {time}-{time2}.",
      "Three visitors from {company} arrive on {date}. Please arrange passes and parking."), ()),
    ("service", ("Business trip to {city_en}", "Travel booking {date}", "Flights and hotel, {city_en}"),
     ("Please book a business trip to {city_en} from {date} to {date2}: flights and a hotel near the "
      "partner's office.",
      "I travel to {city_en} on {date}. I need an advance for per diem and train tickets."),
     ("Travel request.docx", "Trip order.pdf")),
    ("it", ("Install software", "Please install {soft}", "Need {soft}"),
     ("Please install {soft} on {host}; I need it to review contracts.",
      "{soft} asks for an update but I have no admin rights. Could you update it remotely?"), ()),
    ("service", ("Meeting room {date}", "Room booking", "Video conference {date}"),
     ("Please book meeting room {room} on {date} from {time} to {time2} with a video link to {city_en}.",
      "We have a call with {company} on {date} at {time}; we need help with the projector."), ()),
    ("it", ("Phishing email?", "Suspicious email", "Strange email from the bank"),
     ("I received an email pretending to be from our bank asking me to log in. I did not click. "
      "Should I forward it?",
      "I think I opened an attachment from a suspicious email. Computer {host}. What should I do?"), ()),
    ("service", ("Air conditioning", "Too cold in room {room}", "Water leak in {room}"),
     ("The air conditioning in room {room} is not working since this morning, it is +29 inside.",
      "Water is dripping from the ceiling in room {room} right above a desk. Please send someone."),
     ("IMG_{num}.jpg",)),
)
ERRORS = ("Ошибка 809", "Ошибка 691", "The remote connection was denied", "Certificate expired", "Ошибка 720",
          "Authentication failed", "Ошибка 868", "Connection timed out")
PRINTER_ERRORS = ("Замятие бумаги", "Paper jam", "Замените тонер", "Toner low", "Ошибка 49.4C02", "Offline")
ERRORS_1C = ("Нарушена целостность структуры конфигурации", "Лицензия не обнаружена",
             "Ошибка соединения с сервером 1С:Предприятия", "Недостаточно прав для просмотра",
             "Файл базы данных поврежден")
BASES_1C = ("Бухгалтерия предприятия", "ЗУП", "Управление торговлей", "Документооборот", "ERP Холдинг",
            "Зарплата и кадры")
PRINTERS = ("HP LaserJet M428", "Kyocera ECOSYS M2540", "Canon i-SENSYS MF443", "Xerox VersaLink B405",
            "Ricoh SP 330", "Brother HL-L2340")
CITIES = (("Казань", "Kazan"), ("Новосибирск", "Novosibirsk"), ("Екатеринбург", "Yekaterinburg"),
          ("Санкт-Петербург", "Saint Petersburg"), ("Нижний Новгород", "Nizhny Novgorod"),
          ("Самару", "Samara"), ("Минск", "Minsk"), ("Алматы", "Almaty"), ("Ростов-на-Дону", "Rostov-on-Don"))
COMPANIES = ("ООО «Ромашка»", "АО «Вектор»", "ООО «ТехноСервис»", "ПАО «Северсталь»", "ООО «Альфа-Логистик»",
             "Acme Ltd", "Globex GmbH", "Initech LLC", "АО «СеверЭнерго»", "ООО «Стройинвест»")
SOFT = ("Adobe Acrobat Reader", "7-Zip", "КонсультантПлюс", "Гарант", "Microsoft Visio", "Zoom", "Power BI Desktop",
        "КриптоПро CSP", "Notepad++", "Python 3.11")
SHARES = ("\\\\fs01\\Finance\\Reports", "\\\\fs01\\HR\\Отпуска", "\\\\fs02\\Legal\\Договоры", "\\\\fs02\\Sales\\2026",
          "\\\\fs03\\Общая\\Проекты", "\\\\fs01\\Buh\\Авансовые")
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря")
MONTHS_GMAIL = ("янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек.")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAYS_RU_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GREETINGS_RU = ("Здравствуйте!", "Здравствуйте.", "Добрый день!", "Добрый день.", "Коллеги, добрый день!",
                "Доброе утро!", "")
GREETINGS_EN = ("Hello,", "Hi,", "Hi team,", "Good morning,", "Dear colleagues,", "")
EXTRAS_RU = ("Заранее спасибо.", "Это срочно, пожалуйста.", "Я на месте до {time2}, телефон {ext}.",
             "Руководитель в курсе.", "Если нужно, могу подойти.", "Спасибо!", "", "", "")
EXTRAS_EN = ("Thanks in advance.", "This is urgent, please.", "I am at my desk until {time2}, ext. {ext}.",
             "My manager is aware.", "", "")
CLOSINGS_RU = ("С уважением,", "Спасибо,", "С уважением и благодарностью,", "Заранее благодарю,")
CLOSINGS_EN = ("Best regards,", "Thanks,", "Kind regards,", "Best,", "Cheers,")
FOLLOWUPS_RU = ("Спасибо, всё заработало!", "Проблема повторилась сегодня утром, опять та же ошибка.",
                "Подскажите, есть ли новости по заявке?", "Я буду на месте до {time2}, кабинет {room}.",
                "Уточняю: компьютер {host}, учётная запись {login}.", "Всё ещё не работает. Перезагрузка не помогла.",
                "Спасибо, вопрос решён, заявку можно закрывать.", "Прикладываю скриншот ошибки ниже, "
                "текст такой: «{err}».", "Руководитель согласовал, можно выполнять.")
FOLLOWUPS_EN = ("Thanks, it works now!", "The problem is back this morning, same error.", "Any update on this?",
                "I am at my desk until {time2}, room {room}.", "Still not working, a restart did not help.",
                "Thank you, solved, you can close the request.")
AGENT_RU = ("Здравствуйте, {first}!\n\nВаше обращение SD-{sd} зарегистрировано. Уточните, пожалуйста, номер "
            "кабинета и когда вам удобно, чтобы подошёл инженер.\n\nОтследить обращение: "
            "https://sd.{domain}/t/SD-{sd}?k={tok}",
            "Здравствуйте, {first}!\n\nМы перезапустили службу на сервере, проверьте, пожалуйста, сейчас.\n\n"
            "{agent}\nСлужба поддержки, доб. 1000",
            "{first}, добрый день!\n\nЗаявка SD-{sd} передана в группу «{queue}». Срок решения — до {date}.")
AGENT_EN = ("Hello {first},\n\nYour request SD-{sd} has been registered. Please tell us your room number and "
            "a convenient time for an engineer.\n\nTrack it: https://sd.{domain}/t/SD-{sd}?k={tok}",
            "Hi {first},\n\nWe restarted the service on the server, please check now.\n\n{agent}\nService Desk",)
QUEUES = ("ИТ: рабочие места", "ИТ: сеть и VPN", "Кадры", "Бухгалтерия", "АХО", "1С")
COLLEAGUE_RU = ("Коллеги, пересылаю письмо коллеги, посмотрите, пожалуйста.",
                "Переадресую вопрос в службу поддержки, см. ниже.",
                "Пишу по совету коллеги ({colleague}): проблема ниже.",
                "Добавляю сервис-деск в переписку, нужна ваша помощь.")
COLLEAGUE_EN = ("Adding the service desk, see below.", "Forwarding as {first2} suggested, please help.")
OOO_RU = ("Я нахожусь в отпуске до {date} без доступа к почте. По срочным вопросам обращайтесь к {colleague}, "
          "тел. {ext}.",
          "Здравствуйте! Я в командировке до {date}, отвечу по возвращении. Срочно — {colleague}.",
          "Спасибо за письмо. Я отсутствую до {date}. Ваше письмо не будет переадресовано.")
OOO_EN = ("I am out of the office until {date_en} with limited access to email. For urgent matters please contact "
          "{colleague_en}, ext. {ext}.",
          "Thank you for your email. I am on annual leave until {date_en} and will reply when I am back.")


def _latin(p: Person) -> str:
    """How an English text spells a colleague's name."""
    return f"{translit(p.first).title()} {translit(p.last).title()}" if p.lang == "ru" else p.name


# How each placeholder is drawn; fields are drawn lazily, in the order a template asks for them.
_DRAW: dict[str, Callable[[Fields], str]] = {
    "err": lambda f: f.rng.choice(ERRORS), "perr": lambda f: f.rng.choice(PRINTER_ERRORS),
    "err1c": lambda f: f.rng.choice(ERRORS_1C), "base": lambda f: f.rng.choice(BASES_1C),
    "printer": lambda f: f.rng.choice(PRINTERS), "company": lambda f: f.rng.choice(COMPANIES),
    "soft": lambda f: f.rng.choice(SOFT), "share": lambda f: f.rng.choice(SHARES),
    "_city": lambda f: str(f.rng.randrange(len(CITIES))),
    "city": lambda f: CITIES[int(f["_city"])][0], "city_en": lambda f: CITIES[int(f["_city"])][1],
    "host": lambda f: f"{f.rng.choice(('PC', 'NB'))}-{f.rng.randint(1, 2999):04d}",
    "login": lambda f: f.who.email.split("@")[0], "room": lambda f: str(f.rng.randint(101, 950)),
    "floor": lambda f: str(f.rng.randint(1, 9)), "_day": lambda f: str(f.rng.randint(1, 28)),
    "_month": lambda f: str(f.rng.randrange(12)),
    "date": lambda f: f"{int(f['_day']):02d}.{int(f['_month']) + 1:02d}.2026",
    "date2": lambda f: f"{min(int(f['_day']) + f.rng.randint(2, 14), 28):02d}.{int(f['_month']) + 1:02d}.2026",
    "date_en": lambda f: f"{MONTHS_EN[int(f['_month'])]} {int(f['_day'])}",
    "month": lambda f: MONTHS[int(f["_month"])], "month_en": lambda f: MONTHS_EN[int(f["_month"])],
    "days": lambda f: str(f.rng.choice((3, 5, 7, 10, 14, 28))), "_hour": lambda f: str(f.rng.randint(9, 16)),
    "time": lambda f: f"{f['_hour']}:{f.rng.choice(('00', '30'))}",
    "time2": lambda f: f"{int(f['_hour']) + f.rng.randint(1, 3)}:{f.rng.choice(('00', '30'))}",
    "tab": lambda f: str(f.rng.randint(10000, 19999)), "num": lambda f: str(f.rng.randint(100, 9999)),
    "amount": lambda f: f"{f.rng.randint(1, 250) * 100 + f.rng.randint(0, 99)}",
    "quota2": lambda f: str(f.rng.choice((10, 20, 50))),
    "quota": lambda f: f"{int(f['quota2']) - f.rng.choice((0.1, 0.2, 0.5)):.1f}",
    "ext": lambda f: f.who.ext, "dept": lambda f: DEPTS[f.who.dept][0], "dept_en": lambda f: DEPTS[f.who.dept][1],
    "people": lambda f: str(f.rng.randint(3, 12)), "year": lambda f: str(f.rng.choice((2024, 2025))),
    "quarter": lambda f: f.rng.choice(("I", "II", "III", "IV")),
    "colleague": lambda f: f.colleague(1).name, "colleague_en": lambda f: _latin(f.colleague(1)),
    "first2": lambda f: f.colleague(1).first,
    "guest": lambda f: f"{f.colleague(2).last} {f.colleague(2).first}",
    "guest2": lambda f: f"{f.colleague(3).last} {f.colleague(3).first}",
    "guest3": lambda f: f"{f.colleague(4).last} {f.colleague(4).first}",
    "guest_en": lambda f: _latin(f.colleague(2)),
    "first": lambda f: f.who.first, "a": lambda f: "а" if f.who.female else "",
}


class Fields(dict):
    """Values for the template placeholders of one mail, drawn on first use (drawing all is slow)."""

    def __init__(self, rng: Random, who: Person, people: list[Person]) -> None:
        super().__init__()
        self.rng, self.who, self.people = rng, who, people
        self._colleagues: dict[int, Person] = {}

    def __missing__(self, key: str) -> str:
        value = self[key] = _DRAW[key](self)
        return value

    def colleague(self, k: int) -> Person:
        """The k-th other person this mail mentions."""
        if k not in self._colleagues:
            self._colleagues[k] = self.rng.choice(self.people)
        return self._colleagues[k]


def fields(rng: Random, who: Person, people: list[Person]) -> Fields:
    """Values for the template placeholders, drawn for one mail."""
    return Fields(rng, who, people)


def fill(text: str, f: dict[str, str]) -> str:
    """Fill placeholders; a template may use any subset of fields()."""
    return text.format_map(f)


def signature(rng: Random, who: Person, lang: str) -> str:
    """A signature block, sometimes with the '-- ' separator, sometimes with the phone and title."""
    ru = lang == "ru"
    closing = rng.choice(CLOSINGS_RU if ru else CLOSINGS_EN)
    first, last = (who.first, who.last) if ru or who.lang == "en" else (
        translit(who.first).title(), translit(who.last).title())
    name = f"{first} {last}" if rng.random() < 0.8 else first
    r = rng.random()
    if r < 0.35:
        return f"{closing}\n{name}"
    title, dept = TITLES[who.title][0 if ru else 1], DEPTS[who.dept][0 if ru else 1]
    phone = f"тел. +7 (495) 555-{who.ext[:2]}-{who.ext[2:]}, доб. {who.ext}" if ru else f"Phone +7 495 555 {who.ext}"
    block = f"{name}\n{title}, {dept}\n{phone}"
    if r < 0.7:
        return f"{closing}\n{block}"
    return f"{closing}\n\n-- \n{block}\n{'Кабинет' if ru else 'Room'} {who.room}"


def compose(rng: Random, who: Person, people: list[Person], lang: str,
            mailbox: str | None = None) -> tuple[str, str, str, dict[str, str], tuple[str, ...]]:
    """Pick a template and fill it: (mailbox, subject, body without signature, fields, attachment names)."""
    f = fields(rng, who, people)
    templates = TEMPLATES_RU if lang == "ru" else TEMPLATES_EN
    box, subjects, bodies, atts = rng.choice(templates)
    subject = fill(rng.choice(subjects), f)
    parts = [rng.choice(GREETINGS_RU if lang == "ru" else GREETINGS_EN), fill(rng.choice(bodies), f),
             fill(rng.choice(EXTRAS_RU if lang == "ru" else EXTRAS_EN), f)]
    body = "\n\n".join(p for p in parts if p)
    if mailbox is None:
        mailbox = box if rng.random() < 0.3 else pick_weighted(rng, MAILBOX_SHARE)
    return mailbox, subject, body, f, tuple(fill(a, f) for a in atts)


def pick_weighted(rng: Random, weights: dict[str, float]) -> str:
    """One key of `weights`, chosen with its probability."""
    r, acc = rng.random() * sum(weights.values()), 0.0
    for key, w in weights.items():
        acc += w
        if r < acc:
            return key
    return key


# --------------------------------------------------------------------------- MIME helpers
_CHARSET_PY = {"utf-8": "utf-8", "koi8-r": "koi8_r", "windows-1251": "cp1251", "us-ascii": "ascii"}
LANG_PREFIX = "utf-8''"  # RFC 2231 charset and empty language of an extended parameter
_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
_Q_TABLE = tuple("_" if b == 32 else chr(b) if b in _Q_SAFE else f"={b:02X}" for b in range(256))


@functools.lru_cache(maxsize=8192)
def encode_word(text: str, charset: str = "utf-8", how: str = "B") -> str:
    """RFC 2047 encoded words (each at most 75 chars, folded) when text is not ASCII; ASCII as is."""
    if text.isascii():
        return text
    codec, prefix = _CHARSET_PY[charset], f"=?{charset}?{how}?"
    room = 75 - len(prefix) - 2
    words: list[str] = []
    if how == "B":  # cut the bytes, never inside a UTF-8 sequence
        raw, limit = text.encode(codec, "replace"), room // 4 * 3
        while raw:
            cut = min(limit, len(raw))
            while codec == "utf-8" and cut < len(raw) and 0x80 <= raw[cut] < 0xC0:
                cut -= 1
            words.append(prefix + base64.b64encode(raw[:cut]).decode("ascii") + "?=")
            raw = raw[cut:]
        return "\n ".join(words)
    chunk: list[str] = []
    used = 0
    for ch in text:
        enc = "".join(_Q_TABLE[b] for b in ch.encode(codec, "replace"))
        if used + len(enc) > room and chunk:
            words.append(prefix + "".join(chunk) + "?=")
            chunk, used = [], 0
        chunk.append(enc)
        used += len(enc)
    if chunk:
        words.append(prefix + "".join(chunk) + "?=")
    return "\n ".join(words)


def addr(name: str, email: str, charset: str = "utf-8", how: str = "B") -> str:
    """A mailbox header value with the display name quoted or encoded as a client would."""
    if not name:
        return email
    if name.isascii():
        return f'"{name}" <{email}>' if any(c in name for c in ',.()') else f"{name} <{email}>"
    return f"{encode_word(name, charset, how)} <{email}>"


def b64_lines(data: bytes) -> bytes:
    """Base64 in 76-character lines; one encode and slicing beats base64.encodebytes' 57-byte loop."""
    enc = base64.b64encode(data)
    return b"\n".join([enc[j:j + 76] for j in range(0, len(enc), 76)]) + b"\n"


def body_bytes(text: str, charset: str, cte: str, crlf: bool = False) -> bytes:
    """Encode a text part in its charset and transfer encoding (base64 keeps the client's CRLF inside)."""
    if crlf and cte == "base64":
        text = text.replace("\n", "\r\n")
    raw = text.encode(_CHARSET_PY[charset.lower()], "replace")
    if cte == "base64":
        return b64_lines(raw)
    if cte == "quoted-printable":
        return binascii.b2a_qp(raw) + b"\n"
    return raw + b"\n"


def part(ctype: str, charset: str, cte: str, text: str, extra: str = "", crlf: bool = False) -> bytes:
    """One text MIME part: headers and encoded body."""
    head = f'Content-Type: {ctype}; charset="{charset}"{extra}\nContent-Transfer-Encoding: {cte}\n\n'
    return head.encode("ascii") + body_bytes(text, charset, cte, crlf)


def multipart(subtype: str, boundary: str, parts: list[bytes], preamble: str = "",
              params: str = "") -> tuple[str, bytes]:
    """(Content-Type value, body) of a multipart entity built from finished parts."""
    b = boundary.encode("ascii")
    out = [preamble.encode("ascii") + b"\n" if preamble else b""]
    for p in parts:
        out.append(b"--" + b + b"\n" + p)
        if not p.endswith(b"\n"):
            out.append(b"\n")
    out.append(b"--" + b + b"--\n")
    return f'multipart/{subtype};{params}\n\tboundary="{boundary}"', b"".join(out)


def to_html_outlook(text: str, charset: str, lang: str) -> str:
    """The HTML Outlook (Word) produces for a plain message."""
    paras = []
    for line in text.split("\n"):
        inner = html.escape(line) if line else "&nbsp;"
        paras.append(f'<p class="MsoNormal">{inner}<o:p></o:p></p>')
    return (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
        'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n<style><!--\n'
        '/* Font Definitions */\n@font-face\n\t{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n'
        '@font-face\n\t{font-family:Calibri;\n\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\n'
        'p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:11.0pt;\n\t'
        'font-family:"Calibri",sans-serif;\n\tmso-fareast-language:EN-US;}\n'
        'span.EmailStyle17\n\t{mso-style-type:personal-compose;\n\tfont-family:"Calibri",sans-serif;\n\t'
        'color:windowtext;}\n.MsoChpDefault\n\t{mso-style-type:export-only;\n\tfont-family:"Calibri",sans-serif;}\n'
        '@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:2.0cm 42.5pt 2.0cm 3.0cm;}\n'
        'div.WordSection1\n\t{page:WordSection1;}\n--></style><!--[if gte mso 9]><xml>\n'
        '<o:shapedefaults v:ext="edit" spidmax="1026" />\n</xml><![endif]-->\n</head>\n'
        f'<body lang="{"RU" if lang == "ru" else "EN-US"}" link="#0563C1" vlink="#954F72" '
        'style="word-wrap:break-word">\n<div class="WordSection1">\n' + "\n".join(paras) + "\n</div>\n</body>\n</html>"
    )


def to_html_gmail(text: str) -> str:
    """The HTML Gmail produces for a plain message."""
    divs = "".join(f"<div>{html.escape(line)}</div>" if line else "<div><br></div>" for line in text.split("\n"))
    return f'<div dir="ltr">{divs}</div>\n'


def to_html_owa(text: str) -> str:
    """The HTML of Outlook on the web / a phone client, which sends no text/plain part."""
    body = "<br>\n".join(html.escape(line) for line in text.split("\n"))
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head>\n'
            '<body dir="ltr"><div style="font-family: Calibri, Arial, Helvetica, sans-serif; font-size: 12pt; '
            f'color: rgb(0, 0, 0);">\n{body}\n</div></body></html>\n')


# --------------------------------------------------------------------------- the generator
@dataclass
class Mail:
    """A mail in the making: ordered headers, the body, and whether the client writes CRLF."""

    headers: list[tuple[str, str]]
    body: bytes = b""
    crlf: bool = False

    def render(self) -> bytes:
        """The finished bytes of the file."""
        head = "".join(f"{k}: {v}\n" for k, v in self.headers).encode("ascii")
        raw = head + b"\n" + self.body
        return raw.replace(b"\n", b"\r\n") if self.crlf else raw


class Corpus:
    """Generates the mail of one corpus; all choices come from one seeded Random, in file order."""

    def __init__(self, n: int, seed: int) -> None:
        self.n, self.seed = n, seed
        self.rng = Random(seed)
        self.people = make_people(self.rng, PEOPLE)
        self.ru_people = [p for p in self.people if p.lang == "ru"]
        self.en_people = [p for p in self.people if p.lang == "en"]
        self.kinds = self._plan()
        self.builders: dict[str, Callable[[int], Mail]] = {
            "plain_ru_utf8": lambda i: self.plain(i, "ru", "utf-8"),
            "plain_ru_koi8r": lambda i: self.plain(i, "ru", "koi8-r"),
            "plain_ru_cp1251": lambda i: self.plain(i, "ru", "windows-1251"),
            "plain_en": lambda i: self.plain(i, "en", "us-ascii"),
            "alt_outlook": lambda i: self.alternative(i, "outlook"),
            "alt_gmail": lambda i: self.alternative(i, "gmail"),
            "html_only": self.html_only,
            "attachment": self.attachment,
            "reply_outlook": lambda i: self.reply(i, "outlook", ticket=False),
            "reply_gmail": lambda i: self.reply(i, "gmail", ticket=False),
            "reply_thunderbird": lambda i: self.reply(i, "thunderbird", ticket=False),
            "followup_outlook": lambda i: self.reply(i, "outlook", ticket=True),
            "followup_gmail": lambda i: self.reply(i, "gmail", ticket=True),
            "followup_thunderbird": lambda i: self.reply(i, "thunderbird", ticket=True),
            "auto_reply_ru": lambda i: self.auto_reply(i, "ru"),
            "auto_reply_en": lambda i: self.auto_reply(i, "en"),
            "bounce": self.bounce,
        }

    def _plan(self) -> list[str]:
        """Exact counts per kind by largest remainder, shuffled into file order."""
        total = sum(MIX.values())
        exact = {k: self.n * v / total for k, v in MIX.items()}
        counts = {k: int(x) for k, x in exact.items()}
        rest = self.n - sum(counts.values())
        for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:rest]:
            counts[k] += 1
        plan = [k for k, c in counts.items() for _ in range(c)]
        self.rng.shuffle(plan)
        return plan

    def mail(self, i: int) -> tuple[str, bytes]:
        """(kind, bytes) of mail number i (1-based); call in order, the Random is shared."""
        kind = self.kinds[i - 1]
        return kind, self.builders[kind](i).render()

    # ---- common pieces
    def date(self, i: int) -> dt.datetime:
        """The fixed date of mail i."""
        return START + dt.timedelta(seconds=i * STEP_SECONDS)

    def person(self, lang: str) -> Person:
        """A sender who writes in `lang` (mostly: some Russians write English too)."""
        if lang == "en" and self.rng.random() < 0.8:
            return self.rng.choice(self.en_people)
        return self.rng.choice(self.ru_people)

    def ticket(self) -> int:
        """A ticket number an [SD-n] mail refers to."""
        return self.rng.randint(1, max(1, self.n // 2))

    def hexid(self, k: int = 16) -> str:
        """Hex digits for Thread-Index-like tokens and boundaries."""
        return f"{self.rng.getrandbits(4 * k):0{k}x}"

    def envelope(self, i: int, who: Person, mailbox: str, subject: str, client: str,
                 charset: str = "utf-8", how: str = "B") -> list[tuple[str, str]]:
        """Transport and originator headers the way `client` writes them."""
        d = self.date(i)
        to_addr = f"{mailbox}@{DOMAIN}"
        when = d.strftime("%a, %d %b %Y %H:%M:%S +0300")
        h = [("Return-Path", f"<{who.email}>"),
             ("Received", f"from {'EXCH0' + str(i % 3 + 1) if client == 'outlook' else 'relay' + str(i % 4 + 1)}"
                          f".{DOMAIN} ([10.10.{i % 7}.{i % 250 + 2}])\n\tby mx1.{DOMAIN} (Postfix) with ESMTPS id "
                          f"{self.hexid(12).upper()}\n\tfor <{to_addr}>; {when} (MSK)")]
        desk = DESK_NAME["ru" if who.lang == "ru" else "en"] if mailbox == "service" else ""
        h.append(("From", addr(who.name, who.email, charset, how)))
        h.append(("To", addr(desk, to_addr, charset, how)))
        if self.rng.random() < CC_SHARE:
            c = self.rng.choice(self.people)
            h.append(("Cc", addr(c.name, c.email, charset, how)))
        h.append(("Subject", encode_word(subject, charset, how)))
        if client == "outlook":
            h.append(("Thread-Topic", encode_word(subject.removeprefix("RE: "), charset, how)))
            h.append(("Thread-Index", base64.b64encode(self.rng.randbytes(22)).decode("ascii")))
        utc = d.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        h.append(("Date", utc if client == "gmail" else when))
        h.append(("Message-ID", f"<bench-{self.seed}-{i}@{DOMAIN}>"))
        h.append(("MIME-Version", "1.0"))
        if client == "outlook":
            h += [("Accept-Language", "ru-RU, en-US"), ("Content-Language", "ru-RU" if who.lang == "ru" else "en-US"),
                  ("X-MS-Has-Attach", ""), ("X-Mailer", "Microsoft Outlook 16.0")]
        elif client == "thunderbird":
            h.append(("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 "
                                    "Thunderbird/115.6.0"))
        elif client == "thebat":
            h.append(("X-Mailer", "The Bat! (v9.5.3) Professional"))
        elif client == "yandex":
            h.append(("X-Mailer", "Yamail [ http://yandex.ru ] 5.0"))
        return h

    def text_for(self, who: Person, lang: str, mailbox: str | None = None) -> tuple[str, str, str, tuple[str, ...]]:
        """(mailbox, subject, full text with signature, attachment names) for a new request."""
        mailbox, subject, body, _, atts = compose(self.rng, who, self.people, lang, mailbox)
        return mailbox, subject, f"{body}\n\n{signature(self.rng, who, lang)}", atts

    # ---- kinds
    def plain(self, i: int, lang: str, charset: str) -> Mail:
        """text/plain from Thunderbird, The Bat!, Outlook or a web client."""
        rng = self.rng
        who = self.person(lang)
        mailbox, subject, text, _ = self.text_for(who, lang)
        if charset == "koi8-r":
            client, cte = rng.choice(("thebat", "thunderbird")), "8bit"
        elif charset == "windows-1251":
            client, cte = rng.choice(("outlook", "thebat", "thunderbird")), rng.choice(("quoted-printable", "8bit"))
        elif charset == "us-ascii":
            client = rng.choice(("outlook", "thunderbird", "gmail"))
            if not (text.isascii() and subject.isascii() and who.name.isascii()):
                charset = "utf-8"
            cte = "7bit" if text.isascii() else "quoted-printable"
        else:
            client = rng.choice(("thunderbird", "yandex", "outlook", "thebat"))
            cte = rng.choice(("8bit", "base64", "quoted-printable"))
        if client == "thunderbird" and cte == "8bit":
            text = "\n".join(textwrap.fill(p, 72) if len(p) > 72 else p for p in text.split("\n"))
        m = Mail(self.envelope(i, who, mailbox, subject, client, charset, rng.choice("BQ")), crlf=client == "outlook")
        extra = "; format=flowed" if client == "thunderbird" else ""
        m.headers += [("Content-Type", f'text/plain; charset="{charset}"{extra}'), ("Content-Transfer-Encoding", cte)]
        m.body = body_bytes(text, charset, cte, m.crlf)
        return m

    def _alt_parts(self, text: str, lang: str, client: str) -> tuple[str, list[bytes]]:
        """The two parts of a multipart/alternative and the charset the client chose."""
        rng = self.rng
        if client == "outlook":
            charset = rng.choice(("utf-8", "windows-1251")) if lang == "ru" else "us-ascii"
            if charset == "us-ascii" and not text.isascii():
                charset = "utf-8"
            cte = rng.choice(("quoted-printable", "base64"))
            return charset, [part("text/plain", charset, cte, text, crlf=True),
                             part("text/html", charset, cte, to_html_outlook(text, charset, lang), crlf=True)]
        cte = "base64" if not text.isascii() else "quoted-printable"
        return "utf-8", [part("text/plain", "UTF-8", cte, text), part("text/html", "UTF-8", cte, to_html_gmail(text))]

    def alternative(self, i: int, client: str) -> Mail:
        """multipart/alternative with a text and an HTML part, as Outlook or Gmail sends it."""
        lang = "ru" if self.rng.random() < 0.85 else "en"
        who = self.person(lang)
        mailbox, subject, text, _ = self.text_for(who, lang)
        charset, parts = self._alt_parts(text, lang, client)
        m = Mail(self.envelope(i, who, mailbox, subject, client, charset if charset != "us-ascii" else "utf-8"),
                 crlf=client == "outlook")
        ctype, body = multipart("alternative", self.boundary(client), parts)
        m.headers.append(("Content-Type", ctype))
        m.body = body
        return m

    def boundary(self, client: str) -> str:
        """A boundary in the shape the client generates."""
        if client == "outlook":
            return f"_000_{self.hexid(32)}EXCH0{self.rng.randint(1, 3)}corpexample_"
        if client == "gmail":
            return f"000000000000{self.hexid(16)}"
        return f"------------{self.hexid(24)}"

    def html_only(self, i: int) -> Mail:
        """text/html alone, as Outlook on the web or a phone sends it."""
        lang = "ru" if self.rng.random() < 0.8 else "en"
        who = self.person(lang)
        mailbox, subject, text, _ = self.text_for(who, lang)
        m = Mail(self.envelope(i, who, mailbox, subject, "owa"), crlf=True)
        cte = self.rng.choice(("quoted-printable", "base64"))
        m.headers += [("Content-Type", 'text/html; charset="utf-8"'), ("Content-Transfer-Encoding", cte)]
        m.body = body_bytes(to_html_owa(text), "utf-8", cte, crlf=True)
        return m

    def attachment(self, i: int) -> Mail:
        """multipart/mixed: the message and one or two ~20 KB files (PDF, .docx, JPEG)."""
        rng = self.rng
        lang = "ru" if rng.random() < 0.85 else "en"
        who = self.person(lang)
        mailbox, subject, text, names = self.text_for(who, lang)
        client = rng.choice(("outlook", "gmail", "thunderbird"))
        if client == "thunderbird":
            first = part("text/plain", "UTF-8", "8bit", text, "; format=flowed")
        else:
            _, alt = self._alt_parts(text, lang, client)
            ctype, body = multipart("alternative", self.boundary(client), alt)
            first = f"Content-Type: {ctype}\n\n".encode("ascii") + body
        files = [rng.choice(names) if names else rng.choice(("scan_{}.pdf", "IMG_{}.jpg", "Документ{}.docx")).format(
            rng.randint(1, 9999))]
        if rng.random() < SECOND_ATTACHMENT:
            files.append(rng.choice(("Скан паспорта.pdf", "photo_{}.jpg", "Служебная записка.docx",
                                     "report_{}.pdf")).format(rng.randint(1, 999)))
        parts = [first] + [self.file_part(name, client) for name in files]
        m = Mail(self.envelope(i, who, mailbox, subject, client), crlf=client == "outlook")
        if client == "outlook":
            m.headers = [(k, "yes" if k == "X-MS-Has-Attach" else v) for k, v in m.headers]
        ctype, body = multipart("mixed", self.boundary(client), parts,
                                preamble="This is a multi-part message in MIME format." if client != "gmail" else "")
        m.headers.append(("Content-Type", ctype))
        m.body = body
        return m

    def file_part(self, name: str, client: str) -> bytes:
        """A base64 attachment whose bytes look like the file type its name says."""
        rng = self.rng
        size = rng.randint(*ATTACHMENT_KB) * 1024
        ext = name.rsplit(".", 1)[-1].lower()
        if ext == "pdf":
            ctype = "application/pdf"
            data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\nstream\n"
            data += rng.randbytes(size - len(data) - 6) + b"\n%%EOF"
        elif ext == "docx":
            ctype = rng.choice(("application/octet-stream",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
            data = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml" + rng.randbytes(size - 40)
        else:
            ctype = "image/jpeg"
            data = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + rng.randbytes(size - 22)
            data += b"\xff\xd9"
        if name.isascii():
            params = f'; name="{name}"', f'; filename="{name}"'
        elif client == "thunderbird" or rng.random() < 0.5:  # RFC 2231, with continuations when long
            q = urllib.parse.quote(name, safe="")
            if len(q) <= 60:
                rfc2231 = f"\n\tfilename*=utf-8''{q}"
            else:
                chunks = [q[j:j + 60] for j in range(0, len(q), 60)]
                chunks = _no_split_escapes(chunks)
                rfc2231 = ";".join(f"\n\tfilename*{n}*={LANG_PREFIX if n == 0 else ''}{c}"
                                   for n, c in enumerate(chunks))
            params = f'; name="{encode_word(name)}"', ";" + rfc2231
        else:  # RFC 2047 inside quotes: what Outlook and Gmail really send
            enc = encode_word(name).replace("\n ", " ")
            params = f'; name="{enc}"', f'; filename="{enc}"'
        desc = name if name.isascii() else "attachment"
        head = (f"Content-Type: {ctype};\n\t{params[0][2:]}\nContent-Description: {desc}\n"
                f"Content-Disposition: attachment{params[1]}\nContent-Transfer-Encoding: base64\n\n")
        return head.encode("ascii") + b64_lines(data)

    def reply(self, i: int, client: str, ticket: bool) -> Mail:
        """A reply with quoted history; with `ticket` a follow-up on [SD-n] answering a desk message."""
        rng = self.rng
        lang = "ru" if rng.random() < 0.85 else "en"
        who = self.person(lang)
        f = fields(rng, who, self.people)
        _, subject, orig, _, _ = compose(rng, who, self.people, lang)
        d = self.date(i) - dt.timedelta(minutes=rng.randint(20, 3000))
        if ticket:
            sd = self.ticket()
            orig_subject = f"[SD-{sd}] {subject}"
            agent_i = rng.randrange(len(AGENTS_RU))
            agent = (AGENTS_RU if lang == "ru" else AGENTS_EN)[agent_i]
            f.update(sd=str(sd), domain=DOMAIN, tok=self.hexid(8), agent=agent, queue=rng.choice(QUEUES))
            quoted = fill(rng.choice(AGENT_RU if lang == "ru" else AGENT_EN), f)
            q_name, q_email = DESK_NAME[lang], f"service@{DOMAIN}"
            new = fill(rng.choice(FOLLOWUPS_RU if lang == "ru" else FOLLOWUPS_EN), f)
            ids = [f"<postdesk.{sd}.{k}.{self.hexid(6)}@{DOMAIN}>" for k in range(1, rng.randint(2, 4))]
            mailbox = "service"
        else:
            orig_subject = subject
            colleague = self.person(lang)
            q_name, q_email = colleague.name, colleague.email
            quoted = f"{orig}\n\n{signature(rng, colleague, lang)}"
            new = fill(rng.choice(COLLEAGUE_RU if lang == "ru" else COLLEAGUE_EN), f)
            ids = [f"<{self.hexid(32)}@EXCH0{rng.randint(1, 3)}.{DOMAIN}>"]
            mailbox = pick_weighted(rng, MAILBOX_SHARE)
        greeting = rng.choice(("", "", "Добрый день!\n\n" if lang == "ru" else "Hi,\n\n"))
        new = f"{greeting}{new}\n\n{signature(rng, who, lang)}"
        to_line = who.name if ticket else self.rng.choice(self.people).name
        if client == "outlook":
            subj = f"RE: {orig_subject}"
            sep = rng.choice(("-----Original Message-----", "-----Исходное сообщение-----", "_" * 32, "")) \
                if lang == "ru" else rng.choice(("-----Original Message-----", "_" * 32))
            if lang == "ru":
                hdr = (f"От: {q_name} <{q_email}>\nОтправлено: {WEEKDAYS_RU[d.weekday()]}, {d.day} "
                       f"{MONTHS_GEN[d.month - 1]} {d.year} г. {d:%H:%M}\nКому: {to_line}\nТема: {orig_subject}")
            else:
                hdr = (f"From: {q_name} <{q_email}>\nSent: {WEEKDAYS_EN[d.weekday()]}, {MONTHS_EN[d.month - 1]} "
                       f"{d.day}, {d.year} {d:%I:%M %p}\nTo: {to_line}\nSubject: {orig_subject}")
            text = f"{new}\n\n{sep + chr(10) if sep else ''}{hdr}\n\n{quoted}"
        elif client == "gmail":
            subj = f"Re: {orig_subject}"
            if lang == "ru":
                attrib = (f"{WEEKDAYS_RU_SHORT[d.weekday()]}, {d.day} {MONTHS_GMAIL[d.month - 1]} {d.year} г. "
                          f"в {d:%H:%M}, {q_name} <{q_email}>:")
            else:
                attrib = (f"On {WEEKDAYS_EN[d.weekday()][:3]}, {MONTHS_EN[d.month - 1][:3]} {d.day}, {d.year} at "
                          f"{d:%I:%M %p} {q_name} <{q_email}> wrote:")
            text = f"{new}\n\n{attrib}\n\n" + "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n"))
        else:
            subj = f"Re: {orig_subject}"
            attrib = (f"{d:%d.%m.%Y %H:%M}, {q_name} пишет:" if lang == "ru" and rng.random() < 0.6 else
                      f"{d:%d.%m.%Y}, {d:%H:%M}, \"{q_name}\" <{q_email}>:" if lang == "ru" else
                      f"On {d:%d.%m.%Y %H:%M}, {q_name} wrote:")
            text = f"{new}\n\n{attrib}\n" + "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n"))
        m = Mail(self.envelope(i, who, mailbox, subj, client), crlf=client == "outlook")
        m.headers[-1:-1] = [("In-Reply-To", ids[-1]), ("References", "\n ".join(ids))]
        if client == "thunderbird":
            m.headers += [("Content-Type", 'text/plain; charset="UTF-8"; format=flowed'),
                          ("Content-Transfer-Encoding", "8bit")]
            m.body = body_bytes(text, "utf-8", "8bit")
        else:
            _, parts = self._alt_parts(text, lang, client)
            ctype, body = multipart("alternative", self.boundary(client), parts)
            m.headers.append(("Content-Type", ctype))
            m.body = body
        return m

    def auto_reply(self, i: int, lang: str) -> Mail:
        """An out-of-office answer to a desk notification (Auto-Submitted: auto-replied)."""
        rng = self.rng
        who = self.person(lang)
        f = fields(rng, who, self.people)
        _, subject, _, _, _ = compose(rng, who, self.people, lang)
        sd = self.ticket()
        prefix = rng.choice(("Автоматический ответ: ", "Автоответ: ")) if lang == "ru" else \
            rng.choice(("Automatic reply: ", "Out of Office: "))
        text = fill(rng.choice(OOO_RU if lang == "ru" else OOO_EN), f) + f"\n\n{signature(rng, who, lang)}"
        client = rng.choice(("outlook", "yandex"))
        m = Mail(self.envelope(i, who, "service", f"{prefix}[SD-{sd}] {subject}", client), crlf=client == "outlook")
        m.headers.insert(2, ("Auto-Submitted", "auto-replied"))
        ref = f"<postdesk.{sd}.1.{self.hexid(6)}@{DOMAIN}>"
        m.headers[-1:-1] = [("In-Reply-To", ref), ("References", ref)]
        if client == "outlook":
            m.headers.append(("X-Auto-Response-Suppress", "All"))
        m.headers += [("Content-Type", 'text/plain; charset="utf-8"'), ("Content-Transfer-Encoding", "base64")]
        m.body = body_bytes(text, "utf-8", "base64")
        return m

    def bounce(self, i: int) -> Mail:
        """A Postfix DSN (multipart/report) for a desk reply to a corp.example address that no longer exists."""
        rng = self.rng
        gone = rng.choice(self.people)
        rcpt = gone.email.replace("@", f"{rng.randint(2, 9)}@") if rng.random() < 0.5 else f"old.{gone.email}"
        user = rcpt.split("@")[0]
        sd = self.ticket()
        d = self.date(i)
        when = d.strftime("%a, %d %b %Y %H:%M:%S +0300")
        qid = self.hexid(11).upper()
        lang = gone.lang
        subject = f"Re: [SD-{sd}] " + compose(rng, gone, self.people, lang)[1]
        note = (f"This is the mail system at host mx1.{DOMAIN}.\n\nI'm sorry to have to inform you that your message "
                "could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, "
                "please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete "
                f"your own text from the attached returned message.\n\n                   The mail system\n\n<{rcpt}>: "
                f'unknown user: "{user}"\n')
        status = (f"Reporting-MTA: dns; mx1.{DOMAIN}\nX-Postfix-Queue-ID: {qid}\nX-Postfix-Sender: rfc822; "
                  f"service@{DOMAIN}\nArrival-Date: {when} (MSK)\n\nFinal-Recipient: rfc822; {rcpt}\n"
                  f"Original-Recipient: rfc822;{rcpt}\nAction: failed\nStatus: 5.1.1\n"
                  f'Diagnostic-Code: X-Postfix; unknown user: "{user}"\n')
        agent = fill(rng.choice(AGENT_RU if lang == "ru" else AGENT_EN),
                     {"first": gone.first, "sd": str(sd), "domain": DOMAIN, "tok": self.hexid(8),
                      "agent": rng.choice(AGENTS_RU), "queue": rng.choice(QUEUES), "date": "01.03.2026"})
        orig = (f"Return-Path: <service@{DOMAIN}>\nMessage-ID: <postdesk.{sd}.2.{self.hexid(6)}@{DOMAIN}>\n"
                f"Date: {when}\nFrom: {addr(DESK_NAME[lang], 'service@' + DOMAIN)}\nTo: {rcpt}\n"
                f"Subject: {encode_word(subject)}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
                'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n')
        boundary = f"{qid}.{1770000000 + i}/mx1.{DOMAIN}"
        parts = [b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n" + note.encode(),
                 b"Content-Description: Delivery report\nContent-Type: message/delivery-status\n\n" + status.encode(),
                 b"Content-Description: Undelivered Message\nContent-Type: message/rfc822\n\n" + orig.encode("ascii")
                 + b64_lines(agent.encode("utf-8"))]
        ctype, body = multipart("report", boundary, parts, preamble="This is a MIME-encapsulated message.\n",
                                params=" report-type=delivery-status;")
        m = Mail([("Return-Path", "<>"), ("Delivered-To", f"service@{DOMAIN}"),
                  ("Received", f"by mx1.{DOMAIN} (Postfix)\n\tid {qid}; {when} (MSK)"), ("Date", f"{when} (MSK)"),
                  ("From", f"MAILER-DAEMON@mx1.{DOMAIN} (Mail Delivery System)"),
                  ("Subject", "Undelivered Mail Returned to Sender"), ("To", f"service@{DOMAIN}"),
                  ("Auto-Submitted", "auto-replied"), ("Message-ID", f"<bench-{self.seed}-{i}@{DOMAIN}>"),
                  ("MIME-Version", "1.0"), ("Content-Type", ctype)])
        m.body = body
        return m


def _no_split_escapes(chunks: list[str]) -> list[str]:
    """Move a %XX escape cut in two by chunking wholly into the next chunk (RFC 2231 forbids splitting it)."""
    out: list[str] = []
    carry = ""
    for c in chunks:
        c = carry + c
        cut = c.rfind("%", max(0, len(c) - 2))
        carry, c = (c[cut:], c[:cut]) if cut != -1 and len(c) - cut < 3 else ("", c)
        out.append(c)
    if carry:
        out.append(carry)
    return [c for c in out if c]


def ensure(n: int, given: Path | None, work: Path) -> Path:
    """The folder a benchmark measures on: the one given, else N mails generated into `work`."""
    if given is not None:
        return given
    out = work / "corpus"
    with contextlib.redirect_stdout(io.StringIO()):
        main([str(n), str(out)])
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the corpus and print what was written."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("n", type=int, help="number of mails")
    ap.add_argument("dir", type=Path, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--kinds", action="store_true", help="print file<TAB>kind per file instead of the summary")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    args.dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = Corpus(args.n, args.seed)
    counts: dict[str, int] = dict.fromkeys(MIX, 0)
    sizes: dict[str, int] = dict.fromkeys(MIX, 0)
    out = sys.stdout
    for i in range(1, args.n + 1):
        kind, raw = corpus.mail(i)
        name = f"{i:07d}.eml"
        (args.dir / name).write_bytes(raw)
        counts[kind] += 1
        sizes[kind] += len(raw)
        if args.kinds:
            out.write(f"{name}\t{kind}\n")
    if not args.kinds:
        for kind in MIX:
            out.write(f"{kind:<22} {counts[kind]:>8} mails {sizes[kind]:>13,} bytes\n")
        out.write(f"{'total':<22} {args.n:>8} mails {sum(sizes.values()):>13,} bytes "
                  f"in {time.perf_counter() - started:.1f} s -> {args.dir}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

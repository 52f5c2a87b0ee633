"""The portal's words in Russian and English, the language a visitor gets, and the colours' contrast.

Pure: the templates are shared by both languages and take their words from here.
"""

from __future__ import annotations

LANGS = ("ru", "en")

WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "my": "Мои заявки", "new": "Новая заявка", "kb": "База знаний", "news": "Новости", "desk": "Пульт",
        "sign_in": "Войти", "sign_out": "Выйти", "skip": "Перейти к содержимому", "lang_other": "English",
        "menu": "Разделы",
        "login_title": "Вход по ссылке из письма",
        "login_help": "Пароль не нужен: укажите рабочий адрес, и мы пришлём ссылку для входа.",
        "email": "Адрес электронной почты", "send_link": "Прислать ссылку",
        "login_sent": "Проверьте почту",
        "login_sent_msg": "Если этот адрес может пользоваться порталом, на него отправлено письмо со ссылкой "
                          "для входа. Ссылка действует {minutes} минут и открывается один раз.",
        "login_bad_email": "Это не похоже на адрес электронной почты.",
        "confirm_title": "Войти на портал?", "confirm_msg": "Вы входите как {address}.",
        "link_gone": "Ссылка для входа недействительна",
        "link_gone_msg": "Она уже использована или срок её действия истёк. Запросите новую.",
        "new_link": "Запросить новую ссылку",
        "signed_out": "Вы вышли", "signed_out_msg": "Сеанс завершён на этом устройстве.",
        "need_sign_in": "Войдите, чтобы увидеть эту страницу.",
        "hello": "Вы вошли как {address}.",
        "filter_open": "Открытые", "filter_closed": "Закрытые", "filter_all": "Все",
        "search_subject": "Поиск по теме", "search": "Найти",
        "col_number": "Номер", "col_subject": "Тема", "col_status": "Статус", "col_queue": "Служба",
        "col_changed": "Изменена", "participant": "вы участник",
        "no_tickets": "Заявок нет.", "no_subject": "(без темы)",
        "catalog": "Каталог услуг", "catalog_help": "Выберите услугу — или опишите вопрос своими словами.",
        "other": "Другой вопрос", "other_help": "Свободная форма.",
        "service": "Услуга", "queue": "Служба", "subject": "Тема", "description": "Описание",
        "optional": "необязательно", "next": "Далее", "send": "Отправить заявку", "back": "Назад",
        "before_title": "Перед отправкой", "before_help": "Возможно, ответ уже есть в базе знаний:",
        "before_none": "Похожих статей не нашлось.",
        "attachments": "Вложения", "attach_help": "До {size} на файл, всего до {total}.",
        "required": "Обязательное поле.", "bad_choice": "Выберите вариант из списка.",
        "bad_date": "Укажите дату.", "empty": "Заполните тему и описание.",
        "sent_title": "Заявка отправлена",
        "sent_msg": "Подтверждение с номером придёт по почте через несколько секунд; заявка появится в разделе "
                    "«Мои заявки».",
        "too_large": "Слишком большой файл",
        "too_large_msg": "Файл больше {size} или всё письмо больше {total}. Ничего не отправлено.",
        "kb_search": "Поиск по базе знаний", "kb_all": "Все службы", "kb_none": "Ничего не нашлось.",
        "kb_results": "Найдено", "tags": "Метки", "not_helped": "Не помогло — написать нам",
        "news_none": "Новостей пока нет.", "all_queues": "Для всех",
        "subscriptions": "Рассылки новостей", "news_mail": "Рассылка новостей по почте",
        "on": "включена", "off": "выключена", "turn_on": "Включить", "turn_off": "Выключить",
        "digest": "Рассылка «{name}»", "sub_help": "Те же настройки, что и ссылка «отписаться» в письмах.",
        "desk_title": "Пульт руководителя", "desk_open": "Открытые заявки",
        "by_queue": "По службам", "by_agent": "По исполнителям", "assignee": "Исполнитель", "nobody": "не назначена",
        "overdue": "просрочена", "count": "Всего", "report": "Отчёт за {days} дней",
        "chart_daily": "Заявки по дням", "opened": "открыто", "resolved": "решено",
        "chart_times": "Медиана, часов", "first_response": "первый ответ", "resolution": "решение",
        "chart_csat": "Удовлетворённость (доля оценок 4–5)", "no_data": "нет данных",
        "ratings": "оценок", "read_only": "Только просмотр: работа с заявками — по почте.",
        "not_found": "Страница не найдена", "forbidden": "Нет доступа", "bad_form": "Форма не принята",
        "forbidden_msg": "Форма устарела или пришла не с этой страницы. Ничего не изменено.",
        "to_my": "К моим заявкам",
    },
    "en": {
        "my": "My requests", "new": "New request", "kb": "Knowledge base", "news": "News", "desk": "Desk",
        "sign_in": "Sign in", "sign_out": "Sign out", "skip": "Skip to content", "lang_other": "Русский",
        "menu": "Sections",
        "login_title": "Sign in with a link by mail",
        "login_help": "No password: give your work address and we mail you a sign-in link.",
        "email": "Email address", "send_link": "Send me a link",
        "login_sent": "Check your mail",
        "login_sent_msg": "If this address may use the portal, a mail with a sign-in link is on its way. "
                          "The link works for {minutes} minutes, once.",
        "login_bad_email": "That does not look like an email address.",
        "confirm_title": "Sign in to the portal?", "confirm_msg": "You are signing in as {address}.",
        "link_gone": "This sign-in link does not work",
        "link_gone_msg": "It was used already or it expired. Ask for a new one.",
        "new_link": "Ask for a new link",
        "signed_out": "You are signed out", "signed_out_msg": "The session on this device is over.",
        "need_sign_in": "Sign in to see this page.",
        "hello": "Signed in as {address}.",
        "filter_open": "Open", "filter_closed": "Closed", "filter_all": "All",
        "search_subject": "Search in subjects", "search": "Search",
        "col_number": "Number", "col_subject": "Subject", "col_status": "Status", "col_queue": "Service",
        "col_changed": "Changed", "participant": "you take part",
        "no_tickets": "No requests.", "no_subject": "(no subject)",
        "catalog": "Service catalog", "catalog_help": "Pick a service, or describe it in your own words.",
        "other": "Something else", "other_help": "A free-form request.",
        "service": "Service", "queue": "Department", "subject": "Subject", "description": "Description",
        "optional": "optional", "next": "Next", "send": "Send the request", "back": "Back",
        "before_title": "Before you send", "before_help": "The knowledge base may already have the answer:",
        "before_none": "No matching articles.",
        "attachments": "Attachments", "attach_help": "Up to {size} a file, {total} in all.",
        "required": "Required.", "bad_choice": "Pick one of the choices.",
        "bad_date": "Give a date.", "empty": "Fill in the subject and the description.",
        "sent_title": "Your request is sent",
        "sent_msg": "An acknowledgment with its number arrives by mail within seconds; the request shows under "
                    "My requests.",
        "too_large": "The file is too large",
        "too_large_msg": "A file is over {size} or the whole mail over {total}. Nothing was sent.",
        "kb_search": "Search the knowledge base", "kb_all": "All departments", "kb_none": "Nothing found.",
        "kb_results": "Found", "tags": "Tags", "not_helped": "This did not help — write to us",
        "news_none": "No news yet.", "all_queues": "For everyone",
        "subscriptions": "News by mail", "news_mail": "News by mail",
        "on": "on", "off": "off", "turn_on": "Turn on", "turn_off": "Turn off",
        "digest": "Digest “{name}”", "sub_help": "The same setting as the unsubscribe link in the mails.",
        "desk_title": "Lead agent's desk", "desk_open": "Open requests",
        "by_queue": "By department", "by_agent": "By agent", "assignee": "Assignee", "nobody": "unassigned",
        "overdue": "overdue", "count": "Total", "report": "Report for {days} days",
        "chart_daily": "Requests per day", "opened": "opened", "resolved": "resolved",
        "chart_times": "Median, hours", "first_response": "first response", "resolution": "resolution",
        "chart_csat": "Satisfaction (share of 4–5 ratings)", "no_data": "no data",
        "ratings": "ratings", "read_only": "Read-only: requests are worked on by mail.",
        "not_found": "Page not found", "forbidden": "Not allowed", "bad_form": "The form was not accepted",
        "forbidden_msg": "The form is stale or did not come from this page. Nothing was changed.",
        "to_my": "To my requests",
    },
}

STATUS = {
    "ru": {"new": "Новая", "open": "В работе", "pending": "Ждёт вашего ответа", "resolved": "Решена",
           "closed": "Закрыта"},
    "en": {"new": "New", "open": "In progress", "pending": "Waiting for your reply", "resolved": "Resolved",
           "closed": "Closed"},
}


def choose_language(asked: str | None, cookie: str | None, accept: str | None, default: str) -> str:
    """The switch (?lang=), then the remembered choice, then the browser's Accept-Language, then the center's."""
    for value in (asked, cookie):
        if value in LANGS:
            return value
    best: tuple[float, str] | None = None
    for part in (accept or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and q > 0 and (best is None or q > best[0]):
            best = (q, primary)
    return best[1] if best else (default if default in LANGS else "en")


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def on_color(color: str) -> str:
    """Text on the center's colour: white or near-black, whichever reads better (WCAG contrast)."""
    return "#ffffff" if contrast(color, "#ffffff") >= contrast(color, "#111111") else "#111111"


def human_size(n: int, lang: str) -> str:
    mb = n / 1_000_000
    return (f"{mb:.0f} МБ" if lang == "ru" else f"{mb:.0f} MB") if mb >= 1 else (
        f"{n // 1000} КБ" if lang == "ru" else f"{n // 1000} KB")

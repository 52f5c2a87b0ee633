"""Knowledge-base articles: every kind of front-matter problem, and search on ten realistic articles, ru and en."""

from __future__ import annotations

import random

import pytest

from postdesk.routing.knowledge import (
    DEFAULT_THRESHOLD,
    Article,
    KnowledgeIndex,
    Suggestion,
    parse_article,
    summary_line,
)

# ---------------------------------------------------------------------------------------------- articles

VPN_RU = """---
title: Не подключается VPN
slug: vpn-ne-podklyuchaetsya
lang: ru
queue: it
category: vpn
tags: [vpn, удалённый доступ, ошибка 809, cisco anyconnect]
summary: Что проверить, если VPN-клиент не подключается.
---
# Не подключается VPN

Если VPN-клиент Cisco AnyConnect не подключается, сначала проверьте, что интернет работает без VPN.

1. Перезапустите клиент и компьютер.
2. Ошибка 809 обычно значит, что домашний роутер блокирует соединение: подключитесь через мобильный интернет.
3. Проверьте, что срок действия пароля не истёк.

Если не помогло, напишите нам и приложите снимок экрана с текстом ошибки.
"""

ARTICLES = {
    "vpn-ne-podklyuchaetsya.md": VPN_RU,
    "vpn-cannot-connect.md": """---
title: VPN does not connect
lang: en
queue: it
category: vpn
tags: [vpn, remote access, anyconnect, error 809]
---
# VPN does not connect

When the Cisco AnyConnect client cannot connect, first check that your internet connection works without VPN.
Restart the client; error 809 usually means your home router blocks the connection.
""",
    "sbros-parolya.md": """---
title: "Сброс пароля"
lang: ru
queue: it
category: accounts
tags: [пароль, учётная запись, блокировка, забыл пароль]
---
Забыли пароль или учётная запись заблокирована? Пароль можно сбросить самостоятельно на портале
https://password.corp.example — понадобится мобильный телефон, указанный в профиле.

Пароль должен быть не короче 12 символов и меняется каждые 90 дней.
""",
    "password-reset.md": """---
title: Resetting your password
lang: en
queue: it
category: accounts
tags: [password, account locked, forgot password]
---
Forgot your password or is your account locked? Reset it yourself at https://password.corp.example with the
mobile phone from your profile. Passwords must be at least 12 characters long and expire every 90 days.
""",
    "printer-ne-pechataet.md": """---
title: Принтер не печатает
lang: ru
queue: it
category: printers
tags: [принтер, печать, очередь печати, замятие бумаги]
---
Если принтер не печатает, проверьте, что он включён и в нём есть бумага. Очистите очередь печати:
**Пуск → Принтеры и сканеры → Открыть очередь**. При замятии бумаги откройте заднюю крышку.
""",
    "zayavlenie-na-otpusk.md": """---
title: Как оформить отпуск
lang: ru
queue: hr
category: vacation
tags: [отпуск, заявление на отпуск, график отпусков, отпуск за свой счёт]
---
Заявление на ежегодный отпуск подаётся не позднее чем за 14 дней до его начала через портал самообслуживания.
Отпуск без сохранения заработной платы (за свой счёт) согласуйте с руководителем.
""",
    "raschetnyj-listok.md": """---
title: Расчётный листок
lang: ru
queue: buh
category: payroll
tags: [зарплата, расчётный лист, начисления, удержания]
---
Расчётный листок за прошедший месяц приходит на почту после выплаты зарплаты. Если листок не пришёл или
начисления кажутся неверными, напишите в бухгалтерию и укажите месяц.
""",
    "gostevoj-propusk.md": """---
title: Гостевой пропуск для посетителя
lang: ru
queue: admin
category: security
tags: [пропуск, гость, посетитель, охрана]
---
Пропуск для гостя заказывается не позднее 17:00 рабочего дня накануне визита. Укажите ФИО посетителя,
дату визита и номер переговорной. Гость получает пропуск на ресепшене по паспорту.
""",
    "komandirovka.md": """---
title: Оформление командировки
lang: ru
queue: hr
category: travel
tags: [командировка, авансовый отчёт, суточные, билеты]
---
Командировка оформляется приказом не позднее чем за 5 рабочих дней до поездки. Билеты и гостиницу бронирует
тревел-отдел. После возвращения сдайте авансовый отчёт с чеками в течение трёх рабочих дней.
""",
    "pochtovyj-yashchik-perepolnen.md": """---
title: Почтовый ящик переполнен
lang: ru
queue: it
category: mail
tags: [почта, квота, outlook, архив]
---
Квота почтового ящика — 10 ГБ. Когда ящик переполнен, письма перестают отправляться. Удалите старые письма с
вложениями или включите архивирование в Outlook.
""",
}


def parsed(text: str, source: str = "kb/ru/some-article.md") -> Article:
    article, problems = parse_article(text, source)
    assert article is not None and problems == (), problems
    return article


def problems_of(text: str, source: str = "kb/ru/some-article.md") -> tuple[str, ...]:
    article, problems = parse_article(text, source)
    assert article is None, article
    return problems


def front(*lines: str, body: str = "Текст статьи.") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex.build(parsed(text, name) for name, text in ARTICLES.items())


def slugs(found: list[Suggestion]) -> list[str]:
    return [s.article.slug for s in found]


# ---------------------------------------------------------------------------------------------- front matter


def test_a_good_file_gives_every_field() -> None:
    a = parsed(VPN_RU, "kb/ru/vpn.md")
    assert a == Article(
        slug="vpn-ne-podklyuchaetsya", title="Не подключается VPN", lang="ru", queue="it", category="vpn",
        tags=("vpn", "удалённый доступ", "ошибка 809", "cisco anyconnect"),
        summary="Что проверить, если VPN-клиент не подключается.", body=VPN_RU.split("---\n", 2)[2].strip("\n"),
        source="kb/ru/vpn.md")
    assert a.body.startswith("# Не подключается VPN\n\nЕсли VPN-клиент")


def test_slug_defaults_to_the_file_name() -> None:
    text = front("title: Принтер", "lang: ru", "queue: it")
    assert parsed(text, "kb/ru/printer-ne-pechataet.md").slug == "printer-ne-pechataet"
    assert parsed(text, r"C:\kb\printer.md").slug == "printer"
    assert parsed(text, "kb/ru/printer2.markdown").slug == "printer2"


@pytest.mark.parametrize("source", ["kb/ru/VPN Setup.md", "kb/ru/_draft.md", "kb/ru/принтер.md"])
def test_a_file_name_that_is_no_slug_needs_a_slug_key(source: str) -> None:
    text = front("title: Принтер", "lang: ru", "queue: it")
    (problem,) = problems_of(text, source)
    assert problem.startswith("slug: the file name ")
    assert parsed(front("title: Принтер", "lang: ru", "queue: it", "slug: printer"), source).slug == "printer"


@pytest.mark.parametrize("slug", ["VPN-setup", "vpn_setup", "-vpn", "vpn setup", "впн"])
def test_bad_slug(slug: str) -> None:
    assert problems_of(front("title: VPN", "lang: ru", "queue: it", f"slug: {slug}")) == (
        f"slug: must be lower-case latin letters, digits and '-', not {slug!r}",)


def test_bad_lang() -> None:
    assert problems_of(front("title: VPN", "lang: de", "queue: it")) == ("lang: must be ru or en, not 'de'",)
    assert parsed(front("title: VPN", "lang: EN", "queue: it")).lang == "en"


@pytest.mark.parametrize(("missing", "problem"), [
    ("title", "title: missing"),
    ("lang", "lang: missing"),
    ("queue", "queue or category: one is required"),
])
def test_required_keys(missing: str, problem: str) -> None:
    lines = {"title": "title: VPN", "lang": "lang: ru", "queue": "queue: it"}
    del lines[missing]
    assert problems_of(front(*lines.values())) == (problem,)


def test_category_alone_will_do_for_queue() -> None:
    a = parsed(front("title: VPN", "lang: ru", "category: vpn"))
    assert (a.queue, a.category) == (None, "vpn")


def test_empty_title() -> None:
    assert problems_of(front('title: ""', "lang: ru", "queue: it")) == ("title: empty",)


def test_unknown_and_repeated_keys_are_problems_but_leave_the_article() -> None:
    article, problems = parse_article(front("title: VPN", "lang: ru", "queue: it", "Author: Пётр", "title: Другое"),
                                      "kb/vpn.md")
    assert problems == ("unknown key 'Author'", "title: given twice")
    assert article is not None and article.title == "VPN"


def test_a_line_that_is_no_key() -> None:
    assert parse_article(front("title: VPN", "lang: ru", "queue: it", "это не ключ"), "kb/vpn.md")[1] == (
        "line 5: expected 'key: value', got 'это не ключ'",)


def test_a_list_where_one_value_belongs() -> None:
    assert problems_of(front("title: VPN", "lang: [ru, en]", "queue: it")) == (
        "lang: must be a single value, not a list",)


def test_no_front_matter() -> None:
    assert problems_of("# VPN\n\nТекст.") == ("no front matter: the file must start with a '---' line",)
    assert problems_of("") == ("no front matter: the file must start with a '---' line",)
    assert problems_of("\n---\ntitle: VPN\n---\n") == ("no front matter: the file must start with a '---' line",)


def test_front_matter_not_closed() -> None:
    assert problems_of("---\ntitle: VPN\nlang: ru\nqueue: it\n# VPN\n") == ("front matter: no closing '---' line",)


def test_tags_with_spaces_quotes_and_commas() -> None:
    a = parsed(front("title: VPN", "lang: ru", "queue: it",
                     """tags: [удалённый доступ, "ошибка 809, 812", 'cisco anyconnect' , vpn, VPN, ]"""))
    assert a.tags == ("удалённый доступ", "ошибка 809, 812", "cisco anyconnect", "vpn")


def test_tags_as_a_block_list_or_without_brackets() -> None:
    block = parsed(front("title: VPN", "lang: ru", "queue: it", "tags:", "  - удалённый доступ", '  - "ошибка 809"'))
    assert block.tags == ("удалённый доступ", "ошибка 809")
    assert parsed(front("title: VPN", "lang: ru", "queue: it", "tags: vpn, удалённый доступ")).tags == (
        "vpn", "удалённый доступ")


def test_unclosed_tag_list() -> None:
    article, problems = parse_article(front("title: VPN", "lang: ru", "queue: it", "tags: [vpn, доступ"), "kb/a.md")
    assert problems == ("tags: unclosed '['",)
    assert article is not None and article.tags == ()


def test_quotes_are_stripped_and_colons_kept() -> None:
    a = parsed(front("title: 'VPN: ошибка 809'", 'lang: "ru"', "queue: it", 'summary: "Коротко: что делать."'))
    assert (a.title, a.lang, a.summary) == ("VPN: ошибка 809", "ru", "Коротко: что делать.")
    assert parsed(front("title: [Важно] VPN", "lang: ru", "queue: it")).title == "[Важно] VPN"


def test_windows_line_ends_a_bom_and_comments() -> None:
    text = "\ufeff---\r\n# a comment\r\ntitle: VPN\r\nlang: ru\r\n\r\nqueue: it\r\n---\r\nПервая строка.\r\nВторая.\r\n"
    a = parsed(text)
    assert (a.title, a.body) == ("VPN", "Первая строка.\nВторая.")


def test_summary_defaults_to_the_first_sentence_without_markdown() -> None:
    body = ("# Не подключается VPN\n\n![схема](vpn.png)Если **VPN-клиент** не [подключается](https://x.example),\n"
            "проверьте `ping 10.0.0.1` и т. д. Потом перезапустите клиент.\n\nВторой абзац.")
    a = parsed(front("title: VPN", "lang: ru", "queue: it", body=body))
    assert a.summary == "Если VPN-клиент не подключается, проверьте ping 10.0.0.1 и т. д."


def test_summary_skips_code_and_tables_and_is_cut_at_200() -> None:
    body = "```\n$ vpn connect\n\nerror 809\n```\n\n| a | b |\n|---|---|\n\n" + "Очень длинное предложение " * 20 + "."
    summary = parsed(front("title: VPN", "lang: ru", "queue: it", body=body)).summary
    assert summary.startswith("Очень длинное предложение") and summary.endswith("…")
    assert len(summary) <= 200


def test_summary_without_body_text_is_the_title() -> None:
    assert parsed(front("title: VPN", "lang: ru", "queue: it", body="# Только заголовок\n")).summary == "VPN"
    assert parsed(front("title: VPN", "lang: ru", "queue: it", body="")).summary == "VPN"


def test_never_raises() -> None:
    """Whatever an editor leaves in a file, the loader gets problems, not an exception."""
    pieces = ["---", "...", "title: VPN", "title:", "lang: ru", "lang: xx", "queue: it", "category:", "tags: [",
              "tags: [a, 'b", 'tags: "a, b"]', "  - item", "- x", "slug: A B", "summary: ''", ":", "key:value",
              "# comment", "", "   ", "[", "'", '"', "\ufeff", "\r", "```", "# Заголовок", "Текст. Ещё.", "| a |"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        article, problems = parse_article(text, rng.choice(["a.md", "", ".md", "A B.md", "x/y/z.md"]))
        assert article is not None or problems
        assert all(isinstance(p, str) and p for p in problems)


def test_summary_line() -> None:
    a = parsed(VPN_RU)
    assert summary_line(a) == "Не подключается VPN — Что проверить, если VPN-клиент не подключается."
    long = parsed(front("title: VPN", "lang: ru", "queue: it", "summary: " + "очень долго и подробно " * 12))
    line = summary_line(long)
    assert len(line) <= 160 and line.endswith("…") and "\n" not in line
    same = parsed(front("title: Сброс пароля", "lang: ru", "queue: it", "summary: Сброс пароля на портале."))
    assert summary_line(same) == "Сброс пароля на портале."


# ---------------------------------------------------------------------------------------------- search


def test_len_and_get(index: KnowledgeIndex) -> None:
    assert len(index) == len(ARTICLES)
    article = index.get("raschetnyj-listok")
    assert article is not None and article.title == "Расчётный листок"
    assert index.get("nope") is None


def test_two_articles_with_one_slug_are_refused() -> None:
    a = parsed(VPN_RU, "kb/ru/a.md")
    with pytest.raises(ValueError, match=r"kb/ru/b\.md"):
        KnowledgeIndex.build([a, parsed(VPN_RU, "kb/ru/b.md")])


@pytest.mark.parametrize(("query", "slug"), [
    ("не подключается впн", "vpn-ne-podklyuchaetsya"),
    ("Не могу подключиться к VPN, ошибка 809", "vpn-ne-podklyuchaetsya"),
    ("ошибка 809", "vpn-ne-podklyuchaetsya"),
    ("расчётного листка за октябрь", "raschetnyj-listok"),
    ("Не пришла расчетка\nЗдравствуйте, не пришел расчетный лист за сентябрь", "raschetnyj-listok"),
    ("зп за октябрь начислили неправильно", "raschetnyj-listok"),
    ("забыла пароль", "sbros-parolya"),
    ("Учетка заблокирована\nНе могу войти, учетная запись заблокирована, пасс вводил правильно.", "sbros-parolya"),
    ("мфу не печатает", "printer-ne-pechataet"),
    ("Принтер на 3 этаже зажевал бумагу", "printer-ne-pechataet"),
    ("Как подать заявление на отпуск?", "zayavlenie-na-otpusk"),
    ("Хочу взять отгул в пятницу за свой счет", "zayavlenie-na-otpusk"),
    ("Нужно заказать пропуск для гостя на завтра", "gostevoj-propusk"),
    ("Еду в командировку, как оформить суточные?", "komandirovka"),
    ("Почта переполнена\nПисьма не отправляются, ящик переполнен", "pochtovyj-yashchik-perepolnen"),
    ("аутлук не отправляет письма", "pochtovyj-yashchik-perepolnen"),
])
def test_russian_mail_finds_its_article_whatever_the_word_forms(index: KnowledgeIndex, query: str, slug: str) -> None:
    found = index.search(query, lang="ru")
    assert slugs(found)[:1] == [slug], found


def test_a_whole_mail_with_greeting_and_signature(index: KnowledgeIndex) -> None:
    mail = ("Re: [SD-1234] Не работает удалённый доступ\n"
            "Коллеги, добрый день!\n\n"
            "Сегодня работаю из дома, запускаю AnyConnect, он долго думает и потом пишет, что соединение не\n"
            "установлено. Ноутбук рабочий, интернет дома есть, сайты открываются. Вчера вечером всё было нормально.\n"
            "Подскажите, пожалуйста, что можно сделать, у меня в 11 совещание.\n\n"
            "Заранее спасибо!\n"
            "Мария Сидорова\n"
            "Отдел кадров: отпуск, командировки, расчётные листки\n")
    found = index.search(mail, lang="ru")
    assert slugs(found) == ["vpn-ne-podklyuchaetsya"]  # the signature's words count for nothing


def test_greetings_alone_find_nothing(index: KnowledgeIndex) -> None:
    assert index.search("Добрый день!\nЗдравствуйте, коллеги! Спасибо.\nС уважением, Иван", lang="ru") == []
    assert index.search("Hello\nHi team, thanks! Best regards, Ann", lang="en") == []


def test_english_mail_finds_the_english_article_first(index: KnowledgeIndex) -> None:
    for lang in ("en", None):
        assert slugs(index.search("VPN won't connect", lang=lang))[:1] == ["vpn-cannot-connect"]
        assert slugs(index.search("Account locked\nI forgot my password and now my account is locked.",
                                  lang=lang))[:1] == ["password-reset"]


def test_the_requests_language_comes_first(index: KnowledgeIndex) -> None:
    assert slugs(index.search("VPN", lang="ru")) == ["vpn-ne-podklyuchaetsya", "vpn-cannot-connect"]
    assert slugs(index.search("VPN", lang="en")) == ["vpn-cannot-connect", "vpn-ne-podklyuchaetsya"]
    # another language only when it clearly fits: an English article for a Russian mail about an error code
    assert slugs(index.search("ошибка 809", lang="ru")) == ["vpn-ne-podklyuchaetsya"]


@pytest.mark.parametrize("query", [
    "сломался стул",
    "Сломался стул\nДобрый день, в переговорной 5 сломался стул, замените пожалуйста.",
    "Корпоратив\nКогда будет новогодний корпоратив?",
    "Кондиционер\nВ кабинете очень жарко, не работает кондиционер",
    "Lunch\nWhere is the nearest canteen?",
])
def test_a_mail_about_something_else_gets_nothing(index: KnowledgeIndex, query: str) -> None:
    assert index.search(query, lang="ru") == []


def test_the_subject_weighs_more_than_the_body(index: KnowledgeIndex) -> None:
    assert slugs(index.search("VPN\nпринтер", lang="ru"))[0] == "vpn-ne-podklyuchaetsya"
    assert slugs(index.search("принтер\nVPN", lang="ru"))[0] == "printer-ne-pechataet"


def test_scores_are_sorted_and_between_the_threshold_and_one(index: KnowledgeIndex) -> None:
    found = index.search("не подключается впн, ошибка 809, пароль", lang="ru", limit=10, threshold=0.0)
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    strict = index.search("не подключается впн, ошибка 809, пароль", lang="ru", limit=10)
    assert strict == [s for s in found if s.score >= DEFAULT_THRESHOLD]
    assert index.search("не подключается впн", threshold=1.01) == []


def test_a_clear_match_scores_high_and_a_vague_one_low(index: KnowledgeIndex) -> None:
    (clear,) = index.search("Не подключается VPN", lang="ru", limit=1)
    assert clear.score > 0.75
    vague = index.search("Сколько стоит месяц аренды?", lang="ru", threshold=0.0)  # "месяц" is in one body
    assert slugs(vague) == ["raschetnyj-listok"] and vague[0].score < DEFAULT_THRESHOLD


def test_limit_is_respected(index: KnowledgeIndex) -> None:
    query = "пароль vpn принтер отпуск пропуск"
    assert len(index.search(query, threshold=0.0)) == 3
    assert len(index.search(query, threshold=0.0, limit=2)) == 2
    assert len(index.search(query, threshold=0.0, limit=100)) > 3
    assert index.search(query, threshold=0.0, limit=0) == []


def test_queue_and_category_break_a_tie() -> None:
    text = front("title: Справка 2-НДФЛ", "lang: ru", "queue: {queue}", "category: {category}",
                 "tags: [справка о доходах]", body="Справку 2-НДФЛ готовят за три рабочих дня.")
    buh = parsed(text.format(queue="buh", category="taxes"), "kb/spravka-buh.md")
    hr = parsed(text.format(queue="hr", category="hr-docs"), "kb/spravka-hr.md")
    index = KnowledgeIndex.build([buh, hr])
    first, second = index.search("Нужна справка 2-НДФЛ")
    assert first.score == second.score and first.article.slug == "spravka-buh"  # a tie: the first article
    by_queue = index.search("Нужна справка 2-НДФЛ", queue="HR")
    assert slugs(by_queue) == ["spravka-hr", "spravka-buh"] and by_queue[0].score > by_queue[1].score
    assert slugs(index.search("Нужна справка 2-НДФЛ", category="hr-docs")) == ["spravka-hr", "spravka-buh"]


def test_an_empty_index_or_query_finds_nothing(index: KnowledgeIndex) -> None:
    assert KnowledgeIndex.build([]).search("VPN") == []
    assert index.search("") == []
    assert index.search("\n\n") == []


PRUNING_WORDS = """
    впн подключиться ошибка 809 пароль учётная запись принтер печать отпуск заявление расчётный лист пропуск гость
    командировка почта ящик переполнен vpn password account locked connect сегодня утром дома интернет компьютер месяц
"""


def test_pruning_never_changes_the_result(index: KnowledgeIndex) -> None:
    """The search skips articles that cannot make the list; the list must equal the one from scoring them all."""
    words = PRUNING_WORDS.split()
    rng = random.Random(11)
    for _ in range(300):
        text = " ".join(rng.sample(words, rng.randint(1, 5))) + "\n" + " ".join(rng.sample(words, rng.randint(0, 15)))
        options = {"lang": rng.choice(["ru", "en", None]), "queue": rng.choice(["it", "hr", None]),
                   "category": rng.choice(["vpn", "payroll", None])}
        limit, threshold = rng.choice([1, 2, 3]), rng.choice([0.0, 0.2, DEFAULT_THRESHOLD, 0.5])
        everything = index.search(text, limit=len(ARTICLES), threshold=0.0, **options)
        expected = [s for s in everything if s.score >= threshold][:limit]
        assert index.search(text, limit=limit, threshold=threshold, **options) == expected

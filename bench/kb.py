"""Knowledge-base search at scale: parse, index build time and memory, and search latency on synthetic articles.

    .venv/bin/python bench/kb.py [--n 10000] [--queries 1000] [--seed 7]

Generates N articles (about 70% Russian, 30% English; titles, tags and Markdown bodies drawn from a few hundred
words, the same for the same seed), parses their Markdown files, builds the index, then times searches with
realistic queries: short subjects, whole mails with greeting, chatter and signature, and mails about nothing
the articles cover. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from postdesk.routing.knowledge import DEFAULT_THRESHOLD, Article, KnowledgeIndex, parse_article  # noqa: E402

# Topic words come in several forms, as mail writes them; a topic is a few of them.
RU_TOPICS = [
    "принтер принтера принтеру мфу картридж картриджа печать печати сканер",
    "vpn впн удалённый доступ подключение подключиться anyconnect токен",
    "пароль пароля сбросить сброс учётная запись учётной записи блокировка заблокирована",
    "отпуск отпуска отгул заявление график отпусков отпускные",
    "зарплата зарплаты расчётный листок листка начисления удержания аванс премия",
    "пропуск пропуска гость гостя посетитель ресепшен охрана",
    "командировка командировки суточные билеты гостиница авансовый отчёт",
    "почта почты ящик ящика квота переполнен outlook письма вложения",
    "1с база базы зуп бухгалтерия права доступа",
    "монитор монитора клавиатура мышь гарнитура ноутбук ноутбука компьютер",
    "больничный больничного лист нетрудоспособности справка",
    "справка справки 2-ндфл доходы налоги вычет",
    "парковка парковке машина автомобиль место",
    "teams тимс звук микрофон камера видеосвязь совещание",
    "папка папке сетевой диск общая доступ чтение запись",
    "программа программы установка установить лицензия администратора",
    "wifi вайфай сеть беспроводная интернет роутер",
    "увольнение уволиться обходной трудовая книжка",
    "кондиционер отопление температура жарко холодно кабинет",
    "телефон телефона сим-карта мобильный корпоративный связь",
    "договор договора согласование подпись служебная записка",
    "счёт счета оплата поставщик платёжка акт сверки",
    "курьер доставка документы отправка конверт",
    "обучение курс тренинг сертификат семинар",
]
EN_TOPICS = [
    "printer printing cartridge scanner print queue paper jam",
    "vpn remote access connect connection anyconnect token",
    "password reset account locked expired login",
    "leave vacation holiday time off annual request",
    "payslip salary payroll deductions bonus advance",
    "badge guest visitor reception security pass",
    "travel trip business hotel tickets per diem expenses",
    "mailbox email quota full outlook attachments",
    "monitor keyboard mouse headset laptop computer",
    "teams audio microphone camera meeting call",
    "shared folder network drive access permissions",
    "software install license administrator rights",
    "wifi wireless network internet router",
    "phone mobile sim card corporate",
]
RU_COMMON_TEXT = ("если нужно можно проверьте напишите укажите обратитесь через портал заявку руководитель сотрудник "
                  "рабочий день срок неделя месяц случае после перед затем сначала снова обычно только новый старый "
                  "отдел кадров бухгалтерия администратор офис этаж здание система сервис настройки ошибка работает "
                  "не работает окно кнопка меню раздел форма файл документ список номер дата время")
RU_COMMON = RU_COMMON_TEXT.split()
EN_COMMON_TEXT = ("if you need can check write please specify contact through portal request manager employee "
                  "working day week month case after before then first again usually only new old department "
                  "office floor building system service settings error works window button menu section form file "
                  "document list number date time")
EN_COMMON = EN_COMMON_TEXT.split()
RU_CHATTER_TEXT = ("сегодня вчера утром с утра пытаюсь хотел уточнить срочно очень коллеги там что-то опять почему "
                   "никак вроде всё было нормально у меня у нас совещание клиент звонок дома третий раз уже "
                   "заранее спасибо подскажите пожалуйста")
RU_CHATTER = RU_CHATTER_TEXT.split()
EN_CHATTER_TEXT = ("today yesterday morning trying wanted to ask urgent really again why somehow it was fine "
                   "meeting client call home third time already please advise thanks in advance")
EN_CHATTER = EN_CHATTER_TEXT.split()
NAMES = ["Иван Петров", "Мария Сидорова", "Ольга Кузнецова", "Алексей Волков", "John Smith", "Anna Brown"]
UNRELATED_RU = ["Сломался стул", "Когда корпоратив?", "Где взять воду для кулера", "Протекает кран на кухне"]
UNRELATED_EN = ["Lunch options", "Where is the canteen?", "Broken chair", "Party on Friday?"]


def words(rng: random.Random, pool: list[str], k: int) -> list[str]:
    """k words, the first of the pool several times more often than the last."""
    return [pool[int(len(pool) * rng.random() ** 2)] for _ in range(k)]


def sentence(rng: random.Random, topic: list[str], common: list[str]) -> str:
    body = [rng.choice(topic) if rng.random() < 0.35 else w for w in words(rng, common, rng.randint(6, 14))]
    return " ".join(body).capitalize() + "."


def make_article(rng: random.Random, number: int) -> tuple[str, str, str]:
    """(file name, Markdown text with front matter, topic) of one synthetic article."""
    lang = "ru" if rng.random() < 0.7 else "en"
    topics, common = (RU_TOPICS, RU_COMMON) if lang == "ru" else (EN_TOPICS, EN_COMMON)
    topic_text = rng.choice(topics)
    topic = topic_text.split()
    title = " ".join(rng.sample(topic, 3)).capitalize()
    tags = sorted({" ".join(rng.sample(topic, rng.randint(1, 2))) for _ in range(rng.randint(2, 6))})
    paragraphs = [" ".join(sentence(rng, topic, common) for _ in range(rng.randint(2, 6)))
                  for _ in range(rng.randint(2, 5))]
    steps = "\n".join(f"{i}. {sentence(rng, topic, common)}" for i in range(1, rng.randint(2, 6)))
    body = (f"# {title}\n\n{paragraphs[0]}\n\n{steps}\n\n" + "\n\n".join(paragraphs[1:])
            + f"\n\nПодробнее: [портал](https://portal.corp.example/kb/{number})\n")
    queue = rng.choice(["it", "hr", "buh", "admin"])
    text = (f"---\ntitle: {title}\nslug: a{number}\nlang: {lang}\nqueue: {queue}\ncategory: c{number % 40}\n"
            f"tags: [{', '.join(tags)}]\n---\n{body}")
    return f"a{number}.md", text, topic_text


def make_query(rng: random.Random, articles: list[Article]) -> tuple[str, str, str | None]:
    """(text, language, slug it came from or None): a short subject, a whole mail, or one about nothing covered."""
    kind = rng.random()
    source = rng.choice(articles)
    ru = source.lang == "ru"
    topic = (source.title + " " + " ".join(source.tags)).lower().split()
    if kind < 0.1:
        return rng.choice(UNRELATED_RU if ru else UNRELATED_EN), source.lang, None
    subject = " ".join(rng.sample(topic, min(len(topic), rng.randint(1, 4))))
    if kind < 0.45:
        return subject, source.lang, source.slug
    chatter, common = (RU_CHATTER, RU_COMMON) if ru else (EN_CHATTER, EN_COMMON)
    lines = [subject, "Добрый день!" if ru else "Hello,", ""]
    for _ in range(rng.randint(1, 5)):
        mix = [rng.choice(topic) if rng.random() < 0.3 else rng.choice(chatter + common)
               for _ in range(rng.randint(5, 16))]
        lines.append(" ".join(mix).capitalize() + rng.choice([".", "?", "!"]))
    lines += ["", "С уважением," if ru else "Best regards,", rng.choice(NAMES), "тел. +7 495 123-45-67"]
    return "\n".join(lines), source.lang, source.slug


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    files = [make_article(rng, i) for i in range(args.n)]
    topic_of = {f"a{i}": topic for i, (_, _, topic) in enumerate(files)}
    size = sum(len(t.encode()) for _, t, _ in files)
    print(f"# {args.n} articles, {size / 1e6:.1f} MB of Markdown, seed {args.seed}")
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")

    started = time.perf_counter()
    parsed = [parse_article(text, name) for name, text, _ in files]
    parse_s = time.perf_counter() - started
    articles = [a for a, _ in parsed if a is not None]
    problems = sum(len(p) for _, p in parsed)
    print(f"parse_article     {parse_s:6.2f} s  ({parse_s * 1e6 / args.n:.0f} µs/article, {problems} problems)")

    started = time.perf_counter()
    index = KnowledgeIndex.build(articles)
    build_s = time.perf_counter() - started
    postings = sum(len(ids) for ids, _ in index._postings.values())
    print(f"build             {build_s:6.2f} s  ({len(index)} articles, {len(index._postings)} terms, "
          f"{postings / len(index):.0f} terms an article; cold stem cache, as at daemon start)")

    tracemalloc.start()
    again = KnowledgeIndex.build(articles)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index memory      {held / 1e6:6.1f} MB held, {peak / 1e6:.1f} MB peak while building (tracemalloc)")
    del again

    queries = [make_query(rng, articles) for _ in range(args.queries)]
    index.search(queries[0][0], lang=queries[0][1])  # warm-up
    times: list[float] = []
    on_topic = quiet = unrelated = 0
    for text, lang, slug in queries:
        started = time.perf_counter()
        found = index.search(text, lang=lang)
        times.append(time.perf_counter() - started)
        if slug is None:
            unrelated += 1
            quiet += not found
        elif found and topic_of[found[0].article.slug] == topic_of[slug]:
            on_topic += 1
    times.sort()
    ms = [t * 1000 for t in times]
    p50, p95 = statistics.median(ms), ms[int(len(ms) * 0.95) - 1]
    print(f"search            p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {ms[-1]:.2f} ms, "
          f"{len(ms) / sum(times):.0f} searches/s  ({len(ms)} queries, limit 3, threshold {DEFAULT_THRESHOLD})")
    print(f"# first suggestion on the mail's topic for {on_topic} of {len(queries) - unrelated} mails drawn from an "
          f"article; nothing offered for {quiet} of {unrelated} about nothing covered")


if __name__ == "__main__":
    main()

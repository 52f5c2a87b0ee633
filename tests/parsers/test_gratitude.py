"""A thanks-only reply must not reopen a resolved ticket; a reply with anything more in it must."""

from __future__ import annotations

import pytest

from postdesk.parsers.gratitude import is_only_thanks

ONLY_THANKS = [
    "Спасибо!",
    "спасибо",
    "Спасибо большое!",
    "Огромное спасибо!!!",
    "Спасибо, всё работает",
    "Спасибо, все заработало :)",
    "спс",
    "Благодарю!",
    "Благодарю за оперативность!",
    "Спасибо за помощь, теперь работает.",
    "Отлично, спасибо!",
    "Супер, спасибо))",
    "Ок, спасибо",
    "👍",
    "Спасибо 🙏",
    "Всё заработало, спасибо большое!",
    "Спасибо, заработало.",
    "Готово, спасибо.",
    "Спасибо, вопрос решён, заявку можно закрывать.",
    "Спасибо, принтер печатает!",
    "Спасибо, почта заработала.",
    "Алексей, спасибо!",
    "Спасибо, Алексей Викторович!",
    "Добрый день!\n\nСпасибо, всё работает.",
    "Добрый день!\n\nСпасибо, всё работает.\n\nС уважением,\nПётр Петров\nведущий бухгалтер\nООО «Ромашка»\n"
    "тел. +7 (495) 123-45-67, доб. 1234",
    "Здравствуйте, Алексей!\nБольшое спасибо, теперь всё открывается.\n--\nПётр",
    "Спасибо!\n\nПётр Петров\nОтдел продаж\n+7 916 123-45-67\np.petrov@corp.example",
    "Спасибо!\n\nОтправлено с iPhone",
    "Спасибо, всё заработало!\nИванова Мария\nмоб 89161234567\nдоб. 2345",
    "Спасибо, всё ок!\n\nС уважением, Иванова Мария",
    "Thanks!",
    "thanks",
    "Thank you!",
    "Thank you so much for the quick fix!",
    "thx",
    "Many thanks, John",
    "Thanks, it works now.",
    "It works now, thank you!",
    "Works, thanks",
    "Great, thanks!",
    "Perfect, thank you.",
    "Cheers!",
    "Thanks, that worked. You can close the ticket.",
    "Got it, thanks!",
    "Thanks a lot, the VPN works now.",
    "Thanks! Outlook works now.",
    "Hi Alex,\n\nthank you, everything works now.\n\nBest regards,\nJohn Smith\nSales Manager\nPhone: +1 555 123 4567",
    "Thanks!\n\nSent from my iPhone",
    "Hello,\nproblem solved, many thanks!\n\n-- \nAnna Green\nwww.corp.example",
    "OK, thanks 👍",
    "Ок",
    "Спасибо,\nПётр",
    "Thanks, please close the ticket.",
    "Спасибо!\nС уважением,\nПётр\n\nP.S. Ещё раз спасибо за оперативность!",
]

NOT_ONLY_THANKS = [
    "",
    "   \n\n",
    "Добрый день!",
    "С уважением,\nПётр Петров",
    "--\nПётр",
    "Спасибо, но VPN всё ещё не работает",
    "Thanks, but it still fails",
    "спасибо, а как настроить принтер?",
    "Спасибо! А можно ещё настроить сканер?",
    "Спасибо, не работает",
    "Спасибо, но ничего не изменилось.",
    "Спасибо, работает, но очень медленно.",
    "Спасибо, почта работает, а вот календарь нет.",
    "Спасибо, принтер перестал работать снова",
    "Спасибо, попробую завтра.",
    "Спасибо, проверю и отпишусь.",
    "Спасибо. Завтра проверю.",
    "Спасибо. Проверю.",
    "Спасибо! Опять ошибка 0x80070005.",
    "Спасибо, работает только через Wi-Fi.",
    "Спасибо, почти всё работает :(",
    "Спасибо за помощь. Ещё у коллеги не запускается 1С, посмотрите, пожалуйста.",
    "Добрый день!\n\nСпасибо, но пароль снова не подходит.\n\nС уважением,\nПётр Петров\nтел. +7 (495) 123-45-67",
    "Спасибо!\nС уважением,\nПётр\n\nP.S. Принтер на 3 этаже опять не печатает.",
    "Спасибо, заработало. Подскажите, как подключить второй монитор",
    "Thanks, how do I set up the printer?",
    "Thank you, but the printer doesn't work",
    "Thanks, it works on my laptop but not on the desktop.",
    "Thanks! Could you also reset my password",
    "Thank you. I will try tomorrow and let you know.",
    "Thanks, I still get the same error.",
    "It works now, except Outlook keeps asking for the password.",
    "Thanks, unfortunately nothing changed.",
    "Works sometimes, thanks",
    "Hi,\n\nthanks, it worked for a day and now fails again.\n\nBest regards,\nJohn",
    "Thanks 👎",
    "Спасибо большое за помощь! Всё заработало, только теперь Outlook каждые десять минут спрашивает пароль, "
    "и ещё у меня не открываются общие папки в проводнике на втором компьютере.",
    "Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! "
    "Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! Спасибо! "
    "Спасибо! Спасибо!",
    "Спасибо, но доступ к папке Бухгалтерия так и не появился.",
    "Спасибо!\nРаботает!\nНо сканер всё так же не сканирует в папку.",
    "Пароль сбросили, спасибо! Вошла, но Outlook всё равно просит пароль каждые 10 минут",
]


@pytest.mark.parametrize("text", ONLY_THANKS)
def test_only_thanks(text: str) -> None:
    assert is_only_thanks(text) is True


@pytest.mark.parametrize("text", NOT_ONLY_THANKS)
def test_real_content(text: str) -> None:
    assert is_only_thanks(text) is False


def test_enough_realistic_cases() -> None:
    assert len(ONLY_THANKS) >= 25
    assert len(NOT_ONLY_THANKS) >= 25

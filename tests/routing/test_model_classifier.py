"""The pure part of learned routing: normalising text, predicting from arrays, the threshold, consulting."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")  # the 'learn' extra

from postdesk.parsers import parse_mail  # noqa: E402
from postdesk.routing import RoutingTable, decide  # noqa: E402
from postdesk.routing.classifier import (  # noqa: E402
    Block,
    Linear,
    char_terms,
    model_text,
    normalize,
    pick_threshold,
    predict,
    word_terms,
)
from postdesk.routing.model import Assignment, Condition, Pattern, Prediction, QueueDef, Rule  # noqa: E402

TABLE = RoutingTable(queues=(QueueDef("it", "IT"), QueueDef("buh", "Бухгалтерия"), QueueDef("general", "Общие")),
                     rules=(Rule("outage", (Condition("body", (Pattern.parse("(?i)outage"),)),),
                                 Assignment(queue="it", priority="high")),
                            Rule("invoices", (Condition("subject", (Pattern.parse("(?i)счёт"),)),),
                                 Assignment(priority="high"), classify=True)),
                     default_queue="general")


def _mail(subject: str, body: str, to: str = "service@corp.example") -> bytes:
    return (f"From: a@corp.example\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <m@corp.example>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def test_names_numbers_and_references_are_normalised_away() -> None:
    text = normalize("Re: SD-12 звоните +7 (495) 123-45-67, пишите ivan.petrov@corp.example, "
                     "см. https://portal.corp.example/x?y=1 — сумма 12 500,00 ₽, Ёлка")
    assert "refx" in text and "phonex" in text and "mailx" in text and "urlx" in text and "numx" in text
    assert "ivan" not in text and "495" not in text and "portal" not in text
    assert "елка" in text  # ё is е, lower case


def test_quotes_and_signature_are_not_learned_from() -> None:
    text = model_text("Отпускные", "Когда придут отпускные?\n\n-- \nИван Петров\nглавный бухгалтер\n\n"
                      "> вчерашний ответ про принтер\n")
    assert "отпускные" in text and "принтер" not in text


def test_word_terms_stem_and_pair_and_char_terms_carry_morphology() -> None:
    words = word_terms(normalize("отпускные отпуска"))
    assert "отпускн" in words and "отпуск" in words and "отпускн отпуск" in words
    chars = char_terms("зп")
    assert chars == [" з", "зп", "п ", " зп", "зп ", " зп "]


def _model(threshold: float = 0.6) -> Linear:
    vocab = {"принтер": 0, "зарплат": 1}
    weights = np.array([[2.0, -2.0], [-2.0, 2.0]], dtype=np.float32)  # rows: terms, columns: it, buh
    return Linear(("it", "buh"), (Block("words", vocab, np.ones(2, dtype=np.float32), 0),), weights,
                  np.zeros(2, dtype=np.float32), 2.0, threshold)


def test_predict_from_arrays_gives_the_best_label_its_probability_and_the_guesses() -> None:
    p = predict(_model(), normalize("Принтер"))
    assert p.label == "it" and p.routed and p.confidence == pytest.approx(1 / (1 + np.exp(-8)), abs=1e-4)
    assert [q for q, _ in p.top] == ["it", "buh"]
    assert predict(_model(threshold=0.99999), "принтер").routed is False


def test_a_mail_with_no_known_word_is_never_routed() -> None:
    p = predict(_model(threshold=0.0), normalize("Γειά σου"))
    assert p.routed is False and p.confidence == pytest.approx(0.5)


def test_threshold_is_the_lowest_confidence_reaching_the_precision() -> None:
    conf = [0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5]
    right = [True, True, True, True, False, True, False]
    op = pick_threshold(conf, right, 0.8)
    assert op.threshold == 0.6 and op.precision == pytest.approx(5 / 6) and op.coverage == pytest.approx(6 / 7)
    assert pick_threshold(conf, right, 1.0).threshold == 0.8
    assert pick_threshold([0.9, 0.9], [True, False], 0.95).threshold > 1  # nothing reaches it: routes nothing


def test_ties_go_in_or_out_together() -> None:
    op = pick_threshold([0.9, 0.7, 0.7], [True, True, False], 0.9)
    assert op.threshold == 0.9 and op.coverage == pytest.approx(1 / 3)


SURE = Prediction("buh", 0.93, True, (("buh", 0.93), ("it", 0.05), ("general", 0.02)))
UNSURE = Prediction("buh", 0.41, False, (("buh", 0.41), ("it", 0.35), ("general", 0.24)))


def test_the_model_routes_only_what_no_rule_decided() -> None:
    d = decide(parse_mail(_mail("Акт сверки", "Пришлите акт")), TABLE, predict=lambda _m: SURE)
    assert d.queue == "buh" and d.model == "buh 0.93" and d.trace[-1] == "model: buh 0.93"
    ruled = decide(parse_mail(_mail("Сервер", "outage since 9")), TABLE, predict=lambda _m: SURE)
    assert ruled.queue == "it" and ruled.model is None
    addressed = decide(parse_mail(_mail("Акт", "Пришлите акт", to="it@corp.example")),
                       RoutingTable((*TABLE.queues[:1], QueueDef("x", "X", ("it@corp.example",))), (), "general"),
                       predict=lambda _m: SURE)
    assert addressed.model is None  # written to a department's own address: that is routing enough


def test_below_the_threshold_the_default_queue_keeps_it_with_the_guesses() -> None:
    d = decide(parse_mail(_mail("Вопрос", "Подскажите")), TABLE, predict=lambda _m: UNSURE)
    assert d.queue == "general" and d.model is None and d.guesses == UNSURE.top
    assert "guesses:  buh 0.41, it 0.35, general 0.24" in d.explain()


def test_a_rule_with_classify_lets_the_model_pick_the_queue_and_keeps_the_rest() -> None:
    d = decide(parse_mail(_mail("Счёт на оплату", "Оплатите")), TABLE, predict=lambda _m: SURE)
    assert d.rule == "invoices" and d.queue == "buh" and d.priority == "high"


def test_a_label_that_is_no_longer_a_queue_is_not_routed_to() -> None:
    gone = Prediction("legal", 0.99, True, (("legal", 0.99),))
    d = decide(parse_mail(_mail("Договор", "Посмотрите")), TABLE, predict=lambda _m: gone)
    assert d.queue == "general" and "no such queue" in d.trace[-1]

"""Agents' `#commands` turned into a plan: every alias, every kind of mistake, and the exact changes of a valid mix."""

from __future__ import annotations

import pytest

from postdesk.parsers.commands import split_commands
from postdesk.parsers.model import Command
from postdesk.routing.commands import PROBLEMS, VALID_FORMS, AgentRef, Change, CommandPlan, plan_commands

AGENTS = (
    AgentRef("ivanov@corp.example", "Иван Иванов"),
    AgentRef("petrova@corp.example", "Мария Петрова"),
    AgentRef("sidorov@corp.example", "Иван Сидоров"),
    AgentRef("a.volkov@corp.example", "Алексей Волков"),
    AgentRef("fedorov@corp.example", "Пётр Фёдоров"),
)
QUEUES = ("it", "hr", "buh", "Закупки")
ME = "a.volkov@corp.example"


def cmd(line: str) -> Command:
    commands, _ = split_commands(line)
    assert len(commands) == 1, line
    return commands[0]


def plan(*lines: str, agent: str = ME) -> CommandPlan:
    return plan_commands([cmd(x) for x in lines], agent=agent, agents=AGENTS, queues=QUEUES)


def changes(*lines: str, agent: str = ME) -> tuple[Change, ...]:
    p = plan(*lines, agent=agent)
    assert p.ok, p.errors
    return p.changes


def problem(*lines: str, agent: str = ME) -> str:
    p = plan(*lines, agent=agent)
    assert not p.ok
    assert len(p.errors) == 1, p.errors
    return p.errors[0].problem


# ---------------------------------------------------------------------------------------------- status


@pytest.mark.parametrize(("line", "status"), [
    ("#resolve", "resolved"), ("#решено", "resolved"), ("#решена", "resolved"), ("#решить", "resolved"),
    ("#Resolve", "resolved"), ("#РЕШЕНО", "resolved"),
    ("#close", "closed"), ("#закрыть", "closed"), ("#закрыто", "closed"), ("#закрыта", "closed"),
    ("#reopen", "open"), ("#open", "open"), ("#открыть", "open"),
])
def test_status_shortcuts(line: str, status: str) -> None:
    assert changes(line) == (Change("status", status),)


@pytest.mark.parametrize(("value", "status"), [
    ("open", "open"), ("pending", "pending"), ("resolved", "resolved"), ("closed", "closed"), ("Pending", "pending"),
    ("открыта", "open"), ("открыто", "open"), ("открыт", "open"),
    ("ожидание", "pending"), ("ожидает", "pending"),
    ("решена", "resolved"), ("решено", "resolved"), ("решён", "resolved"), ("решен", "resolved"),
    ("Решён", "resolved"),
    ("закрыта", "closed"), ("закрыто", "closed"), ("закрыт", "closed"),
])
def test_status_values_english_and_russian(value: str, status: str) -> None:
    assert changes(f"#status {value}") == (Change("status", status),)
    assert changes(f"#статус {value}") == (Change("status", status),)


def test_unknown_status_is_named() -> None:
    assert problem("#status done").startswith('unknown status "done"')
    assert problem("#статус выполнена").startswith('unknown status "выполнена"')


@pytest.mark.parametrize("line", ["#resolve now", "#закрыть пожалуйста", "#open SD-12"])
def test_status_shortcut_with_argument_is_an_error(line: str) -> None:
    assert "takes no argument" in problem(line)


# ---------------------------------------------------------------------------------------------- assign


@pytest.mark.parametrize("who", ["me", "Me", "я", "мне", "себе", "Себе"])
def test_assign_me_is_the_writing_agent(who: str) -> None:
    assert changes(f"#assign {who}") == (Change("assignee", ME),)
    assert changes(f"#назначить {who}") == (Change("assignee", ME),)


def test_assign_me_uses_the_writer_address_lower_cased() -> None:
    assert changes("#assign me", agent="Petrova@Corp.Example") == (Change("assignee", "petrova@corp.example"),)


def test_assign_me_by_someone_who_is_not_an_agent() -> None:
    assert "is not an agent" in problem("#assign me", agent="ivan.petrov@corp.example")


@pytest.mark.parametrize("who", [
    "petrova@corp.example", "Petrova@CORP.example", "<petrova@corp.example>", "Мария Петрова <petrova@corp.example>",
    "Мария Петрова", "мария петрова", "МАРИЯ ПЕТРОВА", "Петрова", "петрова", "Мария", "Петрова Мария", "petrova",
])
def test_assign_by_address_name_or_surname(who: str) -> None:
    assert changes(f"#assign {who}") == (Change("assignee", "petrova@corp.example"),)


@pytest.mark.parametrize("who", ["Иванов", "иван иванов", "Иван Иванов", "Иванов Иван"])
def test_assign_ivanov_by_surname_or_full_name(who: str) -> None:
    assert changes(f"#назначить {who}") == (Change("assignee", "ivanov@corp.example"),)


@pytest.mark.parametrize("who", ["Пётр Фёдоров", "Петр Федоров", "федоров", "Фёдоров"])
def test_assign_treats_yo_and_e_alike(who: str) -> None:
    assert changes(f"#assign {who}") == (Change("assignee", "fedorov@corp.example"),)


def test_ambiguous_first_name_names_the_candidates() -> None:
    p = problem("#assign Иван")
    assert "ambiguous" in p
    assert "Иван Иванов <ivanov@corp.example>" in p
    assert "Иван Сидоров <sidorov@corp.example>" in p
    assert "petrova" not in p


def test_unknown_name_and_unknown_address() -> None:
    assert problem("#assign Смирнов") == 'no agent matches "Смирнов"'
    assert problem("#assign ivan.petrov@corp.example") == 'no agent has the address "ivan.petrov@corp.example"'


def test_assign_without_argument() -> None:
    assert problem("#assign") == "#assign needs an argument"
    assert problem("#назначить") == "#назначить needs an argument"


# ------------------------------------------------------------------------------------ priority, queue, category


@pytest.mark.parametrize(("value", "priority"), [
    ("low", "low"), ("normal", "normal"), ("high", "high"), ("urgent", "urgent"), ("HIGH", "high"),
    ("низкий", "low"), ("обычный", "normal"), ("нормальный", "normal"), ("средний", "normal"),
    ("высокий", "high"), ("Высокий", "high"), ("срочный", "urgent"), ("критичный", "urgent"),
])
def test_priority_values(value: str, priority: str) -> None:
    assert changes(f"#priority {value}") == (Change("priority", priority),)
    assert changes(f"#приоритет {value}") == (Change("priority", priority),)


def test_unknown_priority() -> None:
    assert problem("#приоритет сверхсрочно").startswith('unknown priority "сверхсрочно"')
    assert problem("#priority") == "#priority needs an argument"


@pytest.mark.parametrize(("value", "queue"), [("it", "it"), ("IT", "it"), ("Buh", "buh"), ("закупки", "Закупки")])
def test_queue_is_matched_case_insensitively_to_its_canonical_name(value: str, queue: str) -> None:
    assert changes(f"#queue {value}") == (Change("queue", queue),)
    assert changes(f"#очередь {value}") == (Change("queue", queue),)


def test_unknown_queue_lists_the_known_ones() -> None:
    assert problem("#queue sales") == 'unknown queue "sales" (known: it, hr, buh, Закупки)'
    assert problem("#очередь") == "#очередь needs an argument"


def test_category_is_any_text_stripped() -> None:
    assert changes("#category   VPN / удалённый доступ  ") == (Change("category", "VPN / удалённый доступ"),)
    assert changes("#категория Принтеры") == (Change("category", "Принтеры"),)
    assert problem("#category") == "#category needs an argument"


# ---------------------------------------------------------------------------------------------- note, cc


@pytest.mark.parametrize("line", ["#note", "#заметка", "#внутреннее", "#NOTE"])
def test_note_makes_the_reply_internal(line: str) -> None:
    p = plan(line)
    assert p.ok
    assert p.note is True
    assert p.changes == ()


def test_no_note_by_default() -> None:
    assert plan("#resolve").note is False


def test_note_with_argument_is_an_error() -> None:
    assert problem("#note только для своих") == "#note takes no argument"


@pytest.mark.parametrize(("value", "expected"), [
    ("buh@corp.example", ("buh@corp.example",)),
    ("M.Ivanova@Corp.Example", ("m.ivanova@corp.example",)),
    ("<hr@corp.example>", ("hr@corp.example",)),
    ("a@corp.example, b@corp.example", ("a@corp.example", "b@corp.example")),
])
def test_cc_addresses_lower_cased(value: str, expected: tuple[str, ...]) -> None:
    assert changes(f"#cc {value}") == tuple(Change("cc", e) for e in expected)
    assert changes(f"#копия {value}") == tuple(Change("cc", e) for e in expected)


@pytest.mark.parametrize("value", ["бухгалтерия", "ivanov@", "@corp.example", "ivanov@corp", "a..b@corp.example",
                                   "ivanov@corp.example, петрова"])
def test_cc_needs_a_valid_address(value: str) -> None:
    assert "is not an email address" in problem(f"#cc {value}")


OURS = frozenset({"service@corp.example", "hr@corp.example"})


@pytest.mark.parametrize("value", ["service@corp.example", "Service+SD-12@corp.example", "HR@corp.example",
                                   "a@x.example, HR@corp.example"])
def test_cc_of_the_desks_own_address_is_refused(value: str) -> None:
    # it would never get a copy (the desk does not mail itself): the agent is told so instead of a silent no-op
    p = plan_commands([cmd(f"#cc {value}")], agent=ME, agents=AGENTS, queues=QUEUES, ours=OURS)
    assert not p.ok and p.changes == ()
    assert "one of the desk's own addresses" in str(p.errors[0].why)


@pytest.mark.parametrize("value", ["petrova@corp.example", "<Ivanov@Corp.Example>"])
def test_cc_of_an_agent_is_refused(value: str) -> None:
    p = plan_commands([cmd(f"#cc {value}")], agent=ME, agents=AGENTS, queues=QUEUES, ours=OURS)
    assert not p.ok and "is an agent" in str(p.errors[0].why)
    assert changes("#cc m.ivanova@corp.example") == (Change("cc", "m.ivanova@corp.example"),)  # a colleague: added


def test_several_cc_lines_add_up() -> None:
    assert changes("#cc a@corp.example", "#cc b@corp.example", "#cc A@corp.example") == (
        Change("cc", "a@corp.example"), Change("cc", "b@corp.example"))


def test_cc_without_argument() -> None:
    assert problem("#копия") == "#копия needs an argument"


# ---------------------------------------------------------------------------------------------- plan


def test_unknown_command() -> None:
    p = plan("#resolve", "#escalate")
    assert [(e.line, e.problem) for e in p.errors] == [("#escalate", "unknown command #escalate")]
    assert not p.ok
    assert problem("#Эскалировать") == "unknown command #эскалировать"


def test_error_keeps_the_line_as_written() -> None:
    p = plan("  #Priority   сверхсрочно ")
    assert p.errors[0].line == "#Priority   сверхсрочно"


def test_conflicting_values_are_an_error() -> None:
    p = plan("#resolve", "#close")
    assert not p.ok
    assert [(e.line, e.problem) for e in p.errors] == [
        ("#close", 'conflicts with "#resolve": status cannot be both resolved and closed')]
    assert "conflicts" in problem("#priority high", "#приоритет низкий")
    assert "conflicts" in problem("#assign me", "#assign Петрова")


def test_duplicates_with_the_same_value_are_kept_once() -> None:
    assert changes("#resolve", "#статус решена", "#решено") == (Change("status", "resolved"),)
    assert changes("#assign me", "#назначить Волков") == (Change("assignee", ME),)


def test_every_error_is_reported_and_changes_may_still_be_listed() -> None:
    p = plan("#resolve", "#priority сверхсрочно", "#queue sales", "#frobnicate")
    assert not p.ok
    assert [e.line for e in p.errors] == ["#priority сверхсрочно", "#queue sales", "#frobnicate"]
    assert p.changes == (Change("status", "resolved"),)


def test_valid_mix_gives_the_exact_changes_in_order() -> None:
    text = ("#приоритет высокий\n#Очередь IT\n#assign Петрова\n#категория Доступ к 1С\n#cc buh@corp.example\n"
            "#заметка\n#resolve\n\nМария, посмотри, пожалуйста.\n#это уже не команда")
    commands, rest = split_commands(text)
    p = plan_commands(commands, agent=ME, agents=AGENTS, queues=QUEUES)
    assert p == CommandPlan(
        changes=(
            Change("priority", "high"),
            Change("queue", "it"),
            Change("assignee", "petrova@corp.example"),
            Change("category", "Доступ к 1С"),
            Change("cc", "buh@corp.example"),
            Change("status", "resolved"),
        ),
        note=True,
        errors=(),
    )
    assert p.ok
    assert rest.startswith("Мария")


def test_no_commands_is_an_empty_ok_plan() -> None:
    assert plan_commands((), agent=ME, agents=AGENTS, queues=QUEUES) == CommandPlan((), False, ())


def test_unknown_agent_list_and_queue_list_empty() -> None:
    p = plan_commands([cmd("#assign me"), cmd("#queue it")], agent=ME, agents=(), queues=())
    assert [e.problem for e in p.errors] == [f'"{ME}" is not an agent, so cannot be assigned',
                                             'unknown queue "it" (known: none)']


def test_valid_forms_cover_every_command() -> None:
    joined = "\n".join(VALID_FORMS)
    for word in ("#status", "#resolve", "#close", "#reopen", "#assign", "#priority", "#queue", "#category", "#note",
                 "#cc", "#статус", "#назначить", "#приоритет", "#очередь", "#категория", "#заметка", "#копия"):
        assert word in joined


def test_errors_are_explained_in_the_language_the_commands_were_written_in() -> None:
    assert plan("#статус сделано").language("en") == "ru"
    assert plan("#status done").language("en") == "en"
    assert plan("#status done").language("ru") == "ru"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_problem_is_phrased_in_every_language(lang: str) -> None:
    """The error mail phrases each problem code itself: a code missing from a language would fail at send time."""
    from postdesk.templates.render import Renderer

    mod = Renderer().env.get_template(f"{lang}/labels.j2").module
    phrased = mod.command_problem  # type: ignore[attr-defined]
    assert set(phrased) == set(PROBLEMS)
    for code, text in phrased.items():  # as many placeholders as the English text
        assert text.count("{") <= PROBLEMS[code].count("{") and text.format(*"abcd")

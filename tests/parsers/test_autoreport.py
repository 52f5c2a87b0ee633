"""A program's report with no automatic-mail header (parsers/autoreport.py): bulk, and a person's paste a ticket.

The people round 2 found a cron mail, an Alertmanager alert and a Veeam job report taken for people's requests
(tests/parsers/test_people_blind_r2.py). The machines below are other schedulers and monitors in the layouts they
write; the people are those who paste the same records with a word of their own, sign them, or write from a
mailbox under their name, and a web form that relays a visitor's fields. Each side is checked through parse_mail.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"it@corp.example", "service@corp.example"}))


def _mail(sender: str, subject: str, body: str, *headers: str) -> bytes:
    head = "".join(f"{h}\n" for h in headers)
    return (f"From: {sender}\nTo: it@corp.example\nSubject: {subject}\nMessage-ID: <r@x.example>\n{head}"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}").encode()


ZABBIX_RECORDS = ("Problem started at 10:00:05 on 2026.12.07\nProblem name: Free disk space is less than 5% on "
                  "/mnt/share\nHost: srv-files\nSeverity: High\nOperational data: 3.1 %\nOriginal problem ID: 58812\n")

ORDER = "Товар: бумага А4 SvetoCopy\nКоличество: 50 пачек\nДоставка: до 15.12\nАдрес: Казань, ул. Баумана, 44\n"
PAID = "Оплачено: 07.12.2026 10:14:22, п/п 1877\n"

MACHINES = {
    # cronie: a root job's output, with X-Cron-Env (and nothing else that says automatic)
    "cronie_job_output": _mail(
        "root <root@srv-1c.corp.example>", "Cron <root@srv-1c> /usr/local/bin/rotate-1c-logs",
        "gzip: /var/log/1c/rphost_2026120700.log: No such file or directory\n",
        "X-Cron-Env: <XDG_SESSION_ID=4412>", "X-Cron-Env: <SHELL=/bin/sh>", "X-Cron-Env: <LOGNAME=root>"),
    # Zabbix's default problem message from a bare sender address
    "zabbix_problem": _mail("zabbix@corp.example", "Problem: Free disk space is less than 5% on /mnt/share",
                            ZABBIX_RECORDS),
    # the same under the mailbox's own word for a name (Zabbix's media type with a sender name set so)
    "zabbix_named_as_its_mailbox": _mail("Zabbix <zabbix@corp.example>", "Problem: srv-files is unavailable by ICMP",
                                         ZABBIX_RECORDS),
    # Nagios's notify-service-by-email: a banner, then records
    "nagios_service_alert": _mail(
        "nagios@monitor.corp.example", "** PROBLEM Service Alert: srv-1c-02/1C Cluster is CRITICAL **",
        "***** Nagios *****\n\nNotification Type: PROBLEM\n\nService: 1C Cluster\nHost: srv-1c-02\n"
        "Address: 10.20.2.12\nState: CRITICAL\n\nDate/Time: Mon Dec 7 10:02:11 MSK 2026\n\nAdditional Info:\n\n"
        "CRITICAL - Socket timeout after 10 seconds\n"),
    # a backup script's summary table, tab-separated, from the backup server's bare address
    "backup_script_table": _mail(
        "backup@srv-nas.corp.example", "Backup report 2026-12-07",
        "Job\tStatus\tSize\tDuration\nbuh-share\tOK\t12.4 GB\t00:14:02\nhr-share\tOK\t3.1 GB\t00:03:40\n"
        "1c-dumps\tFAILED\t0\t00:00:02\n"),
}

PEOPLE = {
    # the same Zabbix records pasted under a colleague's name, with nothing of her own
    "zabbix_records_under_a_name": _mail("Анна Котова <a.kotova@corp.example>", "srv-files", ZABBIX_RECORDS),
    # pasted from a bare address, with a request below the records
    "records_and_a_request": _mail("sklad@corp.example", "Диск", ZABBIX_RECORDS
                                   + "\nПочистите, пожалуйста, общую папку.\n"),
    # a web form relaying a visitor's fields under the visitor's name (zammad's contact form, in Russian)
    "contact_form_under_visitors_name": _mail(
        "Рустам Хабибуллин <r.khabibullin@client.example>", "Новое обращение с сайта",
        "Новое обращение:\n==========\nИмя: Рустам\nФамилия: Хабибуллин\nТелефон: +7 900 000-00-00\n"
        "Компания: ООО Восток\nГород: Казань\n", "X-PHP-Originating-Script: 33:contact.php"),
    # a bare address, records and one sentence of thanks above a quoted header block
    "thanks_above_header_block": _mail(
        "k.ivanov@partner.example", "Re: order 77",
        "Thank you very much for the quick fix.\n\nFrom: IT desk\nSent: Monday, December 7, 2026 10:00\n"
        "To: k.ivanov@partner.example\nSubject: order 77\n"),
    # HR's new-hire access request typed as fields, from a bare but personal mailbox (no name set in the client)
    "new_hire_fields_personal_mailbox": _mail(
        "o.smirnova@corp.example", "Новый сотрудник 14.12",
        "ФИО: Петров Иван Сергеевич\nДолжность: менеджер по продажам\nОтдел: продажи, Казань\nДата выхода: 14.12.2026\n"
        "Доступы: 1С, почта, VPN\nНоутбук: да\n"),
    # a shop's order typed as fields from a one-word mailbox with no name, the bank's payment time pasted in:
    # greeted, signed or thanked; and the bare fields with no time a program stamps
    "shop_order_greeted": _mail("zakaz@shop-kazan.example", "Заказ", "Здравствуйте!\n\n" + ORDER + PAID),
    "shop_order_signed": _mail("zakaz@shop-kazan.example", "Заказ", ORDER + PAID + "\nРустам Хабибуллин\n"),
    "shop_order_thanks": _mail("zakaz@shop-kazan.example", "Заказ", ORDER + PAID + "\nСпасибо!\n"),
    "shop_order_fields_only": _mail("zakaz@shop-kazan.example", "Заказ бумаги", ORDER),
    # a person's terse notice from a bare address: sentences, not records
    "terse_notice_bare_address": _mail("t.galiev@corp.example", "srv-1c-02",
                                       "Сервер недоступен с 10:00.\nЛоги во вложении.\nСтатус: критично.\n"),
}


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_a_programs_report_without_an_automatic_header_is_bulk(name: str) -> None:
    m = parse_mail(MACHINES[name], OPTIONS)
    assert m.auto is not None and m.auto.kind == "bulk", m.auto


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_a_person_who_pastes_or_types_records_gets_a_ticket(name: str) -> None:
    m = parse_mail(PEOPLE[name], OPTIONS)
    assert m.auto is None, m.auto

"""The knowledge folder on disk: broken files are reported and left out; edits show up without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

import postdesk.daemon.knowledge as knowledge
from postdesk.daemon.knowledge import KnowledgeBase, load_articles

VPN = """---
title: Не подключается VPN
lang: ru
queue: it
tags: [vpn, ошибка 809]
summary: Что проверить, если VPN не подключается.
---
Проверьте интернет, перезапустите клиент VPN и попробуйте снова. Ошибка 809 — порт закрыт у провайдера.
"""
PRINTER = """---
title: Принтер не печатает
lang: ru
queue: it
tags: [принтер, печать, очередь печати]
---
Очистите очередь печати и перезапустите принтер.
"""


def test_broken_files_are_reported_and_left_out(tmp_path: Path) -> None:
    (tmp_path / "vpn.md").write_text(VPN, encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: Без языка\nqueue: it\n---\nТекст.\n", encoding="utf-8")
    (tmp_path / "zz-copy.md").write_text(VPN.replace("title:", "slug: vpn\ntitle:"), encoding="utf-8")
    articles, problems = load_articles(tmp_path)
    assert [a.slug for a in articles] == ["vpn"]
    assert any(p.startswith("bad.md: ") and "lang" in p for p in problems)
    assert any(p.startswith("zz-copy.md: slug 'vpn' is already used by vpn.md") for p in problems)


def test_an_edit_on_disk_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge, "CHECK_SECONDS", 0.0)
    (tmp_path / "vpn.md").write_text(VPN, encoding="utf-8")
    kb = KnowledgeBase(tmp_path)
    assert not kb.index().search("Принтер не печатает, очередь печати зависла", lang="ru")
    (tmp_path / "printer.md").write_text(PRINTER, encoding="utf-8")
    found = kb.index().search("Принтер не печатает, очередь печати зависла", lang="ru")
    assert [s.article.slug for s in found] == ["printer"]

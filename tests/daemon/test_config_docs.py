"""The README's configuration reference names every key the loader accepts, under that key's own section:
an option that exists but is not documented is one nobody can find, and a documented one that does not
exist gives a config error to whoever copies it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postdesk.daemon import config as config_module
from postdesk.daemon.config import load_config

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "postdesk.toml"


def accepted_keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Section -> the keys the loader takes there, as it states them itself while it reads the example."""
    seen: dict[str, set[str]] = {}
    reader = config_module._Reader

    def spy(method: Any) -> Any:
        def record(self: Any, data: dict[str, Any], key: str, allowed: set[str]) -> Any:
            seen.setdefault(key, set()).update(allowed)
            return method(self, data, key, allowed)
        return record

    monkeypatch.setattr(reader, "table", spy(reader.table))
    monkeypatch.setattr(reader, "array", spy(reader.array))
    monkeypatch.setenv("POSTDESK_SECRET", "a-long-enough-secret-value")
    load_config(EXAMPLE)
    return seen


def documented() -> dict[str, str]:
    """Section -> the README text under its `### \\`[section]\\`` heading(s) of the configuration reference."""
    text = README.read_text(encoding="utf-8")
    reference = text[text.index("## Configuration reference"):]
    reference = reference[:reference.index("\n## ", 5)]
    sections: dict[str, str] = {}
    for heading, body in re.findall(r"^### (.+?)\n(.*?)(?=^### |\Z)", reference, flags=re.S | re.M):
        for name in re.findall(r"`\[\[?([a-z_]+)\]?\]`", heading):
            sections[name] = sections.get(name, "") + body
    return sections


_KEY = re.compile(r"(?:([a-z_]+)(?:\[\])?\.)?([a-z_0-9]+)\b")  # `key`, `news.dir`, `digests[].name`, `key = 5`


def key_mentions(body: str) -> Iterator[str]:
    yield from re.findall(r"^#?\s*([a-z_0-9]+)\s*=", body, flags=re.M)  # a line of a TOML example, or commented out
    for span in re.findall(r"`([^`\n]+)`", body):  # a table row's key, or a key named in the prose
        if m := _KEY.match(span):
            yield m.group(2)


def row_keys(body: str, section: str) -> Iterator[str]:
    """The keys a section's table rows document; `digests[].name` in a shared table belongs to `digests`."""
    for row in re.findall(r"^\| (`[^|]+)\|", body, flags=re.M):
        for span in re.findall(r"`([^`]+)`", row):
            if (m := _KEY.match(span)) and m.group(1) in (None, section):
                yield m.group(2)


def test_every_accepted_key_is_documented_in_its_section(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = documented()
    missing = []
    for section, keys in sorted(accepted_keys(monkeypatch).items()):
        if section not in docs:
            missing.append(f"[{section}] has no section in the configuration reference")
            continue
        mentioned = set(key_mentions(docs[section]))
        missing += [f"[{section}] {key}" for key in sorted(keys - mentioned)]
    assert not missing, "undocumented in README's configuration reference:\n" + "\n".join(missing)


def test_every_documented_table_row_is_a_key_the_loader_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    accepted = accepted_keys(monkeypatch)
    unknown = [f"[{section}] {key}" for section, body in documented().items() if section in accepted
               for key in row_keys(body, section) if key not in accepted[section]]
    assert not unknown, "README documents keys the loader refuses:\n" + "\n".join(unknown)

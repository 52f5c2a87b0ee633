"""The README's configuration reference names every key the loader accepts, under that key's own section:
an option that exists but is not documented is one nobody can find, and a documented one that does not
exist gives a config error to whoever copies it."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from postdesk.daemon.config import Config, load_config
from postdesk.daemon.config.reader import Reader
from postdesk.daemon.config.schema import default

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "postdesk.toml"


def accepted_keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Section -> the keys the loader takes there, as it states them itself while it reads the example."""
    seen: dict[str, set[str]] = {}
    reader = Reader

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


# -- the defaults the README states are the schema's

MINIMAL = '[service]\naddress = "service@corp.example"\nsecret = "0123456789abcdef0123"\n{service}' \
          '[[queues]]\nname = "general"\n'
ENTRY = {  # the keys an entry of an array section needs before a default can be tried on it
    "agents": 'address = "agent@corp.example"\n',
    "mailboxes": 'name = "hr"\nhost = "imap.corp.example"\nusername = "hr"\npassword = "x"\n',
    "digests": 'name = "weekly"\nschedule = "mon 09:00"\n',
}


def stated_defaults() -> Iterator[tuple[str, str, str]]:
    """(section, key, the literal) for each table row whose default is one TOML value (`5`, `"25MB"`,
    `[]`); prose defaults ("required", "the domain of `service.address`") are left to the loader's tests."""
    for section, body in documented().items():
        for row in re.findall(r"^\| `([^`|]+)` \| `([^`|]+)` \|", body, flags=re.M):
            m = _KEY.fullmatch(row[0])
            if m is None or m.group(1) not in (None, section):
                continue
            try:
                tomllib.loads(f"v = {row[1]}")
            except tomllib.TOMLDecodeError:
                continue
            yield (m.group(1) or section, m.group(2), row[1])


def config_with(tmp_path: Path, section: str, line: str) -> Config:
    """A minimal config with one line in `section` (an entry of its own for an array section)."""
    if section == "service":
        text = MINIMAL.format(service=line)
    elif section in ENTRY:
        text = MINIMAL.format(service="") + f"[[{section}]]\n{ENTRY[section]}{line}"
    else:
        text = MINIMAL.format(service="") + f"[{section}]\n{line}"
    path = tmp_path / "postdesk.toml"
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(load_config(path), path=Path("postdesk.toml"))


def schema_field(c: Config, section: str, key: str) -> tuple[Any, str]:
    """Where the loaded value of `[section] key` lives: the schema dataclass and its field."""
    if section == "news":
        return c, f"news_{key}"
    if (section, key) == ("web", "listen"):
        return c, "web"
    return {"service": c.service, "smtp_in": c.smtp_in, "smtp_out": c.smtp_out, "web": c.portal,
            "agents": c.agents[0] if c.agents else None, "mailboxes": c.mailboxes[0] if c.mailboxes else None,
            "digests": c.digests[0] if c.digests else None, "tickets": c.timers, "retention": c.retention,
            "model": c.model}[section], key


def test_every_default_the_readme_states_is_the_schemas(tmp_path: Path) -> None:
    """Writing a key with the value the README calls its default changes nothing, and leaving it out gives the
    schema's default: the README, the loader and config/schema.py say the same."""
    stated = list(stated_defaults())
    assert len(stated) >= 30, stated  # the walk sees the tables (a changed table layout must not pass unseen)
    wrong = []
    for section, key, literal in stated:
        left_out = config_with(tmp_path, section, "")
        if config_with(tmp_path, section, f"{key} = {literal}\n") != left_out:
            wrong.append(f"[{section}] {key}: the README's default {literal} is not what the loader uses")
        owner, name = schema_field(left_out, section, key)
        expected = default(type(owner), name)
        if isinstance(expected, Path):
            expected = tmp_path / expected  # relative to the config's folder
        if getattr(owner, name) != expected:
            wrong.append(f"[{section}] {key}: the loader's default is not {type(owner).__name__}.{name}'s")
    assert not wrong, "\n".join(wrong)

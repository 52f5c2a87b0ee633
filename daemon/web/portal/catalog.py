"""The service catalog an admin declares in the TOML, and the labelled block its fields become.

Pure: declarations in, values and problems out (each problem names its key, like the rest of the config);
a form's answers in, the cleaned values or the reasons out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FIELD_TYPES = ("text", "choice", "date")
MAX_FIELD = 500
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class CatalogField:
    name: str
    label: str
    type: str  # text | choice | date
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Service:
    """One entry of the catalog: what an employee picks on /new; its queue is where the request goes."""

    name: str
    queue: str
    title: str
    description: str = ""
    fields: tuple[CatalogField, ...] = ()


@dataclass(frozen=True, slots=True)
class PortalSettings:
    """`[web]`'s portal keys and `[[services]]`."""

    session_days: int = 30
    login_link_minutes: int = 15
    color: str = "#0b5cad"
    login_domains: tuple[str, ...] = ()
    max_file_size: int = 10_000_000
    idle_timeout: float = 60.0  # seconds a web connection may take to send a request's head (daemon/web/slow.py)
    services: tuple[Service, ...] = field(default=())

    def service(self, name: str) -> Service | None:
        return next((s for s in self.services if s.name == name), None)


def _text(table: dict[str, Any], key: str, path: str, problems: list[str], required: bool = False) -> str:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(f"{path}.{key}: missing")
        return ""
    if not isinstance(value, str) or _CONTROL.search(value):
        problems.append(f"{path}.{key}: must be one line of text")
        return ""
    if required and not value.strip():
        problems.append(f"{path}.{key}: must not be empty")
    return value.strip()


def _named_tables(raw: list[Any], path: str, allowed: set[str], problems: list[str]
                  ) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Each table of a list with its key path and its checked `name`: not a table, unknown keys, a bad or
    repeated name are problems (the catalog's services and their fields are read alike)."""
    seen: set[str] = set()
    for i, table in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(table, dict):
            problems.append(f"{where}: must be a table")
            continue
        for key in sorted(set(table) - allowed):
            problems.append(f"{where}.{key}: unknown key")
        name = _text(table, "name", where, problems, required=True)
        if name and not _NAME.match(name):
            problems.append(f"{where}.name: {name!r}: use lower-case letters, digits, - and _")
        if name and name in seen:
            problems.append(f"{where}.name: {name!r} is used twice")
        seen.add(name)
        yield where, table, name


def parse_fields(raw: Any, path: str, problems: list[str]) -> tuple[CatalogField, ...]:
    if not isinstance(raw, list):
        problems.append(f"{path}: must be a list of tables ({{ name = ..., label = ..., type = ... }})")
        return ()
    out: list[CatalogField] = []
    for where, f, name in _named_tables(raw, path, {"name", "label", "type", "required", "choices"}, problems):
        label = _text(f, "label", where, problems, required=True)
        kind = f.get("type", "text")
        if kind not in FIELD_TYPES:
            problems.append(f"{where}.type: {kind!r}: one of {', '.join(FIELD_TYPES)}")
        required = f.get("required", False)
        if not isinstance(required, bool):
            problems.append(f"{where}.required: must be true or false")
            required = False
        choices = f.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, str) and c.strip() and not _CONTROL.search(c)
                                                    for c in choices):
            problems.append(f"{where}.choices: must be a list of non-empty one-line strings")
            choices = []
        if kind == "choice" and not choices:
            problems.append(f"{where}.choices: a choice field needs at least one choice")
        if kind != "choice" and choices:
            problems.append(f"{where}.choices: only a choice field has choices")
        out.append(CatalogField(name, label, str(kind), required, tuple(c.strip() for c in choices)))
    return tuple(out)


def parse_services(raw: Any, queue_names: set[str]) -> tuple[tuple[Service, ...], list[str]]:
    """`[[services]]` of the config: the catalog, and one problem per broken key (`services[2].queue: ...`)."""
    problems: list[str] = []
    if raw is None:
        return (), problems
    if not isinstance(raw, list):
        return (), ["services: must be an array of tables ([[services]])"]
    out: list[Service] = []
    for where, s, name in _named_tables(raw, "services", {"name", "queue", "title", "description", "fields"},
                                        problems):
        queue = _text(s, "queue", where, problems, required=True)
        if queue and queue not in queue_names:
            problems.append(f'{where}.queue: unknown queue "{queue}"')
        title = _text(s, "title", where, problems, required=True)
        description = _text(s, "description", where, problems)
        fields = parse_fields(s.get("fields", []), f"{where}.fields", problems)
        out.append(Service(name, queue, title, description, fields))
    return tuple(out), problems


def clean_value(text: str) -> str:
    """One line: control characters and line breaks become spaces, runs of spaces one, at most MAX_FIELD."""
    return " ".join(_CONTROL.sub(" ", text).split())[:MAX_FIELD]


def check_answers(service: Service, given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned answers by field name, and the problems by field name ("required", "not one of the choices",
    "not a date")."""
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    for f in service.fields:
        value = clean_value(given.get(f.name, ""))
        if not value:
            if f.required:
                problems[f.name] = "required"
            continue
        if f.type == "choice" and value not in f.choices:
            problems[f.name] = "choice"
            continue
        if f.type == "date":
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                problems[f.name] = "date"
                continue
        values[f.name] = value
    return values, problems


def labelled_block(service: Service, values: dict[str, str]) -> str:
    """What agents read under the request: the service and each declared field as `Label: value`."""
    lines = [f"--- {service.title} ---"]
    lines += [f"{f.label}: {values[f.name]}" for f in service.fields if f.name in values]
    return "\n".join(lines)

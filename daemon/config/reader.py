"""Reading TOML tables with every problem collected, each naming its key (`smtp_out.port: …`), so an admin
fixes a config in one pass instead of one error a start."""

from __future__ import annotations

import os
import ssl
from pathlib import Path
from typing import Any

from postdesk.daemon.config.values import EMAIL


class ConfigError(Exception):
    """A config that does not validate; `problems` has one line per problem, each naming its key."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Reader:
    """Walks the TOML tables, collecting every problem instead of stopping at the first.

    A value that does not validate is reported and replaced by its default, so the walk goes on."""

    def __init__(self, base: Path):
        self.base = base
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def table(self, data: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problem(key, "must be a table")
            return {}
        self.unknown(value, key, allowed)
        return value

    def array(self, data: dict[str, Any], key: str, allowed: set[str]) -> list[tuple[str, dict[str, Any]]]:
        """The tables of a `[[key]]` array, each with its key path (`rules[0]`), unknown keys reported."""
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.problem(key, f"must be an array of tables ([[{key}]])")
            return []
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem(f"{key}[{i}]", "must be a table")
                continue
            self.unknown(item, f"{key}[{i}]", allowed)
            out.append((f"{key}[{i}]", item))
        return out

    def unknown(self, table: dict[str, Any], key: str, allowed: set[str]) -> None:
        for name in table:
            if name not in allowed:
                self.problem(f"{key}.{name}", f"unknown key (known: {', '.join(sorted(allowed))})")

    def string(self, table: dict[str, Any], key: str, path: str, default: str | None = None,
               required: bool = False) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(path, "missing")
            return default
        if not isinstance(value, str):
            self.problem(path, f"must be a string, not {type(value).__name__}")
            return default
        return value

    def secret(self, table: dict[str, Any], key: str, path: str, required: bool = False) -> str | None:
        """A string that may be "env:NAME" to keep it out of the file."""
        value = self.string(table, key, path, required=required)
        if value is not None and value.startswith("env:"):
            name = value[4:]
            resolved = os.environ.get(name)
            if not resolved:
                self.problem(path, f"environment variable {name} is not set")
                return None
            return resolved
        return value

    def integer(self, table: dict[str, Any], key: str, path: str, default: int, minimum: int = 0) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(path, f"must be a whole number ≥ {minimum}")
            return default
        return value

    def boolean(self, table: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(path, "must be true or false")
            return default
        return value

    def convert(self, table: dict[str, Any], key: str, path: str, default: Any, fn: Any) -> Any:
        """`fn(value)` of the key (a notation like "25MB" read into its value), else `default` — a value
        already, as the schema writes it."""
        if key not in table:
            return default
        try:
            return fn(table[key])
        except ValueError as exc:
            self.problem(path, str(exc))
            return default

    def path(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base / p)

    def directory(self, table: dict[str, Any], key: str, path: str) -> Path | None:
        """An optional folder that must exist (templates, knowledge, news)."""
        value = self.string(table, key, path)
        folder = self.path(value) if value else None
        if folder is not None and not folder.is_dir():
            self.problem(path, f"not a directory: {folder}")
        return folder

    def ca_file(self, table: dict[str, Any], key: str, path: str) -> Path | None:
        """A PEM file of certificates to trust; checked now, not at the first connection an hour later."""
        value = self.string(table, key, path)
        if value is None:
            return None
        p = self.path(value)
        try:
            ssl.create_default_context(cafile=str(p))
        except FileNotFoundError:
            self.problem(path, f"no such file: {p}")
        except (ssl.SSLError, OSError, ValueError) as exc:
            self.problem(path, f"{p} is not a PEM file of certificates: {exc}")
        return p

    def choice(self, table: dict[str, Any], key: str, path: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.string(table, key, path, default) or default
        if value not in choices:
            self.problem(path, f"must be one of {', '.join(choices)}, not {value!r}")
            return default
        return value

    def addresses(self, value: Any, path: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path, "must be a list of addresses")
            return ()
        for v in value:
            if not EMAIL.match(v):
                self.problem(path, f"not an address: {v!r}")
        return tuple(v.lower() for v in value)

    def address(self, table: dict[str, Any], key: str, path: str, required: bool = False) -> str:
        """One address, lower-cased; "" when it is not given."""
        value = (self.string(table, key, path, required=required) or "").lower()
        if value and not EMAIL.match(value):
            self.problem(path, f"not an address: {value!r}")
        return value

"""`#commands` at the top of a reply: agents change a ticket from their mail client."""

from __future__ import annotations

import re

from postdesk.parsers.model import Command

_COMMAND = re.compile(r"^[ \t]*#([^\W\d_][\w-]*)(?:[ \t]+(.*?))?[ \t]*$")


def split_commands(text: str) -> tuple[tuple[Command, ...], str]:
    """Command lines before any other text, and the text without them.

    Only the top counts, so a `#hashtag` or `#1` in a sentence further down is never a command.
    """
    lines = text.splitlines()
    commands: list[Command] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _COMMAND.match(line)
        if not m:
            break
        commands.append(Command(m.group(1).lower(), (m.group(2) or "").strip(), line.strip()))
        i += 1
    if not commands:
        return (), text
    return tuple(commands), "\n".join(lines[i:]).strip("\n")

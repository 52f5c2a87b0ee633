"""The config's scalar notations — sizes, durations, rates, HOST:PORT, networks, time zones — each turned into
a value or a ValueError whose message shows how to write it (the loader prefixes the key)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postdesk.daemon.config.schema import IPNetwork, Listen

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.I)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
               "g": 1000**3, "gb": 1000**3, "gib": 1024**3}
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def parse_size(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    m = _SIZE.match(str(value))
    if not m or (m.group(2) or "").lower() not in _SIZE_UNITS:
        raise ValueError(f'not a size: {value!r} (write e.g. "25MB")')
    return int(float(m.group(1)) * _SIZE_UNITS[(m.group(2) or "").lower()])


def parse_duration(value: Any) -> float:
    """Seconds from "30s", "5m", "2h", "1d" or a bare number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f'not a duration: {value!r} (write e.g. "30s", "5m", "2h")')
    return float(m.group(1)) * _DURATION_UNITS[m.group(2).lower() if m.group(2) else None]


def parse_zone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'unknown time zone {value!r} (write e.g. "Europe/Moscow")') from None
    return str(value)


def parse_rate(value: Any) -> float:
    """ "20/s", "600/m" -> mails a second; "0/s" means no limit."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|m|h)\s*", str(value))
    if not m:
        raise ValueError(f'write a rate like "20/s" or "600/m", not {value!r}')
    return float(m.group(1)) / {"s": 1, "m": 60, "h": 3600}[m.group(2)]


def parse_listen(value: Any) -> Listen:
    text = str(value)
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not (0 < int(port) < 65536):
        raise ValueError(f'not HOST:PORT: {text!r} (write e.g. "127.0.0.1:2525")')
    return Listen(host.strip("[]") or "127.0.0.1", int(port))


def parse_networks(value: Any) -> tuple[IPNetwork, ...]:
    """`["127.0.0.1", "10.0.0.0/24", "::1"]`: addresses or networks."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('must be a list of addresses or networks, e.g. ["127.0.0.1", "10.0.0.0/24"]')
    try:
        return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in value)
    except ValueError as exc:
        raise ValueError(f"not an address or network: {exc}") from None

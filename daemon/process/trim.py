"""Hand memory the allocator keeps free back to the system, in each of the daemon's processes.

glibc's malloc keeps what Python frees (SQLite's page buffers, a mail's decoded parts, large strings)
inside its heap for reuse; between passes most of that is free yet still counted in the process's
RSS and PSS. `malloc_trim` returns the free pages (issue 19; bench/README.md "memory"). It is a
no-op where the C library has no malloc_trim (musl, macOS).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Give the free pages of malloc's heap back: about a millisecond, so once per pass, not per mail."""
    if _TRIM is not None:
        _TRIM(0)

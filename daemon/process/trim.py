"""Hand memory the allocator keeps free back to the system, in each of the daemon's processes.

glibc's malloc keeps what Python frees (SQLite's page buffers, a mail's decoded parts, large strings)
inside its heap for reuse; between passes most of that is free yet still counted in the process's
RSS and PSS. `malloc_trim` returns the free pages (issue 19; bench/README.md "memory"). Both are
no-ops where the C library has neither function (musl, macOS).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
FIXED_THRESHOLD = 128 * 1024  # glibc's starting value for both


def _libc(name: str) -> Callable[..., int] | None:
    try:
        found: Callable[..., int] = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
    return found


_TRIM = _libc("malloc_trim")


def fixed_thresholds() -> None:
    """Keep blocks over 128 KB out of the heap, once and for all processes (call before forking).

    glibc raises its mmap threshold to the size of each such block freed (up to 32 MB), after which
    big blocks, a large mail's bytes and its decoded parts, are carved from the heap and the holes they
    leave stay in RSS; fixed thresholds send them to mmap and back to the system when freed
    (`memory.py`: the front's PSS 46 -> 42 MB after 20,000 mails).
    """
    mallopt = _libc("mallopt")
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, FIXED_THRESHOLD)
        mallopt(M_TRIM_THRESHOLD, FIXED_THRESHOLD)


def release_memory() -> None:
    """Give the free pages of malloc's heap back: well under a millisecond, still once a pass, not per mail."""
    if _TRIM is not None:
        _TRIM(0)

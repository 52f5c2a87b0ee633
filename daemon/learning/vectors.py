"""Pretrained Russian word vectors for learned routing: Navec's news vectors (250,000 words × 300, quantised),
the file that the `natasha` package ships (a tar of JSON, gzipped words and raw arrays: no pickle), read here.

Why: a new center has a few hundred labelled mails; the vectors bring what they cannot teach, that
«платёжка», «оплата» and «перевод» are near. Measured on the Russian requests (bench/model.py): 0.70 → 0.74 by
cross-validation. Nothing about our queues is in them. They are loaded once per process, only when a model
that names them is fitted or loaded, so a center that leaves `[model]` off never pays their ~80 MB.
"""

from __future__ import annotations

import gzip
import importlib.util
import tarfile
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from postdesk.routing.classifier import VECTOR_WORD

NAVEC = "navec_news_v1_1B_250K_300d_100q"

CACHE_WORDS = 20_000  # decoded vectors remembered (1.2 KB each: 24 MB at most); a center's mails repeat words
_lock = threading.Lock()
_loaded: dict[str, NavecVectors] = {}


class VectorsMissing(Exception):
    """The vectors a model needs are not installed; the message says what to install."""


class NavecVectors:
    """routing.classifier.WordVectors over a Navec file: each word's vector is 100 one-byte codes into
    centroids of 3 dimensions each (product quantisation), decoded when asked.

    The file is read here, keeping only what a lookup needs (the words a mail's features can ask for, their
    codes, the centroids): the `navec` package's own loader also precomputes similarity tables, and a
    process holding them grew by 125 MB instead of ~80."""

    def __init__(self, name: str, path: Path):
        self.name = name
        with tarfile.open(path) as tar:
            vocab, pq = _member(tar, "vocab.bin"), _member(tar, "pq.bin")
        raw = gzip.decompress(vocab)
        size = int(np.frombuffer(raw[:4], np.uint32)[0])
        words = raw[4 + 4 * size:].decode().split("\n")
        vectors, self.dim, parts, centroids = (int(x) for x in np.frombuffer(pq[:16], np.uint32))
        if len(words) != size or size != vectors or self.dim % parts:
            raise VectorsMissing(f"{path}: not a Navec file as expected ({len(words)} words, {vectors} vectors)")
        # views of the bytes read: the codes are the file's 25 MB, held once, not copied
        self._indexes = np.frombuffer(pq, np.uint8, vectors * parts, 16).reshape(vectors, parts)
        self._centroids = np.frombuffer(pq, np.float32, offset=16 + vectors * parts).reshape(parts, centroids, -1)
        self._ids = {w: i for i, w in enumerate(words) if len(w) >= VECTOR_WORD and w.isalpha()}
        self._parts = np.arange(parts)
        self._cache: dict[str, np.ndarray] = {}

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """The known words' vectors: remembered ones as they are, the others decoded in one gather."""
        cache, get = self._cache, self._ids.get
        new = {w: i for w in words if w not in cache and (i := get(w)) is not None}
        if new:
            decoded = self._centroids[self._parts, self._indexes[list(new.values())]].reshape(len(new), self.dim)
            if len(cache) < CACHE_WORDS:
                cache.update(zip(new, decoded, strict=True))
            else:
                return self._centroids[self._parts, self._indexes[[i for w in words if (i := get(w)) is not None]]
                                       ].reshape(-1, self.dim)
        found = [cache[w] for w in words if w in cache]
        return np.array(found, dtype=np.float32).reshape(len(found), self.dim)


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    f = tar.extractfile(name)
    if f is None:
        raise VectorsMissing(f"{tar.name!s}: no {name} in it")
    return f.read()


def _path(name: str) -> Path:
    """Where natasha keeps the file, found without importing natasha (which would load its own models)."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or spec.origin is None:
        raise VectorsMissing(f"the word vectors {name} come with the 'natasha' package: "
                             f"pip install 'postdesk[learn]'")
    path = Path(spec.origin).parent / "data" / "emb" / f"{name}.tar"
    if not path.is_file():
        raise VectorsMissing(f"{path}: not found (the word vectors {name}); reinstall the 'natasha' package")
    return path


def vectors(name: str = NAVEC) -> NavecVectors:
    """The named vectors, loaded once per process (about a second); VectorsMissing when not installed."""
    with _lock:
        if name not in _loaded:
            if name != NAVEC:
                raise VectorsMissing(f"unknown word vectors {name!r} (this Postdesk knows {NAVEC})")
            try:
                _loaded[name] = NavecVectors(name, _path(name))
            except (OSError, tarfile.TarError, KeyError, ValueError, UnicodeDecodeError) as exc:
                raise VectorsMissing(f"the word vectors {name} cannot be read: {exc}") from None
        return _loaded[name]


def available() -> bool:
    """Whether the vectors can be used here (the file installed), without loading them."""
    try:
        _path(NAVEC)
    except VectorsMissing:
        return False
    return True

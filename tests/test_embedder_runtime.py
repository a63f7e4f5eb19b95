"""The answer path's NumPy encoder gives the vectors the torch model gives, and chunking counts word pieces
without loading any model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import make_settings

from connector.embedder import Embedder
from connector.settings import PROJECT_ROOT
from ingest.lazy_embedder import LazyEmbedder


def corpus_passages(limit: int = 40) -> list[str]:
    """Real passages of the bundled guides, long and short, as ingest would embed them."""
    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "corpus").rglob("*.md"))[:10]:
        body = path.read_text(encoding="utf-8")
        texts += [body[start : start + 1200] for start in range(0, len(body), 1200)]
    return texts[:limit] + ["free courses near Colchester?", "levy", "Can we use our levy for level 7?"]


def test_numpy_and_torch_encoders_give_the_same_vectors(embedder):
    fast = Embedder.load(make_settings(Path("/nonexistent-unused")))
    assert fast is not embedder and fast.dimension == embedder.dimension == 384
    texts = corpus_passages()
    a, b = np.asarray(fast.embed_texts(texts)), np.asarray(embedder.embed_texts(texts))
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.9999
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_word_pieces_are_counted_alike_and_without_loading_the_model(embedder):
    lazy = LazyEmbedder(make_settings(Path("/nonexistent-unused")))
    for text in corpus_passages(10):
        assert lazy.count_tokens(text) == embedder.count_tokens(text)
    assert not lazy.loaded
    assert lazy.embed_texts(["apprenticeship levy"]) and lazy.loaded


def test_server_encoder_with_one_thread_gives_the_bulk_encoders_vectors_exactly(embedder: Embedder) -> None:
    serving = Embedder.load_serving(make_settings(Path("/nonexistent-unused"), serving_embedding_threads=1))
    texts = corpus_passages(8)
    assert serving is not embedder
    assert serving.embed_texts(texts) == embedder.embed_texts(texts)
    assert embedder.embed_texts(texts) == serving.embed_texts(texts)  # and back again, after the switch

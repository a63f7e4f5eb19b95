"""The answer path's NumPy encoder and the API server's onnxruntime encoder give the vectors the torch model
gives, and chunking counts word pieces without loading any model."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from conftest import make_settings

from connector.embedder import Embedder, model_path
from connector.minilm_onnx import CHECKED_GUIDES, check_texts, export_path, exported, weights_digest
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


def test_torch_server_encoder_with_one_thread_gives_the_bulk_vectors_exactly(embedder: Embedder) -> None:
    torch_settings = make_settings(
        Path("/nonexistent-unused"), serving_embedding_threads=1, serving_embedding_runtime="torch"
    )
    serving = Embedder.load_serving(torch_settings)
    texts = corpus_passages(8)
    assert serving is not embedder
    assert serving.embed_texts(texts) == embedder.embed_texts(texts)
    assert embedder.embed_texts(texts) == serving.embed_texts(texts)  # and back again, after the switch


def test_server_encoder_runs_the_model_exported_to_onnx_with_the_same_vectors(
    embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "models"
    with caplog.at_level(logging.INFO, logger="connector.minilm_onnx"):
        serving = Embedder.load_serving(make_settings(tmp_path / "data", model_cache_dir=cache))
    assert "runtime=onnx" in caplog.text and "exporting" in caplog.text
    [onnx_file] = cache.glob("*.onnx")  # one file, named by the weights, nothing half-written left
    assert weights_digest(Path(model_path("all-MiniLM-L6-v2"))) in onnx_file.name
    texts = corpus_passages()
    a, b = np.asarray(serving.embed_texts(texts)), np.asarray(embedder.embed_texts(texts))
    assert (a * b).sum(axis=1).min() >= 0.9999
    # A second process start reads the file: no second export.
    written = onnx_file.stat().st_mtime_ns
    assert exported(Path(model_path("all-MiniLM-L6-v2")), cache) == onnx_file
    assert onnx_file.stat().st_mtime_ns == written


def test_server_falls_back_to_torch_when_the_onnx_file_is_unreadable(
    embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "models"
    cache.mkdir()
    folder = Path(model_path("all-MiniLM-L6-v2"))
    # A file under the export's name that is not a model (a disk error, a copy cut short).
    export_path(folder, cache).write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger="connector.embedder"):
        serving = Embedder.load_serving(make_settings(tmp_path / "data", model_cache_dir=cache))
    assert "onnx runtime unavailable, embedding with torch" in caplog.text
    texts = corpus_passages(4)
    assert serving.embed_texts(texts) == embedder.embed_texts(texts)  # torch, one thread: the same bits


def test_the_export_is_checked_on_short_and_long_texts_of_the_bundled_guides(tmp_path: Path) -> None:
    texts = check_texts()
    assert len(texts) == 2 * CHECKED_GUIDES and not any(text.startswith("---") for text in texts)
    # a title as short as a question, and a guide longer than the 256 word pieces read
    assert min(len(text.split()) for text in texts) < 15
    assert max(len(text.split()) for text in texts) > 256
    # a deployment without the guides cannot check an export, so it is not made (the server uses torch)
    with pytest.raises(RuntimeError, match="no bundled guides"):
        check_texts(tmp_path)

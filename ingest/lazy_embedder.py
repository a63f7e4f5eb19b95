"""The embedder an ingest run uses: word pieces counted by the tokenizer alone, the model loaded late.

embedder = LazyEmbedder(settings)
embedder.count_tokens("...")     # no model loaded
embedder.embed_texts([...])      # loads the bulk (torch) encoder the first time there is text
"""

from __future__ import annotations

from connector.embedder import Embedder, count_tokens, load_counter
from connector.settings import Settings


class LazyEmbedder:
    """Counts word pieces with the tokenizer alone and loads the model on the first embedding: a run with
    nothing new to embed (re-reading unchanged files included) never pays for loading it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._loaded: Embedder | None = None

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def _model(self) -> Embedder:
        if self._loaded is None:
            self._loaded = Embedder.load_bulk(self._settings)
        return self._loaded

    def count_tokens(self, text: str) -> int:
        return count_tokens(load_counter(self._settings.embedding_model), text)

    def embed_texts(self, texts: list[str]) -> list[list[float]]:
        return self._model().embed_texts(texts) if texts else []

import pytest

from connector.errors import IndexMismatchError
from connector.store import ChunkStore
from connector.types import Chunk


def test_store_round_trips_chunks_and_ranks_by_similarity(settings, embedder):
    store = ChunkStore.open(settings)
    chunks = [
        Chunk(
            id="levy",
            url="https://a.example/levy",
            title="Levy",
            heading_path=["Rate"],
            text="The apprenticeship levy is 0.5% of an employer's annual pay bill.",
            audiences=["employer"],
        ),
        Chunk(
            id="bus",
            url="https://a.example/bus",
            title="Buses",
            heading_path=[],
            text="The number 7 bus leaves Colchester station every twenty minutes.",
        ),
    ]
    store.upsert(chunks, embedder.embed_texts([c.embed_text for c in chunks]))
    hits = store.query(embedder.embed_query("what percentage of pay bill is the levy?"), k=2)
    assert [h.chunk.id for h in hits] == ["levy", "bus"]
    assert hits[0].chunk.heading_path == ["Rate"] and hits[0].chunk.audiences == ["employer"]
    assert store.existing_ids(["levy", "nope"]) == {"levy"}


def test_store_refuses_an_index_built_with_another_model(settings):
    ChunkStore.open(settings)
    other = settings.model_copy(update={"embedding_model": "some-other-model"})
    with pytest.raises(IndexMismatchError):
        ChunkStore.open(other)


def test_querying_an_empty_index_finds_nothing(settings, embedder):
    assert ChunkStore.open(settings).query(embedder.embed_query("levy"), k=5) == []

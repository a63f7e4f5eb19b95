"""Client/server mode: ingest into a real `chroma run` server through CONNECTOR_CHROMA_URL."""

from __future__ import annotations

import pytest
from conftest import make_settings

from connector.store import ChunkStore
from ingest.manifest import Manifest
from ingest.run import run_ingest

pytestmark = pytest.mark.server


def test_ingest_into_a_chroma_server_is_incremental(chroma_url, tmp_path, embedder):
    settings = make_settings(tmp_path / "data", chroma_url=chroma_url, collection_name="server_test")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "levy.md").write_text("# Levy\n\nThe levy is 0.5% of an annual pay bill over £3 million.\n")
    (docs / "bootcamps.md").write_text("# Bootcamps\n\nSkills Bootcamps last up to 16 weeks.\n")

    first = run_ingest(settings, [str(docs)], embedder=embedder)
    assert first.pages["new"] == 2
    store = ChunkStore.open(settings)  # a fresh HttpClient sees what the run wrote
    assert store.all_ids() == Manifest.open(settings.manifest_path).referenced_ids()
    assert not settings.chroma_dir.exists()  # nothing written to the local index
    hit = store.query(embedder.embed_query("how long is a skills bootcamp"), k=1)[0]
    assert "16 weeks" in hit.chunk.text

    assert run_ingest(settings, [str(docs)], embedder=embedder).chunks_added == 0
    (docs / "levy.md").write_text("# Levy\n\nLevy-paying employers can transfer up to 50% of their funds.\n")
    changed = run_ingest(settings, [str(docs)], embedder=embedder)
    assert (changed.pages["changed"], changed.chunks_added, changed.chunks_removed) == (1, 1, 1)
    texts = [chunk.text for chunk in ChunkStore.open(settings).iter_chunks()]
    assert len(texts) == 2 and not any("0.5%" in text for text in texts)

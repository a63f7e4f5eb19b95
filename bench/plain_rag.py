"""A plain dense RAG over the product's index, built with LangChain and served like the product (FastAPI
under uvicorn, one process unless --workers says more): the baseline bench.load compares /v1/chat with.

    .venv/bin/python -m bench.plain_rag --data-dir DATA --port 8001 [--workers 2]

The chain is the textbook one: embed the question, take the 5 nearest passages from the same Chroma
collection, stuff them into the answer. No language model (none may be called here): the answer is the
nearest passage with its sources, which is what an extractive plain RAG returns. Not a benchmark itself
(no main()); bench.load starts it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnableParallel, RunnablePassthrough
from pydantic import BaseModel, ConfigDict

from connector.embedder import Embedder
from connector.settings import Settings
from connector.store import ChunkStore

TOP_K = 5


class DenseRetriever(BaseRetriever):
    """The k nearest passages of the Chroma collection to the question's vector."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    embedder: Any
    store: Any
    k: int = TOP_K

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.store.query(self.embedder.embed_query(query), k=self.k)
        return [Document(h.chunk.text, metadata={"url": h.chunk.url, "title": h.chunk.title}) for h in hits]


def stuff(inputs: dict[str, Any]) -> dict[str, Any]:
    documents: list[Document] = inputs["documents"]
    answer = documents[0].page_content if documents else "I don't know."
    return {"answer": answer, "sources": [d.metadata for d in documents]}


def build_chain(settings: Settings) -> Runnable:
    # The same model and threads per encode as the product's server, on the same index, on the textbook
    # runtime (sentence-transformers on torch), as the baseline was defined and first measured; the product
    # serves with onnxruntime (docs/decisions/serving-under-load.md gives this baseline's figures with it).
    textbook = settings.model_copy(update={"serving_embedding_runtime": "torch"})
    retriever = DenseRetriever(embedder=Embedder.load_serving(textbook), store=ChunkStore.open(settings))
    return RunnableParallel(documents=retriever, question=RunnablePassthrough()) | RunnableLambda(stuff)


class Question(BaseModel):
    message: str


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="plain RAG baseline")
    chain = build_chain(settings)

    @app.post("/v1/chat")
    def chat(question: Question) -> dict[str, Any]:  # sync: run in the server's thread pool, as usual
        return chain.invoke(question.message)

    @app.get("/readyz")
    def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app


# Where each of several server processes finds the index (they build their app from the environment).
DATA_DIR_VARIABLE = "PLAIN_RAG_DATA_DIR"


def app_from_environment() -> FastAPI:
    settings = Settings(_env_file=None, data_dir=Path(os.environ[DATA_DIR_VARIABLE]))  # type: ignore[call-arg]
    return create_app(settings)


def main_serve() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ[DATA_DIR_VARIABLE] = str(args.data_dir)
    uvicorn.run(
        "bench.plain_rag:app_from_environment",
        factory=True,
        workers=args.workers,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
    )


if __name__ == "__main__":
    main_serve()

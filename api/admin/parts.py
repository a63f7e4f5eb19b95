"""What the admin pages read from: the product's database, the answer services, the demand tagger.

database = admin_database(request)
tagger = await demand_tagger(request)     # None when the embedding model cannot be loaded
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request

from connector.db import Database
from connector.embedder import Embedder
from connector.services import Services
from connector.tags import Tagger


def admin_database(request: Request) -> Database:
    """The product's database (migrated on first open)."""
    return Database.open(request.app.state.settings)


def answer_services(request: Request) -> Services | None:
    """The answer pipeline's parts, or None when they did not start (no index yet)."""
    return getattr(request.app.state, "services", None)


async def demand_tagger(request: Request) -> Tagger:
    """The report's tagger over the running model (loaded here only if the answer services are down)."""
    tagger: Any = getattr(request.app.state, "demand_tagger", None)
    if tagger is None:
        services = answer_services(request)
        settings = request.app.state.settings
        embedder = services.embedder if services else await asyncio.to_thread(Embedder.load, settings)
        tagger = await asyncio.to_thread(Tagger.build, embedder)
        request.app.state.demand_tagger = tagger
    return tagger

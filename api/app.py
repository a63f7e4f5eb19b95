"""The HTTP API: `create_app(settings)` builds the FastAPI app; heavy parts are built once in the lifespan.

    uvicorn.run(create_app(get_settings()))
"""

from __future__ import annotations

from fastapi import FastAPI

from connector.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured app; tests pass their own Settings (temp data dir)."""
    settings = settings or get_settings()
    app = FastAPI(title="Skills Connector", version="0.1.0")
    app.state.settings = settings

    # Routers: one per resource. Each part of the product adds its own line here.
    return app

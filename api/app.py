"""The HTTP API: `create_app(settings)` builds the FastAPI app; heavy parts are built once in the lifespan.

    uvicorn.run(create_app(get_settings()))
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.routes import corpus, courses, feedback, tools, widget
from connector.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured app; tests pass their own Settings (temp data dir)."""
    settings = settings or get_settings()
    app = FastAPI(title="Skills Connector", version="0.1.0")
    app.state.settings = settings

    # Routers: one per resource. Each part of the product adds its own line here.
    app.include_router(widget.router)
    app.include_router(feedback.router)
    app.include_router(courses.router)
    app.include_router(corpus.router)
    app.include_router(tools.router)
    # The widget runs on Chamber sites: only the listed origins may call the API from a browser, and no
    # credentials are ever sent (the widget needs no cookies), so an origin is never echoed with them.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept"],
        max_age=600,
    )
    return app

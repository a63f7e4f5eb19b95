"""The HTTP API: `create_app(settings)` builds the FastAPI app; heavy parts are built once in the lifespan.

uvicorn.run(create_app(get_settings()))
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.admin import install_admin
from api.errors import install_error_handlers
from api.mcp_tools import build_mcp_server, mcp_routes
from api.observe import ObserveMiddleware
from api.rate_limits import RateLimits
from api.routes import chat, completions, corpus, courses, enquiries, feedback, health, metrics, tools, widget
from api.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from connector.errors import ConnectorError
from connector.pipeline import warm_up
from connector.services import Services
from connector.settings import Settings, get_settings

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the heavy parts once (model, index, language model); tests may set app.state.services first."""
    if getattr(app.state, "services", None) is None:
        try:
            build = functools.partial(Services.build, app.state.settings, serving=True)
            app.state.services = await anyio.to_thread.run_sync(build)
        except ConnectorError as error:
            # Stay up so /healthz answers and /readyz can say what is wrong.
            log.error("answer services not started reason=%s", error)
            app.state.services = None
            app.state.services_error = str(error)
        else:
            await _warm_up(app.state.services)
    async with outbox_sender(app.state.settings) as wake, app.state.mcp_server.session_manager.run():
        app.state.outbox_wake = wake
        yield


async def _warm_up(services: Services) -> None:
    """One question through the answer path before the first request (connector.pipeline.warm_up). It
    only saves the first users a wait, so a failure is logged and the server starts all the same."""
    try:
        ms = await anyio.to_thread.run_sync(warm_up, services)
    except Exception as error:  # e.g. an index that is unreachable now: /readyz will say so
        log.warning("answer path not warmed up error=%s", type(error).__name__)
        return
    log.info("answer path warmed up ms=%.0f", ms)


@asynccontextmanager
async def outbox_sender(settings: Settings) -> AsyncIterator[asyncio.Event | None]:
    """The background task that sends enquiry emails; without SMTP settings they wait in the outbox."""
    if not settings.smtp_configured:
        log.info("SMTP not configured: enquiry emails wait in the outbox")
        yield None
        return
    from connector.db import Database
    from connector.mailer import run_sender
    from connector.outbox import Outbox

    wake = asyncio.Event()
    outbox = Outbox(await anyio.to_thread.run_sync(Database.open, settings))
    task = asyncio.create_task(run_sender(settings, outbox, wake))
    try:
        yield wake
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def served_app() -> FastAPI:
    """The app of one of several API processes (`connector serve --workers N`): each process starts
    afresh, so it sets up its own logging before building the app from the environment's settings."""
    from connector.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    return create_app(settings)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured app; tests pass their own Settings (temp data dir)."""
    settings = settings or get_settings()
    app = FastAPI(title="Skills Connector", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    # Counts per client for chat, enquiries and admin sign-in; a storage it cannot use stops start-up.
    app.state.rate_limits = RateLimits.from_settings(settings)

    install_error_handlers(app)

    # Routers: one per resource. Each part of the product adds its own line here.
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(chat.router)
    app.include_router(completions.router)  # the OpenAI chat-completions shape, for other chat front ends
    app.include_router(widget.router)
    app.include_router(feedback.router)
    app.include_router(courses.router)
    app.include_router(corpus.router)
    app.include_router(tools.router)
    app.include_router(enquiries.router)
    install_admin(app)  # /admin: Chamber staff pages behind a login
    # /mcp: the MCP tools server over streamable HTTP, on the services the lifespan builds.
    app.state.mcp_server = build_mcp_server(settings, lambda: getattr(app.state, "services", None))
    app.router.routes.extend(mcp_routes(app.state.mcp_server, settings))
    # Innermost of ours, inside CORS so a browser can read its 413. /v1/chat/completions reads its own
    # body against its larger limit and answers in OpenAI's error shape; /mcp carries conversations too.
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.max_body_bytes,
        limits_by_path={"/mcp": settings.completions_max_body_bytes},
        skip_paths={"/v1/chat/completions"},
    )
    # The widget runs on Chamber sites: only the listed origins may call the API from a browser, and no
    # credentials are ever sent (the widget needs no cookies), so an origin is never echoed with them.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        # Authorization: a browser-based chat front end on a listed origin sends its API key.
        allow_headers=["Content-Type", "Accept", "Idempotency-Key", "Authorization"],
        max_age=600,
    )
    # Outside CORS, so preflight answers carry the headers too; the API docs load their script elsewhere.
    app.add_middleware(SecurityHeadersMiddleware, skip_paths={"/docs", "/redoc"})
    # Added last, so it is the outermost of ours: the request id is set before anything else logs.
    app.add_middleware(ObserveMiddleware)
    return app

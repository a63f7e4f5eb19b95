"""The MCP tools server: assistants that speak the Model Context Protocol call the same answer pipeline,
course finder and funding tools as the HTTP API, with the same input schemas.

    server = build_mcp_server(settings, lambda: services)
    server.run("stdio")                                   # `connector mcp`
    app.router.routes.extend(mcp_routes(server, settings))   # /mcp over streamable HTTP in the API

Each tool's arguments are the fields of the HTTP request model it stands for (LevyRequest for
levy_estimate, ...), read from that model, so the two cannot drift apart; wrong arguments are a tool error
naming the field.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.routing import BaseRoute

from api.rate_limits import app_limits, client_key
from api.routes.chat import ChatRequest, response_body
from api.routes.courses import CourseSearchRequest, CourseSearchResponse
from api.routes.tools import ApprenticeCostRequest, EligibilityRequest, LevyRequest
from connector.api_keys import key_is_accepted
from connector.courses.search import CourseQuery, search_courses
from connector.errors import ToolInputError
from connector.pipeline import ask
from connector.services import Services
from connector.settings import Settings
from connector.tools import present
from connector.tools.apprentice_cost import ApprenticeCostInput, apprentice_cost
from connector.tools.eligibility import EligibilityInput, check_eligibility
from connector.tools.levy import LevyInput, calculate_levy

ServicesGetter = Callable[[], Services | None]


def build_mcp_server(settings: Settings, get_services: ServicesGetter) -> MCPServer:
    """The MCP server with the five tools, over services built elsewhere (the API's, or the CLI's)."""
    server: MCPServer = MCPServer(
        name="skills-connector",
        title=f"{settings.area_name} skills help",
        instructions=(
            f"Skills, training and apprenticeship help for {settings.area_name}: ask answers from cited "
            "sources; the other tools do exact funding arithmetic and course searches."
        ),
    )

    def services() -> Services:
        built = get_services()
        if built is None:
            raise ToolError("The service is not ready yet. Please try again shortly.")
        return built

    def base_url(ctx: Context) -> str:
        request = ctx.request_context.request
        if isinstance(request, Request):
            return str(request.base_url).rstrip("/")
        return f"http://{settings.host}:{settings.port}"  # stdio: the links point at `connector serve`

    async def ask_tool(args: ChatRequest, ctx: Context) -> dict[str, Any]:
        check_chat_rate(ctx)
        result = await ask(services(), args.message, args.audience, args.session_id)
        return response_body(result, services(), base_url(ctx))

    async def courses_tool(args: CourseSearchRequest, ctx: Context) -> dict[str, Any]:
        query = _run(lambda: CourseQuery.from_params(**args.model_dump()))
        catalogue = services().courses
        if catalogue is None:
            raise ToolError("The course catalogue is not available.")
        found = search_courses(await anyio.to_thread.run_sync(catalogue.searchable), query)
        root = base_url(ctx)
        cards = [{**card, "url": root + card["url"] if card["url"].startswith("/") else card["url"]}
                 for card in found.cards()]  # fmt: skip
        body = {"courses": cards, "total": found.total, "filters": query.filters(found.place)}
        return CourseSearchResponse.model_validate(body).model_dump(mode="json")  # as GET /v1/courses

    def levy_tool(args: LevyRequest, ctx: Context) -> dict[str, Any]:
        result = _run(lambda: calculate_levy(LevyInput(**args.model_dump())))
        return {**result.model_dump(mode="json"), "card": present.levy_card(result)}

    def cost_tool(args: ApprenticeCostRequest, ctx: Context) -> dict[str, Any]:
        result = _run(lambda: apprentice_cost(ApprenticeCostInput(**args.model_dump())))
        return {**result.model_dump(mode="json"), "card": present.apprentice_cost_card(result)}

    def eligibility_tool(args: EligibilityRequest, ctx: Context) -> dict[str, Any]:
        result = _run(lambda: check_eligibility(EligibilityInput(**args.model_dump())))
        return {**result.model_dump(mode="json"), "card": present.eligibility_card(result)}

    tools: list[tuple[str, type[BaseModel], Callable[..., Any], str]] = [
        ("ask", ChatRequest, ask_tool, "Answer a skills question from cited sources, as the chat does."),
        ("search_courses", CourseSearchRequest, courses_tool, "Find courses by subject, level, place, mode."),
        ("levy_estimate", LevyRequest, levy_tool, "Apprenticeship levy, funds and transfer allowance."),
        ("apprentice_cost", ApprenticeCostRequest, cost_tool, "Who pays for an apprentice, and how much."),
        ("funding_eligibility", EligibilityRequest, eligibility_tool, "Which learner funding may apply."),
    ]
    for name, model, handler, description in tools:
        server.add_tool(tool_function(name, model, handler), name=name, description=description)
    return server


def check_chat_rate(ctx: Context) -> None:
    """Over HTTP, a question through MCP counts against the client's chat limits like one to /v1/chat
    (over stdio the assistant that started the process is the only client)."""
    request = ctx.request_context.request
    if not isinstance(request, Request):
        return
    wait = app_limits(request).take("chat", client_key(request))
    if wait is not None:
        raise ToolError(f"Too many questions from this address. Try again in {wait} seconds.")


def _run(work: Callable[[], Any]) -> Any:
    """A tool's own input errors become a tool error naming the field."""
    try:
        return work()
    except ToolInputError as error:
        raise ToolError(f"Invalid argument '{error.field}': {error.message}") from error


# Request fields that mean nothing to a tool call: a tool returns one whole answer, never a stream.
NOT_FOR_TOOLS = frozenset({"stream"})


def tool_function(name: str, model: type[BaseModel], handler: Callable[..., Any]) -> Callable[..., Any]:
    """A function whose keyword arguments are the model's fields (types, limits, defaults and
    descriptions), so the MCP SDK publishes the model's schema; it validates through the model itself
    and hands the handler the model instance."""

    def validated(kwargs: dict[str, Any]) -> BaseModel:
        try:
            return model(**kwargs)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "arguments"
            raise ToolError(f"Invalid argument '{field}': {first['msg']}") from None

    if inspect.iscoroutinefunction(handler):

        async def call(ctx: Context, **kwargs: Any) -> dict[str, Any]:
            return await handler(validated(kwargs), ctx)
    else:

        def call(ctx: Context, **kwargs: Any) -> dict[str, Any]:  # type: ignore[misc]
            return handler(validated(kwargs), ctx)

    parameters = [inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context)]
    for field_name, field in model.model_fields.items():
        if field_name in NOT_FOR_TOOLS:
            continue
        default = (
            inspect.Parameter.empty if field.is_required() else field.get_default(call_default_factory=True)
        )
        parameters.append(
            inspect.Parameter(
                field_name,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=Annotated[field.annotation, field],
            )
        )
    call.__signature__ = inspect.Signature(parameters, return_annotation=dict[str, Any])  # type: ignore[attr-defined]
    call.__name__ = name
    return call


def mcp_routes(server: MCPServer, settings: Settings) -> list[BaseRoute]:
    """The streamable HTTP endpoint at /mcp, behind the API keys when CONNECTOR_API_KEYS is set. The
    session manager must run for the app's lifetime: see `server.session_manager.run()` in the lifespan."""
    app = server.streamable_http_app(streamable_http_path="/mcp", host=settings.host)
    routes = [route for route in app.routes if getattr(route, "path", None) == "/mcp"]
    for route in routes:
        route.app = _keyed(route.app, settings)  # type: ignore[attr-defined]
    return routes


def _keyed(app: Any, settings: Settings) -> Any:
    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if scope["type"] == "http" and not key_is_accepted(authorization, settings):
            body = b'{"error": {"message": "Missing or wrong API key", "type": "invalid_request_error"}}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)  # fmt: skip

    return guarded

"""Logging for every process: one JSON object per line, with the id of the request being served.

    configure_logging(settings)                 # once, at the start of a command
    token = request_id.set("4f1c...")           # the API's middleware does this per request

Messages stay "what happened key=value" (see STYLE.md); the JSON wrapper adds time, level, logger and
`request_id` (null outside a request) so a log store can filter one request's lines. Questions and other
personal data are never logged; the access log is ours (route template, status, time: no query strings).
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

from connector.settings import Settings

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# Libraries that speak too much for an operator at INFO: progress lines, per-call debug, HTTP chatter.
QUIET_LOGGERS = (
    "bm25s", "sentence_transformers", "transformers", "huggingface_hub", "httpx", "httpcore", "chromadb",
    "urllib3", "filelock", "uvicorn.access",
)  # fmt: skip
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id (a handler filter, so every logger gets it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def configure_logging(settings: Settings, level: int | None = None) -> None:
    """Route every logger to stderr in the configured format (json or text) at the given level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if settings.log_format == "json":
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT + " request_id=%(request_id)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level if level is not None else logging.getLevelName(settings.log_level.upper()))
    quiet = max(root.level, logging.WARNING)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(quiet)

"""Nothing of a sealed set reaches the logs: while it runs, every log handler masks its site's URLs and
its questions (the pipeline logs no question text anyway; this covers the crawler, the ingest and any
error with a traceback).

    with hidden_from_logs(site.base_url, [item.question for item in items]):
        ...
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

SITE_MASK = "<sealed site>"
TEXT_MASK = "<sealed text>"


class Mask(logging.Filter):
    """Rewrites a record's message (and traceback) with the sealed URLs and texts masked."""

    def __init__(self, base_url: str | None, texts: list[str]) -> None:
        super().__init__()
        self.site = re.compile(re.escape(base_url.rstrip("/")) + r"[^\s'\"<>)]*") if base_url else None
        self.texts = sorted({t for t in texts if t.strip()}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        if self.site is not None:
            text = self.site.sub(SITE_MASK, text)
        for secret in self.texts:
            text = text.replace(secret, TEXT_MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.mask(message), None
        if record.exc_info:
            record.exc_text = self.mask("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


@contextmanager
def hidden_from_logs(base_url: str | None, texts: list[str]) -> Iterator[Mask]:
    """Mask the sealed URLs and texts in every handler that exists now, and in Python's last resort."""
    mask = Mask(base_url, texts)
    handlers = _handlers()
    for handler in handlers:
        handler.addFilter(mask)
    try:
        yield mask
    finally:
        for handler in handlers:
            handler.removeFilter(mask)


def _handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    found = [h for lg in loggers if isinstance(lg, logging.Logger) for h in lg.handlers]
    if logging.lastResort is not None:
        found.append(logging.lastResort)
    return list(dict.fromkeys(found))

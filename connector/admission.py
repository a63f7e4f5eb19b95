"""At most N answers in progress in a process; the others wait for a slot in the order they came.

    async with answer_slot(settings.max_concurrent_answers):
        ...run the pipeline...

Why: with 50 users at once, every request used to enter the pipeline at once, and its steps competed in
worker threads for the GIL and for the embedding model's lock. Neither is fair: a thread that has just
released a lock usually takes it again, so some requests were overtaken for seconds (p99 12.7 s while
p50 was 0.6 s). Under a steady load the mean wait is set by throughput alone (Little's law: users /
answers per second), so the only question is how it is shared out. Admitting a few requests at a time, in
arrival order, keeps both cores busy and gives every request about the mean; the waiting costs nothing
but a place in a queue on the event loop. With a language model an answer mostly waits on the network,
so more slots fit (CONNECTOR_MAX_CONCURRENT_ANSWERS).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from connector import metrics

# One gate per event loop: the API has one loop; the command line and the evaluation make one per call.
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[int, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def _gate(limit: int) -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    current = _gates.get(loop)
    if current is None or current[0] != limit:
        current = _gates[loop] = (limit, asyncio.Semaphore(limit))
    return current[1]


@asynccontextmanager
async def answer_slot(limit: int) -> AsyncIterator[None]:
    """Hold one of `limit` answer slots; waiters are let in first come, first served."""
    gate = _gate(limit)
    metrics.ANSWERS_WAITING.inc()
    try:
        await gate.acquire()
    finally:
        metrics.ANSWERS_WAITING.dec()
    try:
        yield
    finally:
        gate.release()

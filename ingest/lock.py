"""One ingest at a time per data dir: an exclusive lock on data/ingest.lock, released when the process dies.

    with ingest_lock(settings.lock_path):             # refused at once when another run holds it
        ...
    with ingest_lock(settings.lock_path, wait=True):  # an ingest worker's job waits its turn instead
        ...

The operating system drops the lock when its holder exits, even by SIGKILL, so a stale lock never blocks.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from connector.errors import IngestLockedError


@contextlib.contextmanager
def ingest_lock(path: Path, wait: bool = False) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise IngestLockedError(
                f"another ingest is running for {path.parent} (pid {holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()

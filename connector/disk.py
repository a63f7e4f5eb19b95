"""Telling a full disk from other failures, so an error can say what to do about it.

    note = full_disk_note(settings.data_dir, error)   # "the disk holding /data has 512 KB free" or None

Libraries report a full disk in their own words (SQLite "database or disk is full", Chroma's "error in
compaction", an OSError ENOSPC), so both the error chain and the space left are looked at.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

# Below this much free space a failed write is most likely the disk filling up: an ingest batch or a
# database checkpoint needs a few megabytes at most.
LOW_SPACE_BYTES = 64 * 1024 * 1024
FULL_WORDS = ("disk is full", "no space left", "disk full")


def free_bytes(path: Path) -> int | None:
    """Free space on the file system holding `path` (its nearest existing parent); None if unknown."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None


def says_disk_full(error: BaseException) -> bool:
    """The error, or one it was raised from, is a full disk or quota."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(words in str(current).lower() for words in FULL_WORDS):
            return True
        current = current.__cause__ or current.__context__
    return False


def full_disk_note(path: Path, error: BaseException) -> str | None:
    """What to tell people when a write under `path` failed because its disk is (nearly) full, else None."""
    free = free_bytes(path)
    if not says_disk_full(error) and (free is None or free >= LOW_SPACE_BYTES):
        return None
    left = f"{free // 1024} KB free" if free is not None else "no space left"
    return f"the disk holding {path} is full ({left})"

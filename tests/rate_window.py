"""Start a burst of requests where it cannot straddle the turn of a rate-limit window.

The limits are counted with a sliding window counter (api/rate_limits.py): just after the clock passes a
window edge, the last window's uses are weighted by the share of it still in view, so a client that
used its whole allowance a moment before may ask once more. That is the strategy's documented
approximation, not a fault; a test that expects a refusal has to make its burst inside one window.
"""

from __future__ import annotations

import time


def start_inside_one_window(burst_seconds: float, window_seconds: int = 60) -> None:
    """Sleep into the next window when fewer than `burst_seconds` remain in this one.

    The windows of `limits` are aligned to multiples of their length since the epoch."""
    if burst_seconds >= window_seconds:
        raise ValueError("the burst must be shorter than the window")
    left = window_seconds - time.time() % window_seconds
    if left < burst_seconds:
        time.sleep(left + 0.05)

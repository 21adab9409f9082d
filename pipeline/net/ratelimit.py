"""When the fetcher may send its next request: per-host pacing, concurrency caps and retry waits.

Being polite to a news site is what keeps the pipeline unblocked: one fetcher never has more than
``per_host_concurrency`` requests in flight to a host, starts them at least ``per_host_min_interval_s``
apart, and backs off with full jitter (or as long as ``Retry-After`` asks, within a cap) when the host
says it is overloaded.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or HTTP-date), None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, base_s: float, max_s: float, rand: Callable[[], float] = random.random) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(max_s, base_s * 2**attempt)), attempt from 0."""
    return rand() * min(max_s, base_s * 2.0**attempt)


def retry_wait(
    retry_after: str | None,
    attempt: int,
    base_s: float,
    max_s: float,
    now: datetime,
    rand: Callable[[], float] = random.random,
) -> float:
    """How long to wait before retry ``attempt``: the server's Retry-After if it gave one, capped at max_s."""
    asked = parse_retry_after(retry_after, now)
    if asked is not None:
        return min(asked, max_s)
    return backoff_delay(attempt, base_s, max_s, rand)


class _Host:
    """Pacing state of one host: a slot semaphore and when the next request may start."""

    def __init__(self, concurrency: int, min_interval_s: float) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.min_interval_s = min_interval_s
        self.next_start: float | None = None


class HostLimiter:
    """Per-host concurrency cap and minimum interval, under a global concurrency cap; thread-safe."""

    def __init__(
        self,
        *,
        per_host_concurrency: int,
        global_concurrency: int,
        min_interval_s: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self._per_host_concurrency = per_host_concurrency
        self._min_interval_s = min_interval_s
        self._global = threading.BoundedSemaphore(global_concurrency)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock

    def _host(self, host: str) -> _Host:
        with self._hosts_lock:
            state = self._hosts.get(host)
            if state is None:
                state = self._hosts[host] = _Host(self._per_host_concurrency, self._min_interval_s)
            return state

    def slow_down(self, host: str, min_interval_s: float) -> None:
        """Space requests to ``host`` at least ``min_interval_s`` apart from now on (robots Crawl-delay)."""
        state = self._host(host)
        with state.lock:
            state.min_interval_s = max(state.min_interval_s, min_interval_s)

    def hold_off(self, host: str, seconds: float) -> None:
        """Start no request to ``host`` for ``seconds`` (the host sent Retry-After)."""
        state = self._host(host)
        with state.lock:
            until = self._clock() + seconds
            state.next_start = until if state.next_start is None else max(state.next_start, until)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one request slot for ``host``; waits for the host cap, the interval, then the global cap."""
        state = self._host(host)
        # The host slot is taken before the global one, so a request queued behind a busy host never
        # holds a global slot that a request to another host could use.
        with state.slots:
            with state.lock:
                now = self._clock()
                start = now if state.next_start is None else max(now, state.next_start)
                state.next_start = start + state.min_interval_s
            if start > now:
                self._sleep(start - now)
            with self._global:
                yield

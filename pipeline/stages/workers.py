"""Chunks of a batch across the machine's cores, in order: the task's own process takes its share, worker
processes the rest.

Workers are spawned (not forked: the task process may already run threads, e.g. deltalake's) and live for
one stage call; whatever a worker loads through a per-process cache (the Enricher) is loaded once and reused
for every chunk it gets. Results come back in input order, so a stage's output does not depend on the number
of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
AHEAD_PER_WORKER = 2


MIN_ROWS_PER_WORKER = 500


def worker_count(setting: int, rows: int) -> int:
    """Processes to use for ``rows`` rows, the caller's included: the setting, or one per CPU core when it is 0,
    but no more than one per MIN_ROWS_PER_WORKER rows (a worker takes seconds to start and load its models,
    and a small batch, e.g. one shard of a fanned-out run, is done sooner without)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    wanted = setting if setting > 0 else cores
    return max(1, min(wanted, -(-rows // MIN_ROWS_PER_WORKER)))


def map_chunks(function: Callable[[T], R], chunks: Iterable[T], workers: int) -> Iterator[R]:
    """``function`` over ``chunks``, results in input order, on ``workers`` processes (the caller is one).

    Chunks are read from the iterable only a few ahead of the results, so memory stays bounded by the
    chunk size, not the batch. ``function`` must be importable (a module-level function), and, as with any
    spawned worker, a calling script needs the ``if __name__ == "__main__":`` guard.
    """
    iterator = iter(chunks)
    first = next(iterator, None)
    if first is None:
        return
    # A daemonic process (a Celery prefork child runs tasks in one) may not start children: work in-process.
    if workers <= 1 or multiprocessing.current_process().daemon:
        yield function(first)
        for chunk in iterator:
            yield function(chunk)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
        pending: deque[Future[R] | R] = deque()
        for position, chunk in enumerate(_chain(first, iterator)):
            if position % workers == workers - 1:
                pending.append(function(chunk))
            else:
                pending.append(pool.submit(function, chunk))
            while len(pending) > AHEAD_PER_WORKER * workers:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())


def _chain(first: T, rest: Iterator[T]) -> Iterator[T]:
    yield first
    yield from rest


def _result(item: Future[R] | R) -> R:
    return item.result() if isinstance(item, Future) else item

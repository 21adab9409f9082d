"""Chunks across processes: results in input order, the same as in one process; small batches stay in one."""

from __future__ import annotations

import pytest

from pipeline.stages.workers import MIN_ROWS_PER_WORKER, map_chunks, worker_count

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_input_order_whatever_the_number_of_processes(workers: int) -> None:
    chunks = [[n, n + 1, n + 2] for n in range(0, 30, 3)]

    assert list(map_chunks(sum, chunks, workers)) == [sum(chunk) for chunk in chunks]


def test_no_chunks_give_no_results_and_start_no_worker() -> None:
    assert list(map_chunks(sum, iter([]), 2)) == []


def test_a_small_batch_is_done_in_the_task_process_alone() -> None:
    assert worker_count(4, MIN_ROWS_PER_WORKER) == 1
    assert worker_count(4, 2 * MIN_ROWS_PER_WORKER + 1) == 3
    assert worker_count(0, 0) == 1

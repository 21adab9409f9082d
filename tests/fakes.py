"""Test doubles shared by the fetcher's tests."""

from __future__ import annotations


class FakeClock:
    """Pacing time that passes only when the fetcher sleeps, so waits can be asserted exactly."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

"""Suite-wide rules: every test says what kind it is (unit, integration, dags, e2e)."""

from __future__ import annotations

import os

import pytest

KINDS = ("unit", "integration", "dags", "e2e")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [item.nodeid for item in items if not any(item.get_closest_marker(k) for k in KINDS)]
    if unmarked:
        raise pytest.UsageError("tests without a kind marker (" + ", ".join(KINDS) + "):\n  " + "\n  ".join(unmarked))

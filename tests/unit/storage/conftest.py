from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.storage.raw import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty local data root."""
    return Store(str(tmp_path / "data"), {})

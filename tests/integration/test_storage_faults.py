"""The data root fills up or turns read-only during publish: the publish task fails with a message that
says what happened and what to do, the published table stays at its last version, and a retry after the
fix completes the publish with exactly the rows a clean run has.

The data root is a small tmpfs mounted for the test (root only): ``mount -t tmpfs -o size=..`` and
``mount -o remount,ro``. Directory permissions would not do here: the tests run as root, which ignores them.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from deltalake import DeltaTable
from pytest_httpserver import HTTPServer

from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.stages.discover import discover
from pipeline.stages.enrich import enrich
from pipeline.stages.fetch import fetch
from pipeline.stages.normalize import normalize
from pipeline.stages.publish import publish
from pipeline.stages.validate import validate
from pipeline.storage.articles import StorageError
from tests.gdelt_site import serve_gdelt
from tests.runs import fast_settings, rows

pytestmark = pytest.mark.integration
START = datetime(2026, 11, 20, tzinfo=UTC)
FIRST, SECOND = (Interval(START + timedelta(hours=h), START + timedelta(hours=h + 1)) for h in (0, 1))


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 MB tmpfs as the data root, unmounted afterwards whatever happened."""
    root = tmp_path / "data"
    root.mkdir()
    mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(root))
    try:
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


@pytest.fixture(scope="module")
def gdelt() -> Iterator[str]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield serve_gdelt(server)
    server.clear()
    server.stop()


def up_to_validate(settings: Settings, run_id: str, interval: Interval) -> str:
    candidates = discover(settings, run_id, interval)
    fetched = fetch(settings, run_id, candidates)
    enriched = enrich(settings, run_id, normalize(settings, run_id, fetched))
    return validate(settings, run_id, enriched, interval)


def fill(root: Path) -> Path:
    filler = root / "filler"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * (1 << 20))
        except OSError:
            pass
    return filler


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_publish_on_a_full_or_read_only_data_root_fails_clearly_keeps_the_table_and_a_retry_completes(
    tmpfs: Path, gdelt: str, fault: str
) -> None:
    source = f'sources:\n  - {{name: gdelt, kind: gdelt, index_url: "{gdelt}", fetch_pages: true}}\n'
    settings = fast_settings(tmpfs, source, workers=1)
    publish(settings, "run-1", up_to_validate(settings, "run-1", FIRST))
    articles = Path(tmpfs, "published", "articles")
    version, before = DeltaTable(str(articles)).version(), rows(settings)
    validated = up_to_validate(settings, "run-2", SECOND)

    if fault == "full":
        filler = fill(tmpfs)
    else:
        mount("-o", "remount,ro", str(tmpfs))
    with pytest.raises(StorageError) as caught:
        publish(settings, "run-2", validated)
    message = str(caught.value)
    assert "run-2" in message and str(tmpfs) in message and "retry" in message
    assert ("No space left on device" if fault == "full" else "Read-only file system") in message
    assert "\x1b" not in message
    assert DeltaTable(str(articles)).version() == version and rows(settings) == before

    if fault == "full":
        os.remove(filler)
    else:
        mount("-o", "remount,rw", str(tmpfs))
    stats = publish(settings, "run-2", validated)

    after = rows(settings)
    assert stats["rows_inserted"] == 2 and len(after) == len(before) + 2 == 5
    assert len({r["article_id"] for r in after}) == len(after)

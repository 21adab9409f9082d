"""Pages looked at in a real headless browser (Debian's chromium, installed by scripts/bootstrap.sh), with
every host name unresolvable, so a page that needs the network shows it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND"
TIMEOUT_S = 120


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    if binary is None:
        raise RuntimeError("chromium is not installed: run scripts/bootstrap.sh (it installs Debian's chromium)")
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", OFFLINE, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def dump_dom(page: Path) -> str:
    """The page's DOM after its scripts ran (what a reader sees, not the file as written)."""
    return _chromium("--virtual-time-budget=5000", "--dump-dom", page.resolve().as_uri()).stdout


def screenshot(page: Path, target: Path, width: int = 1280, height: int = 2400) -> Path:
    """A PNG of the page's first ``width`` x ``height`` pixels."""
    _chromium(f"--window-size={width},{height}", f"--screenshot={target}", page.resolve().as_uri())
    return target

"""Security checks that run with the unit tests: no secrets in the repository, the SSRF guard on by
default. (ruff and mypy run in scripts/run_tests.sh, the dependency audit in scripts/audit.sh.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pipeline.net.fetcher import Fetcher, FetchError
from pipeline.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.unit
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"aws_?secret_?access_?key\s*[:=]\s*['\"]?[A-Za-z0-9/+]{40}\b", re.I),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}\b"),
    "password literal": re.compile(
        r"""(?:password|passwd|secret|token)["']?\s*[:=]\s*["']([^"'\s$<{][^"'\s]{7,})["']""", re.I
    ),
}
# Literals that look like a password and are not one: test fixtures and documented placeholders.
ALLOWED = re.compile(r"^(?:changeme|change-me|example|placeholder|minioadmin|airflow|admin|x+)\b", re.I)


def repository_files() -> list[Path]:
    """Files git tracks, and new files it would add (not ignored)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [PROJECT_ROOT / name for name in listing.split("\0") if name and (PROJECT_ROOT / name).is_file()]


def test_no_private_keys_cloud_keys_or_password_literals_in_the_repository() -> None:
    found = []
    files = repository_files()
    for path in files:
        text = path.read_bytes()[:2_000_000].decode("utf-8", errors="ignore")
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                value = match.group(match.lastindex or 0)
                if kind == "password literal" and ALLOWED.match(value):
                    continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{line}: {kind}")
    assert len(files) > 100
    assert found == []


def test_the_secret_scan_would_catch_each_kind() -> None:
    # Built from pieces, so this file does not match its own scan.
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key id": "key = AKIA" + "IOSFODNN7EXAMPLE",
        "AWS secret access key": "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "GitHub token": "ghp_" + "a" * 36,
        "Slack token": "xoxb" + "-1234567890-abcdef",
        "password literal": "password = " + '"hunter2hunter2"',
    }
    assert {kind for kind, text in samples.items() if SECRET_PATTERNS[kind].search(text)} == set(samples)


def test_default_settings_refuse_loopback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NEWSFLOW_ALLOW_PRIVATE_NETWORKS", "NEWSFLOW_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSFLOW_CONFIG", str(tmp_path / "none.yml"))
    settings = Settings()
    assert settings.allow_private_networks is False
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get("http://127.0.0.1:9/admin", kind="page")
    assert caught.value.reason_code == "ssrf_blocked"


def test_the_bundled_config_does_not_lift_the_guard() -> None:
    for path in (PROJECT_ROOT / "config").glob("*.yml"):
        assert not re.search(r"allow_private_networks\s*:\s*(true|yes|on|1)", path.read_text(), re.I), path

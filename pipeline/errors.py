"""The errors no retry can fix, so each entry point can treat them alike.

``UserInputError`` is the base of every error that is the user's to fix: the CLI prints it as one line
and exits 2; an Airflow task fails at once instead of retrying (a typo in the sources file does not go
away on the second try). The message names the input and says how to fix it. ``RunFailed`` is a run the
failure policy judges failed once its report is written: the CLI prints the summary and exits 1, and the
Airflow task fails without retrying too.

Two shapes recur below them: ``RefusedInput`` (an input, a reason code, a detail: quarantined, never
raised out of a stage) and ``DataFileError`` (a project data file and what is wrong with it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class UserInputError(ValueError):
    """A setting, the sources file or a command-line value is wrong: retrying cannot help."""


class RunFailed(RuntimeError):
    """The run did its work, published what it could and wrote its report, and the failure policy judges
    it failed (every source failed, or more of them than ``max_failed_source_share`` allows). Retrying the
    task that judged it cannot change that: rerun the interval once the sources are back."""

    def __init__(self, message: str, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary


class RefusedInput(Exception):
    """One input (a URL, a file, a line of one) the pipeline will not take, named, with a reason code: what a
    stage turns into a quarantine record. ``MESSAGE`` is how a subclass words it."""

    MESSAGE = "{url}: {detail}"

    def __init__(self, url: str, reason_code: str, detail: str) -> None:
        super().__init__(self.MESSAGE.format(url=url, reason_code=reason_code, detail=detail))
        self.url = url
        self.reason_code = reason_code
        self.detail = detail

    def __reduce__(self) -> tuple[type[RefusedInput], tuple[str, str, str]]:
        """Pickled by its fields (it crosses process pools), not by its message."""
        return (type(self), (self.url, self.reason_code, self.detail))


class DataFileError(ValueError):
    """A data file the project reads (a dictionary, a table, a gold set) missing or not in its format; the
    message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

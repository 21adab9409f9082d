"""The errors no retry can fix, so each entry point can treat them alike.

``UserInputError`` is the base of every error that is the user's to fix: the CLI prints it as one line
and exits 2; an Airflow task fails at once instead of retrying (a typo in the sources file does not go
away on the second try). The message names the input and says how to fix it. ``RunFailed`` is a run the
failure policy judges failed once its report is written: the CLI prints the summary and exits 1, and the
Airflow task fails without retrying too.
"""

from __future__ import annotations

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

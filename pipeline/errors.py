"""The base of every error that is the user's to fix, so each entry point can treat them alike.

The CLI prints such an error as one line and exits non-zero; an Airflow task fails at once instead of
retrying (a typo in the sources file does not go away on the second try). The message names the input
and says how to fix it.
"""

from __future__ import annotations


class UserInputError(ValueError):
    """A setting, the sources file or a command-line value is wrong: retrying cannot help."""

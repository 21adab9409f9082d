"""The sources file: which feeds (and later archives, indexes, folders) a run reads.

A bad entry is an operator's typo, so the error names the file, the line and the field.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SOURCE_KINDS = ("rss",)
ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SourcesFileError(ValueError):
    """The sources file cannot be used; the message names the file, line and reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class SourceConfig(BaseModel):
    """One configured source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    kind: Literal["rss"]
    url: str = Field(pattern=r"^https?://\S+$")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    enabled: bool = True


@dataclass(frozen=True)
class _Entry:
    line: int
    data: Any


def _expand(value: Any, path: str, line: int) -> Any:
    """Replace ``${VAR}`` from the environment; an unset variable is an error, not an empty string."""
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise SourcesFileError(path, line, f"environment variable {name} is not set")
            return os.environ[name]

        return ENV_VAR.sub(sub, value)
    if isinstance(value, dict):
        return {k: _expand(v, path, line) for k, v in value.items()}
    return value


def _entries(text: str, path: str) -> list[_Entry]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourcesFileError(path, mark.line + 1 if mark else None, f"not valid YAML: {exc}") from exc
    if not isinstance(root, yaml.MappingNode):
        raise SourcesFileError(path, 1, "expected a mapping with a 'sources' list")
    for key, value in root.value:
        if key.value == "sources":
            if not isinstance(value, yaml.SequenceNode):
                raise SourcesFileError(path, value.start_mark.line + 1, "'sources' must be a list")
            loader = yaml.SafeLoader("")
            return [_Entry(node.start_mark.line + 1, loader.construct_object(node, deep=True)) for node in value.value]
    raise SourcesFileError(path, 1, "no 'sources' key")


def parse_sources(text: str, path: str = "<sources>") -> list[SourceConfig]:
    """Validated sources from the YAML text; disabled entries are dropped, names must be unique."""
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for entry in _entries(text, path):
        if not isinstance(entry.data, dict):
            raise SourcesFileError(path, entry.line, "each source must be a mapping")
        try:
            source = SourceConfig(**_expand(entry.data, path, entry.line))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "entry"
            raise SourcesFileError(path, entry.line, f"{field}: {first['msg']}") from exc
        if source.name in seen:
            raise SourcesFileError(path, entry.line, f"duplicate source name {source.name!r}")
        seen.add(source.name)
        if source.enabled:
            sources.append(source)
    return sources


def load_sources(path: str | Path) -> list[SourceConfig]:
    """Read and validate the sources file at ``path``."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesFileError(str(file), None, f"cannot read: {exc.strerror}") from exc
    return parse_sources(text, str(file))

"""The sources file: which feeds, GDELT indexes, web archives and folders a run reads.

Each entry has a ``kind`` (rss, gdelt, warc, local) and that kind's fields. A bad entry is an operator's
typo, so the error names the file, the line and the field. Relative paths are relative to the sources file.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from pipeline.errors import UserInputError

GDELT_INDEX_URL = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
HTTP_URL = r"^https?://\S+$"
DOMAIN_PATTERN = r"^[a-z0-9.-]+\.[a-z]{2,}$"
DOMAIN = re.compile(DOMAIN_PATTERN)
MAX_VALUES = 10_000  # YAML values in the sources list once aliases are expanded
ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
COUNTRY_PATTERN = r"^[A-Z]{3}$"
COUNTRY = re.compile(COUNTRY_PATTERN)


class SourcesFileError(UserInputError):
    """The sources file cannot be used; the message names the file, line and reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class _Source(BaseModel):
    """What every source has. ``canonical_domains``: the other domains its pages may name as their
    canonical URL (a syndicating or mirror site); a claim on any other domain does not change the key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, max_length=64)
    country: str | None = Field(default=None, pattern=COUNTRY_PATTERN)
    enabled: bool = True
    canonical_domains: tuple[Annotated[str, Field(pattern=DOMAIN_PATTERN)], ...] = Field(default=(), max_length=100)

    @field_validator("canonical_domains")
    @classmethod
    def _registered_domains(cls, domains: tuple[str, ...]) -> tuple[str, ...]:
        """Each a domain an owner controls (``voanews.com``), not a host under one nor a public suffix."""
        from pipeline.net.urls import owner_domain

        for domain in domains:
            if owner_domain(f"http://x.{domain}/") != domain:  # a host under it belongs to it
                owner = owner_domain(f"http://{domain}/")
                fix = f"write {owner!r}" if owner != domain else "a public suffix, shared by many owners"
                raise ValueError(f"{domain!r} is not a registered domain ({fix})")
        return domains


class RssSourceConfig(_Source):
    """An RSS or Atom feed; its entries' links are fetched."""

    kind: Literal["rss"]
    url: str = Field(pattern=HTTP_URL)


class GdeltSourceConfig(_Source):
    """GDELT 2.0's 15-minute update files, listed by ``index_url`` (lastupdate.txt or masterfilelist.txt)."""

    kind: Literal["gdelt"]
    index_url: str = Field(default=GDELT_INDEX_URL, pattern=HTTP_URL)
    streams: tuple[Literal["gkg", "export"], ...] = Field(default=("gkg",), min_length=1)
    fetch_pages: bool = False
    max_file_bytes: int = Field(default=200_000_000, gt=0)
    max_decompressed_bytes: int = Field(default=1_000_000_000, gt=0)
    max_index_bytes: int = Field(default=300_000_000, gt=0)


class WarcSourceConfig(_Source):
    """WARC or ARC files (e.g. CC-NEWS): a local file or folder (``path``) or one file by ``url``."""

    kind: Literal["warc"]
    path: str | None = None
    url: str | None = Field(default=None, pattern=HTTP_URL)
    max_file_bytes: int = Field(default=2_000_000_000, gt=0)

    @model_validator(mode="after")
    def _one_location(self) -> WarcSourceConfig:
        if (self.path is None) == (self.url is None):
            raise ValueError("give exactly one of path and url")
        return self


class LocalSourceConfig(_Source):
    """A folder of .txt, .html and .jsonl articles an analyst already holds."""

    kind: Literal["local"]
    path: str
    default_domain: str | None = Field(default=None, pattern=DOMAIN_PATTERN)


SourceConfig = Annotated[
    RssSourceConfig | GdeltSourceConfig | WarcSourceConfig | LocalSourceConfig, Field(discriminator="kind")
]
_ADAPTER: TypeAdapter[SourceConfig] = TypeAdapter(SourceConfig)
_KIND_MODELS: dict[str, type[_Source]] = {
    "rss": RssSourceConfig,
    "gdelt": GdeltSourceConfig,
    "warc": WarcSourceConfig,
    "local": LocalSourceConfig,
}
SOURCE_KINDS = tuple(_KIND_MODELS)


@dataclass(frozen=True)
class _Entry:
    """One source of the file as YAML gave it, with the line of the entry and of each of its keys."""

    line: int
    data: Any
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


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


def _yaml_error(path: str, exc: yaml.YAMLError) -> SourcesFileError:
    mark = getattr(exc, "problem_mark", None)
    return SourcesFileError(path, mark.line + 1 if mark else None, f"not valid YAML: {exc}")


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for once its aliases are expanded (each shared node counted once
    per use, computed once), so a billion-laughs file is refused before anything expands it."""
    if id(node) not in sizes:
        sizes[id(node)] = 1  # a node met again while being sized is a recursive alias; construction refuses it
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def _entries(text: str, path: str) -> list[_Entry]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from exc
    except RecursionError as exc:
        raise SourcesFileError(path, None, "not valid YAML: nested too deeply") from exc
    if not isinstance(root, yaml.MappingNode):
        raise SourcesFileError(path, 1, "expected a mapping with a 'sources' list")
    for key, value in root.value:
        if key.value == "sources":
            if not isinstance(value, yaml.SequenceNode):
                raise SourcesFileError(path, value.start_mark.line + 1, "'sources' must be a list")
            if _expanded_size(value, {}) > MAX_VALUES:
                raise SourcesFileError(path, value.start_mark.line + 1, f"expands to more than {MAX_VALUES} values")
            loader = yaml.SafeLoader("")
            try:
                return [
                    _Entry(node.start_mark.line + 1, loader.construct_object(node, deep=True), _key_lines(node))
                    for node in value.value
                ]
            except yaml.YAMLError as exc:
                raise _yaml_error(path, exc) from exc
    raise SourcesFileError(path, 1, "no 'sources' key")


def _key_lines(node: yaml.Node) -> dict[str, int]:
    """The line of every key of a mapping node (empty for anything else)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def _relative_to(source: SourceConfig, base: Path | None) -> SourceConfig:
    """Folder and file paths relative to the sources file's folder, made absolute."""
    if base is None or not isinstance(source, WarcSourceConfig | LocalSourceConfig) or source.path is None:
        return source
    return source.model_copy(update={"path": str(base / Path(source.path).expanduser())})


def _where(loc: tuple[int | str, ...]) -> str:
    """The field of an error location, without the union tag pydantic puts first ('' for the whole entry)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCE_KINDS:
        parts = parts[1:]
    return ".".join(parts)


def _explain(exc: ValidationError) -> tuple[str, str]:
    """The field to name and what is wrong with it. An unknown field is named first: a typo (``ulr:``) also
    makes the real field missing, and the typo is what the operator must fix."""
    errors = exc.errors()
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    field = _where(first["loc"])
    if first["type"] == "union_tag_not_found":
        return "kind", "missing, one of " + ", ".join(SOURCE_KINDS)
    if first["type"] == "union_tag_invalid":
        return "kind", f"{first['input'].get('kind')!r} is not one of " + ", ".join(SOURCE_KINDS)
    if first["type"] != "extra_forbidden":
        return field, str(first["msg"])
    kind = first["loc"][0] if first["loc"] and first["loc"][0] in SOURCE_KINDS else None
    known = sorted(_KIND_MODELS[str(kind)].model_fields) if kind else []
    guess = difflib.get_close_matches(field, known, n=1)
    hint = f"did you mean {guess[0]!r}? " if guess else ""
    return field, f"unknown field ({hint}fields of kind {kind}: {', '.join(known)})"


def parse_sources(text: str, path: str = "<sources>", base: Path | None = None) -> list[SourceConfig]:
    """Validated sources from the YAML text; disabled entries are dropped, names must be unique."""
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for entry in _entries(text, path):
        if not isinstance(entry.data, dict):
            raise SourcesFileError(path, entry.line, "each source must be a mapping")
        expanded = {key: _expand(value, path, entry.line_of(str(key))) for key, value in entry.data.items()}
        try:
            source = _relative_to(_ADAPTER.validate_python(expanded), base)
        except ValidationError as exc:
            field, message = _explain(exc)
            reason = f"{field}: {message}" if field else message
            raise SourcesFileError(path, entry.line_of(field.partition(".")[0]), reason) from exc
        if source.name in seen:
            raise SourcesFileError(path, entry.line, f"duplicate source name {source.name!r}")
        seen.add(source.name)
        if source.enabled:
            sources.append(source)
    return sources


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesFileError(str(file), None, f"cannot read: {exc.strerror}") from exc


def load_sources(path: str | Path) -> list[SourceConfig]:
    """Read and validate the sources file at ``path``."""
    file = Path(path)
    return parse_sources(_read(file), str(file), file.resolve().parent)


@dataclass(frozen=True)
class SourceTraits:
    """What normalize and enrich need of a source: its home country (None when it names none) and the
    other domains its pages may name as canonical."""

    country: str | None
    canonical_domains: tuple[str, ...]


def source_traits(path: str | Path) -> dict[str, SourceTraits]:
    """Each source's traits, read without resolving ``${VAR}`` or checking the kinds' fields: all that
    normalize and enrich need of the sources file. Re-processing, which reads only the raw zone and the
    table, thus needs none of the file's variables set (discover has checked the whole file in every
    ingest run; a value that would not pass that check is left out here)."""
    file = Path(path)
    traits: dict[str, SourceTraits] = {}
    for entry in _entries(_read(file), str(file)):
        data = entry.data
        if not (isinstance(data, dict) and isinstance(data.get("name"), str)):
            continue
        country = data.get("country")
        domains = data.get("canonical_domains")
        traits[data["name"]] = SourceTraits(
            country if isinstance(country, str) and COUNTRY.match(country) else None,
            tuple(d for d in domains if isinstance(d, str) and DOMAIN.match(d)) if isinstance(domains, list) else (),
        )
    return traits

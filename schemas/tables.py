"""pyarrow schemas of the published tables, with a description on every column.

``python -m schemas`` writes docs/data_dictionary.md from these definitions, so the dictionary can never
drift from what is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


def _field(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": doc})


TIMESTAMP_UTC = pa.timestamp("us", tz="UTC")

ACTOR = pa.struct(
    [
        _field("name", pa.string(), "Longest surface form of the actor in the article."),
        _field("canonical", pa.string(), "Canonical name (alias dictionary or merged full name)."),
        _field("type", pa.string(), "person | organization | group | government | country | other."),
        _field("country_code", pa.string(), "ISO 3166-1 alpha-3 country the actor belongs to, if known."),
        _field("role", pa.string(), "Role the text gives (Prime Minister, analyst, ...), if any."),
        _field("mentions", pa.int32(), "Number of mentions of this actor in the article."),
    ]
)

LOCATION = pa.struct(
    [
        _field("name", pa.string(), "Surface form of the place in the article."),
        _field(
            "canonical",
            pa.string(),
            "GeoNames name of the resolved place; the name as written for a place the gazetteer cannot resolve.",
        ),
        _field(
            "geonameid", pa.int64(), "GeoNames id; null for a place the gazetteer cannot resolve (a county, a street)."
        ),
        _field(
            "country_code",
            pa.string(),
            "ISO 3166-1 alpha-3 country of the place; null for a continent and an unresolved place.",
        ),
        _field("feature", pa.string(), "country | admin1 | city | other; null for an unresolved place."),
        _field("latitude", pa.float64(), "WGS84 latitude in degrees; null for an unresolved place."),
        _field("longitude", pa.float64(), "WGS84 longitude in degrees; null for an unresolved place."),
        _field("mentions", pa.int32(), "Number of mentions of this place in the article."),
    ]
)

ARTICLES_SCHEMA = pa.schema(
    [
        _field(
            "article_id",
            pa.string(),
            "First 32 hex characters (128 bits) of the SHA-256 of the canonical URL: the merge key.",
            False,
        ),
        _field("url", pa.string(), "URL the article was fetched from.", False),
        _field(
            "canonical_url",
            pa.string(),
            "Canonical URL (rel=canonical / og:url, normalized) when on the page's own domain or one its source "
            "trusts (canonical_domains), else the fetched URL, normalized.",
            False,
        ),
        _field(
            "canonical_claimed",
            pa.string(),
            "Canonical URL the page claimed on another domain, not trusted so not its key (normalized).",
        ),
        _field("source_domain", pa.string(), "Registrable domain of the canonical URL, e.g. voanews.com.", False),
        _field("source_name", pa.string(), "Name of the configured source that listed the article.", False),
        _field("feed_url", pa.string(), "Feed (or index) the article was discovered in."),
        _field("title", pa.string(), "Headline.", False),
        _field("summary", pa.string(), "Standfirst or feed summary."),
        _field("text", pa.string(), "Main text, boilerplate removed.", False),
        _field("language", pa.string(), "ISO 639-1 language code of the text.", False),
        _field("authors", pa.list_(pa.string()), "Bylines, one name each."),
        _field("published_at", TIMESTAMP_UTC, "Publication time in UTC.", False),
        _field(
            "published_at_source",
            pa.string(),
            "Where published_at came from, in order of precedence: url (a day in the URL path) | metadata (the"
            " page's JSON-LD, meta tags, <time>) | feed | page_search (htmldate's search of the markup and text)"
            " | fetched_fallback (no date anywhere: the fetch time).",
            False,
        ),
        _field(
            "published_at_local_date",
            pa.date32(),
            "The publication day as the source wrote it (the page's own local day; the UTC day for feed and"
            " fetch times). Null only in rows written before the column existed.",
        ),
        _field(
            "published_utc_offset_minutes",
            pa.int32(),
            "UTC offset the page stated with its date, in minutes (+60 for +01:00); null when it stated none.",
        ),
        _field("published_date", pa.date32(), "UTC date of published_at; the partition column.", False),
        _field("fetched_at", TIMESTAMP_UTC, "When the page was downloaded (UTC).", False),
        _field("word_count", pa.int32(), "Words in text.", False),
        _field("actors", pa.list_(ACTOR), "Actors named in the article, one entry per real-world entity."),
        _field(
            "locations",
            pa.list_(LOCATION),
            "Places named in the article, resolved to GeoNames where the gazetteer can.",
        ),
        _field("countries", pa.list_(pa.string()), "Alpha-3 codes the article is about (places, actors)."),
        _field(
            "ner_applied",
            pa.bool_(),
            "True when actors and locations were extracted; false for languages the NER model does not support"
            " (the row is still published, with empty actors and locations).",
            False,
        ),
        _field(
            "duplicate_cluster",
            pa.string(),
            "article_id of the earliest copy of this text (itself when the article has no near-duplicate).",
            False,
        ),
        _field(
            "duplicate_of", pa.string(), "article_id of the earliest copy when this row is a later copy, else null."
        ),
        _field(
            "content_hash",
            pa.string(),
            "SHA-256 of title and text, 64 hex characters: changes when the content does.",
            False,
        ),
        _field("run_id", pa.string(), "Airflow (or CLI) run that wrote this version of the row.", False),
        _field("pipeline_version", pa.string(), "Version of the pipeline that made the row.", False),
        _field("raw_ref", pa.string(), "Where the raw page payload is kept (gzip) in the raw zone.", False),
    ]
)

QUARANTINE_SCHEMA = pa.schema(
    [
        _field(
            "quarantine_id",
            pa.string(),
            "First 32 hex characters of the SHA-256 of run_id, stage, url and reason: the merge key.",
            False,
        ),
        _field("url", pa.string(), "Input that failed (URL, feed URL or file).", False),
        _field("source", pa.string(), "Configured source name.", False),
        _field("stage", pa.string(), "discover | fetch | normalize | enrich | validate.", False),
        _field("reason_code", pa.string(), "Machine-readable reason, e.g. http_status, empty_text.", False),
        _field("reason_detail", pa.string(), "Human-readable detail naming the input and the cause.", False),
        _field("run_id", pa.string(), "Run that quarantined the record.", False),
        _field("time", TIMESTAMP_UTC, "When it was quarantined (UTC).", False),
        _field("raw_ref", pa.string(), "Raw payload kept for re-processing, when there is one."),
    ]
)

PUBLISH_LOG_SCHEMA = pa.schema(
    [
        _field("run_id", pa.string(), "Run that published.", False),
        _field("table_version", pa.int64(), "Delta version of the articles table after the merge.", False),
        _field("rows_inserted", pa.int64(), "Rows new to the table.", False),
        _field("rows_updated", pa.int64(), "Rows whose content changed.", False),
        _field("rows_unchanged", pa.int64(), "Rows already present with the same content.", False),
        _field("published_at", TIMESTAMP_UTC, "When the publish attempt ended (UTC).", False),
        _field(
            "publish_id",
            pa.string(),
            "Unique id of this publish attempt: every attempt (a rerun, a retry, a repeated reprocess) adds a "
            "record, none replaces another. Empty in records written before it existed.",
        ),
        _field(
            "try_number",
            pa.int64(),
            "The Airflow try of the publish task; outside Airflow, 1 + the run's earlier records. Empty in records "
            "written before it existed.",
        ),
        _field(
            "committed",
            pa.bool_(),
            "Whether the attempt committed a new table version (false: every row was already there as it is). "
            "Empty in records written before it existed.",
        ),
    ]
)

SOURCE_YIELD_SCHEMA = pa.schema(
    [
        _field("yield_id", pa.string(), "run_id and source_name joined by '/': the merge key.", False),
        _field("run_id", pa.string(), "Run whose batch was measured.", False),
        _field("source_name", pa.string(), "Configured source name.", False),
        _field("rows", pa.int64(), "Articles of the source that passed the row-level checks.", False),
        _field("attempted", pa.int64(), "Pages of the source that reached extraction (rows plus rejects).", False),
        _field("without_body", pa.int64(), "Pages rejected for having no main text or no title.", False),
        _field("recorded_at", TIMESTAMP_UTC, "When the batch was measured (UTC).", False),
    ]
)

GDELT_LOCATION = pa.struct(
    [
        _field("name", pa.string(), "GDELT's full name of the place."),
        _field("type", pa.string(), "country | us_state | us_city | world_city | world_state | other."),
        _field("country_code", pa.string(), "ISO 3166-1 alpha-3 country (mapped from GDELT's FIPS 10-4 code)."),
        _field("fips_country_code", pa.string(), "GDELT's FIPS 10-4 country code."),
        _field("adm1_code", pa.string(), "GDELT's ADM1 code (FIPS country + region)."),
        _field("latitude", pa.float64(), "WGS84 latitude in degrees."),
        _field("longitude", pa.float64(), "WGS84 longitude in degrees."),
        _field("feature_id", pa.string(), "GNS/GNIS feature id, or the country/ADM1 code for larger places."),
    ]
)

GDELT_SCHEMA = pa.schema(
    [
        _field(
            "article_id",
            pa.string(),
            "First 32 hex characters of the SHA-256 of the canonical URL GDELT lists: merge key.",
            False,
        ),
        _field("url", pa.string(), "Article URL as GDELT lists it (GKG DocumentIdentifier, SOURCEURL).", False),
        _field("canonical_url", pa.string(), "Canonical form of url (join to articles on article_id).", False),
        _field("source_name", pa.string(), "Name of the configured GDELT source.", False),
        _field("gdelt_record_id", pa.string(), "GKGRECORDID, or GLOBALEVENTID of the first event citing it.", False),
        _field("gdelt_date", TIMESTAMP_UTC, "When GDELT saw the article (V2.1DATE / DATEADDED), UTC.", False),
        _field("source_common_name", pa.string(), "GDELT's V2SOURCECOMMONNAME (usually the domain)."),
        _field("page_title", pa.string(), "PAGE_TITLE from V2EXTRASXML."),
        _field("persons", pa.list_(pa.string()), "GDELT's persons (V2ENHANCEDPERSONS), distinct, in order."),
        _field("organizations", pa.list_(pa.string()), "GDELT's organizations (V2ENHANCEDORGANIZATIONS)."),
        _field("locations", pa.list_(GDELT_LOCATION), "GDELT's geocoded places (V2ENHANCEDLOCATIONS, event geo)."),
        _field("themes", pa.list_(pa.string()), "GDELT themes (V1THEMES)."),
        _field("tone", pa.float64(), "Average tone (first field of V1.5TONE)."),
        _field("gdelt_file", pa.string(), "The 15-minute update file the row came from.", False),
        _field("run_id", pa.string(), "Run that wrote this version of the row.", False),
    ]
)

SIGNATURES_SCHEMA = pa.schema(
    [
        _field("article_id", pa.string(), "The published article the signature belongs to: the merge key.", False),
        _field("published_at", TIMESTAMP_UTC, "The article's published_at (the earliest copy names a cluster).", False),
        _field("published_date", pa.date32(), "UTC date of published_at; the partition column.", False),
        _field("signature", pa.binary(), "MinHash signature of the text (128 little-endian uint64 values).", False),
    ]
)

# Staging files between stages (``<data_root>/staging/<run>/``), not published: one row per candidate, then
# per fetched page (pipeline.records.Page maps them to and from a source's listing).
CANDIDATES = pa.schema(
    [
        _field("url", pa.string(), "The article URL as its source listed it."),
        _field("canonical_url", pa.string(), "The URL canonicalized: the run's candidates are unique on it."),
        _field("source_name", pa.string(), "The source that listed it (its name in the sources file)."),
        _field("source_country", pa.string(), "The source's home country (ISO alpha-2), when the sources file says."),
        _field("feed_url", pa.string(), "The feed, index or folder it was listed in."),
        _field("title", pa.string(), "The title the listing gave, if any."),
        _field("summary", pa.string(), "The summary the listing gave, if any."),
        _field("feed_published_at", TIMESTAMP_UTC, "The date the listing gave, if any (UTC)."),
        _field("stored_raw_ref", pa.string(), "An archive or folder source's page, already in the raw zone."),
        _field("captured_at", TIMESTAMP_UTC, "When that stored page was captured (UTC)."),
    ]
)
FETCHED = (
    CANDIDATES.append(_field("final_url", pa.string(), "The URL the fetch ended at, redirects followed."))
    .append(_field("raw_ref", pa.string(), "The fetched page in the raw zone: what normalize reads."))
    .append(_field("fetched_at", TIMESTAMP_UTC, "When the page was fetched (or captured, for a stored page; UTC)."))
)
STAGING = (
    ("candidates", CANDIDATES, "What discover listed for the run: one row per canonical URL."),
    ("fetched", FETCHED, "What fetch got: one row per candidate whose page is in the raw zone."),
)


@dataclass(frozen=True)
class TableSpec:
    """A published table: where it lives under the data root, its schema, key and partitioning."""

    name: str
    path: str
    schema: pa.Schema
    key: str
    partition_by: tuple[str, ...]
    doc: str


ARTICLES = TableSpec(
    "articles",
    "published/articles",
    ARTICLES_SCHEMA,
    "article_id",
    ("published_date",),
    "One row per news article: text, metadata, actors and locations.",
)
QUARANTINE = TableSpec(
    "quarantine",
    "published/quarantine",
    QUARANTINE_SCHEMA,
    "quarantine_id",
    (),
    "Every input that did not make it into articles, with the stage and the reason.",
)
PUBLISH_LOG = TableSpec(
    "publish_log",
    "published/publish_log",
    PUBLISH_LOG_SCHEMA,
    "publish_id",
    (),
    "One row per publish attempt: run, try, table version, row counts, whether it committed.",
)
SOURCE_YIELD = TableSpec(
    "source_yield",
    "published/source_yield",
    SOURCE_YIELD_SCHEMA,
    "yield_id",
    (),
    "What each source yielded in each run's batch: the history behind the 'usually yields many' check.",
)
GDELT = TableSpec(
    "gdelt",
    "published/gdelt",
    GDELT_SCHEMA,
    "article_id",
    (),
    "GDELT's own metadata of every article a GDELT source listed, fetched or not (join on article_id).",
)
SIGNATURES = TableSpec(
    "signatures",
    "published/signatures",
    SIGNATURES_SCHEMA,
    "article_id",
    ("published_date",),
    "Internal: text signatures of published articles, so later batches find their near-duplicates.",
)
TABLES = (ARTICLES, QUARANTINE, PUBLISH_LOG, SOURCE_YIELD, GDELT, SIGNATURES)

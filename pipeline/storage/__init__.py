"""Storage: where the pipeline's bytes and tables live, and nothing about what they mean.

It owns the raw zone and the per-run staging files (``raw``), Delta access with its one commit-retry policy
(``delta``), the published articles table (``articles``), the side tables beside it (``side_tables``:
publish_log, quarantine, source_yield), reading the table back (``published``), flat exports (``export``)
and table upkeep (``maintenance``).

It may import only ``pipeline.records``, ``pipeline.errors``, ``pipeline.settings`` and ``schemas``: the
stages and the domain packages call down into it, never the other way (checking the published table is
quality's, and lives with the stage that publishes).
"""

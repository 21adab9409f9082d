"""Data quality: what a row or a batch must be before it is published, and what happens when it is not.

Owns the row checks and the GX suites with their thresholds (``suites``, the suite files in
``expectations/``), the schema conformance of rows to Arrow tables (``conform``), the quarantine records of
everything rejected (``quarantine``) and each run's Data Docs page (``datadocs``).

May import: storage, ``pipeline.records`` / ``errors`` / ``settings``, ``schemas`` (and the page renderer).
Storage must never import quality: a table is written without knowing how it is judged.
"""

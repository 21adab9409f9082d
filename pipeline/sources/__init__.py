"""Sources: where candidate article URLs come from (RSS, GDELT, local corpora, WARC archives).

Owns the source plugin contract and its configuration (``base``, ``config``), one module per kind, and the
per-source state and status files. May import: ``pipeline.net`` (fetching, URLs), ``pipeline.extract``
(text and dates of archived pages), storage, ``pipeline.records`` / ``errors`` / ``settings``. Not the stages.
"""

"""The network edge: every byte the pipeline reads from the web goes through here.

Owns the polite, hostile-network-proof fetcher (``fetcher``), the scheme and SSRF guard (``guard``), the
transport that connects to the addresses the guard checked (``pinned_transport``), per-host pacing and
retry waits (``ratelimit``) and URL canonicalization with the ids derived from it (``urls``).

May import: ``pipeline.settings``, ``pipeline.records``, ``pipeline.errors``, ``schemas``. Nothing above it
(sources, stages, storage) so a fetch can be reasoned about without the rest of the pipeline.
"""

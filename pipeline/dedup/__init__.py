"""Near-duplicate clusters: syndicated copies of one story share a ``duplicate_cluster``.

Owns MinHash signatures and the clustering over them (``minhash``, pure) and the assignment of new articles
to the clusters of the published ones through the signatures table (``assign``, the I/O edge).

May import: storage, ``pipeline.settings`` / ``records`` / ``errors``, ``schemas``. Not the stages.
"""

"""A fetched page to a typed article row: the core of the normalize stage.

Owns the article text and metadata from HTML (``text``), the publication date and its precedence
(``dates``), the language (``language``) and the page -> row step that ties them together (``article``).
These are pure functions over values except ``article``, which reads the raw page from the raw zone.

May import: ``pipeline.sources`` (the payload formats a page arrives in), ``pipeline.net`` (URL
canonicalization), storage, and ``pipeline.records`` / ``errors`` / ``settings`` / ``schemas``. Not the stages.
"""

"""A fetched page to a typed article row: the core of the normalize stage.

Owns the article text and metadata from HTML (``text``), the publication date and its precedence
(``dates``), the language (``language``), the text-article document of the raw zone (``document``) and the
page -> row step that ties them together (``article``).
These are pure functions over values except ``article``, which reads the raw page from the raw zone.

May import: ``pipeline.net`` (URL canonicalization), storage, and ``pipeline.records`` / ``errors`` /
``settings`` / ``schemas``. Not the stages, nor ``pipeline.sources`` (they import this package).
"""

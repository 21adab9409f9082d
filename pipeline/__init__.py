"""newsflow: fetch, normalize, enrich, validate and publish news articles as a typed Delta dataset."""

__version__ = "0.1.0"

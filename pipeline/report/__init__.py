"""The run report: the summary of one run (``html``: counts, status, the pages written) and its figures
(``figures``: the timeline chart and the places map).

It reads the run's staging files and side tables through ``pipeline.storage`` and the validation results
saved by the validate and publish stages (Data Docs); nothing below it imports it.
"""

"""Developer tools shipped with the package: the one-command demo and the bundled sample news site.

Owns ``make run``'s embedded Airflow run with its environment (``demo``) and the loopback server of the
sample site (``sample_site``). Nothing in the pipeline's run path depends on it.

May import: the report (the run summary), ``pipeline.settings``. Imported by the CLI and by
``pipeline.orchestration.local_airflow`` only.
"""

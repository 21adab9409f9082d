"""What runs the stages: Airflow and Celery wiring and the project's local Airflow.

Owns what the DAG files share about Airflow (``airflow_tasks``: the published asset, failures not to retry),
the Celery configuration and the preloading worker (``celery_worker``), ``make airflow``'s local service
(``local_airflow``) and its SQLite connection arguments (``airflow_sqlite``).

May import: ``pipeline.stages``, ``pipeline.dev`` (the demo's Airflow environment), and everything below
them. Only the DAG files and the CLI import it.
"""

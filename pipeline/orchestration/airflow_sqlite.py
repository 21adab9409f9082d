"""SQLite connection arguments of the local Airflow (``[database] sql_alchemy_connect_args``).

The API server, the scheduler, the DAG processor and the CLI share one SQLite file; Python's default
5 s wait for its lock was too short on a busy machine (``airflow backfill create`` failed with "database
is locked" while the scheduler ran tasks). Airflow imports this module by name, so it imports nothing.
"""

CONNECT_ARGS = {"timeout": 120}  # seconds a connection waits for the lock

# One image for every Airflow component of newsflow. Built on plain Python rather than apache/airflow so
# that requirements.lock alone decides every installed version (Airflow included), hash-checked.
FROM python:3.11-slim-bookworm

ENV AIRFLOW_HOME=/opt/airflow \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1

RUN groupadd --system --gid 50000 airflow \
    && useradd --system --uid 50000 --gid airflow --home-dir /opt/airflow --no-create-home airflow

WORKDIR /opt/airflow

COPY requirements-bootstrap.lock requirements.lock ./
RUN pip install --require-hashes -r requirements-bootstrap.lock \
    && uv pip install --system --require-hashes -r requirements.lock

# Editable, so pipeline's PROJECT_ROOT is /opt/airflow and config/ resolves beside it (the GX suites are
# package data inside pipeline/); no build isolation, so the build backend is the locked setuptools.
COPY pyproject.toml ./
COPY pipeline/ pipeline/
COPY schemas/ schemas/
RUN pip install --no-deps --no-build-isolation --editable .

COPY dags/ dags/
COPY config/ config/
COPY deploy/airflow-init.sh deploy/airflow-init.sh

# Airflow writes airflow.cfg into AIRFLOW_HOME; logs/ and auth/ become named volumes that inherit this
# ownership. The code itself stays root-owned and read-only to the airflow user.
RUN mkdir -p logs auth plugins \
    && chown airflow:airflow /opt/airflow logs auth plugins

USER airflow
EXPOSE 8080
ENTRYPOINT ["airflow"]
CMD ["version"]

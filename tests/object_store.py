"""An S3 API on loopback for tests: moto in server mode, one bucket, and a Store rooted in it.

The server runs in its own process: deltalake's native reader holds the GIL while it waits for a
response, so a server thread in the reading process would never answer it.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection

import boto3

from pipeline.storage.raw import Store

BUCKET = "newsflow"
START_TIMEOUT_S = 60


def _serve(conn: Connection) -> None:
    """Child process: run moto's S3 server on a free loopback port, report it, serve until told to stop."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    conn.send(server.get_host_and_port())
    with suppress(EOFError):  # the test process went away without saying stop
        conn.recv()
    server.stop()


@contextmanager
def s3_store(prefix: str = "data") -> Iterator[Store]:
    """Serve an S3 API on a free loopback port with an empty bucket; yields ``s3://newsflow/<prefix>`` with
    the deltalake-style storage options every stage and reader is given (NEWSFLOW_STORAGE_OPTIONS)."""
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(theirs,), name="moto-s3", daemon=True)
    server.start()
    theirs.close()
    try:
        if not ours.poll(START_TIMEOUT_S):
            raise TimeoutError(f"moto's S3 server did not start within {START_TIMEOUT_S}s")
        host, port = ours.recv()
        options = {
            "AWS_ENDPOINT_URL": f"http://{host}:{port}",
            "AWS_ACCESS_KEY_ID": "newsflow-test",
            "AWS_SECRET_ACCESS_KEY": "newsflow-test-secret",
            "AWS_REGION": "us-east-1",
            "AWS_ALLOW_HTTP": "true",
            "AWS_S3_ALLOW_UNSAFE_RENAME": "true",
        }
        boto3.client(
            "s3",
            endpoint_url=options["AWS_ENDPOINT_URL"],
            aws_access_key_id=options["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=options["AWS_SECRET_ACCESS_KEY"],
            region_name=options["AWS_REGION"],
        ).create_bucket(Bucket=BUCKET)
        yield Store(f"s3://{BUCKET}/{prefix}", options)
    finally:
        with suppress(OSError):  # the server may be gone already
            ours.send("stop")
        ours.close()
        server.join(10)
        if server.is_alive():
            server.kill()
            server.join(10)

"""Throughput and memory benchmark of the pipeline beside a naive baseline (make bench)."""

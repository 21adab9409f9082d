"""Helpers the tests share: fakes, fixtures' builders, local clusters and sites."""

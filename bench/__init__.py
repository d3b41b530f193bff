"""Benchmarks: scripts that seed data, start the real server and measure it (see README.md)."""

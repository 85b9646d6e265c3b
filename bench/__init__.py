"""Benchmarks: each prints a comparison table and a last ``RESULT key=value ...`` line."""

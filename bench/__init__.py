"""Benchmarks and the load test: the numbers docs/benchmarks.md quotes, measured on this machine."""

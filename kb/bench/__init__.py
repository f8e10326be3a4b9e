"""Benchmarks (`kb bench <name>`): throughput and latency, and how they grow with size."""

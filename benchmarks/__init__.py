"""Benchmarks (run by hand, never imported by the portal itself)."""

"""Benchmarks of the pipeline at the scale of a real site (run with `nox -s bench`)."""

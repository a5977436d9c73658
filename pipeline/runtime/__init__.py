"""The edges: contained atomic file writes, the process pool, untrusted XML."""

"""The staleness report: what is current, stale, suggested or missing, and its views."""

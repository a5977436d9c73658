"""The English source: pages loaded and validated, then segmented into units."""

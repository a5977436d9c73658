"""Maintainers' tools run by nox sessions: the plural table's generator, the drift check."""

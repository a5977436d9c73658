"""The translation memory: the index, TMX files, and what leaves catalogs for memory/."""

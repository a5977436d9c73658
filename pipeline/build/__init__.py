"""Localized pages: catalogs applied to the English, pseudo-languages, the build's work."""

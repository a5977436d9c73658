"""XLIFF exchange with translation agencies' CAT tools."""

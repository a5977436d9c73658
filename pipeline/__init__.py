"""Clinic pipeline: English condition pages to gettext catalogs to localized HTML and JSON."""

__version__ = "0.1.0"

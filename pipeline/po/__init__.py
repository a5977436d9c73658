"""Gettext catalogs: the model, PO syntax, reading, writing, merging, states and changes."""

"""Catalog domain: read and validate catalog_data/, build catalog.db, read it back. No Qt here."""

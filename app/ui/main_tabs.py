"""The main window's tab indexes (catalog, architecture, plan)."""

TAB_CATALOG, TAB_ARCH, TAB_PLAN = 0, 1, 2

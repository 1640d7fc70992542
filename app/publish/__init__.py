"""Publishing the catalog (and, optionally, plans) read-only for an office: `machi-navi serve`.

A unit of its own (rank of app.build): it reads catalog.db and the search module's documents and
tokens, never writes catalog.db, and imports Datasette only inside the function that serves.
"""

from app.search.lean_imports import install as _lean_whoosh_imports

_lean_whoosh_imports()  # before any module of this package imports Whoosh

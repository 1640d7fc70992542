"""Every bound on untrusted input, named once.

Catalog files, imported spreadsheets, plan files and query text can come from anyone; each limit
below keeps one of them from exhausting time or memory. Tests in tests/hardening refer to these
names, so changing a bound here changes what the tests expect.
"""

from __future__ import annotations

# Catalog files (YAML / Markdown with YAML front matter)
MAX_FILE_BYTES = 1_000_000  # a catalog file larger than this is almost certainly a mistake
MAX_YAML_DEPTH = 32  # the deepest real file (scra-2.yaml) nests < 12 levels
MAX_YAML_NODES = 200_000  # scalars + collections in one file; 1 MB of YAML without aliases stays below
MAX_TEXT_CHARS = 20_000  # one text value (a description body may be longer: MAX_BODY_CHARS)
MAX_BODY_CHARS = 100_000  # the Markdown description of one entry

# Imported spreadsheets (CSV / XLSX)
MAX_IMPORT_BYTES = 20_000_000  # the file on disk
MAX_XLSX_UNCOMPRESSED = 100_000_000  # sum of the zip members' declared sizes
MAX_ZIP_RATIO = 100  # uncompressed / compressed for any one member (zip bombs run to 1000s)
MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_COLUMNS = 64
MAX_CELL_CHARS = 20_000

# Catalog packs (signed zips of entries; app/catalog/packs.py). Each entry file is also bound by MAX_FILE_BYTES.
MAX_PACK_BYTES = 20_000_000  # the .zip on disk
MAX_PACK_ENTRIES = 2_000  # entry files in one pack (the bundled catalog has a few hundred)
MAX_PACK_UNCOMPRESSED = 50_000_000  # sum of the members' declared sizes, checked before anything is inflated
MAX_MANIFEST_BYTES = 2_000_000  # manifest.json (one line per entry)

# Search
MAX_QUERY_CHARS = 1_000  # a query longer than this is cut, and the user is told

# Plan files (.machiplan, app/plan/planfile.py) passed between colleagues
MAX_PLAN_FILE_BYTES = 5_000_000  # a plan of MAX_PLAN_ENTRIES entries with long notes stays far below
MAX_PLAN_ENTRIES = 2_000  # services in one plan file
MAX_PLAN_ANSWERS = 500  # answers to planning questions in one plan file
MAX_PLAN_RECORD_CHARS = 200_000  # one entry's baseline record (the entry as it was when added, JSON)

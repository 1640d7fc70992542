"""Qt user interface. The only package that imports Qt."""

from app.ui.compat import pin_none

pin_none()  # PySide6 6.12 on CPython 3.11 under-counts None (and True, per emit); see app/ui/compat.py

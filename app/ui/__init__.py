"""Qt user interface. The only package that imports Qt."""

from app.ui.compat import fast_feature_check, pin_none

pin_none()  # PySide6 6.12 on CPython 3.11 under-counts None (and True, per emit); see app/ui/compat.py
fast_feature_check()  # PySide6 reads every later module's source into linecache; see app/ui/compat.py

"""Abuse limits on every request: static cost, the per-caller cost budget, input sizes, and no field suggestions outside development."""

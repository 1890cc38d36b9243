"""Helper processes coprod starts beside the one the user runs (no textual here)."""

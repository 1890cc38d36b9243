"""Widgets of the coprod TUI."""

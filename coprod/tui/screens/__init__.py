"""Screens and dialogs of the coprod TUI."""

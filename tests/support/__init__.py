"""Helpers the tests share (a module here, never a test module imported by another)."""

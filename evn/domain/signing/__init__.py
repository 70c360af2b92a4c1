"""Signed ids and tokens, and comparing what a client presents with a secret."""

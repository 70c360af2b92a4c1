"""Rasa input channels of the project: thin adapters that share one input guard."""

"""Custom Rasa NLU components for Vietnamese as customers type it."""

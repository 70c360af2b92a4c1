"""Tests of the code that runs inside Rasa: the NLU components, the dialogue policy, the actions and rasa-sdk's
plugins, the channel connectors, and the checks that need Rasa's own classes (the NLU data trained through the real
pipeline, Rasa's parsers). Importing Rasa costs seconds, so these are kept apart from the pure core's tests in
tests/unit (`make unit`), which tests/unit/conftest.py keeps free of Rasa; `make test-unit` runs both.
"""

"""tests/unit is the pure core: no test here imports Rasa (rasa, rasa_sdk), so `make unit` runs in seconds.

The guard (tests/support/pure_imports.py) fails the collection of a module, or the test, that imports either;
tests that need Rasa, rasa-sdk, the NLU components or the actions go to tests/components/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pure_imports import register


def pytest_configure(config: pytest.Config) -> None:
    register(config, Path(__file__).parent)

"""The guard that keeps tests/unit free of Rasa (tests/support/pure_imports.py) does fail.

Each case runs pytest in a folder of its own, set up as tests/unit/conftest.py sets up tests/unit, with stand-ins
named rasa and rasa_sdk first on the path: what the guard watches is the name imported, and the stand-ins cost
nothing to import (the real Rasa would take seconds and is what this folder must not load).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.pure_imports import ADVICE

ROOT = Path(__file__).resolve().parents[2]
CONFTEST = """
from pathlib import Path

from tests.support.pure_imports import register


def pytest_configure(config):
    register(config, Path(__file__).parent)
"""


def run_guarded(tmp_path: Path, outer_conftest: str = "", **tests: str) -> subprocess.CompletedProcess:
    """pytest on tmp_path/pure, guarded; `outer_conftest` is tmp_path/conftest.py, above the guarded folder."""
    stand_ins = tmp_path / "site"
    for name in ("rasa", "rasa_sdk"):
        (stand_ins / name).mkdir(parents=True)
        for module in ("__init__", "shared", "core"):
            (stand_ins / name / f"{module}.py").write_text("")
    guarded = tmp_path / "pure"
    guarded.mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the project's: the rootdir is tmp_path
    (tmp_path / "conftest.py").write_text(textwrap.dedent(outer_conftest))
    (guarded / "conftest.py").write_text(CONFTEST)
    for name, body in tests.items():
        (guarded / f"{name}.py").write_text(textwrap.dedent(body))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(stand_ins), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider",
                           "--continue-on-collection-errors", "pure"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


# A test of the pure core, as tests/unit holds them: the guard lets it through (it imports evn, not Rasa).
PURE = """
from evn.domain.formats import format_vnd


def test_money_is_written_as_customers_read_it():
    assert format_vnd(1234567) == "1.234.567 đ"
"""


def test_importing_rasa_at_collection_in_a_test_or_in_its_fixture_fails(tmp_path):
    """Each imports a module not imported before: the guard sees an import the first time it is made."""
    result = run_guarded(
        tmp_path,
        # The root conftest's `render` fixture is such a fixture, from outside the folder: it imports rasa_sdk.
        outer_conftest="""
            import pytest


            @pytest.fixture
            def heavy():
                import rasa.core

                return rasa.core
        """,
        test_pure=PURE,
        test_heavy="import rasa.shared\n\n\ndef test_x():\n    pass\n",
        test_lazy="""
            def test_pure():
                pass


            def test_lazy():
                from rasa_sdk import shared  # noqa: F401
        """,
        test_fixture="def test_uses_heavy(heavy):\n    pass\n",
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert ADVICE in out
    assert "ERROR collecting pure/test_heavy.py" in out and "pure/test_heavy.py imports rasa" in out
    assert "FAILED pure/test_lazy.py::test_lazy" in out and "pure/test_lazy.py::test_lazy imports rasa_sdk" in out
    assert "ERROR pure/test_fixture.py::test_uses_heavy" in out  # in its setup
    assert "pure/test_fixture.py::test_uses_heavy imports rasa\n" in out
    assert "2 passed" in out  # test_pure.py's and test_lazy.py's pure one (and tests/unit itself passes)


def test_rasa_loaded_before_the_folder_is_collected_fails_a_run_of_the_folder(tmp_path):
    """Loaded by no test of the folder (here a conftest above it, read first): a run of the folder alone refuses it."""
    result = run_guarded(tmp_path, outer_conftest="import rasa  # noqa: F401\n", test_pure=PURE)
    assert result.returncode == 1
    assert "loaded before any test ran: rasa" in result.stdout + result.stderr


def test_tests_unit_is_guarded():
    conftest = (ROOT / "tests" / "unit" / "conftest.py").read_text(encoding="utf-8")
    assert "register(config, Path(__file__).parent)" in conftest

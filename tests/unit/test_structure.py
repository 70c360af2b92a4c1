"""The house rules a newcomer relies on, checked on the source itself (docs/architecture.md).

Read with `ast`, nothing imported: the core imports no framework, services reach storage only
through the unit of work, channel modules stay small, tests share code through their support
packages, and Rasa's own layout stays at the root.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = {"rasa", "rasa_sdk", "sanic", "socketio", "engineio", "aiohttp"}
CHANNEL_LINES = 400


def modules(folder: str) -> Iterator[Path]:
    yield from sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module name this file imports (absolute, as written)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_rasa_finds_its_own_layout_at_the_root():
    for name in ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml", "data", "actions", "tests"):
        assert (ROOT / name).exists(), name


@pytest.mark.parametrize("path", list(modules("evn")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_no_framework(path):
    found = {name for name in imported(path) if name.split(".")[0] in FRAMEWORKS}
    assert not found, f"{path.relative_to(ROOT)} imports {sorted(found)}"


@pytest.mark.parametrize("path", list(modules("evn/services")), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_reach_storage_only_through_the_unit_of_work(path):
    names = imported(path)
    assert not {n for n in names if n.split(".")[0] == "sqlalchemy"}, "a service imports SQLAlchemy"
    assert not {n for n in names if n.startswith("evn.adapters.orm")}, "a service imports the ORM's rows"
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\.session\b", text), "a service touches a session"


def test_no_channel_module_is_longer_than_a_reader_holds():
    long = {str(p.relative_to(ROOT)): n for p in modules("connectors")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > CHANNEL_LINES}
    assert not long


def test_tests_share_code_through_support_modules_and_fixtures_not_each_other():
    """A test module imports no other test module and no conftest: what tests share lives in tests/support/
    (or a helper module beside them) and in conftest fixtures."""
    for path in modules("tests"):
        for name in imported(path):
            parts = name.split(".")
            if parts[0] == "tests" and any(part.startswith("test_") or part == "conftest" for part in parts[1:]):
                pytest.fail(f"{path.relative_to(ROOT)} imports {name}")


def test_lint_and_types_run_in_make_test():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^test:(.*)$", makefile, re.M)
    assert target and {"lint", "types"} <= set(target.group(1).split())

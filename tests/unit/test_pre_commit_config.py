"""The pre-commit hooks run the project's own ruff and mypy (nothing downloaded), mypy on the packages `make types`
checks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: mypy's own dependency
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
HOOKS = {hook["id"]: hook for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
         for hook in repo["hooks"]}


def test_every_hook_is_local_and_runs_a_tool_of_the_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert set(HOOKS) == {"ruff", "mypy", "mypy-rasa"}
    environments = {"ruff": ("app-venv", "ruff"), "mypy": ("app-venv", "mypy"), "mypy-rasa": ("venv", "mypy")}
    for name, hook in HOOKS.items():
        environment, tool = environments[name]
        assert hook["language"] == "system" and "additional_dependencies" not in hook
        assert f'"$(make -s {environment})/bin/{tool}"' in hook["entry"]


def test_the_rasa_hook_checks_what_make_types_checks_in_the_rasa_environment():
    typed = re.search(r"^RASA_TYPED := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert typed and HOOKS["mypy-rasa"]["entry"].endswith(f"mypy\" {typed.group(1)}' --")
    for package in typed.group(1).split():
        assert re.search(HOOKS["mypy-rasa"]["files"], f"{package}/module.py")


@pytest.mark.parametrize("package", tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"])
def test_mypy_runs_on_a_changed_module_of_every_package_make_types_checks(package):
    assert re.search(HOOKS["mypy"]["files"], f"{package}/module.py")


@pytest.mark.parametrize("path", ["tests/unit/test_x.py", "migrations/versions/0001_initial_schema.py",
                                  "bench/bench.py", "evn.py", "evnx/module.py"])
def test_mypy_leaves_alone_what_make_types_does_not_check(path):
    assert not re.search(HOOKS["mypy"]["files"], path)

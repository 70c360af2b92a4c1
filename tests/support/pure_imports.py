"""A pytest plugin that keeps a folder of tests pure: none of its tests may import Rasa (rasa, rasa_sdk).

tests/unit/conftest.py registers it for tests/unit; the tests that need Rasa live in tests/components.
An import of rasa or rasa_sdk made while a module under the folder is collected fails that module's collection;
one made while a test under it runs (its fixtures included) fails that test. Both name the module imported.
The first import of a module is what it sees (an import finder), so when another folder of the same run loaded Rasa
first, a later `import rasa` from here goes unseen: a run of the folder alone (`make unit`) also refuses Rasa in
sys.modules at all, after collection and at the end.
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import pytest

FORBIDDEN = ("rasa", "rasa_sdk")
ADVICE = "tests/unit stays free of Rasa: move this test to tests/components/ (see tests/components/__init__.py)"


def register(config: pytest.Config, root: Path) -> None:
    if not config.pluginmanager.has_plugin(NoRasaImports.NAME):
        config.pluginmanager.register(NoRasaImports(root), NoRasaImports.NAME)


def _loaded() -> list[str]:
    return sorted(name for name in FORBIDDEN if name in sys.modules)


class NoRasaImports:
    NAME = "no-rasa-imports"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.current: str | None = None  # the module or test of `root` being collected or run
        self.found: list[str] = []  # "who imports what", in order
        self.reported = 0
        self.only_root = False

    # ------------------------------------------------------------ the import finder, first on sys.meta_path
    def find_spec(self, name: str, path: Sequence[str] | None = None, target: Any = None) -> None:
        top = name.partition(".")[0]
        # Another thread's import is not the test's doing (a server or pool left by an earlier folder's tests); a run
        # of the folder alone still sees it in sys.modules at the end.
        if self.current is not None and top in FORBIDDEN and threading.current_thread() is threading.main_thread():
            self.found.append(f"{self.current} imports {top}")
        return None  # the import itself goes on as usual

    def _inside(self, path: Path | None) -> bool:
        return path is not None and Path(path).resolve().is_relative_to(self.root)

    def _new(self) -> list[str]:
        new, self.reported = self.found[self.reported:], len(self.found)
        return new

    def _message(self, new: list[str]) -> str:
        return "\n".join([ADVICE, *dict.fromkeys(new)])

    # ------------------------------------------------------------ pytest's hooks
    def pytest_configure(self, config: pytest.Config) -> None:
        sys.meta_path.insert(0, self)  # type: ignore[arg-type]

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)  # type: ignore[arg-type]

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Generator[None, pytest.CollectReport, Any]:
        inside = self._inside(collector.path)
        if inside:
            self.current = collector.nodeid or str(collector.path)
        try:
            report = yield
        finally:
            self.current = None
        new = self._new()
        if inside and new:
            report.outcome = "failed"
            report.longrepr = self._message(new)
        return report

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.only_root = bool(session.items) and all(self._inside(item.path) for item in session.items)
        if self.only_root and _loaded() and not self.found:
            pytest.exit(f"{ADVICE}\nloaded before any test ran: {', '.join(_loaded())}",
                        returncode=pytest.ExitCode.TESTS_FAILED)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
        if self._inside(item.path):
            self.current = item.nodeid
        try:
            return (yield)
        finally:
            self.current = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, Any]:
        report = yield
        new = self._new()
        if new and self._inside(item.path):
            report.outcome = "failed"
            report.longrepr = self._message(new)
        return report

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.only_root and _loaded() and not self.found:  # loaded by something no test of `root` ran
            session.config.get_terminal_writer().line(f"{ADVICE}\nloaded during the run: {', '.join(_loaded())}",
                                                      red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

"""Which interpreter runs which process.

Only the Rasa server runs in the Rasa server's environment (Python 3.10: Rasa 3.6 runs on no newer one, and
3.10 gets no more security fixes). Everything else runs in the application's environment (Python 3.13, else
3.11: rasa-sdk 3.21, SQLAlchemy 2.0, Sanic 25), which still gets them: the action server, the web app, the
worker, these launchers, the seed, the report, the benchmarks and the end-to-end harness. The Makefile exports
both interpreters (APP_PYTHON, RASA_PYTHON); without them, the environments `make -s app-venv` and
`make -s venv` name are used, so a launcher started by hand finds the same ones.
"""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _interpreter(variable: str, make_target: str, what: str) -> str:
    configured = os.environ.get(variable)
    if configured:
        python = Path(configured)
    else:
        found = subprocess.run(["make", "-s", make_target], cwd=ROOT, capture_output=True, text=True, check=False)
        python = Path(found.stdout.strip() or "/nonexistent") / "bin" / "python"
    if not python.is_file():
        raise SystemExit(f"Chưa có môi trường {what} ({python}): chạy `make install` trước "
                         f"(the environment is missing: run `make install`).")
    return str(python)


@functools.lru_cache(maxsize=1)
def app_python() -> str:
    """The application environment's interpreter; SystemExit saying how to build it when it is missing."""
    return _interpreter("APP_PYTHON", "app-venv", "ứng dụng")


@functools.lru_cache(maxsize=1)
def rasa_python() -> str:
    """The Rasa server environment's interpreter; SystemExit saying how to build it when it is missing."""
    return _interpreter("RASA_PYTHON", "venv", "máy chủ Rasa")


def rasa_executable() -> str:
    """Rasa's own command (`rasa train`, `rasa init`, `rasa shell`) in the Rasa server's environment."""
    return str(Path(rasa_python()).parent / "rasa")
